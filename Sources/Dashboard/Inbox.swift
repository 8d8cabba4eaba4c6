import Synchronization

/// Actions from other threads (engine events, fresh rows) waiting for the UI thread's next tick.
public final class DashboardInbox: Sendable {
    private let queue = Mutex<[DashboardAction]>([])

    public init() {}

    public func post(_ action: DashboardAction) { queue.withLock { $0.append(action) } }

    public func drain() -> [DashboardAction] { queue.withLock { q in defer { q.removeAll() }; return q } }
}
