import Foundation

/// Who ran what: the part of a report that is not a number.
public struct RunIdentity: Sendable, Equatable {
    public var runID: String
    public var provider: ProviderKind
    public var baseURL: String
    public var baseModel: String
    public var judgeModel: String
    public var mode: RunMode
    public var dataset: String
    public var simulated: Bool
    public var status: RunStatus

    public init(runID: String, provider: ProviderKind, baseURL: String, baseModel: String, judgeModel: String,
                mode: RunMode, dataset: String, simulated: Bool, status: RunStatus) {
        self.runID = runID
        self.provider = provider
        self.baseURL = baseURL
        self.baseModel = baseModel
        self.judgeModel = judgeModel
        self.mode = mode
        self.dataset = dataset
        self.simulated = simulated
        self.status = status
    }
}

/// A run's report: identity, metrics and token usage, rendered as report.json or as text.
public struct Report: Sendable, Equatable {
    public var identity: RunIdentity
    public var metrics: Metrics
    public var tokens: [Stage: TokenCount]
    public var trust: TrustAnalysis
    /// Set when the run has a price table.
    public var cost: CostBreakdown?

    public init(identity: RunIdentity, outcomes: [RowOutcome], tokens: [Stage: TokenCount], labels: LabelPlan = LabelPlan()) {
        self.identity = identity
        self.metrics = Metrics.compute(outcomes)
        self.tokens = tokens
        self.trust = TrustAnalysis.compute(outcomes, plan: labels)
    }

    public var totalTokens: TokenCount { tokens.values.reduce(TokenCount(), +) }

    public static let simulatedNote =
        "SIMULATED models: deterministic text heuristics in judgetop's embedded simulator, not language models. The numbers test the pipeline, not any model."

    /// The accuracies by their report.json key, in display order.
    public var accuracies: [(key: String, label: String, proportion: Proportion)] {
        [
            ("judge_determined", "judge-determined (judge says correct)", metrics.judgeDetermined),
            ("base_vs_truth", "base vs truth", metrics.baseVsTruth),
            ("judge_vs_truth", "judge's own genre vs truth", metrics.judgeVsTruth),
            ("majority_baseline", "majority baseline (always \(metrics.majorityLabel ?? "—"))", metrics.majorityBaseline),
            ("base_vs_truth_lenient", "base vs truth, lenient match", metrics.baseVsTruthLenient),
            ("judge_vs_truth_lenient", "judge's own genre vs truth, lenient match", metrics.judgeVsTruthLenient),
        ]
    }

    /// report.json: the stable keys (docs/statistics.md), plus denominators and the lenient variants.
    public func jsonObject() -> [String: Any] {
        let m = metrics
        var accuracy: [String: Any] = [:]
        var intervals: [String: Any] = [:]
        var denominators: [String: Any] = [:]
        var methods: [String: Any] = [:]
        for (key, _, proportion) in accuracies {
            accuracy[key] = proportion.value ?? NSNull()
            if let i = proportion.interval {
                intervals[key] = [i.low, i.high]
                methods[key] = IntervalMethod.wilson
            }
            denominators[key] = proportion.total
        }
        let c = m.confusion
        func number(_ e: Estimate) -> Any { e.value ?? NSNull() }
        var byStage: [String: Any] = [:]
        for (stage, count) in tokens { byStage[stage.rawValue] = ["prompt": count.prompt, "completion": count.completion] }
        let t = trust
        for (key, rated) in t.ratedJudgeMetrics {
            if let i = rated.interval {
                intervals[key] = [i.low, i.high]
                methods[key] = rated.intervalMethod
            }
        }
        return [
            "judge_trust": Dictionary(uniqueKeysWithValues: t.ratedJudgeMetrics.map { ($0.key, ReportJSON.rated($0.value)) }),
            "corrected_accuracy": ReportJSON.corrected(t),
            "baselines": [
                "majority": ReportJSON.orNull(m.majorityBaseline.value), "majority_label": ReportJSON.orNull(m.majorityLabel),
                "prior_matching": ReportJSON.orNull(t.priorMatchingBaseline), "uniform": ReportJSON.orNull(t.uniformBaseline),
            ],
            "per_genre": t.perGenre.map(ReportJSON.genre),
            "per_genre_note": "accuracy on the movies tagged with each genre (a movie may carry several): the base model over those with a base answer, the judge's own genre over those with a parseable verdict",
            "base_confusion": ["rows": "true genre (the predicted one when among the truths, else the first listed)",
                               "columns": "base answer read leniently", "labels": t.baseConfusionLabels, "matrix": t.baseConfusion],
            "run_id": identity.runID,
            "rows": m.rows,
            "provider": identity.provider.rawValue,
            "base_url": identity.baseURL,
            "mode": identity.mode.rawValue,
            "dataset": identity.dataset,
            "status": identity.status.rawValue,
            "base_model": identity.baseModel,
            "judge_model": identity.judgeModel,
            "simulated": identity.simulated,
            "simulated_note": identity.simulated ? Self.simulatedNote : NSNull(),
            "accuracy": accuracy,
            "majority_label": m.majorityLabel ?? NSNull(),
            "match_rule": "strict: the answer string is exactly one of the row's true genres; lenient: trimmed, case-folded, punctuation dropped, mapped onto the 21 labels. Every base answer counts: one outside the label set is wrong under the strict rule",
            "counts": [
                "base_answered": m.baseAnswered, "judge_answered": m.judgeAnswered, "failed": m.failed,
                "base_failed": m.baseFailed, "judge_failed": m.judgeFailed,
                "base_outside_labels": m.baseOutsideLabels, "base_unparseable": m.baseUnparseable, "judge_unparseable": m.judgeUnparseable,
            ],
            "counts_note": "base_outside_labels: base answers not exactly one of the labels (wrong under the strict rule, counted in every denominator); base_unparseable: those of them naming no label even read leniently; judge_unparseable: verdicts saying neither correct nor incorrect (left out of the verdict figures)",
            "denominators": denominators,
            "intervals": intervals,
            "interval_method": "95%; each interval's method is in interval_methods (Wilson score for the accuracies)",
            "interval_methods": methods,
            "judge_vs_truth_agreement": [
                "tp": c.tp, "fp": c.fp, "fn": c.fn, "tn": c.tn,
                "kappa": number(c.kappa), "tpr": number(c.tpr), "tnr": number(c.tnr),
                "agreement": number(c.agreement), "balanced_accuracy": number(c.balancedAccuracy),
                "precision_of_incorrect_flag": number(c.precisionOfIncorrectFlag),
            ],
            "tokens": ["prompt": totalTokens.prompt, "completion": totalTokens.completion, "by_stage": byStage],
            "cost": cost.map { c in
                ["currency": c.currency, "total": c.total, "by_stage": Dictionary(uniqueKeysWithValues: c.byStage.map { ($0.key.rawValue, $0.value) }),
                 "unpriced_stages": c.unpriced.map(\.rawValue), "batch_discount_applied": identity.mode == .batch] as [String: Any]
            } ?? NSNull(),
        ]
    }

