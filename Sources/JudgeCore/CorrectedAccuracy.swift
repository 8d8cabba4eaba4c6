import Foundation

/// An estimate of the base model's accuracy with its 95% interval, or the reason there is none.
public struct AccuracyEstimate: Sendable, Equatable {
    public let method: String
    public let value: Double?
    public let standardError: Double?
    public let interval: Interval?
    /// Why the method gives no number (degenerate judge, no labels...), instead of a made-up one.
    public let undefinedReason: String?
    /// How the interval was computed (`IntervalMethod`).
    public let intervalMethod: String

    init(method: String, value: Double?, standardError: Double?, interval: Interval?, undefinedReason: String?,
         intervalMethod: String = IntervalMethod.normal) {
        self.method = method
        self.value = value
        self.standardError = standardError
        self.interval = interval
        self.undefinedReason = undefinedReason
        self.intervalMethod = intervalMethod
    }

    static func undefined(_ method: String, _ reason: String) -> AccuracyEstimate {
        AccuracyEstimate(method: method, value: nil, standardError: nil, interval: nil, undefinedReason: reason)
    }

    /// A normal interval; a standard error of zero (labels and verdicts without any variation)
    /// would give an interval of no width, which says nothing: undefined instead.
    static func normal(_ method: String, _ value: Double, se: Double, z: Double = Stats.z95, clip: Bool = true) -> AccuracyEstimate {
        guard se > 0, se.isFinite else {
            return .undefined(method, "the labels and verdicts show no variation, so the interval would have no width")
        }
        let low = value - z * se, high = value + z * se
        return AccuracyEstimate(method: method, value: value, standardError: se,
                                interval: clip ? Interval(max(0, low), min(1, high)) : Interval(low, high), undefinedReason: nil)
    }
}

/// The counts every corrected estimator needs (statistics.md §2.4–2.5): a uniform random labelled
/// subset with truth Y and verdict J, and unlabelled items with the verdict only.
public struct LabelledSample: Sendable, Equatable {
    /// Labelled items by (Y, J): y1j1 = truly correct and judged correct, and so on.
    public var y1j1 = 0, y0j1 = 0, y1j0 = 0, y0j0 = 0
    /// Unlabelled items and how many of them the judge called correct.
    public var unlabelled = 0
    public var unlabelledJudgedCorrect = 0

    public init(y1j1: Int = 0, y0j1: Int = 0, y1j0: Int = 0, y0j0: Int = 0, unlabelled: Int = 0, unlabelledJudgedCorrect: Int = 0) {
        self.y1j1 = y1j1
        self.y0j1 = y0j1
        self.y1j0 = y1j0
        self.y0j0 = y0j0
        self.unlabelled = unlabelled
        self.unlabelledJudgedCorrect = unlabelledJudgedCorrect
    }

    public var labelled: Int { y1j1 + y0j1 + y1j0 + y0j0 }
    /// Labelled items truly correct (m1) and truly wrong (m0).
    public var m1: Int { y1j1 + y1j0 }
    public var m0: Int { y0j1 + y0j0 }
}

/// Accuracy without ground truth, corrected with a few labels.
public enum CorrectedAccuracy {
    /// The judge's own score over every item with a verdict: narrow, but centred on a biased value.
    public static func naive(_ s: LabelledSample) -> AccuracyEstimate {
        let k = s.y1j1 + s.y0j1 + s.unlabelledJudgedCorrect
        let n = s.labelled + s.unlabelled
        guard n > 0, let interval = Stats.wilson(successes: k, total: n) else { return .undefined("naive", "no verdicts") }
        return AccuracyEstimate(method: "naive", value: Double(k) / Double(n), standardError: nil, interval: interval, undefinedReason: nil,
                                intervalMethod: IntervalMethod.wilson)
    }

    /// Truth on the labelled items alone, with a Wilson interval.
    public static func labelsOnly(_ s: LabelledSample) -> AccuracyEstimate {
        guard let interval = Stats.wilson(successes: s.m1, total: s.labelled) else {
            return .undefined("labels_only", "no labelled items")
        }
        let p = Double(s.m1) / Double(s.labelled)
        return AccuracyEstimate(method: "labels_only", value: p, standardError: (p * (1 - p) / Double(s.labelled)).squareRoot(),
                                interval: interval, undefinedReason: nil, intervalMethod: IntervalMethod.wilson)
    }

    /// Rogan–Gladen: the unlabelled items' judged-correct share, corrected by the judge's
    /// sensitivity and specificity measured on the labelled items; delta-method interval.
    public static func roganGladen(_ s: LabelledSample, z: Double = Stats.z95) -> AccuracyEstimate {
        let method = "rogan_gladen"
        guard s.m1 > 0, s.m0 > 0 else { return .undefined(method, "the labelled items need both truly correct and truly wrong answers") }
        guard s.unlabelled > 0 else { return .undefined(method, "no unlabelled items to correct") }
        let se = Double(s.y1j1) / Double(s.m1), sp = Double(s.y0j0) / Double(s.m0)
        let youden = se + sp - 1
        guard youden > 0 else { return .undefined(method, "the judge is no better than chance on the labelled items (Youden index \(String(format: "%.3f", youden)) ≤ 0)") }
        let n = Double(s.unlabelled), m1 = Double(s.m1), m0 = Double(s.m0)
        let p = Double(s.unlabelledJudgedCorrect) / n
        let theta = min(1, max(0, (p + sp - 1) / youden))
        let variance = (p * (1 - p) / n + theta * theta * se * (1 - se) / m1 + (1 - theta) * (1 - theta) * sp * (1 - sp) / m0) / (youden * youden)
        return .normal(method, theta, se: variance.squareRoot(), z: z)
    }

