import Foundation
import Testing
@testable import JudgeCore

/// What the charts show, shared by the dashboard and the HTML report.
@Suite struct ReportChartsTests {
    static let identity = RunIdentity(runID: "r", provider: .sim, baseURL: "u", baseModel: "b", judgeModel: "j", mode: .batch,
                                      dataset: "d", simulated: true, status: .done)

    /// 400 movies of the bundled dataset, the base model right on two in three, the judge right on four in five.
    static func report(count: Int = 400) throws -> Report {
        let rows = Array(try Dataset.bundled().rows.prefix(count))
        let outcomes = rows.map { row in
            let i = row.index
            let base = i % 3 == 0 ? (row.truth.contains("Comedy") ? "Drama" : "Comedy") : row.truth[0]
            let right = i % 3 != 0
            let says = i % 5 == 0 ? !right : right
            return RowOutcome(row: row, baseAnswer: base, judgeAnswer: "\(row.truth[0]),\(says ? "Correct" : "Incorrect")")
        }
        return Report(identity: identity, outcomes: outcomes, tokens: [:], labels: LabelPlan(fraction: 0.25))
    }

    @Test func theForestHasEachEstimateAndTheTruthInsideItsAxis() throws {
        let report = try Self.report()
        let charts = ReportCharts(report)
        #expect(charts.forest.map(\.name) == ["judge's own score", "labels only", "Rogan–Gladen", "PPI", "PPI++", "truth, all items"])
        #expect(charts.forest.last?.isTruth == true && charts.forest.last?.value == report.trust.trueAccuracy)
        #expect(charts.forest[4].value == report.trust.ppiPlusPlus.value && charts.forest[4].interval == report.trust.ppiPlusPlus.interval)
        let ends = charts.forest.flatMap { [$0.value, $0.interval?.low, $0.interval?.high].compactMap { $0 } }
        #expect(ends.allSatisfy { $0 >= charts.axis.low && $0 <= charts.axis.high }, "\(charts.axis)")
        // Tenths, and no wider than the values need.
        for end in [charts.axis.low, charts.axis.high] { #expect(abs(end * 10 - (end * 10).rounded()) < 1e-9) }
        #expect(charts.axis.low > (ends.min() ?? 0) - 0.1 && charts.axis.high < (ends.max() ?? 1) + 0.1)
    }

    @Test func barsRunBestFirstWithTheMajorityAsReference() throws {
        let report = try Self.report()
        let charts = ReportCharts(report)
        let values = charts.bars.map { $0.accuracy.value ?? -1 }
        #expect(values == values.sorted(by: >) && !values.isEmpty)
        #expect(charts.bars.count == report.trust.perLabel.filter { $0.baseAnswered > 0 }.count)
        #expect(charts.majority?.label == report.metrics.majorityLabel && charts.majority?.accuracy == report.metrics.majorityBaseline)
    }

    @Test func theVerdictMapIsTheConfusionAgainstTheTruth() throws {
        let report = try Self.report()
        let c = report.metrics.confusion
        let map = try #require(ReportCharts(report).verdicts)
        #expect(map.cells == [[c.tp, c.fn], [c.fp, c.tn]] && map.rows == ["correct", "incorrect"])
    }

    /// The eight most frequent true labels keep their rows; the rest fold into "other", and answers
    /// naming no label stay in a column of their own: no count is lost.
    @Test func theLabelMapFoldsRareLabelsWithoutLosingCounts() throws {
        let report = try Self.report()
        let map = try #require(ReportCharts(report).labels)
        let totals = report.trust.baseConfusion.map { $0.reduce(0, +) }
        #expect(map.rows.count == ReportCharts.heatMapLabels + 1 && map.rows.last == "other")
        #expect(map.columns == Array(map.rows.prefix(8)) + ["other", "none"])
        #expect(map.cells.joined().reduce(0, +) == totals.reduce(0, +))
        let top = totals.enumerated().sorted { ($0.element, -$0.offset) > ($1.element, -$1.offset) }.prefix(8)
        #expect(Array(map.rows.prefix(8)) == top.map { report.trust.baseConfusionLabels[$0.offset] })
        #expect(map.cells[0].reduce(0, +) == top.first?.element)
    }

    @Test func withoutTruthThereIsNoTruthToDrawAgainst() throws {
        let outcomes = (0..<30).map { i in
            RowOutcome(row: Item(index: i, title: "t\(i)", fields: ["x"], truth: []), baseAnswer: "an answer", judgeAnswer: i % 4 == 0 ? "Unfaithful" : "Faithful")
        }
        var identity = Self.identity
        identity.hasTruth = false
        identity.hasLabels = false
        let task = try #require(TaskFile.bundled(named: "movie-loglines")).task
        let charts = ReportCharts(Report(identity: identity, outcomes: outcomes, tokens: [:], scoring: task.scoring))
        #expect(charts.verdicts == nil && charts.labels == nil && charts.bars.isEmpty)
        #expect(!charts.forest.contains { $0.isTruth })
        #expect(charts.forest[1].value == nil && charts.forest[1].note != nil, "labels only waits for labels")
        #expect(charts.forest[0].value == 22.0 / 30.0)
    }

    @Test func reviewItemsAreTheDisagreementsOrTheIncorrectVerdicts() throws {
        let rows = [Item(index: 0, title: "A", fields: ["o"], truth: ["Drama"]), Item(index: 1, title: "B", fields: ["o"], truth: ["Drama"]),
                    Item(index: 2, title: "C", fields: ["o"], truth: ["Comedy"]), Item(index: 3, title: "D", fields: ["o"], truth: ["Comedy"])]
        let outcomes = [RowOutcome(row: rows[0], baseAnswer: "Drama", judgeAnswer: "Drama,Correct"),
                        RowOutcome(row: rows[1], baseAnswer: "Drama", judgeAnswer: "Drama,Incorrect"),
                        RowOutcome(row: rows[2], baseAnswer: "Drama", judgeAnswer: "Comedy,Correct"),
                        RowOutcome(row: rows[3], baseAnswer: "Drama", judgeAnswer: "nonsense")]
        let review = ReviewItems(outcomes, scoring: .tutorial)
        #expect(review.againstTruth && review.items.map(\.row) == [1, 2])
        #expect(review.items[1].judgeLabel == "Comedy" && review.items[1].verdict == .correct)
        let noTruth = outcomes.map { RowOutcome(row: Item(index: $0.row.index, title: $0.row.title, fields: ["o"], truth: []),
                                                baseAnswer: $0.baseAnswer, judgeAnswer: $0.judgeAnswer) }
        let incorrect = ReviewItems(noTruth, scoring: .tutorial)
        #expect(!incorrect.againstTruth && incorrect.items.map(\.row) == [1])
    }
}
