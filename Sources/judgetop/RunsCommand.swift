import ArgumentParser
import Foundation
import JudgeCore
import Pipeline

/// `judgetop runs`: every stored run, newest first, id first on each line.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List stored runs, newest first.")

    @OptionGroup var storage: StorageOptions

    func run() throws {
        let store = try storage.openExisting()
        let formatter = ISO8601DateFormatter()
        for run in try store.listRuns() {
            let c = run.config
            let rows = try store.rowCount(run: c.runID)
            var line = "\(c.runID)  \(run.status.rawValue)  \(c.spec.name)  \(rows) rows  base \(c.baseModel)  judge \(c.judgeModel)  \(c.provider.rawValue)\(c.simulated ? " (simulated)" : "")  \(formatter.string(from: c.createdAt))"
            let s = run.summary
            if !s.isEmpty {
                line += "  " + [("judge-determined", "judge_determined"), ("base vs truth", "base_vs_truth"), ("judge's label vs truth", "judge_vs_truth")]
                    .compactMap { name, key in s[key].map { "\(name) \(String(format: "%.3f", $0))" } }.joined(separator: ", ")
            }
            Console.out(TerminalText.sanitize(line))
        }
        for (id, reason) in try store.unreadableRuns() {
            Console.out(TerminalText.sanitize("\(id)  unreadable  its stored settings cannot be read (\(reason)); other runs are unaffected"))
        }
    }
}
