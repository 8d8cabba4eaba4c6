/// An item worth a person's look, with what each side said.
public struct ReviewItem: Sendable, Equatable {
    /// The item, 0-based as stored (people see it counted from 1).
    public let row: Int
    public let title: String
    public let truth: [String]
    public let baseAnswer: String
    public let judgeLabel: String?
    public let verdict: Verdict
}

/// The items a report lists for review: where the verdict contradicts the truth; without truth to
/// compare against, where the judge called the base answer incorrect, the place its mistakes hide.
public struct ReviewItems: Sendable, Equatable {
    public let againstTruth: Bool
    public let items: [ReviewItem]

    public var heading: String {
        againstTruth ? "Disagreements: the judge's verdict against the truth" : "Answers the judge called incorrect"
    }

    public init(_ outcomes: [RowOutcome], scoring: Scoring) {
        var reader = AnswerReader(scoring)
        let scored = scoring.labels != nil && outcomes.contains { !$0.row.truth.isEmpty }
        againstTruth = scored
        items = outcomes.compactMap { outcome in
            guard let rawBase = outcome.baseAnswer, let rawJudge = outcome.judgeAnswer else { return nil }
            let judge = reader.judge(rawJudge)
            guard judge.verdict != .unparseable else { return nil }
            let row = outcome.row
            if scored {
                guard !row.truth.isEmpty, reader.base(rawBase).isCorrectStrict(truth: row.truth) != (judge.verdict == .correct) else { return nil }
            } else {
                guard judge.verdict == .incorrect else { return nil }
            }
            return ReviewItem(row: row.index, title: row.title, truth: row.truth, baseAnswer: rawBase, judgeLabel: judge.label,
                              verdict: judge.verdict)
        }
    }
}
