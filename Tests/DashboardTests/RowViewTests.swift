import JudgeCore
import Testing
@testable import Dashboard

@Suite struct RowViewTests {
    /// A row keeps only its own two requests' attempts and errors, sanitised, however many the run has.
    @Test func keepsOnlyItsOwnRequestsStates() {
        let row = MovieRow(index: 7, title: "T", overview: "O", genres: ["Drama"])
        var attempts = Dictionary(uniqueKeysWithValues: (0..<1000).map { ("base-\($0)", 1) })
        attempts["base-7"] = 3
        var errors = Dictionary(uniqueKeysWithValues: (0..<1000).map { ("judge-\($0)", "http_500") })
        errors["base-7"] = "http_500: \u{1B}]0;pwned\u{07}"
        let view = RowView(outcome: RowOutcome(row: row, baseAnswer: nil, judgeAnswer: nil), attempts: attempts, errors: errors, maxAttempts: 3)
        #expect(view.attempts == ["base-7": 3])
        #expect(Set(view.errors.keys) == ["base-7", "judge-7"])
        #expect(view.errors["base-7"]?.contains("\u{1B}") == false)
        if case .failed(let reason) = view.base { #expect(reason.hasPrefix("http_500")) } else { Issue.record("expected a failed base answer") }
    }
}
