import BatchAPI
import Foundation
import Testing
@testable import Dashboard
@testable import JudgeCore

@Suite struct ReducerTests {
    @Test func navigationClampsAndScrollsWithTheLayout() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        let page = Layout(width: 80, height: 24, state: s).tableRows
        #expect(page > 3)
        for _ in 0..<(page + 2) { _ = reduce(&s, .key(.down)) }
        #expect(s.selected == page + 2 && s.scroll == 3)
        _ = reduce(&s, .key(.char("G")))
        #expect(s.selected == 39 && s.scroll == 40 - page)
        _ = reduce(&s, .key(.char("j")))
        #expect(s.selected == 39)
        _ = reduce(&s, .key(.pageUp))
        #expect(s.selected == 39 - page)
        _ = reduce(&s, .key(.char("g")))
        #expect(s.selected == 0 && s.scroll == 0)
        _ = reduce(&s, .key(.up))
        #expect(s.selected == 0)
        _ = reduce(&s, .key(.ctrl("d")))
        #expect(s.selected == page / 2)
    }

    @Test func filtersCycleAndKeepTheCursorOnTheSameRow() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        var seen: [RowFilter] = []
        for _ in RowFilter.allCases {
            _ = reduce(&s, .key(.char("f")))
            seen.append(s.filter)
            #expect(s.visible.allSatisfy { s.filter.keeps(s.rows[$0]) })
        }
        #expect(seen == [.disagreements, .baseWrong, .judgeWrong, .unparseable, .failed, .marked, .all])
        _ = reduce(&s, .key(.char("f")))
        _ = reduce(&s, .key(.char("f")))  // base wrong
        #expect(s.visible.allSatisfy { s.rows[$0].base == .wrong })
        _ = reduce(&s, .key(.char("f"))); _ = reduce(&s, .key(.char("f"))); _ = reduce(&s, .key(.char("f")))  // failed
        #expect(s.filter == .failed && s.visible.map { s.rows[$0].index } == [36, 37])
        _ = reduce(&s, .key(.char("j")))
        let index = s.selectedRow?.index
        for key: Key in [.char("x"), .enter] { _ = reduce(&s, .key(key)) }  // marked, so the next filter keeps it
        _ = reduce(&s, .key(.char("f")))  // marked
        #expect(s.filter == .marked && s.visible.map { s.rows[$0].index } == [37] && s.selectedRow?.index == index)
        _ = reduce(&s, .key(.char("f")))  // all again
        #expect(s.selectedRow?.index == index)
    }

    @Test func searchFindsHitsForwardAndBack() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        for key: Key in [.char("/"), .char("g"), .char("o"), .char("d"), .enter] { _ = reduce(&s, .key(key)) }
        #expect(s.search == "god" && s.selectedRow?.title.lowercased().contains("god") == true)
        let first = s.selected
        _ = reduce(&s, .key(.char("n")))
        #expect(s.selected != first && s.selectedRow?.title.lowercased().contains("god") == true)
        _ = reduce(&s, .key(.char("N")))
        #expect(s.selected == first)
        for key: Key in [.char("/"), .char("z"), .char("q"), .char("x"), .enter] { _ = reduce(&s, .key(key)) }
        #expect(s.message?.contains("no match") == true && s.selected == first)
    }

    @Test func commandsGoToTheEngine() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        _ = reduce(&s, .key(.char("j")))
        #expect(reduce(&s, .key(.char("r"))) == [.rerun([1])])
        #expect(reduce(&s, .key(.char("R"))) == [.rerunFailed])
        #expect(reduce(&s, .key(.char("c"))) == [.cancelBatches])
        // t names the next shipped theme in the state; the screen's owner loads it.
        let before = s.themeName
        #expect(reduce(&s, .key(.char("t"))) == [] && s.themeName != before && s.message == "theme: \(s.themeName)")
        for _ in 1..<Theme.shippedNames.count { _ = reduce(&s, .key(.char("t"))) }
        #expect(s.themeName == before, "t cycles through every shipped theme")
        _ = reduce(&s, .key(.char("t")))
        _ = reduce(&s, .themeUnavailable(keeping: before))
        #expect(s.themeName == before && s.message?.contains("cannot be loaded") == true)
        _ = reduce(&s, .key(.char("J")))
        for c in "big-judge" { _ = reduce(&s, .key(.char(c))) }
        _ = reduce(&s, .key(.backspace))
        #expect(s.mode == .rejudging("big-judg"))
        #expect(reduce(&s, .key(.enter)) == [.rejudge(model: "big-judg")])
        _ = reduce(&s, .key(.char("J")))
        _ = reduce(&s, .key(.escape))
        #expect(s.mode == .browse)
    }

    @Test func quitAsksWhileBatchesAreLive() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        #expect(s.liveBatches == 1)
        #expect(reduce(&s, .key(.char("q"))).isEmpty && s.mode == .confirmQuit)
        #expect(reduce(&s, .key(.char("n"))).isEmpty && s.mode == .browse && !s.quit)
        _ = reduce(&s, .key(.char("q")))
        #expect(reduce(&s, .key(.char("y"))) == [.quit] && s.quit)
        var done = try Fixtures.state(width: 80, height: 24)
        _ = reduce(&done, .event(.batchProgress(.judge, batchID: "batch_judge_1", status: .completed, completed: 36, failed: 0, total: 36)))
        #expect(reduce(&done, .key(.char("q"))) == [.quit])
    }

    @Test func helpClosesOnlyOnItsKeysAndResizeReclamps() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        _ = reduce(&s, .key(.char("?")))
        #expect(s.mode == .help)
        _ = reduce(&s, .key(.char("x")))
        #expect(s.mode == .help, "a key of the table does nothing under the help")
        _ = reduce(&s, .key(.escape))
        #expect(s.mode == .browse)
        _ = reduce(&s, .key(.char("G")))
        _ = reduce(&s, .resize(width: 80, height: 24))
        let page = Layout(width: 80, height: 24, state: s).tableRows
        #expect(s.selected == 39 && s.scroll == 40 - page)
    }

    @Test func eventsUpdateBatchesTokensAndFinish() throws {
        var s = ViewState()
        _ = reduce(&s, .event(.batchCreated(.base, batchID: "b\u{1B}[2J", requests: 10, attempt: 1)))
        #expect(s.batches.first?.id == "b␛[2J" && s.liveBatches == 1)
        _ = reduce(&s, .event(.batchProgress(.base, batchID: "b\u{1B}[2J", status: .expired, completed: 4, failed: 0, total: 10)))
        #expect(s.liveBatches == 0 && s.batches[0].finished != nil)
        // A status no provider documents is shown as the provider spelled it, made harmless.
        _ = reduce(&s, .event(.batchProgress(.base, batchID: "b2", status: BatchStatus(raw: "odd\u{1B}[2J"), completed: 0, failed: 0, total: 3)))
        #expect(s.batches.last?.shownStatus == "odd␛[2J" && s.liveBatches == 1)
        _ = reduce(&s, .event(.usage([.base: TokenCount(prompt: 5, completion: 1)], cost: nil)))
        #expect(s.header.tokens[.base]?.prompt == 5)
    }

    /// Work that sends many requests asks first; only y sends it.
    @Test func largeWorkAsksBeforeSending() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        _ = reduce(&s, .confirm("rerun: 340 requests, ~120000 tokens, ~0.0400 USD."))
        #expect(s.mode == .confirming("rerun: 340 requests, ~120000 tokens, ~0.0400 USD."))
        let frame = Renderer.render(s, theme: try Theme.load("mono")).text
        #expect(frame.contains("rerun: 340 requests") && frame.contains("Send? y/n"))
        #expect(reduce(&s, .key(.char("j"))) == [.declined] && s.mode == .browse && s.message == "nothing sent")
        _ = reduce(&s, .confirm("re-judge with x: 80 requests."))
        #expect(reduce(&s, .key(.char("y"))) == [.confirmed] && s.mode == .browse)
    }

    /// A cancelled batch never shows as a finished one once its partial answers are stored, and
    /// the header names every judge whose verdicts the rows show.
    @Test func aCancelledBatchStaysCancelledAndTheHeaderNamesTheJudges() throws {
        var s = try Fixtures.state(width: 140, height: 45)
        _ = reduce(&s, .event(.batchCreated(.judge, batchID: "batch_x", requests: 10, attempt: 1)))
        _ = reduce(&s, .event(.batchProgress(.judge, batchID: "batch_x", status: .cancelled, completed: 4, failed: 6, total: 10)))
        _ = reduce(&s, .event(.answersStored(.judge, batchID: "batch_x", stored: 4, failed: 6)))
        #expect(s.batches.first { $0.id == "batch_x" }?.shownStatus == "cancelled")
        _ = reduce(&s, .judges("old-judge (588) + new\u{1B}[2J-judge (412)"))
        #expect(s.header.judgeModel == "old-judge (588) + new␛[2J-judge (412)")
        let theme = try Theme.load("dark")
        let lines = Renderer.render(s, theme: theme).text.split(separator: "\n")
        #expect(lines[0].contains("judge old-judge") && lines[0].hasSuffix("…"), "\(lines[0])")
        #expect(Renderer.headerText(s, width: 300, separator: " | ").contains("| judge old-judge (588) + new␛[2J-judge (412) |"))
        let line = try #require(lines.first { $0.contains("batch_x") })
        #expect(line.contains("✗") && !line.contains("✔"))
    }

    /// With nothing left to do, `c` sends nothing.
    @Test func cancelOnAFinishedRunSendsNothing() throws {
        var s = try Fixtures.state(width: 80, height: 24)
        _ = reduce(&s, .event(.batchProgress(.judge, batchID: "batch_judge_1", status: .completed, completed: 36, failed: 0, total: 36)))
        s.finished = true
        #expect(reduce(&s, .key(.char("c"))).isEmpty && s.message == "nothing to cancel")
    }
}
