import Foundation

/// What every chart of a report shows, worked out once so that the dashboard's statistics view and
/// the HTML report cannot disagree. Pure data: each front end only decides how to draw it.
public struct ReportCharts: Sendable, Equatable {
    /// One line of the forest plot: an estimate with its 95% interval, or why it has none.
    public struct Estimate: Sendable, Equatable {
        public let name: String
        public let value: Double?
        public let interval: Interval?
        public let note: String?
        /// The truth on every item: a reference, not an estimate.
        public let isTruth: Bool
    }

    /// One label's bar: the base model's strict accuracy on the items carrying it.
    public struct Bar: Sendable, Equatable {
        public let label: String
        public let accuracy: Proportion
    }

    /// Counts on a grid; `rows` and `columns` name its sides.
    public struct HeatMap: Sendable, Equatable {
        public let title: String
        public let rowTitle: String
        public let columnTitle: String
        public let rows: [String]
        public let columns: [String]
        public let cells: [[Int]]

        public var maximum: Int { cells.joined().max() ?? 0 }
    }

    public let forest: [Estimate]
    /// The forest plot's axis: every value and interval inside, widened to tenths.
    public let axis: Interval
    public let bars: [Bar]
    /// The reference line of the bars: always answering the most frequent label.
    public let majority: Bar?
    public let verdicts: HeatMap?
    public let labels: HeatMap?

    /// The most frequent true labels a label heat map keeps; the rest are folded into "other".
    public static let heatMapLabels = 8

    public init(_ report: Report) {
        let t = report.trust, m = report.metrics
        var forest = [
            // The judge's own score over every parseable verdict: defined with or without truth.
            Estimate(name: "judge's own score", value: m.judgeDetermined.value, interval: m.judgeDetermined.interval,
                     note: m.judgeDetermined.value == nil ? "no parseable verdict yet" : nil, isTruth: false),
            Self.estimate("labels only", t.labelsOnly),
            Self.estimate("Rogan–Gladen", t.roganGladen),
            Self.estimate("PPI", t.ppi),
            Self.estimate("PPI++", t.ppiPlusPlus),
        ]
        if let truth = t.trueAccuracy {
            forest.append(Estimate(name: "truth, all items", value: truth, interval: nil, note: nil, isTruth: true))
        }
        self.forest = forest
        axis = Self.axis(around: forest)
        bars = t.perLabel.filter { $0.baseAnswered > 0 }
            .map { Bar(label: $0.label, accuracy: $0.baseAccuracy) }
            .sorted { ($0.accuracy.value ?? 0, $1.label) > ($1.accuracy.value ?? 0, $0.label) }
        majority = m.majorityLabel.map { Bar(label: $0, accuracy: m.majorityBaseline) }
        verdicts = report.identity.truthAbsence == nil && m.confusion.total > 0 ? Self.verdictMap(m.confusion) : nil
        labels = report.identity.hasLabels && report.identity.hasTruth ? Self.labelMap(t, noun: report.identity.vocabulary.label) : nil
    }

    static func estimate(_ name: String, _ e: AccuracyEstimate) -> Estimate {
        Estimate(name: name, value: e.value, interval: e.interval, note: e.undefinedReason, isTruth: false)
    }

    /// From the lowest to the highest end shown, out to the tenths around them, at least 0.2 wide.
    static func axis(around estimates: [Estimate]) -> Interval {
        let ends = estimates.flatMap { [$0.value, $0.interval?.low, $0.interval?.high].compactMap { $0 } }
        guard let low = ends.min(), let high = ends.max() else { return Interval(0, 1) }
        var from = max(0, (low * 10).rounded(.down) / 10), to = min(1, (high * 10).rounded(.up) / 10)
        if to - from < 0.2 { (from, to) = to < 0.2 ? (0, 0.2) : (max(0, to - 0.2), max(0.2, to)) }
        return Interval(from, to)
    }

    /// The verdicts against the truth: rows the truth (base answer correct or not), columns the verdict.
    static func verdictMap(_ c: JudgeConfusion) -> HeatMap {
        HeatMap(title: "the judge's verdicts against the truth", rowTitle: "base answer truly", columnTitle: "the judge says",
                rows: ["correct", "incorrect"], columns: ["correct", "incorrect"], cells: [[c.tp, c.fn], [c.fp, c.tn]])
    }

    /// The base model's answers against the true label, for the most frequent true labels; the other
    /// labels are folded into "other", and answers naming no label stay apart.
    static func labelMap(_ t: TrustAnalysis, noun: String) -> HeatMap? {
        let names = t.baseConfusionLabels.dropLast()  // the last column is "unparseable"
        let totals = t.baseConfusion.map { $0.reduce(0, +) }
        let kept = names.indices.filter { totals[$0] > 0 }
            .sorted { (totals[$0], -$0) > (totals[$1], -$1) }
            .prefix(heatMapLabels)
        guard !kept.isEmpty else { return nil }
        let folded = kept.count < names.indices.filter { totals[$0] > 0 }.count
        let rowIndex = { (label: Int) in kept.firstIndex(of: label).map { kept.distance(from: kept.startIndex, to: $0) } ?? kept.count }
        let width = kept.count + (folded ? 1 : 0)
        var rows = Array(repeating: Array(repeating: 0, count: kept.count + 2), count: width)
        for (label, counts) in t.baseConfusion.enumerated() where totals[label] > 0 {
            for (answer, n) in counts.enumerated() where n > 0 {
                let column = answer == names.count ? kept.count + 1 : min(rowIndex(answer), kept.count)
                rows[rowIndex(label)][column] += n
            }
        }
        let keptNames = kept.map { names[$0] }
        return HeatMap(title: "the base model's answers against the true \(noun)", rowTitle: "true \(noun)", columnTitle: "base answer",
                       rows: keptNames + (folded ? ["other"] : []), columns: keptNames + ["other", "none"], cells: rows)
    }
}
