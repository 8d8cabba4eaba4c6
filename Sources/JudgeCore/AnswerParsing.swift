/// A judge's verdict on the base answer: three states, so that a malformed answer is never
/// silently counted as "incorrect".
public enum Verdict: String, Sendable, Codable, Equatable {
    case correct
    case incorrect
    case unparseable
}

/// What the base model answered, read both ways the statistics define. Without a label set (a
/// free-text task) the answer is text only: no rule says whether it is right.
public struct BaseAnswer: Sendable, Equatable {
    public let raw: String
    /// The answer exactly as given when it is one of the labels (the strict rule).
    public let strictLabel: String?
    /// The label the answer names after trimming, case-folding and dropping punctuation.
    public let lenientLabel: String?
    /// The task has a label set, so the answer can be scored against the truth.
    public let scored: Bool

    public init(raw: String, labels: LabelSet?) {
        self.raw = raw
        scored = labels != nil
        strictLabel = labels?.contains(raw) == true ? raw : nil
        lenientLabel = labels?.lenientMatch(raw)
    }

    /// Names no label even read leniently. Still an answer: wrong under the strict rule, and
    /// counted in every denominator.
    public var isUnparseable: Bool { scored && lenientLabel == nil }

    /// Strict: the answer string is exactly one of the true labels.
    public func isCorrectStrict(truth: [String]) -> Bool { scored && truth.contains(raw) }

    public func isCorrectLenient(truth: [String]) -> Bool {
        guard let label = lenientLabel else { return false }
        return truth.contains(label)
    }
}

/// The judge's answer read by the task's verdict rule.
public struct JudgeAnswer: Sendable, Equatable {
    public let raw: String
    /// The judge's own label, as written (trimmed); nil when the rule has no label group.
    public let label: String?
    /// That label read leniently onto the label set (nil when it names none).
    public let lenientLabel: String?
    public let verdict: Verdict

    public init(raw: String, rule: VerdictRule, labels: LabelSet?) {
        self.raw = raw
        let read = rule.read(raw)
        verdict = read.verdict
        let label = read.label
        self.label = label
        // Without a label set there is nothing to map onto: the label as written.
        lenientLabel = labels.map { set in label.flatMap(set.lenientMatch) } ?? label
    }

    /// Strict: the judge's label is exactly one of the true labels.
    public func labelIsCorrectStrict(truth: [String]) -> Bool {
        guard let label else { return false }
        return truth.contains(label)
    }

    public func labelIsCorrectLenient(truth: [String]) -> Bool {
        guard let lenientLabel else { return false }
        return truth.contains(lenientLabel)
    }
}

/// How a task's answers are read: its label set (nil for free text) and its verdict rule. A class:
/// a report reads every row's answers through it, and copying its tables retained each of them.
public final class Scoring: Sendable, Equatable {
    public let labels: LabelSet?
    public let verdict: VerdictRule

    public init(labels: LabelSet?, verdict: VerdictRule) {
        self.labels = labels
        self.verdict = verdict
    }

    public static func == (a: Scoring, b: Scoring) -> Bool { a === b || (a.labels, a.verdict) == (b.labels, b.verdict) }

    public func base(_ raw: String) -> BaseAnswer { BaseAnswer(raw: raw, labels: labels) }
    public func judge(_ raw: String) -> JudgeAnswer { JudgeAnswer(raw: raw, rule: verdict, labels: labels) }
}

/// Reads answers once per distinct text: a run's answers repeat (a few dozen labels and verdicts),
/// so the report parses each text once instead of once per row.
public struct AnswerReader {
    public let scoring: Scoring
    private var base = TextMemo<BaseAnswer>()
    private var judge = TextMemo<JudgeAnswer>()

    public init(_ scoring: Scoring) {
        self.scoring = scoring
    }

    public mutating func base(_ raw: String) -> BaseAnswer { base.value(for: raw, scoring.base) }

    public mutating func judge(_ raw: String) -> JudgeAnswer { judge.value(for: raw, scoring.judge) }
}

extension Scoring {
    /// The tutorial's: the 21 genres and `Prediction,Evaluation` verdicts.
    public static var tutorial: Scoring { TaskFile.tutorial.task.scoring }
}
