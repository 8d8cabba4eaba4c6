import ArgumentParser
import Foundation
import Pipeline
import Simulator

/// `judgetop resume [RUN_ID]`: continue a stored run where it stopped.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an unfinished run: known batches are polled again, never recreated.")

    @Argument(help: "The run to continue (its id, or a prefix only one id begins with). Default: the most recent unfinished run.")
    var runID: String?
    @Option(help: "Name of the environment variable holding the API key, if not the one the run was started with.")
    var apiKeyEnv: String?
    @OptionGroup var output: OutputOptions
    @Option(help: "Dashboard theme (see `judgetop run --help`).")
    var theme: String?
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let store = try storage.openExisting()
        let listing = try store.listRuns()
        let named = try runID.map { try storage.runID($0, in: store) }
        guard let chosen = named.map({ id in listing.first { $0.config.runID == id } })
                ?? listing.first(where: { $0.status.isResumable }) else {
            throw CommandFailure.input(runID.map { "no run \($0) in \(storage.directory.path); `judgetop runs` lists them" }
                                       ?? "no unfinished run to resume; `judgetop runs` lists the runs")
        }
        guard chosen.status != .done else {
            throw CommandFailure.input("run \(chosen.config.runID) is already done; `judgetop report \(chosen.config.runID)` shows it")
        }
        guard chosen.status != .cancelled else {
            throw CommandFailure.input("run \(chosen.config.runID) was cancelled; `judgetop report \(chosen.config.runID)` shows what it answered")
        }
        let lease = try FrontEnd.claim(chosen.config.runID, in: store)
        Console.out("judgetop: resuming run \(chosen.config.runID) (\(chosen.status))")
        // A person asked to go on: requests that failed for good get another set of attempts.
        let retried = try store.retryExhausted(run: chosen.config.runID, maxAttempts: chosen.config.maxAttempts)
        if retried > 0 { Console.out("judgetop: \(retried) requests that had failed for good go again") }
        do {
            let frontEnd = try FrontEnd(output: output, theme: theme, runsDirectory: storage.directory)
            let run = chosen.config.runID
            let connection = try await Connection.open(for: chosen.config, apiKeyEnv: apiKeyEnv, printer: frontEnd.printer) {
                try store.rows(run: run, indices: Array(0..<min(SimulatedTask.examplesRead, try store.rowCount(run: run))))
            }
            try await frontEnd.run(store: store, config: chosen.config, connection: connection, lease: lease)
        } catch {
            lease.release()
            throw error
        }
    }
}
