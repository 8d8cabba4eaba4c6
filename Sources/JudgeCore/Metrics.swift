/// A share k/n with its Wilson interval; nil value when nothing was counted.
public struct Proportion: Sendable, Equatable {
    public let successes: Int
    public let total: Int

    public init(successes: Int, total: Int) {
        self.successes = successes
        self.total = total
    }

    public var value: Double? { total > 0 ? Double(successes) / Double(total) : nil }
    public var interval: Interval? { Stats.wilson(successes: successes, total: total) }
}

/// What one row ended with: its truth, and the raw answers that came back (nil: none yet, or failed).
public struct RowOutcome: Sendable, Equatable {
    public let row: Item
    public let baseAnswer: String?
    public let judgeAnswer: String?

    public init(row: Item, baseAnswer: String?, judgeAnswer: String?) {
        self.row = row
        self.baseAnswer = baseAnswer
        self.judgeAnswer = judgeAnswer
    }
}

/// Token usage of one stage.
public struct TokenCount: Sendable, Equatable, Codable {
    public var prompt: Int
    public var completion: Int

    public init(prompt: Int = 0, completion: Int = 0) {
        self.prompt = prompt
        self.completion = completion
    }

    /// Counts as a provider reported them, each held to 0...`providerMaximum`: a provider that
    /// sends a negative or absurd count must not make the sums trap.
    public init(reportedPrompt prompt: Int, completion: Int) {
        self.init(prompt: Self.clamped(prompt), completion: Self.clamped(completion))
    }

    /// More tokens than any one answer can have (2^40).
    public static let providerMaximum = 1 << 40

    static func clamped(_ value: Int) -> Int { min(max(value, 0), providerMaximum) }

    /// Saturating: a sum of clamped counts never traps, however many.
    public static func + (a: TokenCount, b: TokenCount) -> TokenCount {
        func add(_ x: Int, _ y: Int) -> Int {
            let (sum, overflow) = x.addingReportingOverflow(y)
            return overflow ? (y > 0 ? Int.max : Int.min) : sum
        }
        return TokenCount(prompt: add(a.prompt, b.prompt), completion: add(a.completion, b.completion))
    }
}

/// Every number the report shows, computed from row outcomes (docs/statistics.md definitions).
/// Denominators are the rows that have the answers a metric needs. Every base answer the provider
/// returned counts (strict: right only when it is exactly one of the true labels, so a badly
/// formatted answer is wrong, never left out); only a verdict can be unparseable, and unparseable
/// verdicts are counted apart, never folded into "incorrect".
public struct Metrics: Sendable, Equatable {
    public var rows = 0
    public var baseAnswered = 0
    public var judgeAnswered = 0
    /// Base answers that are not exactly one of the labels (wrong under the strict rule)...
    public var baseOutsideLabels = 0
    /// ...and those of them that name no label even read leniently.
    public var baseUnparseable = 0
    /// Verdicts that say neither correct nor incorrect.
    public var judgeUnparseable = 0
    /// Rows that ended with no base answer, or with a base answer but no judge answer.
    public var baseFailed = 0
    public var judgeFailed = 0

    /// Share of parseable verdicts that say "correct".
    public var judgeDetermined = Proportion(successes: 0, total: 0)
    /// Base answers exactly equal to one of the true labels, over every base answer with truth (label tasks only).
    public var baseVsTruth = Proportion(successes: 0, total: 0)
    public var baseVsTruthLenient = Proportion(successes: 0, total: 0)
    /// The judge's own label exactly one of the true labels, over every parseable verdict with truth (when the verdict rule has a label).
    public var judgeVsTruth = Proportion(successes: 0, total: 0)
    public var judgeVsTruthLenient = Proportion(successes: 0, total: 0)
    /// Always answering the label most rows carry.
    public var majorityLabel: String?
    public var majorityBaseline = Proportion(successes: 0, total: 0)
    public var confusion = JudgeConfusion()

    public var failed: Int { baseFailed + judgeFailed }

    public init() {}

    public static func compute(_ outcomes: [RowOutcome], scoring: Scoring = .tutorial) -> Metrics {
        var m = Metrics()
        m.rows = outcomes.count
        var judgeDetermined = 0, judgeVerdicts = 0
        var baseStrict = 0, baseLenient = 0, baseJudged = 0
        var judgeStrict = 0, judgeLenient = 0, judgeJudged = 0
        var genreCounts: [String: Int] = [:]
        var rowsWithTruth = 0

        var reader = AnswerReader(scoring)
        for outcome in outcomes {
            let truth = outcome.row.truth
            let hasTruth = !truth.isEmpty
            if hasTruth {
                rowsWithTruth += 1
                // Each of the row's genres once (a list of one to three: no Set to allocate).
                for (position, genre) in truth.enumerated() where !truth[..<position].contains(genre) {
                    genreCounts[genre, default: 0] += 1
                }
            }
            guard let rawBase = outcome.baseAnswer else {
                m.baseFailed += 1
                continue
            }
            m.baseAnswered += 1
            let base = reader.base(rawBase)
            if base.scored, base.strictLabel == nil { m.baseOutsideLabels += 1 }
            if base.isUnparseable { m.baseUnparseable += 1 }
            if hasTruth, base.scored {
                baseJudged += 1
                if base.isCorrectStrict(truth: truth) { baseStrict += 1 }
                if base.isCorrectLenient(truth: truth) { baseLenient += 1 }
            }
            guard let rawJudge = outcome.judgeAnswer else {
                m.judgeFailed += 1
                continue
            }
            m.judgeAnswered += 1
            let judge = reader.judge(rawJudge)
            guard judge.verdict != .unparseable else {
                m.judgeUnparseable += 1
                continue
            }
            judgeVerdicts += 1
            if judge.verdict == .correct { judgeDetermined += 1 }
            if hasTruth, scoring.verdict.hasLabel {
                judgeJudged += 1
                if judge.labelIsCorrectStrict(truth: truth) { judgeStrict += 1 }
                if judge.labelIsCorrectLenient(truth: truth) { judgeLenient += 1 }
            }
            if hasTruth, base.scored {
                m.confusion.add(truthCorrect: base.isCorrectStrict(truth: truth), judgeSaysCorrect: judge.verdict == .correct)
            }
        }
        m.judgeDetermined = Proportion(successes: judgeDetermined, total: judgeVerdicts)
        m.baseVsTruth = Proportion(successes: baseStrict, total: baseJudged)
        m.baseVsTruthLenient = Proportion(successes: baseLenient, total: baseJudged)
        m.judgeVsTruth = Proportion(successes: judgeStrict, total: judgeJudged)
        m.judgeVsTruthLenient = Proportion(successes: judgeLenient, total: judgeJudged)
        // Ties go to the label set's order, so the baseline is the same on every run.
        let rank = { (label: String) in scoring.labels?.position(of: label) ?? Int.max }
        if let best = genreCounts.max(by: { ($0.value, rank($1.key)) < ($1.value, rank($0.key)) }) {
            m.majorityLabel = best.key
            m.majorityBaseline = Proportion(successes: best.value, total: rowsWithTruth)
        }
        return m
    }
}
