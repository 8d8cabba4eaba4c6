import Foundation
import JudgeCore
import Testing
@testable import Dashboard

/// The labelling queue and the marks, key by key.
@Suite struct ReviewTests {
    /// The fixture with a sample of five rows to label, one already labelled.
    static func state(width: Int = 100, height: Int = 30) throws -> ViewState {
        var s = try Fixtures.state(width: width, height: height)
        _ = reduce(&s, .review(ReviewData(queue: [12, 3, 25, 7, 18], labels: [3: .some(true)])))
        return s
    }

    @Test func labellingStartsAtTheFirstUnlabelledItemAndHidesTheVerdict() throws {
        var s = try Self.state()
        _ = reduce(&s, .key(.char("L")))
        #expect(s.mode == .labelling && s.labelPosition == 0 && !s.verdictShown)
        let text = Renderer.render(s, theme: StyleMap.probe).text
        #expect(text.contains("Item 1 of 5") && text.contains("Row 13: ") && text.contains("judge's verdict: hidden"))
        #expect(!text.contains("judge: correct") && !text.contains("judge: incorrect"))
        _ = reduce(&s, .key(.char("v")))
        let shown = Renderer.render(s, theme: StyleMap.probe).text
        #expect(shown.contains("judge: " + (s.rows[12].verdict?.rawValue ?? "none")))
    }

    @Test func yesNoAndSkipLabelAndMoveOnUndoSendsItsCommand() throws {
        var s = try Self.state()
        _ = reduce(&s, .key(.char("L")))
        #expect(reduce(&s, .key(.char("y"))) == [.label(row: 12, correct: true)])
        #expect(s.labelPosition == 2, "row 3 already has a label: skipped over")
        #expect(reduce(&s, .key(.char("n"))) == [.label(row: 25, correct: false)])
        #expect(reduce(&s, .key(.char("s"))) == [.label(row: 7, correct: nil)])
        #expect(s.message?.contains("skipping can bias the sample") == true)
        #expect(s.review.labels[12] == .some(true) && s.review.labels[25] == .some(false) && s.review.labels[7] == .some(nil))
        #expect(reduce(&s, .key(.char("u"))) == [.undoLabel])
        #expect(s.labelPosition == 3 && s.review.labels[7] == nil, "back on the item whose label was undone, unlabelled")
        _ = reduce(&s, .key(.char("k")))
        #expect(s.labelPosition == 2)
        _ = reduce(&s, .key(.escape))
        #expect(s.mode == .browse)
    }

    @Test func anEmptyQueueSaysWhy() throws {
        var s = try Fixtures.state(width: 100, height: 30)
        _ = reduce(&s, .key(.char("L")))
        #expect(s.mode == .browse && s.message?.contains("nothing to label yet") == true)
    }

    /// `x` asks for a note and marks; the mark shows in the table, the detail pane, the marked
    /// filter and the panel's count; `x` again removes it.
    @Test func markingTheJudgeWrong() throws {
        var s = try Self.state(width: 140, height: 45)
        for _ in 0..<4 { _ = reduce(&s, .key(.char("j"))) }
        _ = reduce(&s, .key(.char("x")))
        #expect(s.mode == .marking(""))
        for c in "too generous" { _ = reduce(&s, .key(.char(c))) }
        #expect(Renderer.render(s, theme: StyleMap.probe).text.contains("mark the judge's verdict on row 5 wrong; note (optional): too generous"))
        #expect(reduce(&s, .key(.enter)) == [.mark(row: 4, note: "too generous")])
        #expect(s.rows[4].mark == "too generous" && s.counts.marked == 1)
        let frame = Renderer.render(s, theme: StyleMap.probe).text
        #expect(frame.contains("judge errors marked: 1") && frame.split(separator: "\n").contains { $0.contains("12 Angry Men") && $0.contains("✎") })
        _ = reduce(&s, .key(.enter))
        let detail = Renderer.render(s, theme: StyleMap.probe).text
        #expect(detail.contains("marked: the judge's verdict is wrong") && detail.contains("here: too generous"))
        _ = reduce(&s, .key(.escape))
        while s.filter != .marked { _ = reduce(&s, .key(.char("f"))) }
        #expect(s.visible.map { s.rows[$0].index } == [4])
        #expect(reduce(&s, .key(.char("x"))) == [.unmark(row: 4)])
        #expect(s.rows[4].mark == nil && s.visible.isEmpty)
    }

    @Test func theLabellingScreenShowsTheEstimatesAndWhatMoreLabelsBuy() throws {
        var s = try Self.state()
        let labels = HumanLabels((0..<10).map { HumanLabel(row: $0, correct: $0 % 3 != 0, labeller: "ann") })
        let outcomes = try Fixtures.outcomes()
        let progress = LabelProgress(outcomes, scoring: .tutorial, plan: LabelPlan(count: 20, seed: 1), labels: labels)
        _ = reduce(&s, .review(ReviewData(queue: [12, 3, 25, 7, 18], labels: [:], progress: progress)))
        _ = reduce(&s, .key(.char("L")))
        let text = Renderer.render(s, theme: StyleMap.probe).text
        #expect(text.contains("From people's labels (\(progress.counts.labelled) of 20 planned"))
        #expect(text.contains("PPI++") && text.contains("labels only") && text.contains("Rogan–Gladen"))
        if let more = progress.moreLabelsForTarget, more > 0 { #expect(text.contains("about \(more) more labels would bring PPI++ within ±0.05")) }
    }
}

/// The new modes at the three sizes people use: the labelling screen (verdict hidden), and the
/// table with a marked row and the note being typed.
@Suite struct ReviewSnapshotTests {
    @Test(arguments: [(80, 24), (140, 45), (60, 16)])
    func labelling(_ size: (Int, Int)) throws {
        var s = try ReviewTests.state(width: size.0, height: size.1)
        let progress = LabelProgress(try Fixtures.outcomes(), scoring: .tutorial, plan: LabelPlan(count: 5, seed: 1),
                                     labels: HumanLabels([HumanLabel(row: 3, correct: true, labeller: "ann")]))
        _ = reduce(&s, .review(ReviewData(queue: [12, 3, 25, 7, 18], labels: [3: .some(true)], progress: progress)))
        _ = reduce(&s, .key(.char("L")))
        try assertSnapshot(Renderer.render(s, theme: StyleMap.probe), named: "labelling_\(size.0)x\(size.1)")
    }

    @Test(arguments: [(80, 24), (140, 45), (60, 16)])
    func marking(_ size: (Int, Int)) throws {
        var s = try ReviewTests.state(width: size.0, height: size.1)
        for key: Key in [.char("j"), .char("x"), .char("o"), .char("k"), .enter, .char("j"), .char("x")] { _ = reduce(&s, .key(key)) }
        for c in "wrong genre" { _ = reduce(&s, .key(.char(c))) }
        #expect(s.mode == .marking("wrong genre") && s.rows[1].mark == "ok")
        try assertSnapshot(Renderer.render(s, theme: StyleMap.probe), named: "marking_\(size.0)x\(size.1)")
    }
}

@Suite struct LabellingHidesTheTruthTests {
    /// People's labels are compared with the truth, so the screen does not show it.
    @Test func theTruthIsNotShownWhileLabelling() throws {
        var s = try ReviewTests.state(width: 140, height: 45)
        _ = reduce(&s, .key(.char("L")))
        let text = Renderer.render(s, theme: StyleMap.probe).text
        #expect(text.contains("Row 13: Il buono") && !text.contains("true genres") && !text.contains("Western"))
    }
}
