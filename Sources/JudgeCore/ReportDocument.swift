import Foundation

/// report.json, member by member: its stable keys (docs/statistics.md) are these properties, written
/// in snake case by the encoder, so a renamed or dropped key is a compile error, not a silent change.
/// Optional members are written as null rather than left out: a reader finds every key in every report.
public struct ReportDocument: Encodable, Sendable {
    public var runId: String
    public var task: String
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
    public var matchRule: String
    public var counts: Counts
    public var countsNote = "base_outside_labels: base answers not exactly one of the labels (wrong under the strict rule, counted in every denominator); base_unparseable: those of them naming no label even read leniently; judge_unparseable: verdicts saying neither correct nor incorrect (left out of the verdict figures)"
    public var judgeVsTruthAgreement: Agreement
    public var judgeTrust: [String: Rated]
    public var correctedAccuracy: Corrected
    public var baselines: Baselines
    /// Accuracy per label, under the words of the task's vocabulary: `per_genre` (entries naming
    /// their `genre`) for the tutorial, as before tasks existed; `per_label` (`label`) for any other
    /// task. The other pair is left out, not null: it names the same figures.
    public var perGenre: [Breakdown]?
    public var perGenreNote: String?
    public var perLabel: [Breakdown]?
    public var perLabelNote: String?
    public var baseConfusion: Confusion
    /// People's labels: how far the labelling got, which labels feed `corrected_accuracy`, how
    /// people agree with the truth, and the judge errors people marked while browsing.
    public var labels: Labels
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

    public struct Labels: Encodable, Sendable {
        /// The items the seeded sample asks people to label.
        public var planned: Int
        /// Of them, labelled correct or incorrect, and skipped; labels given outside the sample are never used.
        public var human, skipped, outsideSample: Int
        public var source: LabelSource
        @NullCoded public var humanVsTruth: HumanVsTruth?
        /// Verdicts marked wrong while browsing: a count of errors found, not a sample.
        public var judgeErrorsMarked: Int
    }

    public struct HumanVsTruth: Encodable, Sendable {
        public var items: Int
        @NullCoded public var agreement: Double?
        @NullCoded public var kappa: Double?
    }

    public struct Baselines: Encodable, Sendable {
        @NullCoded public var majority: Double?
        @NullCoded public var majorityLabel: String?
        @NullCoded public var priorMatching: Double?
        @NullCoded public var uniform: Double?
    }

    /// One label's figures; its name is written under the vocabulary's noun (`genre` or `label`).
    public struct Breakdown: Encodable, Sendable {
        public var noun: String
        public var label: String
        public var rows, baseAnswered, baseCorrect, judgeAnswered, judgeCorrect, basePredicted: Int
        public var baseAccuracy: Double?
        public var baseInterval: [Double]?
        public var judgeAccuracy: Double?
        public var judgeInterval: [Double]?

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(label, forKey: Key(noun))
            for (key, value) in [("rows", rows), ("baseAnswered", baseAnswered), ("baseCorrect", baseCorrect), ("judgeAnswered", judgeAnswered),
                                 ("judgeCorrect", judgeCorrect), ("basePredicted", basePredicted)] {
                try c.encode(value, forKey: Key(key))
            }
            try c.encode(baseAccuracy, forKey: Key("baseAccuracy"))
            try c.encode(baseInterval, forKey: Key("baseInterval"))
            try c.encode(judgeAccuracy, forKey: Key("judgeAccuracy"))
            try c.encode(judgeInterval, forKey: Key("judgeInterval"))
        }
    }

    public struct Confusion: Encodable, Sendable {
        public var rows: String
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
