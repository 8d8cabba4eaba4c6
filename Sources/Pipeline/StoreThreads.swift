import Dispatch

extension RunStore {
    /// Runs store work on a thread of its own and awaits it. A write waits for SQLite's one writer;
    /// waiting on one of Swift's cooperative threads (as many as cores, 2 here) stalled the rest of
    /// the run, such as the upload of a judge batch ready to go while another batch was being stored.
    func offPool<T: Sendable>(_ work: @escaping @Sendable (RunStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work(self) }) }
        }
    }
}
