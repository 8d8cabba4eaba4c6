/// How often to ask a batch for news: fast at first (a small batch can finish in a second, and a
/// retrieve is cheap), backing off while nothing changes, quicker again when progress moves, and
/// always within bounds set by the batch's age (`elapsed`):
/// - never more than a quarter of it, so a finished batch waits at most that long to be noticed,
///   however long the back-off grew while many batches shared the provider;
/// - never less than a fortieth of it, so a long batch that moves on every poll is not polled at the
///   initial rate for hours (an hour-long batch is asked a few hundred times, not tens of thousands);
/// - never beyond `maximum` seconds.
public struct PollSchedule: Sendable {
    public var initial: Double
    public var maximum: Double
    public var growth: Double
    private(set) var current: Double

    public init(initial: Double = 0.05, maximum: Double = 30, growth: Double = 1.5) {
        self.initial = initial
        self.maximum = maximum
        self.growth = growth
        current = initial
    }

    /// The next delay, after a poll that did (or did not) see progress; with ±10% jitter.
    public mutating func next(progressed: Bool, elapsed: Double = .infinity, jitter: Double = Double.random(in: -0.1...0.1)) -> Double {
        let ceiling = max(initial, elapsed / 4)
        let floor = elapsed.isFinite ? max(initial, elapsed / 40) : initial
        let delay = min(maximum, max(floor, min(current, ceiling))) * (1 + jitter)
        current = progressed ? max(initial, current / growth) : min(maximum, current * growth)
        return delay
    }
}
