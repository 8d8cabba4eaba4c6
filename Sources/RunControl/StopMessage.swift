import JudgeCore
import Pipeline

/// What a person reads when a run stops before its end, from the dashboard or the headless run
/// alike: where it is stored and how to go on.
public enum StopMessage {
    public static func lines(runID: String, status: RunStatus, store: RunStore, embeddedSimulator: Bool) -> [String] {
        var lines = ["run \(runID) is stored (\(status.rawValue)) in \(store.path)."]
        let live = (try? store.liveBatchIDs(run: runID)) ?? []
        if embeddedSimulator {
            lines.append("The embedded simulator stopped with judgetop; `judgetop resume \(runID)` sends its unfinished batches again.")
        } else if !live.isEmpty {
            lines.append("The provider keeps processing \(live.count) live batch\(live.count == 1 ? "" : "es") (\(live.joined(separator: ", "))).")
            lines.append("`judgetop resume \(runID)` reattaches; `judgetop cancel \(runID)` stops them.")
        } else if status != .cancelled {
            lines.append("`judgetop resume \(runID)` continues it.")
        }
        return lines
    }
}
