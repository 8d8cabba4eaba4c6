import Foundation

/// How many requests may be in flight: at most `maximum`, halved on a 429 (at most once per
/// `decreaseInterval`, so one burst of 429s counts once), grown by one per window of successes,
/// and paused outright while the provider asks to wait (Retry-After, exhausted x-ratelimit).
actor ConcurrencyGate {
    enum Signal: Sendable {
        case success
        case rateLimited(retryAfter: Double?)
        case failure
        case pause(seconds: Double)
    }

    let maximum: Int
    private(set) var window: Double
    private var inFlight = 0
    private var pausedUntil: ContinuousClock.Instant?
    private var lastDecrease: ContinuousClock.Instant?
    private let decreaseInterval: Duration
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    init(maximum: Int, decreaseInterval: Duration = .milliseconds(250)) {
        self.maximum = max(1, maximum)
        window = Double(max(1, maximum))
        self.decreaseInterval = decreaseInterval
    }

    var limit: Int { max(1, Int(window)) }
    /// Acquires waiting for a slot.
    var waiting: Int { waiters.count }

    func acquire() async throws {
        while true {
            try Task.checkCancellation()
            if let until = pausedUntil {
                if until > .now {
                    try await Task.sleep(until: until, clock: .continuous)
                    continue
                }
                pausedUntil = nil
            }
            if inFlight < limit {
                inFlight += 1
                return
            }
            let id = UUID()
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    if Task.isCancelled { continuation.resume() } else { waiters[id] = continuation }
                }
            } onCancel: {
                Task { await self.wake(id) }
            }
        }
    }

    func release(_ signal: Signal) {
        inFlight -= 1
        let now = ContinuousClock.now
        switch signal {
        case .success:
            window = min(Double(maximum), window + 1 / window)
        case .rateLimited(let retryAfter):
            if lastDecrease.map({ now - $0 > decreaseInterval }) ?? true {
                window = max(1, window / 2)
                lastDecrease = now
            }
            if let retryAfter, retryAfter > 0 { pause(retryAfter) }
        case .failure:
            break
        case .pause(let seconds):
            pause(seconds)
        }
        wakeAvailable()
    }

    private func pause(_ seconds: Double) {
        let until = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
    }

    private func wakeAvailable() {
        var free = limit - inFlight
        while free > 0, let (id, continuation) = waiters.first {
            waiters.removeValue(forKey: id)
            continuation.resume()
            free -= 1
        }
    }

    private func wake(_ id: UUID) { waiters.removeValue(forKey: id)?.resume() }
}
