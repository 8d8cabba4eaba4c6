import Foundation

/// A proportion with its interval, or undefined with the reason.
public struct RatedValue: Sendable, Equatable {
    public let value: Double?
    public let interval: Interval?
    public let undefinedReason: String?
    /// How the interval was computed (`IntervalMethod`).
    public let intervalMethod: String
    /// Why a value has no interval: one of no width says nothing, so none is given.
    public let intervalNote: String?

    /// A bootstrapped statistic: every resample giving the same value means the data cannot show
    /// the statistic's uncertainty, so no interval is given, and the reason is.
    init(_ estimate: Estimate, bootstrapped interval: Interval?) {
        switch estimate {
        case .value(let v):
            let flat = interval.map { $0.width <= 1e-12 } ?? false
            self.init(value: v, interval: flat ? nil : interval, undefinedReason: nil, intervalMethod: IntervalMethod.bootstrap,
                      intervalNote: flat ? "every bootstrap resample gives the same value, so the data cannot show its uncertainty" : nil)
        case .undefined(let reason):
            self.init(value: nil, interval: nil, undefinedReason: reason, intervalMethod: IntervalMethod.bootstrap, intervalNote: nil)
        }
    }

    init(value: Double?, interval: Interval?, undefinedReason: String?, intervalMethod: String = IntervalMethod.wilson, intervalNote: String? = nil) {
        self.value = value
        self.interval = interval
        self.undefinedReason = undefinedReason
        self.intervalMethod = intervalMethod
        self.intervalNote = intervalNote
    }

    static func proportion(_ k: Int, _ n: Int, _ reason: String) -> RatedValue {
        n > 0 ? RatedValue(value: Double(k) / Double(n), interval: Stats.wilson(successes: k, total: n), undefinedReason: nil)
            : RatedValue(value: nil, interval: nil, undefinedReason: reason)
    }
}

/// One label's slice of the rows: accuracy on the items whose truth has the label (among others),
/// each over the rows that have the answer it needs, as the headline figures are.
public struct LabelBreakdown: Sendable, Equatable {
    public let label: String
    /// Items whose truth has the label.
    public let rows: Int
    /// Of those, the ones with a base answer, and those strictly right.
    public let baseAnswered: Int
    public let baseCorrect: Int
    /// Of those, the ones with a parseable verdict, and those whose judge label is one of the truths.
    public let judgeAnswered: Int
    public let judgeCorrect: Int
    /// Base answers naming the label (read leniently), over all rows.
    public let basePredicted: Int

    public var baseAccuracy: Proportion { Proportion(successes: baseCorrect, total: baseAnswered) }
    public var judgeAccuracy: Proportion { Proportion(successes: judgeCorrect, total: judgeAnswered) }
}

/// How far the judge can be trusted, and what the model's accuracy most likely is
/// (statistics.md §2.1–2.6). Computed from row outcomes; pure.
public struct TrustAnalysis: Sendable, Equatable {
    // Judge vs truth
    public var tpr, tnr, agreement, balancedAccuracy, precisionOfIncorrectFlag: RatedValue
    public var kappa: RatedValue
    /// The judge's own label against the true labels, chance-corrected the way it is observed: a
    /// match is the judge's label being any of the item's labels (`LabelAgreement`).
    public var labelKappa: RatedValue
    // Accuracy without ground truth
    public var plan: LabelPlan
    public var population: Int
    public var sample: LabelledSample
    /// Where the sample's labels come from, how far people's labelling got, and how people's labels
    /// agree with the truth on the items that have both (empty without either).
    public var source: LabelSource
    public var labels: LabelCounts { people.counts }
    public var humanVsTruth: JudgeConfusion
    /// People's sample: the labelling queue and what their labels give so far.
    public var people: EstimationSample
    public var naive, labelsOnly, roganGladen, leeAdjusted, ppi, ppiPlusPlus: AccuracyEstimate
    public var ppiLambda: Double?
    /// The rows in the labelled subset, in row order: stored with a finished run and exported in
    /// the items CSV, so that anyone can recompute the corrected estimates.
    public var labelledRows: [Int]
    /// The base model's accuracy on every population item, for comparison (known here only because truth exists).
    public var trueAccuracy: Double?
    // Baselines and breakdowns
    public var uniformBaseline: Double?
    public var priorMatchingBaseline: Double?
    public var perLabel: [LabelBreakdown]
    /// Rows: the true label (the predicted one when it is among the truths, else the first); columns: the base
    /// answer read leniently, plus "unparseable".
    public var baseConfusionLabels: [String]
    public var baseConfusion: [[Int]]

