import JudgeCore

/// What people have said about a run, for the labelling queue and the mark column: the rows to
/// label in the sample's order, each row's latest label, and how the estimates from people's
/// labels stand now.
public struct ReviewData: Sendable, Equatable {
    /// Row indices, in the seeded sample's draw order.
    public var queue: [Int] = []
    /// Row → its latest label (nil inside: skipped).
    public var labels: [Int: Bool?] = [:]
    public var progress: LabelProgress?

    public init(queue: [Int] = [], labels: [Int: Bool?] = [:], progress: LabelProgress? = nil) {
        self.queue = queue
        self.labels = labels
        self.progress = progress
    }

    /// The first item of the queue with no label yet (the end when every one has one).
    public var firstUnlabelled: Int { queue.firstIndex { labels[$0] == nil } ?? max(0, queue.count - 1) }
}
