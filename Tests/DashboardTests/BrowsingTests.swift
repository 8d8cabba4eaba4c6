import Foundation
import JudgeCore
import Testing
@testable import Dashboard

/// The dashboard as a review tool: sorting, search, messages, small and plain terminals, batches
/// that stall, the mouse and export.
@Suite struct BrowsingTests {
    @Test func sortingMarksItsColumnReversesAndStartsAtTheTop() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        for _ in 0..<20 { _ = reduce(&s, .key(.char("j"))) }
        _ = reduce(&s, .key(.char("s")))
        #expect(s.sort == .title && s.selected == 0 && s.scroll == 0)
        let titles = s.visible.map { s.rows[$0].title.lowercased() }
        #expect(titles == titles.sorted())
        #expect(Renderer.render(s, theme: StyleMap.probe).text.contains("TITLE▲"))
        _ = reduce(&s, .key(.char("S")))
        #expect(s.visible.map { s.rows[$0].title.lowercased() } == titles.reversed() && s.selected == 0)
        #expect(Renderer.render(s, theme: StyleMap.probe).text.contains("TITLE▼"))
    }

    /// Search moves as you type, from where it began; Esc goes back there; matches are highlighted
    /// in every shown field, the overview too.
    @Test func searchIsIncrementalHighlightsAndEscReturns() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        for _ in 0..<3 { _ = reduce(&s, .key(.char("j"))) }
        _ = reduce(&s, .key(.char("/")))
        for c in "matr" { _ = reduce(&s, .key(.char(c))) }
        #expect(s.selectedRow?.title == "The Matrix" && s.search == "matr")
        let frame = Renderer.render(s, theme: StyleMap.probe)
        let row = try #require(frame.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("The Matrix") })
        #expect(StyleMap.text(of: frame).split(separator: "\n")[row + 1].contains("MMMM"), "the match is drawn in the match style")
        _ = reduce(&s, .key(.escape))
        #expect(s.selected == 3 && s.search.isEmpty && s.mode == .browse)
        // The overview is searched too: a word only the overview has.
        _ = reduce(&s, .key(.char("/")))
        for c in "miscarriage" { _ = reduce(&s, .key(.char(c))) }
        #expect(s.selectedRow?.title == "12 Angry Men")
    }

    @Test func messagesGoAfterAWhile() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        _ = reduce(&s, .key(.char("f")))
        #expect(s.message != nil)
        _ = reduce(&s, .tick(s.now.addingTimeInterval(5)))
        #expect(s.message != nil)
        _ = reduce(&s, .tick(s.now.addingTimeInterval(4)))
        #expect(s.message == nil)
    }

    @Test func theSmallestTerminalKeepsFourTableRows() throws {
        let s = try Fixtures.state(width: 60, height: 16)
        #expect(Layout(width: 60, height: 16, state: s).tableRows == 4)
        try assertSnapshot(Renderer.render(s, theme: StyleMap.probe), named: "browse_60x16")
    }

    /// On an 8-colour terminal the meaning colours keep their hue.
    @Test func eightColoursKeepGreenRedAndAmber() throws {
        let dark = try Theme.load("dark").downgradedTo8Colors()
        #expect(dark[.ok].foreground == .index(2) && dark[.fail].foreground == .index(1) && dark[.warn].foreground == .index(3))
        #expect(dark[.accent].foreground == .index(4))
    }

    /// Under the selection bar a wrong answer stays in its colour, reversed.
    @Test func theSelectedRowKeepsItsMeaningColours() throws {
        let theme = try Theme.load("dark")
        let s = try Fixtures.state(width: 140, height: 45)
        let frame = Renderer.render(s, theme: theme)
        let y = try #require(frame.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("The Shawshank") })
        let comedy = try #require((0..<frame.width).first { frame[$0, y].text == "C" && frame[$0 + 1, y].text == "o" })
        #expect(frame[comedy, y].style.foreground == theme[.fail].foreground && frame[comedy, y].style.reverse)
        #expect(frame[2, y].style == theme[.selected])
    }

    /// Without UTF-8 every cell is ASCII: κ becomes k, the en dash a hyphen, accents go.
    @Test func aPlainTerminalGetsASCIIEverywhere() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        let text = Renderer.render(s, theme: StyleMap.probe, glyphs: .ascii).text
        let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii, "\(text.unicodeScalars.filter { !$0.isASCII })")
        #expect(text.contains("k 0.024") && text.contains("[0.55-0.87]"))
        _ = reduce(&s, .key(.char("a")))
        let statistics = Renderer.render(s, theme: StyleMap.probe, glyphs: .ascii).text
        #expect(statistics.contains("Rogan-Gladen") && statistics.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(ScreenBuffer.ascii("é") == "e" && ScreenBuffer.ascii("κ") == "k" && ScreenBuffer.ascii("–") == "-" && ScreenBuffer.ascii("千") == "?")
    }

    /// A batch with no answer shows its age; one whose answers stopped a minute ago says idle, in amber.
    @Test func stalledBatchesLookStalled() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        let start = s.now
        _ = reduce(&s, .event(.batchCreated(.judge, batchID: "batch_new", requests: 10, attempt: 1)))
        _ = reduce(&s, .tick(start.addingTimeInterval(42)))
        #expect(Renderer.render(s, theme: StyleMap.probe).text.contains("0% 0/10 age 0:42"))
        _ = reduce(&s, .event(.batchProgress(.judge, batchID: "batch_new", status: .inProgress, completed: 3, failed: 0, total: 10)))
        _ = reduce(&s, .tick(start.addingTimeInterval(42 + 75)))
        let frame = Renderer.render(s, theme: StyleMap.probe)
        let y = try #require(frame.text.split(separator: "\n").firstIndex { $0.contains("batch_new") })
        #expect(frame.text.split(separator: "\n")[y].contains("idle 1:15"))
        #expect(StyleMap.text(of: frame).split(separator: "\n")[y + 1].contains("wwww"), "an idle batch is amber")
        // The spinner turns with time.
        let a = Renderer.render(s, theme: StyleMap.probe)
        _ = reduce(&s, .tick(s.now.addingTimeInterval(0.25)))
        #expect(Renderer.render(s, theme: StyleMap.probe)[2, y] != a[2, y])
    }

    @Test func theWheelScrollsAClickSelectsAndMTurnsTheMouseOff() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        _ = reduce(&s, .key(.mouse(.wheelDown)))
        #expect(s.selected == 3)
        let table = Layout(width: 140, height: 45, state: s).table
        _ = reduce(&s, .key(.mouse(.click(x: 10, y: table.y + 2 + 7))))
        #expect(s.selectedRow?.index == 7)
        _ = reduce(&s, .key(.char("M")))
        #expect(!s.mouse)
        _ = reduce(&s, .key(.mouse(.wheelDown)))
        #expect(s.selectedRow?.index == 7)
    }

    /// `e` asks for the rows in view: the filter's, narrowed by the search.
    @Test func exportTakesTheRowsInView() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        _ = reduce(&s, .key(.char("f")))
        let disagreements = s.visible.map { s.rows[$0].index }
        #expect(reduce(&s, .key(.char("e"))) == [.export(rows: disagreements, view: "disagreements")])
        for key: Key in [.char("/"), .char("g"), .char("o"), .char("d"), .enter] { _ = reduce(&s, .key(key)) }
        let godfathers = disagreements.filter { s.rows[$0].matches("god") }
        #expect(!godfathers.isEmpty && reduce(&s, .key(.char("e"))) == [.export(rows: godfathers, view: "disagreements-search")])
        let csv = RowsCSV.render([s.rows[0]], columns: s.columns)
        #expect(csv.hasPrefix("row,title,Overview,true genres,base_answer,judge_answer,verdict,disagrees_with_truth,marked_wrong,mark_note,base_error,judge_error\n1,The Shawshank Redemption,"))
    }

    @Test func helpScrollsWhereItDoesNotFit() throws {
        var s = try Fixtures.state(width: 60, height: 16)
        _ = reduce(&s, .key(.char("?")))
        let first = Renderer.render(s, theme: StyleMap.probe).text
        #expect(first.contains("j/↓") && !first.contains("quit (batches"))
        _ = reduce(&s, .key(.char("G")))
        let last = Renderer.render(s, theme: StyleMap.probe).text
        #expect(last.contains("quit (batches") || last.contains("quit"), "the last key is reachable")
        try assertSnapshot(Renderer.render(s, theme: StyleMap.probe), named: "help_scrolled_60x16")
        _ = reduce(&s, .key(.char("q")))
        #expect(s.mode == .browse && !s.quit)
    }
}
