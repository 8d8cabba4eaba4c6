import JudgeCore

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
    public let attempts: [String: Int]
    public let errors: [String: String]
    public let previousJudgements: [String]

    public init(outcome: RowOutcome, attempts: [String: Int] = [:], errors: [String: String] = [:], previousJudgements: [String] = [],
                maxAttempts: Int = 3) {
        let safe = { (s: String) in TerminalText.sanitize(s) }
        let row = outcome.row
        index = row.index
        title = safe(row.title)
        genres = safe(row.genres.joined(separator: ", "))
        overview = safe(row.overview)
        baseAnswer = outcome.baseAnswer.map(safe)
        judgeAnswer = outcome.judgeAnswer.map(safe)
        let baseID = "base-\(row.index)", judgeID = "judge-\(row.index)"
        // Only this row's two requests: the maps given cover the whole run, and copying them into
        // every row made a refresh quadratic in rows × failures.
        var ownAttempts: [String: Int] = [:], ownErrors: [String: String] = [:]
        for id in [baseID, judgeID] {
            ownAttempts[id] = attempts[id]
            ownErrors[id] = errors[id].map(safe)
        }
        self.attempts = ownAttempts
        self.errors = ownErrors
        self.previousJudgements = previousJudgements.map(safe)
        func missing(_ id: String) -> Answer {
            (ownAttempts[id] ?? 0) >= maxAttempts ? .failed(ownErrors[id] ?? "no answer") : .missing
        }
        let parsedBase = outcome.baseAnswer.map(BaseAnswer.init(raw:))
        if let parsedBase {
            base = parsedBase.isUnparseable ? .unparseable : parsedBase.isCorrectStrict(truth: row.genres) ? .right : .wrong
        } else {
            base = missing(baseID)
        }
        let parsedJudge = outcome.judgeAnswer.map(JudgeAnswer.init(raw:))
        verdict = parsedJudge?.verdict
        judgeGenre = safe(parsedJudge?.genre ?? "")
        if let parsedJudge {
            judge = parsedJudge.verdict == .unparseable ? .unparseable : parsedJudge.genreIsCorrectStrict(truth: row.genres) ? .right : .wrong
        } else {
            judge = outcome.baseAnswer == nil ? .missing : missing(judgeID)
        }
        if let verdict = parsedJudge?.verdict, verdict != .unparseable, let parsedBase, !parsedBase.isUnparseable {
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
