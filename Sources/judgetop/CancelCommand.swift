import ArgumentParser
import BatchAPI
import Foundation
import Pipeline

/// `judgetop cancel RUN_ID`: stop a run's live batches at the provider and record it.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a run's live batches at the provider.")

    @Argument(help: "The run.") var runID: String
    @Option(help: "Name of the environment variable holding the API key, if not the one the run was started with.")
    var apiKeyEnv: String?
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let store = try storage.openExisting()
        guard let config = try store.config(run: runID) else {
            throw CommandFailure.input("no run \(runID) in \(storage.directory.path); `judgetop runs` lists them")
        }
        // Recorded first, so that a judgetop still running this run plans nothing more.
        try store.setStatus(run: runID, "cancelled", message: "cancelled by judgetop cancel")
        let live = try store.liveBatchIDs(run: runID)
        guard !live.isEmpty else {
            Console.out("run \(runID) is cancelled; it had no live batches")
            return
        }
        if config.simulated && config.baseURL == Connection.embeddedName {
            Console.out("run \(runID) is cancelled; its batches ran in an embedded simulator that has stopped")
            return
        }
        let connection = try await Connection.open(for: config, apiKeyEnv: apiKeyEnv, printer: HeadlessPrinter())
        var failures: [String] = []
        for id in live {
            do {
                let batch = try await connection.client.cancelBatch(id: id)
                try store.updateBatch(batch, run: runID)
                Console.out("batch \(id): \(batch.status.name)")
            } catch let error as ProviderError where error.status == 409 {
                Console.out("batch \(id) had already finished")
            } catch {
                failures.append("batch \(id): \(error)")
            }
        }
        await connection.close()
        if !failures.isEmpty { throw CommandFailure.run("could not cancel every batch:\n" + failures.joined(separator: "\n")) }
        Console.out("run \(runID) is cancelled; `judgetop report \(runID)` shows what it answered")
    }
}
