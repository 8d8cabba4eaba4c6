import Foundation
import Testing
@testable import JudgeCore

@Suite struct MetricsTests {
    func row(_ i: Int, _ genres: [String]) -> Item { Item(index: i, title: "t\(i)", text: "o\(i)", truth: genres) }

    /// Every base answer counts; only unparseable verdicts and missing answers stay out.
    @Test func denominatorsExcludeUnparseableVerdictsAndFailed() {
        let outcomes = [
            RowOutcome(row: row(0, ["Drama"]), baseAnswer: "Drama", judgeAnswer: "Drama,Correct"),        // tp
            RowOutcome(row: row(1, ["Crime", "Drama"]), baseAnswer: "Comedy", judgeAnswer: "Crime,Correct"), // fp
            RowOutcome(row: row(2, ["Horror"]), baseAnswer: "horror", judgeAnswer: "Horror,Incorrect"),    // tn (strict wrong)
            RowOutcome(row: row(3, ["Drama"]), baseAnswer: "Drama", judgeAnswer: "Drama - fine"),          // judge unparseable
            RowOutcome(row: row(4, ["Drama"]), baseAnswer: "I think it is a film", judgeAnswer: "Drama,Incorrect"), // tn: names no genre
            RowOutcome(row: row(5, ["Drama"]), baseAnswer: "Drama", judgeAnswer: nil),                     // judge failed
            RowOutcome(row: row(6, ["Comedy"]), baseAnswer: nil, judgeAnswer: nil),                        // base failed
        ]
        let m = Metrics.compute(outcomes)
        #expect(m.rows == 7 && m.baseAnswered == 6 && m.judgeAnswered == 5)
        #expect(m.baseFailed == 1 && m.judgeFailed == 1 && m.failed == 2)
        #expect(m.baseUnparseable == 1 && m.judgeUnparseable == 1 && m.baseOutsideLabels == 2)
        #expect(m.baseVsTruth == Proportion(successes: 3, total: 6))        // rows 0, 3, 5 strict-correct of 0–5
        #expect(m.baseVsTruthLenient == Proportion(successes: 4, total: 6))
        #expect(m.judgeDetermined == Proportion(successes: 2, total: 4))    // verdicts of rows 0, 1, 2, 4
        #expect(m.judgeVsTruth == Proportion(successes: 4, total: 4))
        #expect(m.confusion == JudgeConfusion(tp: 1, fp: 1, fn: 0, tn: 2))
        #expect(m.majorityLabel == "Drama")
        #expect(m.majorityBaseline == Proportion(successes: 5, total: 7))
    }

    @Test func majorityTieGoesToLabelOrder() {
        let m = Metrics.compute([RowOutcome(row: row(0, ["War"]), baseAnswer: nil, judgeAnswer: nil),
                                 RowOutcome(row: row(1, ["Action"]), baseAnswer: nil, judgeAnswer: nil)])
        #expect(m.majorityLabel == "Action")
    }

    /// A genre a row lists twice is one genre of that row: counted once by the majority baseline and
    /// the per-genre breakdown, and the judge's genre is still read leniently.
    @Test func aGenreListedTwiceCountsOnce() {
        let outcomes = [row(0, ["Drama", "Drama"]), row(1, ["Drama", "Drama"]), row(2, ["Comedy"]), row(3, ["Comedy"]), row(4, ["Comedy"])]
            .map { RowOutcome(row: $0, baseAnswer: "Comedy", judgeAnswer: " comedy. ,Correct") }
        let m = Metrics.compute(outcomes)
        #expect(m.majorityLabel == "Comedy" && m.majorityBaseline == Proportion(successes: 3, total: 5))
        #expect(m.judgeVsTruthLenient == Proportion(successes: 3, total: 5) && m.judgeVsTruth == Proportion(successes: 0, total: 5))
        let drama = TrustAnalysis.compute(outcomes).perLabel.first { $0.label == "Drama" }
        #expect(drama?.rows == 2 && drama?.basePredicted == 0)
    }

    @Test func bundledDatasetMajorityBaselineIs0724() throws {
        let rows = try Dataset.bundled().rows
        let m = Metrics.compute(rows.map { RowOutcome(row: $0, baseAnswer: nil, judgeAnswer: nil) })
        #expect(m.majorityLabel == "Drama")
        #expect(m.majorityBaseline == Proportion(successes: 724, total: 1000))
    }

    @Test func reportJSONHasEveryDesignKey() throws {
        let outcomes = [RowOutcome(row: row(0, ["Drama"]), baseAnswer: "Drama", judgeAnswer: "Drama,Correct")]
        let identity = RunIdentity(runID: "r1", provider: .sim, baseURL: "x", baseModel: "b", judgeModel: "j",
                                   mode: .batch, dataset: "d", simulated: true, status: .done)
        let report = Report(identity: identity, outcomes: outcomes, tokens: [.base: TokenCount(prompt: 10, completion: 2)])
        let object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        // Every key in every report, null where there is no value (here: no price table).
        #expect(object.keys.sorted() == [
            "accuracy", "base_confusion", "base_model", "base_url", "baselines", "corrected_accuracy", "cost", "counts", "counts_note",
            "dataset", "denominators", "interval_method", "interval_methods", "intervals", "judge_model", "judge_trust",
            "judge_vs_truth_agreement", "labels", "majority_label", "match_rule", "mode", "per_genre", "per_genre_note", "provider", "rows",
            "run_id", "simulated", "simulated_note", "status", "task", "tokens",
        ])
        #expect(object["cost"] is NSNull && object["status"] as? String == "done" && object["provider"] as? String == "sim")
        let accuracy = try #require(object["accuracy"] as? [String: Any])
        for key in ["judge_determined", "base_vs_truth", "judge_vs_truth", "majority_baseline"] { #expect(accuracy[key] is Double) }
        let counts = try #require(object["counts"] as? [String: Int])
        for key in ["base_answered", "judge_answered", "failed", "base_unparseable", "judge_unparseable"] { #expect(counts[key] != nil) }
        let agreement = try #require(object["judge_vs_truth_agreement"] as? [String: Any])
        for key in ["tp", "fp", "fn", "tn", "kappa", "tpr", "tnr"] { #expect(agreement[key] != nil) }
        #expect(object["simulated"] as? Bool == true)
        #expect((object["tokens"] as? [String: Any])?["prompt"] as? Int == 10)
        #expect(report.text().contains("SIMULATED"))
    }

    /// A model that formats badly must not score higher than one that answers wrong: `drama`,
    /// `Sci-Fi.`, `COMEDY`, `Crime Drama` and `Superhero` are answers, wrong under the strict rule.
    @Test func badlyFormattedAnswersCountAsWrongNotMissing() {
        let answers = ["drama", "Sci-Fi.", "COMEDY", "Crime Drama", "Superhero", "Drama"]
        let outcomes = answers.enumerated().map { RowOutcome(row: row($0.offset, ["Drama", "Sci-Fi", "Comedy"]), baseAnswer: $0.element, judgeAnswer: "Drama,Correct") }
        let m = Metrics.compute(outcomes)
        #expect(m.baseVsTruth == Proportion(successes: 1, total: 6))
        #expect(m.baseVsTruthLenient == Proportion(successes: 4, total: 6))  // drama, Sci-Fi., COMEDY read leniently, and Drama
        #expect(m.baseOutsideLabels == 5 && m.baseUnparseable == 2)         // Crime Drama and Superhero name no one label
        #expect(m.confusion.total == 6 && m.confusion.fp == 5)
    }
}
