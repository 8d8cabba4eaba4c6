/// How a task reads its judge's answer: a regular expression with a named group `verdict` (and
/// optionally `label`, the judge's own answer), and the words that mean correct and incorrect,
/// compared after folding (case, surrounding spaces, quotes and punctuation do not matter).
public struct VerdictRule: Sendable {
    public let pattern: String
    public let correct: [String]
    public let incorrect: [String]
    /// The pattern has a `label` group.
    public let hasLabel: Bool
    /// Immutable once built, and matching does not mutate it: safe to share across threads.
    nonisolated(unsafe) private let regex: Regex<AnyRegexOutput>
    private let meaning: [String: Verdict]

    public enum Problem: Error, Equatable {
        case invalidPattern(String)
        case noVerdictGroup
        case noWords(Verdict)
        case wordInBoth(String)
    }

    public init(pattern: String, correct: [String], incorrect: [String]) throws(Problem) {
        do { regex = try Regex(pattern) } catch { throw .invalidPattern("\(error)") }
        guard regex.contains(captureNamed: "verdict") else { throw .noVerdictGroup }
        guard !correct.isEmpty else { throw .noWords(.correct) }
        guard !incorrect.isEmpty else { throw .noWords(.incorrect) }
        var meaning: [String: Verdict] = [:]
        for word in correct { meaning[LabelSet.fold(word)] = .correct }
        for word in incorrect {
            if meaning[LabelSet.fold(word)] == .correct { throw .wordInBoth(word) }
            meaning[LabelSet.fold(word)] = .incorrect
        }
        self.pattern = pattern
        self.correct = correct
        self.incorrect = incorrect
        self.meaning = meaning
        hasLabel = regex.contains(captureNamed: "label")
    }

    /// The judge's own label (trimmed; nil when the pattern has none, it did not match, or the
    /// group is empty) and its verdict.
    public func read(_ answer: String) -> (label: String?, verdict: Verdict) {
        guard let match = try? regex.firstMatch(in: answer) else { return (nil, .unparseable) }
        let verdict = match.output["verdict"]?.substring.flatMap { meaning[LabelSet.fold(String($0))] } ?? .unparseable
        var label: String?
        if hasLabel, let text = match.output["label"]?.substring {
            var trimmed = text
            while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
            while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
            label = trimmed.isEmpty ? nil : String(trimmed)
        }
        return (label, verdict)
    }

    /// The first of `candidates` this rule reads as `verdict` with `label` (when it has a label
    /// group): how the simulator writes an answer that follows any task's format.
    public func firstFitting(_ candidates: [String], label: String?, verdict: Verdict) -> String? {
        candidates.first { text in
            let read = read(text)
            return read.verdict == verdict && (!hasLabel || label == nil || read.label == label)
        }
    }
}

extension VerdictRule: Equatable {
    public static func == (a: VerdictRule, b: VerdictRule) -> Bool {
        (a.pattern, a.correct, a.incorrect) == (b.pattern, b.correct, b.incorrect)
    }
}
