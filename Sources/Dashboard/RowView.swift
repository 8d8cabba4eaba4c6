import JudgeCore
import Pipeline

/// One table row as the dashboard shows it; built from the store, text already sanitised.
public struct RowView: Sendable, Equatable {
    /// `unscored`: an answer nothing can say is right or wrong (free text, or no truth for the row).
    public enum Answer: Sendable, Equatable { case missing, failed(String), unparseable, right, wrong, unscored }

    public let index: Int
    public let title: String
    /// The true labels, joined ("" without truth).
    public let truth: String
    /// The prompt fields, in the task's order (`TaskColumns.fields`).
    public let fields: [String]
    public let baseAnswer: String?
    public let judgeAnswer: String?
    public let judgeLabel: String
    public let verdict: Verdict?
    /// The base answer against the truth (strict), and the judge's label against the truth.
    public let base: Answer
    public let judge: Answer
    /// The verdict says the opposite of the truth.
    public let disagrees: Bool
    /// The row's two requests: times sent, and the last error (sanitised).
    public let baseRequest: Request
    public let judgeRequest: Request
    public let previousJudgements: [String]
    /// A person marked the verdict wrong here, with this note ("" without one).
    public var mark: String?

    public struct Request: Sendable, Equatable {
        public let attempts: Int
        public let error: String?
    }

    public init(outcome: RowOutcome, states: RequestStates = RequestStates(), previousJudgements: [String] = [], maxAttempts: Int = 3,
                scoring: Scoring = .tutorial) {
        var reader = AnswerReader(scoring)
        self.init(outcome: outcome, states: states, previousJudgements: previousJudgements, maxAttempts: maxAttempts, reader: &reader)
    }

    /// `reader` parses each distinct answer text once across the rows of a refresh.
    public init(outcome: RowOutcome, states: RequestStates, previousJudgements: [String], maxAttempts: Int, reader: inout AnswerReader,
                mark: String? = nil) {
        self.mark = mark
        let safe = { (s: String) in TerminalText.sanitize(s) }
        let row = outcome.row
        index = row.index
        title = safe(row.title)
        truth = safe(row.truth.joined(separator: ", "))
        fields = row.fields.map(safe)
        let scored = !row.truth.isEmpty && reader.scoring.labels != nil
        baseAnswer = outcome.baseAnswer.map(safe)
        judgeAnswer = outcome.judgeAnswer.map(safe)
        baseRequest = Request(attempts: states.attempts(.base, row.index), error: states.error(.base, row.index).map(safe))
        judgeRequest = Request(attempts: states.attempts(.judge, row.index), error: states.error(.judge, row.index).map(safe))
        self.previousJudgements = previousJudgements.map(safe)
        func missing(_ request: Request) -> Answer {
            request.attempts >= maxAttempts ? .failed(request.error ?? "no answer") : .missing
        }
        let parsedBase = outcome.baseAnswer.map { reader.base($0) }
        if let parsedBase {
            base = !scored ? .unscored : parsedBase.isCorrectStrict(truth: row.truth) ? .right : .wrong
        } else {
            base = missing(baseRequest)
        }
        let parsedJudge = outcome.judgeAnswer.map { reader.judge($0) }
        verdict = parsedJudge?.verdict
        judgeLabel = safe(parsedJudge?.label ?? "")
        if let parsedJudge {
            judge = parsedJudge.verdict == .unparseable ? .unparseable
                : row.truth.isEmpty || !reader.scoring.verdict.hasLabel ? .unscored
                : parsedJudge.labelIsCorrectStrict(truth: row.truth) ? .right : .wrong
        } else {
            judge = outcome.baseAnswer == nil ? .missing : missing(judgeRequest)
        }
        if let verdict = parsedJudge?.verdict, verdict != .unparseable, let parsedBase, scored {
            disagrees = (verdict == .correct) != parsedBase.isCorrectStrict(truth: row.truth)
        } else {
            disagrees = false
        }
    }

    var isFailed: Bool {
        if case .failed = base { return true }
        if case .failed = judge { return true }
        return false
    }

    var isUnparseable: Bool { base == .unparseable || judge == .unparseable }
}

public enum RowFilter: String, Sendable, CaseIterable {
    case all, disagreements, baseWrong = "base wrong", judgeWrong = "judge wrong", unparseable, failed, marked

    func keeps(_ row: RowView) -> Bool {
        switch self {
        case .all: return true
        case .disagreements: return row.disagrees
        case .baseWrong: return row.base == .wrong
        case .judgeWrong: return row.judge == .wrong
        case .unparseable: return row.isUnparseable
        case .failed: return row.isFailed
        case .marked: return row.mark != nil
        }
    }
}

public enum RowSort: String, Sendable, CaseIterable {
    case row = "#", title, verdict, disagreement = "≠ first"
}

extension CaseIterable where Self: Equatable {
    /// The next case, wrapping round.
    func next() -> Self {
        let all = Array(Self.allCases)
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
