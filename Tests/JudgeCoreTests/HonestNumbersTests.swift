import Foundation
import Testing
@testable import JudgeCore

/// The figures that once misled though their arithmetic was right: genre kappa's chance term,
/// intervals of no width, and unknown cells in the items CSV.
@Suite struct HonestNumbersTests {
    /// Chance agreement uses the same any-of-the-genres rule as observed agreement (worked by hand:
    /// p_o = 3/4; q = A 1/4, B 2/4, C 1/4; s = A 3/4, B 2/4, C 1/4; p_e = 1/2; κ = 1/2).
    @Test func labelKappaCorrectsForChanceTheWayItCountsAgreement() {
        var agreement = LabelAgreement()
        agreement.add(judged: 0, truth: [0, 1])
        agreement.add(judged: 1, truth: [0])
        agreement.add(judged: 1, truth: [1])
        agreement.add(judged: 2, truth: [2, 0])
        #expect(agreement.kappa(counts: agreement.counts) == .value(0.5))
        // A judge naming nothing agrees with nothing: counted in n, never in the chance term.
        agreement.add(judged: nil, truth: [1])
        if case .value(let k) = agreement.kappa(counts: agreement.counts) { #expect(k < 0.5) } else { Issue.record("undefined") }
        var total = LabelAgreement()
        total.add(judged: 0, truth: [0])
        total.add(judged: 0, truth: [0, 1])
        #expect(total.kappa(counts: total.counts).value == nil)
    }

    /// A bootstrap whose every resample gives the same value shows no interval, and says why.
    @Test func aFlatBootstrapIsNoInterval() {
        let flat = RatedValue(.value(0), bootstrapped: Interval(0, 0))
        #expect(flat.value == 0 && flat.interval == nil && flat.intervalNote?.contains("same value") == true)
        // A judge that always says "correct": kappa is 0 in every resample.
        let always = (0..<40).map { i in
            RowOutcome(row: Item(index: i, title: "t", text: "o", truth: ["Drama"]), baseAnswer: i % 3 == 0 ? "Comedy" : "Drama",
                       judgeAnswer: "Drama,Correct")
        }
        let trust = TrustAnalysis.compute(always)
        #expect(trust.kappa.value == 0 && trust.kappa.interval == nil && trust.kappa.intervalNote != nil)
        #expect(trust.kappa.intervalMethod == IntervalMethod.bootstrap && trust.tpr.intervalMethod == IntervalMethod.wilson)
        let text = Report(identity: RunIdentity(runID: "r", provider: .custom, baseURL: "u", baseModel: "b", judgeModel: "j", mode: .batch,
                                                dataset: "d", simulated: true, status: .done), outcomes: always, tokens: [:]).text()
        #expect(text.contains("kappa 0.000 (no interval: every bootstrap resample gives the same value"))
        #expect(text.contains("TPR 1.000 [") && text.contains("] Wilson"))
    }

    /// An unknown yes/no is an empty cell, never "false"; the labelled subset is a column.
    @Test func itemsCSVLeavesTheUnknownEmpty() {
        let outcomes = [
            RowOutcome(row: Item(index: 0, title: "a", text: "", truth: ["Drama"]), baseAnswer: "Drama", judgeAnswer: "Drama,Correct"),
            RowOutcome(row: Item(index: 1, title: "b", text: "", truth: ["Drama"]), baseAnswer: "Comedy", judgeAnswer: "no idea"),
            RowOutcome(row: Item(index: 2, title: "c", text: "", truth: ["Drama"]), baseAnswer: nil, judgeAnswer: nil),
            RowOutcome(row: Item(index: 3, title: "d", text: "", truth: []), baseAnswer: "Drama", judgeAnswer: "Drama,Correct"),
        ]
        let lines = ItemsCSV.render(outcomes, labelled: [0]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasSuffix("judge_genre_correct,judge_disagrees_with_truth,in_labelled_subset"))
        #expect(lines[1] == "0,a,Drama,Drama,true,true,\"Drama,Correct\",Drama,correct,true,false,true")
        #expect(lines[2] == "1,b,Drama,Comedy,false,false,no idea,,unparseable,,,")
        #expect(lines[3] == "2,c,Drama,,,,,,,,,")
        #expect(lines[4] == "3,d,,Drama,,,\"Drama,Correct\",Drama,correct,,,")
    }

    /// Per-genre accuracy is over the tagged movies that have the answer, as the headline figures
    /// are, and names what it is.
    @Test func perGenreAccuracyUsesTheHeadlineDenominators() throws {
        let outcomes = [
            RowOutcome(row: Item(index: 0, title: "a", text: "", truth: ["Drama", "War"]), baseAnswer: "War", judgeAnswer: "War,Correct"),
            RowOutcome(row: Item(index: 1, title: "b", text: "", truth: ["Drama"]), baseAnswer: "Comedy", judgeAnswer: "Drama,Incorrect"),
            RowOutcome(row: Item(index: 2, title: "c", text: "", truth: ["Drama"]), baseAnswer: nil, judgeAnswer: nil),
            RowOutcome(row: Item(index: 3, title: "d", text: "", truth: ["Drama"]), baseAnswer: "Drama", judgeAnswer: "eh"),
        ]
        let report = Report(identity: RunIdentity(runID: "r", provider: .custom, baseURL: "u", baseModel: "b", judgeModel: "j", mode: .batch,
                                                  dataset: "d", simulated: true, status: .done), outcomes: outcomes, tokens: [:])
        let drama = try #require(report.trust.perLabel.first { $0.label == "Drama" })
        // Rows 0, 1 and 3 have a base answer (0 and 3 right); rows 0 and 1 a parseable verdict (both genres right).
        #expect(drama.rows == 4 && drama.baseAnswered == 3 && drama.baseCorrect == 2 && drama.judgeAnswered == 2 && drama.judgeCorrect == 2)
        #expect(drama.baseAccuracy.value == 2.0 / 3.0 && drama.judgeAccuracy.value == 1)
        let json = report.document
        let methods = json.intervalMethods
        #expect(methods["base_vs_truth"] == IntervalMethod.wilson && methods["kappa"] == nil || methods["kappa"] == IntervalMethod.bootstrap)
        #expect(json.perGenreNote!.contains("tagged with each genre"))
        #expect(report.markdown().contains("## Accuracy on the movies tagged with each genre"))
        #expect(report.text().contains("judge's own genre vs truth") && report.text().contains("the judge's verdicts vs truth"))
    }
}
