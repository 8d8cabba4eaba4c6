import Foundation
import Testing
@testable import HTMLReport
@testable import JudgeCore

/// The shareable page: every run string escaped, nothing loaded from anywhere, every section there.
@Suite struct HTMLReportTests {
    static let hostile = ["<script>window.pwned=1</script>", "&lt;3 & friends", "</td></tr></table><h1>broken</h1>",
                          "\"quoted\" 'single' <img src=x onerror=alert(1)>", "bell\u{07}\u{1B}[2J"]

    /// 300 movies, titles hostile, answers right on two in three and a judge right on four in five.
    static func page(count: Int = 300, truth: Bool = true) throws -> (html: String, review: ReviewItems) {
        let rows = Array(try Dataset.bundled().rows.prefix(count)).map { row in
            Item(index: row.index, title: hostile[(row.index / 5) % hostile.count] + " \(row.index)", fields: row.fields, truth: truth ? row.truth : [])
        }
        let outcomes = rows.map { row -> RowOutcome in
            let right = row.index % 3 != 0
            let base = right ? row.truth.first ?? "Drama" : "Western"
            let says = row.index % 5 == 0 ? !right : right
            return RowOutcome(row: row, baseAnswer: base, judgeAnswer: "Drama,\(says ? "Correct" : "Incorrect")")
        }
        let identity = RunIdentity(runID: "20261207-000000-beef", provider: .sim, baseURL: "http://127.0.0.1:1/v1", baseModel: "b<i>",
                                   judgeModel: "j", mode: .batch, dataset: "d.csv", simulated: true, status: .done, hasTruth: truth)
        let report = Report(identity: identity, outcomes: outcomes, tokens: [.base: TokenCount(prompt: 10, completion: 2)],
                            human: HumanLabels([HumanLabel(row: 1, correct: true, labeller: "ann")]), judgeErrorsMarked: 2)
        let review = ReviewItems(outcomes, scoring: .tutorial)
        return (HTMLReport.render(report, review: review, generatedAt: Date(timeIntervalSince1970: 0)), review)
    }

    @Test func everyRunStringIsEscaped() throws {
        let html = try Self.page().html
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<h1>broken"))
        #expect(html.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"))
        #expect(html.contains("&amp;lt;3 &amp; friends"), "an entity in a title stays text")
        #expect(html.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;"))
        #expect(html.contains("&quot;quoted&quot; &#39;single&#39;"))
        #expect(html.contains("bell␇␛[2J") && !html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(html.contains("b&lt;i&gt; [simulated]"))
    }

    @Test func thePageLoadsNothing() throws {
        let html = try Self.page().html
        #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"#))
        // Titles may say `src=` as text; an attribute would be followed by a quote, which text never has.
        for forbidden in [" src=\"", " href=\"", "url(", "@import", "<link", "<script", "<iframe", "<object", "<img"] {
            #expect(!html.contains(forbidden), "the page has \(forbidden)")
        }
    }

    @Test func theSectionsAndChartsAreThere() throws {
        let (html, review) = try Self.page()
        for id in ["settings", "headline", "estimates", "trust", "per-label", "review"] { #expect(html.contains("<section id=\"\(id)\">"), "\(id)") }
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4, "forest, verdicts, bars, label map")
        #expect(html.contains("prefers-color-scheme: dark") && html.contains("@media print"))
        #expect(html.contains(HTMLText.escape(Report.simulatedNote)))
        #expect(html.contains("PPI++") && html.contains("Rogan–Gladen") && html.contains("What these estimates assume"))
        #expect(html.contains("judge errors marked while browsing: 2") && html.contains("people&#39;s labels: "))
        // Disagreements: listed up to the cap, with a pointer to the rest.
        #expect(review.againstTruth && review.items.count > 0)
        #expect(html.contains("\(review.items.count) items."))
        #expect(html.components(separatedBy: "class=\"verdict-").count - 1 == min(review.items.count, HTMLReport.listedItems))
        #expect(html.contains("<td class=\"num\">\(review.items[0].row + 1)</td>"), "rows counted from 1, as the dashboard shows them")
    }

    @Test func aLongReviewListStopsAtItsCapAndSaysWhere() throws {
        let (html, review) = try Self.page(count: 1000)
        #expect(review.items.count > HTMLReport.listedItems)
        #expect(html.components(separatedBy: "class=\"verdict-").count - 1 == HTMLReport.listedItems)
        #expect(html.contains("The first \(HTMLReport.listedItems) are listed; `judgetop report 20261207-000000-beef --format csv` has every row."))
    }

    @Test func withoutTruthItListsWhatTheJudgeCalledIncorrect() throws {
        let (html, review) = try Self.page(truth: false)
        #expect(!review.againstTruth && review.items.allSatisfy { $0.verdict == .incorrect })
        #expect(html.contains("Answers the judge called incorrect") && html.contains("no truth in this dataset"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 1, "only the forest: nothing to draw against the truth")
    }
}
