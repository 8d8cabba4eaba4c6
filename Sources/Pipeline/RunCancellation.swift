import BatchAPI
import JudgeCore

/// Cancelling a run, the one way for `judgetop cancel` and the dashboard alike: the cancel is
/// recorded in the store first, so that the run's owner (this process or another) creates no batch
/// after it, then the run's live batches are cancelled at the provider. Answers that arrive from
/// them are still stored: they were paid for.
public enum RunCancellation {
    public struct Outcome: Sendable {
        public var request: CancelRequest
        /// One line a batch: what the provider said.
        public var batches: [String] = []
        public var failures: [String] = []
    }

    /// `client` is nil when the batches ran in an embedded simulator that has stopped.
    public static func cancel(run: String, store: RunStore, client: ProviderClient?, reason: String) async throws -> Outcome {
        var outcome = Outcome(request: try store.requestCancel(run: run, reason: reason))
        guard case .recorded = outcome.request, let client else { return outcome }
        for id in try store.liveBatchIDs(run: run) {
            let shown = TerminalText.sanitize(id)
            do {
                let batch = try await client.cancelBatch(id: id)
                try store.updateBatch(batch, run: run)
                outcome.batches.append("batch \(shown): \(TerminalText.sanitize(batch.status.name))")
            } catch let error as ProviderError where error.status == 409 {
                outcome.batches.append("batch \(shown) had already finished")
            } catch {
                outcome.failures.append("batch \(shown): \(TerminalText.sanitize("\(error)"))")
            }
        }
        return outcome
    }
}
