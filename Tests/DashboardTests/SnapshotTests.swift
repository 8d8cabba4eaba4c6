import Foundation
import Testing
@testable import Dashboard
@testable import JudgeCore

@Suite struct SnapshotTests {
    /// Each style token in a colour of its own, so the snapshots record which token each cell has.
    let theme = StyleMap.probe

    @Test(arguments: [(80, 24), (140, 45)])
    func progressMidRun(_ size: (Int, Int)) throws {
        let s = try Fixtures.state(width: size.0, height: size.1)
        try assertSnapshot(Renderer.render(s, theme: theme), named: "progress_\(size.0)x\(size.1)")
    }

    @Test(arguments: [(80, 24), (140, 45)])
    func tableFilteredToDisagreements(_ size: (Int, Int)) throws {
        var s = try Fixtures.state(width: size.0, height: size.1)
        _ = reduce(&s, .key(.char("f")))
        #expect(s.filter == .disagreements)
        #expect(s.visible.allSatisfy { s.rows[$0].disagrees } && !s.visible.isEmpty)
        try assertSnapshot(Renderer.render(s, theme: theme), named: "filter_disagreements_\(size.0)x\(size.1)")
    }

    @Test(arguments: [(80, 24), (140, 45)])
    func detailOfASelectedRow(_ size: (Int, Int)) throws {
        var s = try Fixtures.state(width: size.0, height: size.1)
        for _ in 0..<36 { _ = reduce(&s, .key(.char("j"))) }
        _ = reduce(&s, .key(.enter))
        #expect(s.mode == .detail && s.selectedRow?.index == 36)
        let frame = Renderer.render(s, theme: theme)
        #expect(frame.text.contains("http_500"))
        try assertSnapshot(frame, named: "detail_\(size.0)x\(size.1)")
    }

    @Test(arguments: [(80, 24), (140, 45)])
    func helpOverlay(_ size: (Int, Int)) throws {
        var s = try Fixtures.state(width: size.0, height: size.1)
        _ = reduce(&s, .key(.char("?")))
        let frame = Renderer.render(s, theme: theme)
        // Every key is listed, with the start of its description.
        for binding in Keymap.standard.bindings {
            #expect(frame.text.contains(binding.label + String(repeating: " ", count: max(1, 9 - binding.label.count)) + binding.help.prefix(12)),
                    "help lacks \(binding.label)")
        }
        try assertSnapshot(frame, named: "help_\(size.0)x\(size.1)")
    }

    @Test func tinyTerminalGetsAMessage() throws {
        let s = try Fixtures.state(width: 40, height: 10)
        let frame = Renderer.render(s, theme: theme)
        #expect(frame.text.hasPrefix("terminal too small: 40×10"))
        try assertSnapshot(frame, named: "tiny_40x10")
    }

    @Test func asciiGlyphsWhenTheLocaleIsNotUTF8() throws {
        let s = try Fixtures.state(width: 80, height: 24)
        let text = Renderer.render(s, theme: theme, glyphs: .ascii).text
        #expect(text.unicodeScalars.filter { !$0.isASCII }.allSatisfy { "×—–κ".unicodeScalars.contains($0) || $0.properties.isAlphabetic })
        #expect(text.contains("+-") && text.contains("#"))
    }

    @Test func hostileTextIsDrawnAsHarmlessText() throws {
        let row = Item(index: 0, title: "Evil\u{1B}]2;pwned\u{07}\u{1B}[2J Title", text: "x\u{1B}[31m", truth: ["Drama"])
        var s = ViewState()
        _ = reduce(&s, .resize(width: 100, height: 20))
        _ = reduce(&s, .rows([RowView(outcome: RowOutcome(row: row, baseAnswer: "\u{1B}[2JDrama", judgeAnswer: nil))], nil))
        let frame = Renderer.render(s, theme: theme)
        #expect(!frame.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) } })
        #expect(frame.text.contains("Evil␛]2;pwned␇␛[2J"))
    }

    @Test func wideGlyphsTakeTwoCells() {
        var b = ScreenBuffer(width: 20, height: 1)
        #expect(b.put("Amélie — 千と千尋", x: 0, y: 0, style: .plain) == 17)
        #expect(b[9, 0].text == "千" && b[10, 0].isContinuation)
        var clipped = ScreenBuffer(width: 10, height: 1)
        clipped.put("abcdefghi千", x: 0, y: 0, style: .plain)
        #expect(clipped[9, 0].text == " ")
    }
}

/// A task without truth and with free-text answers: no truth or judge-label column, the answer
/// column wide, the fields by name in the detail pane, and the accuracy panel saying why it is short.
@Suite struct FreeTextSnapshotTests {
    let theme = StyleMap.probe

    @Test(arguments: [(80, 24), (140, 45)])
    func tableAndPanelsWithoutTruth(_ size: (Int, Int)) throws {
        let s = try FreeTextFixtures.state(width: size.0, height: size.1)
        let frame = Renderer.render(s, theme: theme)
        #expect(!frame.text.contains("TRUE") && !frame.text.contains("JUDGE "))
        #expect(frame.text.contains("no truth in this dataset") && frame.text.contains("A logline for"))
        try assertSnapshot(frame, named: "freetext_\(size.0)x\(size.1)")
    }

    @Test func detailShowsEveryPromptFieldByName() throws {
        var s = try FreeTextFixtures.state(width: 100, height: 30)
        _ = reduce(&s, .key(.enter))
        let frame = Renderer.render(s, theme: theme)
        for name in ["title:", "year:", "director:", "overview:"] { #expect(frame.text.contains(name), "\(name)") }
        #expect(!frame.text.contains("true genres"))
        #expect(s.rows.allSatisfy { $0.base != .right && $0.base != .wrong && $0.disagrees == false }, "nothing to score against")
    }
}
