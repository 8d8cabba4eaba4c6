import Foundation

/// An evaluation as its task file describes it (docs/tasks.md): the dataset and its columns, the
/// labels, both prompts and how the judge's verdict is read. Stored with each run, so that a run
/// reports and resumes without its task file.
public struct TaskSpec: Codable, Sendable, Hashable {
    public var name: String
    public var description: String?
    public var dataset: DatasetSpec
    /// Present: the base answer is one of these labels. Absent: it is free text.
    public var labels: [String]?
    /// Other spellings of the labels, and the label each means (read leniently).
    public var aliases: [String: String]?
    public var base: PromptSpec
    public var judge: PromptSpec
    public var verdict: VerdictSpec
    /// The seeded sample people label (and the truth labels, for the corrected estimates); absent:
    /// the command line's, or 10%.
    public var sample: LabelPlan?

    public init(name: String, description: String? = nil, dataset: DatasetSpec, labels: [String]?, aliases: [String: String]? = nil,
                base: PromptSpec, judge: PromptSpec, verdict: VerdictSpec, sample: LabelPlan? = nil) {
        self.name = name
        self.description = description
        self.dataset = dataset
        self.labels = labels
        self.aliases = aliases
        self.base = base
        self.judge = judge
        self.verdict = verdict
        self.sample = sample
    }

    /// The names templates may use besides the dataset's columns.
    public static let labelsName = "labels"
    public static let baseAnswerName = "base_answer"

    /// The bundled task that runs when none is named: the tutorial.
    public static let defaultName = "imdb-genres"

    /// The same task wherever its dataset file lies (the run's `dataset` names the file).
    public func sameEvaluation(as other: TaskSpec) -> Bool {
        var (a, b) = (self, other)
        (a.dataset.path, b.dataset.path) = ("", "")
        return a == b
    }
}

/// Where a task's items come from, and which columns name them and hold their truth.
public struct DatasetSpec: Codable, Sendable, Hashable {
    /// The file (.csv, or .jsonl with one object a line), as an absolute path once loaded.
    public var path: String
    public var title: String?
    /// The column with the true label(s); absent: the dataset has no truth.
    public var truth: String?
    /// One character between several true labels in one cell; absent: a cell is one label.
    public var truthSeparator: String?

    public init(path: String, title: String? = nil, truth: String? = nil, truthSeparator: String? = nil) {
        self.path = path
        self.title = title
        self.truth = truth
        self.truthSeparator = truthSeparator
    }
}

/// One stage's request: model, temperature and the two messages' templates.
public struct PromptSpec: Codable, Sendable, Hashable {
    public var model: String
    public var temperature: Double
    public var system: String?
    public var user: String

    public init(model: String, temperature: Double = PromptSpec.defaultTemperature, system: String? = nil, user: String) {
        self.model = model
        self.temperature = temperature
        self.system = system
        self.user = user
    }

    public static let defaultTemperature = 0.5
}

/// How the judge's answer is read (`VerdictRule`).
public struct VerdictSpec: Codable, Sendable, Hashable {
    public var pattern: String
    public var correct: [String]
    public var incorrect: [String]

    public init(pattern: String, correct: [String], incorrect: [String]) {
        self.pattern = pattern
        self.correct = correct
        self.incorrect = incorrect
    }
}
