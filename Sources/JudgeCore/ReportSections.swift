import Foundation

extension TrustAnalysis {
    /// The judge-vs-truth figures by their report key (`genre_kappa` in the tutorial, `label_kappa` elsewhere).
    public func ratedJudgeMetrics(_ vocabulary: Vocabulary = Vocabulary(task: TaskSpec.defaultName)) -> [(key: String, value: RatedValue)] {
        [("tpr", tpr), ("tnr", tnr), ("agreement", agreement), ("balanced_accuracy", balancedAccuracy),
         ("precision_of_incorrect_flag", precisionOfIncorrectFlag), ("kappa", kappa), ("\(vocabulary.label)_kappa", labelKappa)]
    }

    public static let methodNames = [
        "naive": "naive (the judge's own score)", "labels_only": "labels only",
        "rogan_gladen": "Rogan–Gladen, delta method", "rogan_gladen_lee": "Rogan–Gladen, Lee et al. interval",
        "ppi": "PPI", "ppi_plus_plus": "PPI++",
    ]
}

extension ReportDocument.Rated {
    init(_ r: RatedValue) {
        self.init(value: r.value, interval: r.interval.map { [$0.low, $0.high] }, undefinedReason: r.undefinedReason,
                  intervalMethod: r.intervalMethod, intervalNote: r.intervalNote)
    }
}

extension ReportDocument.Estimate {
    init(_ e: AccuracyEstimate) {
        self.init(value: e.value, standardError: e.standardError, interval: e.interval.map { [$0.low, $0.high] },
                  undefinedReason: e.undefinedReason, intervalMethod: e.intervalMethod)
    }
}

extension ReportDocument.Corrected {
    init(_ t: TrustAnalysis, words: Vocabulary) {
        self.init(population: t.population, labelled: t.sample.labelled, unlabelled: t.sample.unlabelled, labelSeed: t.plan.seed,
                  labelFraction: t.plan.fraction, labelCount: t.plan.count,
                  methods: Dictionary(uniqueKeysWithValues: t.estimates.map { ($0.method, ReportDocument.Estimate($0)) }),
                  ppiLambda: t.ppiLambda, trueAccuracyOnPopulation: t.trueAccuracy, assumptions: TrustAnalysis.assumptions(words))
    }
}

extension ReportDocument.Breakdown {
    init(_ g: LabelBreakdown, noun: String) {
        self.init(noun: noun, label: g.label, rows: g.rows, baseAnswered: g.baseAnswered, baseCorrect: g.baseCorrect, judgeAnswered: g.judgeAnswered,
                  judgeCorrect: g.judgeCorrect, basePredicted: g.basePredicted, baseAccuracy: g.baseAccuracy.value,
                  baseInterval: g.baseAccuracy.interval.map { [$0.low, $0.high] }, judgeAccuracy: g.judgeAccuracy.value,
                  judgeInterval: g.judgeAccuracy.interval.map { [$0.low, $0.high] })
    }
}

/// The terminal summary's trust section.
public enum ReportText {
    public static func number(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "undefined" }

    public static func interval(_ i: Interval?) -> String { i.map { String(format: "[%.3f, %.3f]", $0.low, $0.high) } ?? "" }

    /// A figure with its interval and how it was computed, or why there is none.
    static func rated(_ name: String, _ r: RatedValue) -> String {
        guard r.value != nil else { return "\(name) undefined (\(r.undefinedReason ?? "no data"))" }
        if let note = r.intervalNote { return "\(name) \(number(r.value)) (no interval: \(note))" }
        return "\(name) \(number(r.value)) \(interval(r.interval)) \(shortMethod(r.intervalMethod))"
    }

    public static func shortMethod(_ method: String) -> String {
        switch method {
        case IntervalMethod.wilson: return "Wilson"
        case IntervalMethod.bootstrap: return "bootstrap"
        case IntervalMethod.normal: return "normal"
        case IntervalMethod.lee: return "Lee et al."
        case IntervalMethod.tango: return "Tango"
        default: return method
        }
    }

