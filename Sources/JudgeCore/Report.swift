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
    /// The task's name, and whether its dataset has truth and its answers labels.
    public var task: String
    public var hasTruth: Bool
    public var hasLabels: Bool

    public init(runID: String, provider: ProviderKind, baseURL: String, baseModel: String, judgeModel: String,
                mode: RunMode, dataset: String, simulated: Bool, status: RunStatus,
                task: String = TaskSpec.defaultName, hasTruth: Bool = true, hasLabels: Bool = true) {
        self.runID = runID
        self.provider = provider
        self.baseURL = baseURL
        self.baseModel = baseModel
        self.judgeModel = judgeModel
        self.mode = mode
        self.dataset = dataset
        self.simulated = simulated
        self.status = status
        self.task = task
        self.hasTruth = hasTruth
        self.hasLabels = hasLabels
    }

    public var vocabulary: Vocabulary { Vocabulary(task: task) }

    /// The truth labels the estimates' sample when the task can score against it; people otherwise.
    public var standardLabelSource: LabelSource { truthAbsence == nil ? .truth : .human }

    /// Why a figure against the truth has no value, when the task itself rules it out.
    public var truthAbsence: String? {
        if !hasTruth { return "no truth in this dataset" }
        if !hasLabels { return "free-text answers: only the judge and people score them" }
        return nil
    }
}

/// The words a report uses for a task's labels and items: the tutorial keeps its genres and movies.
public struct Vocabulary: Sendable, Equatable {
    public let label: String
    public let item: String

