import JudgeCore
import Pipeline

/// One table row as the dashboard shows it; built from the store, text already sanitised.
public struct RowView: Sendable, Equatable {
    public enum Answer: Sendable, Equatable { case missing, failed(String), unparseable, right, wrong }

    public let index: Int
    public let title: String
    public let genres: String
    public let overview: String
    public let baseAnswer: String?
    public let judgeAnswer: String?
    public let judgeGenre: String
    public let verdict: Verdict?
    /// The base answer against the truth (strict), and the judge's genre against the truth.
    public let base: Answer
    public let judge: Answer
    /// The verdict says the opposite of the truth.
    public let disagrees: Bool
    /// The row's two requests: times sent, and the last error (sanitised).
    public let baseRequest: Request
    public let judgeRequest: Request
    public let previousJudgements: [String]

    public struct Request: Sendable, Equatable {
        public let attempts: Int
        public let error: String?
    }

    public init(outcome: RowOutcome, states: RequestStates = RequestStates(), previousJudgements: [String] = [], maxAttempts: Int = 3) {
        var reader = AnswerReader()
        self.init(outcome: outcome, states: states, previousJudgements: previousJudgements, maxAttempts: maxAttempts, reader: &reader)
    }

    /// `reader` parses each distinct answer text once across the rows of a refresh.
    public init(outcome: RowOutcome, states: RequestStates, previousJudgements: [String], maxAttempts: Int, reader: inout AnswerReader) {
        let safe = { (s: String) in TerminalText.sanitize(s) }
        let row = outcome.row
        index = row.index
        title = safe(row.title)
        genres = safe(row.genres.joined(separator: ", "))
        overview = safe(row.overview)
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
            base = parsedBase.isCorrectStrict(truth: row.genres) ? .right : .wrong
        } else {
            base = missing(baseRequest)
        }
        let parsedJudge = outcome.judgeAnswer.map { reader.judge($0) }
        verdict = parsedJudge?.verdict
        judgeGenre = safe(parsedJudge?.genre ?? "")
        if let parsedJudge {
            judge = parsedJudge.verdict == .unparseable ? .unparseable : parsedJudge.genreIsCorrectStrict(truth: row.genres) ? .right : .wrong
        } else {
            judge = outcome.baseAnswer == nil ? .missing : missing(judgeRequest)
        }
        if let verdict = parsedJudge?.verdict, verdict != .unparseable, let parsedBase {
            disagrees = (verdict == .correct) != parsedBase.isCorrectStrict(truth: row.genres)
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
    case all, disagreements, baseWrong = "base wrong", judgeWrong = "judge wrong", unparseable, failed

    func keeps(_ row: RowView) -> Bool {
        switch self {
        case .all: return true
        case .disagreements: return row.disagrees
        case .baseWrong: return row.base == .wrong
        case .judgeWrong: return row.judge == .wrong
        case .unparseable: return row.isUnparseable
        case .failed: return row.isFailed
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
