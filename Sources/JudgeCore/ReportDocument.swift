import Foundation

/// report.json, member by member: its stable keys (docs/statistics.md) are these properties, written
/// in snake case by the encoder, so a renamed or dropped key is a compile error, not a silent change.
/// Optional members are written as null rather than left out: a reader finds every key in every report.
public struct ReportDocument: Encodable, Sendable {
    public var runId: String
    public var rows: Int
    public var provider: ProviderKind
    public var baseUrl: String
    public var mode: RunMode
    public var dataset: String
    public var status: RunStatus
    public var baseModel: String
    public var judgeModel: String
    public var simulated: Bool
    @NullCoded public var simulatedNote: String?
    /// By accuracy key (`Report.accuracies`); null when it has no denominator.
    public var accuracy: [String: Double?]
    public var denominators: [String: Int]
    /// [low, high] by figure key; figures without an interval are left out.
    public var intervals: [String: [Double]]
    public var intervalMethod = "95%; each interval's method is in interval_methods (Wilson score for the accuracies)"
    public var intervalMethods: [String: String]
    @NullCoded public var majorityLabel: String?
    public var matchRule = "strict: the answer string is exactly one of the row's true genres; lenient: trimmed, case-folded, punctuation dropped, mapped onto the 21 labels. Every base answer counts: one outside the label set is wrong under the strict rule"
    public var counts: Counts
    public var countsNote = "base_outside_labels: base answers not exactly one of the labels (wrong under the strict rule, counted in every denominator); base_unparseable: those of them naming no label even read leniently; judge_unparseable: verdicts saying neither correct nor incorrect (left out of the verdict figures)"
    public var judgeVsTruthAgreement: Agreement
    public var judgeTrust: [String: Rated]
    public var correctedAccuracy: Corrected
    public var baselines: Baselines
    public var perGenre: [Genre]
    public var perGenreNote = "accuracy on the movies tagged with each genre (a movie may carry several): the base model over those with a base answer, the judge's own genre over those with a parseable verdict"
    public var baseConfusion: Confusion
    public var tokens: Tokens
    @NullCoded public var cost: Cost?

    public struct Counts: Encodable, Sendable {
        public var baseAnswered, judgeAnswered, failed, baseFailed, judgeFailed: Int
        public var baseOutsideLabels, baseUnparseable, judgeUnparseable: Int
    }

    public struct Agreement: Encodable, Sendable {
        public var tp, fp, fn, tn: Int
        @NullCoded public var kappa: Double?
        @NullCoded public var tpr: Double?
        @NullCoded public var tnr: Double?
        @NullCoded public var agreement: Double?
        @NullCoded public var balancedAccuracy: Double?
        @NullCoded public var precisionOfIncorrectFlag: Double?
    }

    /// A figure with its interval and method, or why it is undefined.
    public struct Rated: Encodable, Sendable {
        @NullCoded public var value: Double?
        @NullCoded public var interval: [Double]?
        @NullCoded public var undefinedReason: String?
        public var intervalMethod: String
        @NullCoded public var intervalNote: String?
    }

    public struct Estimate: Encodable, Sendable {
        @NullCoded public var value: Double?
        @NullCoded public var standardError: Double?
        @NullCoded public var interval: [Double]?
        @NullCoded public var undefinedReason: String?
        public var intervalMethod: String
    }

    public struct Corrected: Encodable, Sendable {
        public var level = 0.95
        public var population, labelled, unlabelled: Int
        public var labelSeed: UInt64
        @NullCoded public var labelFraction: Double?
        @NullCoded public var labelCount: Int?
        public var methods: [String: Estimate]
        @NullCoded public var ppiLambda: Double?
        @NullCoded public var trueAccuracyOnPopulation: Double?
        public var assumptions: [String]
    }

    public struct Baselines: Encodable, Sendable {
        @NullCoded public var majority: Double?
        @NullCoded public var majorityLabel: String?
        @NullCoded public var priorMatching: Double?
        @NullCoded public var uniform: Double?
    }

    public struct Genre: Encodable, Sendable {
        public var genre: String
        public var rows, baseAnswered, baseCorrect, judgeAnswered, judgeCorrect, basePredicted: Int
        @NullCoded public var baseAccuracy: Double?
        @NullCoded public var baseInterval: [Double]?
        @NullCoded public var judgeAccuracy: Double?
        @NullCoded public var judgeInterval: [Double]?
    }

    public struct Confusion: Encodable, Sendable {
        public var rows = "true genre (the predicted one when among the truths, else the first listed)"
        public var columns = "base answer read leniently"
        public var labels: [String]
        public var matrix: [[Int]]
    }

    public struct Tokens: Encodable, Sendable {
        public var prompt, completion: Int
        public var byStage: [String: TokenPair]
    }

    public struct TokenPair: Encodable, Sendable {
        public var prompt, completion: Int
    }

    public struct Cost: Encodable, Sendable {
        public var currency: String
        public var total: Double
        public var byStage: [String: Double]
        public var unpricedStages: [String]
        public var batchDiscountApplied: Bool
    }

    /// The bytes of report.json: indented, keys sorted, so that two reports diff line by line.
    public func data() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