    static func trustLines(_ t: TrustAnalysis, metrics m: Metrics, identity: RunIdentity, marked: Int = 0) -> [String] {
        let noun = identity.vocabulary.label
        var lines: [String] = []
        if let why = identity.truthAbsence {
            lines.append("  \(why): the judge's agreement with the truth waits for labels; people's labels feed the estimates below")
            lines.append("")
        } else {
            lines += ["  " + [rated("TPR", t.tpr), rated("TNR", t.tnr), rated("agreement", t.agreement)].joined(separator: "  "),
                      "  " + [rated("kappa", t.kappa), rated("precision of the incorrect flag", t.precisionOfIncorrectFlag)].joined(separator: "  "),
                      "  " + rated("\(noun) kappa (the judge's own \(noun), chance-corrected for any-of-the-\(noun)s matches)", t.labelKappa),
                      ""]
        }
        let share = t.population > 0 ? Double(t.sample.labelled) / Double(t.population) * 100 : 0
        if t.source == .truth {
            lines.append("accuracy without ground truth: \(t.sample.labelled) of \(t.population) items labelled (\(String(format: "%.0f", share))%, seeded uniform subset, seed \(t.plan.seed)), 95% intervals")
        } else {
            lines.append("accuracy without ground truth: \(t.sample.labelled) of \(t.population) items labelled by people (\(String(format: "%.0f", share))%; the seeded sample plans \(t.labels.planned), seed \(t.plan.seed)), 95% intervals")
        }
        lines += t.estimates.map { estimateLine($0, lambda: t.ppiLambda) }
        if let truth = t.trueAccuracy {
            lines.append("  (the truth on all \(t.population) items, known here because the dataset has it: \(String(format: "%.3f", truth)))")
        }
        lines += peopleLines(t, marked: marked)
        if let why = identity.truthAbsence {
            lines.append("baselines: \(why)")
        } else {
            lines.append("baselines: majority \(number(m.majorityBaseline.value)) (always \(m.majorityLabel ?? "—")), prior-matching \(number(t.priorMatchingBaseline)), uniform \(number(t.uniformBaseline))")
        }
        return lines
    }

    /// One corrected estimate: its name, value, interval and method, or why it is undefined.
    public static func estimateLine(_ e: AccuracyEstimate, lambda: Double?) -> String {
        var name = TrustAnalysis.methodNames[e.method] ?? e.method
        if e.method == "ppi_plus_plus", let lambda { name += String(format: " (λ = %.3f)", lambda) }
        let padded = name.padding(toLength: 36, withPad: " ", startingAt: 0)
        guard let value = e.value else { return "  \(padded)  undefined: \(e.undefinedReason ?? "")" }
        return "  \(padded)  \(String(format: "%.3f", value))  \(interval(e.interval)) \(shortMethod(e.intervalMethod))"
    }

    /// People's part: their labels, their agreement with the truth, the judge errors they marked.
    public static func peopleLines(_ t: TrustAnalysis, marked: Int) -> [String] {
        var lines: [String] = []
        let c = t.labels
        if c.labelled + c.skipped + c.outside > 0 || t.source == .human {
            var line = "people's labels: \(c.labelled) of the \(c.planned) planned, \(c.skipped) skipped (skipping can bias the sample)"
            if c.outside > 0 { line += ", \(c.outside) outside the sample (kept, not used)" }
            lines.append(line + "; the estimates use \(t.source == .human ? "people's labels" : "the truth") (--labels human|truth)")
        }
        let h = t.humanVsTruth
        if h.total > 0 {
            lines.append("people vs truth on \(h.total) items: agreement \(number(h.agreement.value)), kappa \(number(h.kappa.value))")
        }
        if marked > 0 {
            lines.append("judge errors marked while browsing: \(marked) (chosen by people, not a random sample: never used in the estimates)")
        }
        return lines
    }
}
