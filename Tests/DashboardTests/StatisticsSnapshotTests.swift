import Foundation
import JudgeCore
import Testing
@testable import Dashboard

/// The statistics view with its charts, in colour (style tokens recorded) and in the mono theme
/// (attributes recorded), at the sizes people use.
@Suite struct StatisticsSnapshotTests {
    /// The view opened, and scrolled down to the line that begins with `heading`.
    static func opened(_ width: Int, _ height: Int, at heading: String? = nil) throws -> ViewState {
        var s = try Fixtures.state(width: width, height: height)
        _ = reduce(&s, .key(.char("a")))
        let lines = StatisticsView.lines(s.report, width: width, glyphs: .unicode)
        let target = heading.flatMap { h in lines.firstIndex { $0.text.hasPrefix(h) } } ?? 0
        for _ in 0..<target { _ = reduce(&s, .key(.char("j"))) }
        #expect(s.mode == .statistics)
        return s
    }

    @Test(arguments: [(80, 24), (140, 45)])
    func chartsInColour(_ size: (Int, Int)) throws {
        let frame = Renderer.render(try Self.opened(size.0, size.1), theme: StyleMap.probe)
        for phrase in ["Statistics", "SIMULATED", "estimates and 95% intervals", "judge's own score", "PPI++", "Rogan–Gladen", "labels only", "truth, all items"] {
            #expect(frame.text.contains(phrase), "the statistics view lacks \(phrase)")
        }
        #expect(frame.text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "braille intervals")
        try assertSnapshot(frame, named: "statistics_\(size.0)x\(size.1)")
    }

    /// Further down: per-genre bars against the majority, then (on a tall screen) the two heat maps.
    @Test(arguments: [(80, 24), (140, 45)])
    func barsAndHeatMapsInColour(_ size: (Int, Int)) throws {
        let s = try Self.opened(size.0, size.1, at: "Base accuracy per")
        let frame = Renderer.render(s, theme: StyleMap.probe)
        #expect(frame.text.contains("Base accuracy per genre") && frame.text.contains("always Drama"))
        #expect(frame.text.contains("the majority baseline: always Drama, 0.850"))
        if size.1 == 45 { #expect(frame.text.contains("the judge says") && frame.text.contains("base answer"), "the heat maps follow the bars") }
        try assertSnapshot(frame, named: "statistics_charts_\(size.0)x\(size.1)")
    }

    @Test(arguments: [(80, 24), (140, 45)])
    func chartsInMono(_ size: (Int, Int)) throws {
        let mono = try Theme.load("mono")
        let s = try Self.opened(size.0, size.1, at: size.1 == 24 ? "Base accuracy per" : nil)
        let frame = Renderer.render(s, theme: mono)
        // Without colour the glyphs still tell the parts apart: no bar is drawn in reverse video,
        // where a full block would vanish.
        for (x, y) in (0..<frame.height).flatMap({ y in (0..<frame.width).map { ($0, y) } }) where frame[x, y].text == "█" {
            #expect(!frame[x, y].style.reverse, "a reversed full block at \(x),\(y) is invisible")
        }
        try assertSnapshot(frame, named: "statistics_mono_\(size.0)x\(size.1)", styles: AttributeMap.text(of:))
    }

    @Test func aRunWithoutTruthSaysWhatItCannotDraw() throws {
        var s = try FreeTextFixtures.state(width: 100, height: 40)
        _ = reduce(&s, .key(.char("a")))
        let text = Renderer.render(s, theme: StyleMap.probe).text
        #expect(text.contains("The judge's verdicts against the truth: no truth in this dataset"))
        #expect(!text.contains("truth, all items") && text.contains("undefined:"))
    }
}