    public init(task: String) {
        (label, item) = task == TaskSpec.defaultName ? ("genre", "movie") : ("label", "item")
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
    /// Verdicts people marked wrong while browsing (never fed into the estimates).
    public var judgeErrorsMarked: Int

    /// `human`: people's labels; `source`: which labels feed the corrected estimates (by default the
    /// truth when the task can score against it, people's labels otherwise).
    public init(identity: RunIdentity, outcomes: [RowOutcome], tokens: [Stage: TokenCount], labels: LabelPlan = LabelPlan(),
                scoring: Scoring = .tutorial, human: HumanLabels = HumanLabels(), source: LabelSource? = nil, judgeErrorsMarked: Int = 0) {
        self.identity = identity
        self.metrics = Metrics.compute(outcomes, scoring: scoring)
        self.tokens = tokens
        self.trust = TrustAnalysis.compute(outcomes, scoring: scoring, plan: labels, human: human,
                                           source: source ?? identity.standardLabelSource)
        self.judgeErrorsMarked = judgeErrorsMarked
    }

    public var totalTokens: TokenCount { tokens.values.reduce(TokenCount(), +) }

    public static let simulatedNote =
        "SIMULATED models: deterministic text heuristics in judgetop's embedded simulator, not language models. The numbers test the pipeline, not any model."

    /// The accuracies by their report.json key, in display order.
    public var accuracies: [(key: String, label: String, proportion: Proportion)] {
        let noun = identity.vocabulary.label
        return [
            ("judge_determined", "judge-determined (judge says correct)", metrics.judgeDetermined),
            ("base_vs_truth", "base vs truth", metrics.baseVsTruth),
            ("judge_vs_truth", "judge's own \(noun) vs truth", metrics.judgeVsTruth),
            ("majority_baseline", "majority baseline (always \(metrics.majorityLabel ?? "—"))", metrics.majorityBaseline),
            ("base_vs_truth_lenient", "base vs truth, lenient match", metrics.baseVsTruthLenient),
            ("judge_vs_truth_lenient", "judge's own \(noun) vs truth, lenient match", metrics.judgeVsTruthLenient),
        ]
    }

    /// What a person reads where a figure has no value: why, when the task rules it out.
    public func missing(_ key: String) -> String {
        guard key != "judge_determined", let why = identity.truthAbsence else { return "—" }
        return why
    }

    /// report.json: the stable keys (docs/statistics.md), plus denominators and the lenient variants.
    public var document: ReportDocument {
        let m = metrics, t = trust, c = m.confusion
        var intervals: [String: [Double]] = [:]
        var methods: [String: String] = [:]
        for (key, _, proportion) in accuracies {
            guard let i = proportion.interval else { continue }
            intervals[key] = [i.low, i.high]
            methods[key] = IntervalMethod.wilson
        }
        let judgeMetrics = t.ratedJudgeMetrics(identity.vocabulary)
        for (key, rated) in judgeMetrics {
            guard let i = rated.interval else { continue }
            intervals[key] = [i.low, i.high]
            methods[key] = rated.intervalMethod
        }
        let words = identity.vocabulary
        var document = ReportDocument(
            runId: identity.runID, task: identity.task, rows: m.rows, provider: identity.provider, baseUrl: identity.baseURL, mode: identity.mode,
            dataset: identity.dataset, status: identity.status, baseModel: identity.baseModel, judgeModel: identity.judgeModel,
            simulated: identity.simulated, simulatedNote: identity.simulated ? Self.simulatedNote : nil,
            accuracy: Dictionary(uniqueKeysWithValues: accuracies.map { ($0.key, $0.proportion.value) }),
            denominators: Dictionary(uniqueKeysWithValues: accuracies.map { ($0.key, $0.proportion.total) }),
            intervals: intervals, intervalMethods: methods, majorityLabel: m.majorityLabel, matchRule: matchRule,
            counts: .init(baseAnswered: m.baseAnswered, judgeAnswered: m.judgeAnswered, failed: m.failed, baseFailed: m.baseFailed,
                          judgeFailed: m.judgeFailed, baseOutsideLabels: m.baseOutsideLabels, baseUnparseable: m.baseUnparseable,
                          judgeUnparseable: m.judgeUnparseable),
            judgeVsTruthAgreement: .init(tp: c.tp, fp: c.fp, fn: c.fn, tn: c.tn, kappa: c.kappa.value, tpr: c.tpr.value, tnr: c.tnr.value,
                                         agreement: c.agreement.value, balancedAccuracy: c.balancedAccuracy.value,
                                         precisionOfIncorrectFlag: c.precisionOfIncorrectFlag.value),
            judgeTrust: Dictionary(uniqueKeysWithValues: judgeMetrics.map { ($0.key, ReportDocument.Rated($0.value)) }),
            correctedAccuracy: ReportDocument.Corrected(t, words: words),
            baselines: .init(majority: m.majorityBaseline.value, majorityLabel: m.majorityLabel, priorMatching: t.priorMatchingBaseline,
                             uniform: t.uniformBaseline),
            baseConfusion: .init(rows: "true \(words.label) (the predicted one when among the truths, else the first listed)",
                                 labels: t.baseConfusionLabels, matrix: t.baseConfusion),
            labels: .init(planned: t.labels.planned, human: t.labels.labelled, skipped: t.labels.skipped, outsideSample: t.labels.outside,
                          source: t.source,
                          humanVsTruth: t.humanVsTruth.total > 0
                              ? .init(items: t.humanVsTruth.total, agreement: t.humanVsTruth.agreement.value, kappa: t.humanVsTruth.kappa.value) : nil,
                          judgeErrorsMarked: judgeErrorsMarked),
            tokens: .init(prompt: totalTokens.prompt, completion: totalTokens.completion,
                          byStage: Dictionary(uniqueKeysWithValues: tokens.map { ($0.key.rawValue, .init(prompt: $0.value.prompt, completion: $0.value.completion)) })),
            cost: cost.map { c in
                .init(currency: c.currency, total: c.total, byStage: Dictionary(uniqueKeysWithValues: c.byStage.map { ($0.key.rawValue, $0.value) }),
                      unpricedStages: c.unpriced.map(\.rawValue), batchDiscountApplied: identity.mode == .batch)
            })
        let entries = t.perLabel.map { ReportDocument.Breakdown($0, noun: words.label) }
        let note = "accuracy on the \(words.item)s tagged with each \(words.label) (a \(words.item) may carry several): the base model over those with a base answer, the judge's own \(words.label) over those with a parseable verdict"
        if identity.task == TaskSpec.defaultName {
            (document.perGenre, document.perGenreNote) = (entries, note)
        } else {
            (document.perLabel, document.perLabelNote) = (entries, note)
        }
        return document
    }

    /// How a base answer is matched against the truth, in the task's words.
    var matchRule: String {
        guard identity.hasLabels else {
            return "free text: base answers are not matched against the truth; the judge's verdicts (and people's labels) score them"
        }
        let noun = identity.vocabulary.label
        return "strict: the answer string is exactly one of the row's true \(noun)s; lenient: trimmed, case-folded, punctuation dropped, mapped onto the \(trust.perLabel.count) labels. Every base answer counts: one outside the label set is wrong under the strict rule"
    }

    public func jsonData() throws -> Data { try document.data() }

    /// The terminal summary: the same numbers as report.json, for a person.
    public func text() -> String {
        let m = metrics
        let safe: (String) -> String = { TerminalText.sanitize($0) }
        var lines: [String] = []
        lines.append("judgetop run \(safe(identity.runID)): \(identity.status)")
        if identity.simulated { lines.append("!! " + Self.simulatedNote) }
        lines.append("provider \(safe(identity.provider.rawValue)) (\(safe(identity.baseURL))), mode \(identity.mode), dataset \(safe(identity.dataset))")
        lines.append("base model \(safe(identity.baseModel))\(identity.simulated ? " [simulated]" : ""), judge model \(safe(identity.judgeModel))\(identity.simulated ? " [simulated]" : "")")
        lines.append("task \(safe(identity.task))\(identity.truthAbsence.map { "; \($0)" } ?? "")")
        lines.append("rows \(m.rows): base answered \(m.baseAnswered), judge answered \(m.judgeAnswered), failed \(m.failed) (base \(m.baseFailed), judge \(m.judgeFailed)), unparseable verdicts \(m.judgeUnparseable)")
        if identity.hasLabels {
            lines.append("base answers outside the label set: \(m.baseOutsideLabels) (\(m.baseUnparseable) naming no label even read leniently); they count as wrong under the strict rule")
        }
        lines.append("")
        lines.append("accuracy (strict match, Wilson 95% interval)       value   95% interval        n")
        for (key, label, p) in accuracies {
            if p.value == nil, missing(key) != "—" {
                lines.append("  " + label.padding(toLength: 48, withPad: " ", startingAt: 0) + "  " + missing(key))
                continue
            }
            let value = p.value.map { String(format: "%.3f", $0) } ?? "  —  "
            let interval = p.interval.map { String(format: "[%.3f, %.3f]", $0.low, $0.high) } ?? "[—]".padding(toLength: 14, withPad: " ", startingAt: 0)
            lines.append("  " + label.padding(toLength: 48, withPad: " ", startingAt: 0) + "  \(value)  \(interval)  \(p.total)")
        }
        let c = m.confusion
        lines.append("")
        lines.append("the judge's verdicts vs truth (label: base correct vs truth; prediction: the verdict), 95% intervals")
        if identity.truthAbsence == nil {
            lines.append("  tp \(c.tp)  fp \(c.fp)  fn \(c.fn)  tn \(c.tn)  (rows with a base answer, a verdict and truth)")
        }
        lines.append(contentsOf: ReportText.trustLines(trust, metrics: m, identity: identity, marked: judgeErrorsMarked))
        let t = totalTokens
        var tokenLine = "tokens: prompt \(t.prompt), completion \(t.completion)"
        for stage in Stage.allCases { if let s = tokens[stage] { tokenLine += "; \(stage.rawValue) \(s.prompt)+\(s.completion)" } }
        if let cost { tokenLine += "; " + cost.text }
        lines.append(tokenLine)
        return lines.joined(separator: "\n")
    }
}
