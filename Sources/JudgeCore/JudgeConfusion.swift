/// The judge measured against truth: "base answer correct vs truth" is the label, the judge's
/// verdict the prediction (statistics.md §2.1).
public struct JudgeConfusion: Sendable, Equatable, Codable {
    /// Judge said correct, base truly correct.
    public var tp = 0
    /// Judge said correct, base truly wrong: the judge over-credits.
    public var fp = 0
    /// Judge said incorrect, base truly correct.
    public var fn = 0
    /// Judge said incorrect, base truly wrong.
    public var tn = 0

    public init(tp: Int = 0, fp: Int = 0, fn: Int = 0, tn: Int = 0) {
        self.tp = tp
        self.fp = fp
        self.fn = fn
        self.tn = tn
    }

    public mutating func add(truthCorrect: Bool, judgeSaysCorrect: Bool) {
        switch (truthCorrect, judgeSaysCorrect) {
        case (true, true): tp += 1
        case (false, true): fp += 1
        case (true, false): fn += 1
        case (false, false): tn += 1
        }
    }

    public var total: Int { tp + fp + fn + tn }

    /// Sensitivity: how often the judge credits a truly correct answer.
    public var tpr: Estimate { ratio(tp, tp + fn, "no truly correct base answers") }
    /// Specificity: how often the judge catches a truly wrong answer.
    public var tnr: Estimate { ratio(tn, tn + fp, "no truly wrong base answers") }
    /// Raw agreement between verdict and truth.
    public var agreement: Estimate { ratio(tp + tn, total, "no rows with both a verdict and truth") }
    /// How often a row the judge flags as incorrect is really wrong.
    public var precisionOfIncorrectFlag: Estimate { ratio(tn, tn + fn, "the judge flagged no row as incorrect") }

    public var balancedAccuracy: Estimate {
        guard let a = tpr.value, let b = tnr.value else { return .undefined("needs both truly correct and truly wrong rows") }
        return .value((a + b) / 2)
    }

    /// Cohen's kappa: agreement beyond what the two marginals give by chance.
    public var kappa: Estimate { Stats.cohenKappa(cells: [tp, fn, fp, tn], size: 2) }

    private func ratio(_ k: Int, _ n: Int, _ reason: String) -> Estimate {
        n > 0 ? .value(Double(k) / Double(n)) : .undefined(reason)
    }
}
