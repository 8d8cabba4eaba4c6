import Foundation
import JudgeCore
import Testing
@testable import Dashboard

/// The charts as terminal text: where the dots land, what ASCII draws, and the statistics view as a pager.
@Suite struct ChartTests {
    /// On 0–1 over 10 cells (20 half cells): 0.25 is half cell 5 (the right half of cell 2), and
    /// the interval [0.1, 0.45] covers half cells 2…9.
    @Test func brailleIntervalsLandOnTheHalfCell() {
        let drawn = Array(ChartText.brailleInterval(0.25, Interval(0.1, 0.45), Interval(0, 1), width: 10).unicodeScalars)
        #expect(drawn.count == 10)
        let bits = drawn.map { $0.value == 0x20 ? 0 : Int($0.value) - 0x2800 }
        #expect(bits[0] == 0 && bits[5] == 0 && bits[9] == 0)
        #expect(bits[1] == 0x36 && bits[3] == 0x36 && bits[4] == 0x36, "both halves of the line: \(bits)")
        #expect(bits[2] == 0x06 | 0x30 | 0xB8, "the point in the right half of cell 2: \(bits[2])")
        // An interval starting in a right half draws only that half of its first cell.
        let right = Array(ChartText.brailleInterval(0.5, Interval(0.15, 0.5), Interval(0, 1), width: 10).unicodeScalars)
        #expect(Int(right[1].value) - 0x2800 == 0x30)
    }

    @Test func asciiIntervalsUseWholeCells() {
        #expect(ChartText.asciiInterval(0.5, Interval(0.2, 0.8), Interval(0, 1), width: 10) == "  [--o--] ")
        #expect(ChartText.asciiInterval(0.5, nil, Interval(0, 1), width: 10, truth: true) == "     *    ")
    }

    @Test func ticksSitUnderTheirValues() {
        let ticks = ChartText.ticks(Interval(0.4, 0.7), width: 30)
        #expect(ticks.trimmingCharacters(in: .whitespaces) == "0.4       0.5       0.6      0.7", "the axis's end sits on its last cell")
        #expect(ChartText.ticks(Interval(0, 1), width: 12).trimmingCharacters(in: .whitespaces) == "0.0   0.5  1.0",
                 "narrow: ticks at an even step wide enough for their labels")
    }

    @Test func sparklinesScaleToTheirHighestRate() {
        #expect(ChartText.sparkline([0, 1, 2, 4], width: 6, glyphs: .unicode) == "  ▁▃▅█")
        #expect(ChartText.sparkline([], width: 3, glyphs: .unicode) == "   ")
        #expect(ChartText.sparkline([5, 0], width: 2, glyphs: .ascii) == "^_")
    }

    @Test func aBatchRecordsItsRateBetweenProgressReports() {
        let start = Date(timeIntervalSince1970: 0)
        var line = BatchLine(id: "b", stage: .base, status: .inProgress, total: 100, started: start, updated: start)
        line.progress(completed: 10, failed: 0, at: start.addingTimeInterval(2))
        line.progress(completed: 12, failed: 0, at: start.addingTimeInterval(2.5))  // under a second: no rate yet
        line.progress(completed: 30, failed: 2, at: start.addingTimeInterval(4))
        #expect(line.rates == [5, 11] && line.completed == 30 && line.failed == 2)
    }

    @Test func theStatisticsViewScrollsAndClosesOnlyOnItsKeys() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        _ = reduce(&s, .key(.char("a")))
        let last = StatisticsView.maximumScroll(s)
        #expect(last > 20, "the charts and every figure run past one page at 80×24")
        _ = reduce(&s, .key(.char("j")))
        _ = reduce(&s, .key(.down))
        #expect(s.statisticsScroll == 2)
        _ = reduce(&s, .key(.char("x")))
        #expect(s.mode == .statistics, "an unbound key leaves the view open")
        _ = reduce(&s, .key(.char("G")))
        #expect(s.statisticsScroll == last)
        _ = reduce(&s, .key(.pageDown))
        #expect(s.statisticsScroll == last)
        let frame = Renderer.render(s, theme: StyleMap.probe).text
        #expect(frame.contains("tokens: prompt"), "the last page ends with the report's last line")
        _ = reduce(&s, .key(.char("k")))
        #expect(s.statisticsScroll == last - 1)
        _ = reduce(&s, .key(.char("g")))
        #expect(s.statisticsScroll == 0)
        for close in [Key.escape, .char("q"), .char("a"), .enter] {
            _ = reduce(&s, .key(.char("a")))
            _ = reduce(&s, .key(.char("G")))
            _ = reduce(&s, .key(close))
            #expect(s.mode == .browse, "\(close) closes")
        }
        _ = reduce(&s, .key(.char("a")))
        #expect(s.statisticsScroll == 0, "the view opens at its top")
    }

    /// Under a non-UTF-8 locale every chart is ASCII, and still says what it shows.
    @Test func chartsFallBackToASCII() throws {
        var s = try Fixtures.state(width: 100, height: 60)
        _ = reduce(&s, .key(.char("a")))
        let text = Renderer.render(s, theme: StyleMap.probe, glyphs: .ascii).text
        let charts = text.components(separatedBy: "Every figure")[0]
        #expect(charts.unicodeScalars.allSatisfy { $0.isASCII || "×–’".unicodeScalars.contains($0) }, "\(charts)")
        #expect(charts.contains("o") && charts.contains("[-") && charts.contains("#"))
    }

    /// The header: spend so far against what every row will cost at the rate so far; gone once the run ends.
    @Test func theHeaderProjectsTheSpend() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        s.header.cost = CostBreakdown(tokens: s.header.tokens, models: [.base: "b", .judge: "j"],
                                      prices: PriceTable(currency: "USD", models: ["b": .init(inputPerMillion: 1, outputPerMillion: 1), "j": .init(inputPerMillion: 2, outputPerMillion: 2)]),
                                      batch: false)
        // 36 base answers of 40 rows, 30 judge answers: base × 40/36, judge × 40/30.
        let projected = try #require(s.projection)
        let expected = Double(41_014 + 331) * 40 / 36 + Double(96_580 + 499) * 40 / 30
        #expect(abs(Double(projected.tokens) - expected) < 1)
        let header = Renderer.headerText(s, width: 140, separator: " | ")
        #expect(header.contains("tokens 137k+830 of ~175k"), "\(header)")
        #expect(header.contains(String(format: "spent %.4f of ~%.4f USD", s.header.cost!.total, projected.cost!)), "\(header)")
        _ = reduce(&s, .event(.runFinished(try #require(s.report))))
        #expect(s.projection == nil && !Renderer.headerText(s, width: 140, separator: " | ").contains("of ~"))
    }
}

@Suite struct WrappingTests {
    @Test func longFigureLinesWrapWithAHangingIndent() {
        let line = "  TPR 0.750 [0.505, 0.898] Wilson  TNR 0.273 [0.097, 0.566] Wilson"
        #expect(StatisticsView.wrapped(line, width: 40) == ["  TPR 0.750 [0.505, 0.898] Wilson  TNR", "    0.273 [0.097, 0.566] Wilson"])
        #expect(StatisticsView.wrapped("short", width: 40) == ["short"])
    }
}