    /// What the corrected estimates assume, in the task's words.
    public static func assumptions(_ words: Vocabulary = Vocabulary(task: TaskSpec.defaultName)) -> [String] { [
        "The labelled items are a uniform random sample (seeded) of the items with a base answer, a verdict and truth; not items a person chose to inspect.",
        "The judge is frozen before labelling: the same judge and prompt produced every verdict.",
        "Intervals are 95%: Wilson for proportions, normal (delta method) for Rogan–Gladen and PPI, Lee et al.'s adjusted interval on its own line, percentile bootstrap (1,000 resamples of the items, drawn as multinomial cell counts, fixed seed) for kappa and balanced accuracy; each interval names its method.",
        "Correct means strict: the base answer is exactly one of the row's true \(words.label)s. Every base answer counts; one outside the label set is wrong.",
        "An estimate whose interval would carry no information (a judge no better than chance, fewer than two labels, labels and verdicts without variation) is reported as undefined, with the reason.",
    ]
    }

    /// `source`: what labels the estimates' sample, the truth or people's `human` labels (whose
    /// agreement with the truth is measured either way, where both exist).
    public static func compute(_ outcomes: [RowOutcome], scoring: Scoring = .tutorial, plan: LabelPlan = LabelPlan(),
                               human: HumanLabels = HumanLabels(), source: LabelSource = .truth) -> TrustAnalysis {
        var humanVsTruth = JudgeConfusion()
        var pairs: [(y: Bool, j: Bool)] = []
        var pairRows: [Int] = []
        var labelAgreement = LabelAgreement()
        var confusion = JudgeConfusion()
        // Free-text answers cannot be scored against truth: no pairs, no per-label figures.
        let labelSet = scoring.labels ?? LabelSet([])
        let labels = labelSet.all
        var baseMatrix = Array(repeating: Array(repeating: 0, count: labels.count + 1), count: labels.count)
        var labelRows = [Int](repeating: 0, count: labels.count)
        var labelBase = labelRows, labelJudge = labelRows, labelPredicted = labelRows
        var labelBaseAnswered = labelRows, labelJudgeAnswered = labelRows
        var truthRows = 0
        var uniformSum = 0.0

        var reader = AnswerReader(scoring)
        var truthIndices: [Int] = []  // the row's labels, each once; one buffer for every row
        for outcome in outcomes {
            let truth = outcome.row.truth
            guard !truth.isEmpty, scoring.labels != nil else { continue }
            truthRows += 1
            truthIndices.removeAll(keepingCapacity: true)
            for label in truth {
                if let position = labelSet.position(of: label), !truthIndices.contains(position) { truthIndices.append(position) }
            }
            uniformSum += Double(truthIndices.count) / Double(max(1, labels.count))
            for g in truthIndices { labelRows[g] += 1 }
            guard let rawBase = outcome.baseAnswer else { continue }
            let base = reader.base(rawBase)
            let baseCorrect = base.isCorrectStrict(truth: truth)
            for g in truthIndices { labelBaseAnswered[g] += 1 }
            if let predicted = base.lenientLabel.flatMap(labelSet.position) { labelPredicted[predicted] += 1 }
            for g in truthIndices where baseCorrect { labelBase[g] += 1 }
            if let primary = labelSet.position(of: base.lenientLabel.flatMap { truth.contains($0) ? $0 : nil } ?? truth[0]) {
                baseMatrix[primary][base.lenientLabel.flatMap(labelSet.position) ?? labels.count] += 1
            }
            guard let rawJudge = outcome.judgeAnswer else { continue }
            let judge = reader.judge(rawJudge)
            guard judge.verdict != .unparseable else { continue }
            for g in truthIndices { labelJudgeAnswered[g] += 1 }
            if judge.labelIsCorrectStrict(truth: truth) { for g in truthIndices { labelJudge[g] += 1 } }
            if scoring.verdict.hasLabel { labelAgreement.add(judged: judge.lenientLabel.flatMap(labelSet.position), truth: truthIndices) }
            pairs.append((baseCorrect, judge.verdict == .correct))
            pairRows.append(outcome.row.index)
            if case .some(.some(let says)) = human.latest[outcome.row.index] { humanVsTruth.add(truthCorrect: baseCorrect, judgeSaysCorrect: says) }
            confusion.add(truthCorrect: baseCorrect, judgeSaysCorrect: judge.verdict == .correct)
        }

        // The labelled subset and the sample every estimator reads.
        let people = EstimationSample.people(outcomes, scoring: scoring, plan: plan, labels: human)
        let estimation = source == .truth ? EstimationSample.truth(pairs: pairs, rows: pairRows, plan: plan) : people
        let sample = estimation.sample
        let plusPlus = CorrectedAccuracy.ppiPlusPlus(sample)
        // Every statistic here depends only on cell counts, so resamples draw counts, not items.
        let c = confusion
        let binaryCells = [c.tp, c.fn, c.fp, c.tn]
        func confusionOf(_ cells: [Int]) -> JudgeConfusion { JudgeConfusion(tp: cells[0], fp: cells[2], fn: cells[1], tn: cells[3]) }
        let kappaInterval = Stats.bootstrap(counts: binaryCells) { confusionOf($0).kappa.value }
        let balancedInterval = Stats.bootstrap(counts: binaryCells, seed: 54_321) { confusionOf($0).balancedAccuracy.value }
        let labelKappaInterval = Stats.bootstrap(counts: labelAgreement.counts) { labelAgreement.kappa(counts: $0).value }
        let shares = labelRows.map(Double.init)
        let shareTotal = shares.reduce(0, +)
        return TrustAnalysis(
            tpr: .proportion(c.tp, c.tp + c.fn, "no truly correct base answers"),
            tnr: .proportion(c.tn, c.tn + c.fp, "no truly wrong base answers"),
            agreement: .proportion(c.tp + c.tn, c.total, "no items with a verdict and truth"),
            balancedAccuracy: RatedValue(c.balancedAccuracy, bootstrapped: balancedInterval),
            precisionOfIncorrectFlag: .proportion(c.tn, c.tn + c.fn, "the judge flagged no answer as incorrect"),
            kappa: RatedValue(c.kappa, bootstrapped: kappaInterval),
            labelKappa: RatedValue(labelAgreement.kappa(counts: labelAgreement.counts), bootstrapped: labelKappaInterval),
            plan: plan, population: estimation.population, sample: sample, source: source,
            humanVsTruth: humanVsTruth, people: people,
            naive: CorrectedAccuracy.naive(sample), labelsOnly: CorrectedAccuracy.labelsOnly(sample),
            roganGladen: CorrectedAccuracy.roganGladen(sample), leeAdjusted: CorrectedAccuracy.leeAdjusted(sample),
            ppi: CorrectedAccuracy.ppi(sample), ppiPlusPlus: plusPlus.estimate, ppiLambda: plusPlus.lambda,
            labelledRows: estimation.labelledRows,
            trueAccuracy: pairs.isEmpty ? nil : Double(c.tp + c.fn) / Double(pairs.count),
            uniformBaseline: truthRows > 0 ? uniformSum / Double(truthRows) : nil,
            priorMatchingBaseline: shareTotal > 0 && truthRows > 0
                ? shares.reduce(0) { $0 + ($1 / shareTotal) * ($1 / Double(truthRows)) } : nil,
            perLabel: labels.indices.map { LabelBreakdown(label: labels[$0], rows: labelRows[$0], baseAnswered: labelBaseAnswered[$0],
                                                          baseCorrect: labelBase[$0], judgeAnswered: labelJudgeAnswered[$0],
                                                          judgeCorrect: labelJudge[$0], basePredicted: labelPredicted[$0]) },
            baseConfusionLabels: labels + ["unparseable"], baseConfusion: baseMatrix)
    }

    /// The corrected estimates in display order.
    public var estimates: [AccuracyEstimate] { [naive, labelsOnly, roganGladen, leeAdjusted, ppi, ppiPlusPlus] }
}
