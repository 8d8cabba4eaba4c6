import JudgeCore
import Pipeline
import Testing
@testable import Dashboard

@Suite struct RowViewTests {
    /// A row keeps only its own two requests' attempts and errors, sanitised, however many the run has.
    @Test func keepsOnlyItsOwnRequestsStates() {
        let row = Item(index: 7, title: "T", text: "O", truth: ["Drama"])
        var states = RequestStates()
        for i in 0..<1000 {
            states.set(.base, i, attempts: 1)
            states.set(.judge, i, attempts: 2, error: "http_500")
        }
        states.set(.base, 7, attempts: 3, error: "http_500: \u{1B}]0;pwned\u{07}")
        let view = RowView(outcome: RowOutcome(row: row, baseAnswer: nil, judgeAnswer: nil), states: states, maxAttempts: 3)
        #expect(view.baseRequest.attempts == 3 && view.judgeRequest == RowView.Request(attempts: 2, error: "http_500"))
        #expect(view.baseRequest.error?.contains("\u{1B}") == false && view.baseRequest.error?.hasPrefix("http_500") == true)
        if case .failed(let reason) = view.base { #expect(reason.hasPrefix("http_500")) } else { Issue.record("expected a failed base answer") }
    }
}