    public func jsonData() throws -> Data {
        try JSONSerialization.data(withJSONObject: jsonObject(), options: [.prettyPrinted, .sortedKeys])
    }

    /// The terminal summary: the same numbers as report.json, for a person.
    public func text() -> String {
        let m = metrics
        let safe: (String) -> String = { TerminalText.sanitize($0) }
        var lines: [String] = []
        lines.append("judgetop run \(safe(identity.runID)): \(identity.status)")
        if identity.simulated { lines.append("!! " + Self.simulatedNote) }
        lines.append("provider \(safe(identity.provider.rawValue)) (\(safe(identity.baseURL))), mode \(identity.mode), dataset \(safe(identity.dataset))")
        lines.append("base model \(safe(identity.baseModel))\(identity.simulated ? " [simulated]" : ""), judge model \(safe(identity.judgeModel))\(identity.simulated ? " [simulated]" : "")")
        lines.append("rows \(m.rows): base answered \(m.baseAnswered), judge answered \(m.judgeAnswered), failed \(m.failed) (base \(m.baseFailed), judge \(m.judgeFailed)), unparseable verdicts \(m.judgeUnparseable)")
        lines.append("base answers outside the label set: \(m.baseOutsideLabels) (\(m.baseUnparseable) naming no label even read leniently); they count as wrong under the strict rule")
        lines.append("")
        lines.append("accuracy (strict match, Wilson 95% interval)       value   95% interval        n")
        for (_, label, p) in accuracies {
            let value = p.value.map { String(format: "%.3f", $0) } ?? "  —  "
            let interval = p.interval.map { String(format: "[%.3f, %.3f]", $0.low, $0.high) } ?? "[—]".padding(toLength: 14, withPad: " ", startingAt: 0)
            lines.append("  " + label.padding(toLength: 48, withPad: " ", startingAt: 0) + "  \(value)  \(interval)  \(p.total)")
        }
        let c = m.confusion
        lines.append("")
        lines.append("the judge's verdicts vs truth (label: base correct vs truth; prediction: the verdict), 95% intervals")
        lines.append("  tp \(c.tp)  fp \(c.fp)  fn \(c.fn)  tn \(c.tn)  (rows with a base answer, a verdict and truth)")
        lines.append(contentsOf: ReportText.trustLines(trust, metrics: m))
        let t = totalTokens
        var tokenLine = "tokens: prompt \(t.prompt), completion \(t.completion)"
        for stage in Stage.allCases { if let s = tokens[stage] { tokenLine += "; \(stage.rawValue) \(s.prompt)+\(s.completion)" } }
        if let cost { tokenLine += "; " + cost.text }
        lines.append(tokenLine)
        return lines.joined(separator: "\n")
    }
}
