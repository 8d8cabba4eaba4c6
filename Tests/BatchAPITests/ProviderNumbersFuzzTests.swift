import Foundation
import JudgeCore
import Testing
@testable import BatchAPI

/// No number a provider sends can make judgetop trap: request counts and token usage are clamped
/// where they are decoded, and every sum of them saturates. A trap would end this test process.
@Suite struct ProviderNumbersFuzzTests {
    /// JSON number and string spellings at and past every edge.
    static let hostile = ["9223372036854775807", "-9223372036854775808", "-1", "0", "1e300", "-1e300", "1.5",
                          "\"9223372036854775807\"", "\"99999999999999999999999\"", "\"-3\"", "null", "true", "[]", "{}", "\"\""]

    @Test func requestCountsStayInRangeWhateverTheySay() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let (total, completed, failed) = (Self.hostile.randomElement(using: &generator)!, Self.hostile.randomElement(using: &generator)!,
                                              Self.hostile.randomElement(using: &generator)!)
            let json = #"{"id":"b","status":"in_progress","request_counts":{"total":\#(total),"completed":\#(completed),"failed":\#(failed)}}"#
            let batch = try JSONDecoder().decode(Batch.self, from: Data(json.utf8))
            let counts = try #require(batch.requestCounts)
            for value in [counts.total, counts.completed, counts.failed] { #expect((0...RequestCounts.maximum).contains(value)) }
            // The arithmetic the printers and the dashboard do with them.
            let done = counts.completed + counts.failed
            #expect(done >= 0 && done - counts.total <= 2 * RequestCounts.maximum)
            let outOfRange = [total, completed, failed].contains { ["9223372036854775807", "-9223372036854775808", "-1", "\"-3\"", "\"9223372036854775807\""].contains($0) }
            #expect(batch.countsClamped == outOfRange, "\(json)")
        }
    }

    @Test func tokenUsageStaysInRangeAndSumsSaturate() throws {
        for prompt in Self.hostile {
            for completion in Self.hostile {
                let line = #"{"custom_id":"base-1","response":{"status_code":200,"body":{"choices":[{"message":{"content":"Drama"}}],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion)}}}}"#
                let parsed = try BatchOutput.parse(Array(line.utf8))
                guard case .success(_, let usage) = parsed.result else { Issue.record("\(line) did not parse"); continue }
                #expect((0...TokenCount.providerMaximum).contains(usage.prompt) && (0...TokenCount.providerMaximum).contains(usage.completion))
                // Both readers agree, and a run's worth of such answers still sums.
                guard case .success(_, let tree) = try BatchOutput.parseTree(Array(line.utf8)).result else { continue }
                #expect(tree == usage, "\(line)")
                let total = Array(repeating: usage, count: 10_000).reduce(TokenCount(), +)
                #expect(total.prompt >= usage.prompt && total.completion >= usage.completion)
            }
        }
        #expect(TokenCount(prompt: .max, completion: 1) + TokenCount(prompt: .max, completion: 1) == TokenCount(prompt: .max, completion: 2))
    }
}
