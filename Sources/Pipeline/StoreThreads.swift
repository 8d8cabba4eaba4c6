import Dispatch

extension RunStore {
    /// Runs store writes on the store's own write thread and awaits them. A write waits for SQLite's
    /// one writer; waiting on one of Swift's cooperative threads (as many as cores, 2 here) stalled
    /// the rest of the run, such as the upload of a judge batch ready to go while another batch was
    /// being stored. One serial queue, not the global pool: a thread per waiting batch would only
    /// queue up behind the same writer.
    func awaitWrite<T: Sendable>(_ work: @escaping @Sendable (RunStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writes.async { continuation.resume(with: Result { try work(self) }) }
        }
    }
}