    /// Lee et al.'s adjusted Rogan–Gladen interval: pseudo-counts and a bias shift for better coverage.
    public static func leeAdjusted(_ s: LabelledSample, z: Double = Stats.z95) -> AccuracyEstimate {
        let method = "rogan_gladen_lee"
        guard s.unlabelled > 0 else { return .undefined(method, "no unlabelled items to correct") }
        guard s.m1 > 0, s.m0 > 0 else { return .undefined(method, "the labelled items need both truly correct and truly wrong answers") }
        let z2 = z * z
        let n = Double(s.unlabelled), m0 = Double(s.m0), m1 = Double(s.m1)
        let pHat = Double(s.unlabelledJudgedCorrect) / n
        let sp = Double(s.y0j0) / m0, se = Double(s.y1j1) / m1
        // The pseudo-counts keep the adjusted index positive for any judge; the estimate still
        // means nothing when the judge itself is no better than chance.
        guard se + sp - 1 > 0 else {
            return .undefined(method, "the judge is no better than chance on the labelled items (Youden index \(String(format: "%.3f", se + sp - 1)) ≤ 0)")
        }
        let p1 = (n * pHat + z2 / 2) / (n + z2)
        let sp1 = (m0 * sp + 1) / (m0 + 2), se1 = (m1 * se + 1) / (m1 + 2)
        let n1 = n + z2, m01 = m0 + 2, m11 = m1 + 2
        let youden = sp1 + se1 - 1
        guard youden > 0 else { return .undefined(method, "the judge is no better than chance on the labelled items") }
        let theta = (p1 + sp1 - 1) / youden
        let shift = 2 * z2 * (-(1 - theta) * sp1 * (1 - sp1) / m01 + theta * se1 * (1 - se1) / m11)
        let seAdj = (p1 * (1 - p1) / n1 + (1 - theta) * (1 - theta) * sp1 * (1 - sp1) / m01 + theta * theta * se1 * (1 - se1) / m11).squareRoot() / youden
        let centre = theta + shift
        return AccuracyEstimate(method: method, value: min(1, max(0, theta)), standardError: seAdj,
                                interval: Interval(max(0, centre - z * seAdj), min(1, centre + z * seAdj)), undefinedReason: nil,
                                intervalMethod: IntervalMethod.lee)
    }

    /// Prediction-powered inference (λ = 1): the judge's average plus a rectifier learnt on the labels.
    public static func ppi(_ s: LabelledSample, z: Double = Stats.z95) -> AccuracyEstimate {
        ppiLambda(s, lambda: 1, method: "ppi", z: z)
    }

    /// PPI++: the power-tuned λ̂ = Ĉov(Y,J) / ((1 + n/N)·V̂ar(J)), clipped to [0, 1]; never wider than labels-only in expectation.
    public static func ppiPlusPlus(_ s: LabelledSample, z: Double = Stats.z95) -> (estimate: AccuracyEstimate, lambda: Double?) {
        guard s.labelled >= 2, s.unlabelled > 0 else {
            return (.undefined("ppi_plus_plus", s.labelled < 2 ? Self.tooFewLabels(s) : "no unlabelled items"), nil)
        }
        let n = Double(s.labelled), big = Double(s.unlabelled)
        let meanY = Double(s.m1) / n, meanJ = Double(s.y1j1 + s.y0j1) / n
        let covariance = Double(s.y1j1) / n - meanY * meanJ
        let allJ = Double(s.y1j1 + s.y0j1 + s.unlabelledJudgedCorrect), all = n + big
        let varianceJ = all > 1 ? (allJ - allJ * allJ / all) / (all - 1) : 0
        guard varianceJ > 0 else { return (.undefined("ppi_plus_plus", "every verdict is the same, so the judge carries no information"), nil) }
        let lambda = min(1, max(0, covariance / ((1 + n / big) * varianceJ)))
        return (ppiLambda(s, lambda: lambda, method: "ppi_plus_plus", z: z), lambda)
    }

    /// One label cannot say how far the judge is off: its spread would be zero, and the interval with it.
    static func tooFewLabels(_ s: LabelledSample) -> String {
        s.labelled == 0 ? "no labelled items: PPI needs some truth" : "one labelled item cannot estimate the judge's error; PPI needs at least two"
    }

    static func ppiLambda(_ s: LabelledSample, lambda: Double, method: String, z: Double) -> AccuracyEstimate {
        guard s.labelled >= 2 else { return .undefined(method, tooFewLabels(s)) }
        guard s.unlabelled > 0 else { return .undefined(method, "no unlabelled items") }
        let n = Double(s.labelled), big = Double(s.unlabelled)
        let meanUnlabelled = Double(s.unlabelledJudgedCorrect) / big
        let varianceUnlabelled = meanUnlabelled * (1 - meanUnlabelled)  // ddof 0, as ppi_py
        // Rectifier values Y − λJ over the labelled items, by cell.
        let cells: [(value: Double, count: Int)] = [(1 - lambda, s.y1j1), (-lambda, s.y0j1), (1, s.y1j0), (0, s.y0j0)]
        let meanRectifier = cells.reduce(0) { $0 + $1.value * Double($1.count) } / n
        let varianceRectifier = cells.reduce(0) { $0 + pow($1.value - meanRectifier, 2) * Double($1.count) } / n
        let theta = lambda * meanUnlabelled + meanRectifier
        let se = (lambda * lambda * varianceUnlabelled / big + varianceRectifier / n).squareRoot()
        return .normal(method, theta, se: se, z: z)
    }
}
