import ArgumentParser
import BatchAPI
import Foundation
import JudgeCore
import Pipeline

/// `judgetop cancel RUN_ID`: record the cancel, then stop the run's live batches at the provider.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a run's live batches at the provider.")

    @Argument(help: "The run (its id, or a prefix only one id begins with).") var runID: String
    @Option(help: "Name of the environment variable holding the API key, if not the one the run was started with.")
    var apiKeyEnv: String?
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let store = try storage.openExisting()
        let runID = try storage.runID(self.runID, in: store)
        guard let config = try store.config(run: runID) else { throw StoreError.unknownRun(runID) }
        let live = try store.liveBatchIDs(run: runID)
        let embedded = config.simulated && config.baseURL == Connection.embeddedName
        // The key is checked only when there is something to cancel at the provider.
        let connection = live.isEmpty || embedded ? nil
            : try await Connection.open(for: config, apiKeyEnv: apiKeyEnv, printer: HeadlessPrinter())
        let outcome = try await RunCancellation.cancel(run: runID, store: store, client: connection?.client,
                                                       reason: "cancelled by judgetop cancel")
        await connection?.close()
        switch outcome.request {
        case .nothingToCancel(let status):
            Console.out("run \(runID) is already \(status); nothing to cancel")
            return
        case .recorded(let status):
            outcome.batches.forEach { Console.out($0) }
            if !outcome.failures.isEmpty {
                throw CommandFailure.run("could not cancel every batch:\n" + outcome.failures.joined(separator: "\n"))
            }
            if embedded, !live.isEmpty { Console.out("its batches ran in an embedded simulator that has stopped") }
            Console.out("run \(runID) is \(status) (cancel recorded); `judgetop report \(runID)` shows what it answered")
        }
    }
}
