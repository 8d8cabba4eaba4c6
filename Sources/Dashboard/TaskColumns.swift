import JudgeCore

/// What the table and the detail pane show of a task: a truth column when the dataset has truth, a
/// judge-label column when the verdict rule reads one, and the prompt fields by name.
public struct TaskColumns: Sendable, Equatable {
    /// The truth column's heading ("TRUE GENRES"), nil without truth.
    public var truth: String?
    /// The judge column's heading ("JUDGE"), nil when the judge gives no label of its own.
    public var judgeLabel: String?
    /// The prompt fields' names, in an item's `fields` order.
    public var fields: [String]
    /// Base answers are free text, longer than labels: their column takes the truth's share.
    public var freeText: Bool

    public init(truth: String?, judgeLabel: String?, fields: [String], freeText: Bool = false) {
        self.truth = truth
        self.judgeLabel = judgeLabel
        self.fields = fields
        self.freeText = freeText
    }

    public init(task: EvalTask) {
        let words = Vocabulary(task: task.spec.name)
        self.init(truth: task.hasTruth ? "TRUE \(words.label.uppercased())S" : nil,
                  judgeLabel: task.scoring.verdict.hasLabel ? "JUDGE" : nil,
                  fields: task.promptColumns.map { TerminalText.sanitize($0) }, freeText: task.labels == nil)
    }

    /// The tutorial's: true genres, the judge's genre, the overview.
    public static var tutorial: TaskColumns { TaskColumns(truth: "TRUE GENRES", judgeLabel: "JUDGE", fields: ["Overview"]) }
}
