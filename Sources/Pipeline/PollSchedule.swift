/// How often to ask a batch for news: fast at first, backing off while nothing changes, quicker
/// again when progress moves, never beyond `maximum` seconds.
public struct PollSchedule: Sendable {
    public var initial: Double
    public var maximum: Double
    public var growth: Double
    private(set) var current: Double

    public init(initial: Double = 0.5, maximum: Double = 30, growth: Double = 1.5) {
        self.initial = initial
        self.maximum = maximum
        self.growth = growth
        current = initial
    }

    /// The next delay, after a poll that did (or did not) see progress; with ±10% jitter.
    public mutating func next(progressed: Bool, jitter: Double = Double.random(in: -0.1...0.1)) -> Double {
        let delay = current * (1 + jitter)
        current = progressed ? max(initial, current / growth) : min(maximum, current * growth)
        return delay
    }
}
