import Foundation
import JudgeCore
import Testing
@testable import BatchAPI

@Suite struct BatchLinesTests {
    /// llama-stack's batch server writes the body as a string holding the JSON: read as the object,
    /// for an answer and for an error alike; a string that holds no JSON object stays a failure.
    @Test func aBodyWrittenAsAStringIsReadAsItsJSON() throws {
        let answer = #"{"id":"r1","custom_id":"base-3","response":{"status_code":200,"body":"{\"choices\":[{\"message\":{\"content\":\"Drama\"}}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}}"},"error":null}"#
        #expect(try BatchOutput.parse(Array(answer.utf8)) == OutputLine(customID: "base-3", result: .success(content: "Drama", usage: TokenCount(prompt: 9, completion: 1))))
        let refused = #"{"custom_id":"base-4","response":{"status_code":400,"body":"{\"error\":{\"code\":\"bad\",\"message\":\"no\"}}"}}"#
        #expect(try BatchOutput.parse(Array(refused.utf8)).result == .failure(code: "bad", message: "no"))
        let prose = #"{"custom_id":"base-5","response":{"status_code":200,"body":"Drama"}}"#
        if case .success = try BatchOutput.parse(Array(prose.utf8)).result { Issue.record("a string without JSON is no answer") }
    }

    @Test func inputLineIsOneJSONObjectEndingInNewline() throws {
        let prompt = ChatPrompt(model: "m/x", system: "sys\nline", user: "a \"quoted\" overview", temperature: 0.5)
        let line = try BatchInput.line(customID: "base-7", prompt: prompt)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        let object = try #require(try JSONSerialization.jsonObject(with: line.dropLast()) as? [String: Any])
        #expect(object["custom_id"] as? String == "base-7")
        #expect(object["method"] as? String == "POST" && object["url"] as? String == "/v1/chat/completions")
        let body = try #require(object["body"] as? [String: Any])
        #expect(body["model"] as? String == "m/x" && body["temperature"] as? Double == 0.5)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "sys\nline"], ["role": "user", "content": "a \"quoted\" overview"]])
    }

    /// A file's lines share what comes before the user's message; a line whose model, temperature or
    /// system prompt differs still gets its own.
    @Test func linesOfOneFileKeepTheirOwnModelTemperatureAndSystemPrompt() throws {
        let prompts = [ChatPrompt(model: "a", system: "s1", user: "u1", temperature: 0), ChatPrompt(model: "a", system: "s1", user: "u2", temperature: 0),
                       ChatPrompt(model: "b", system: "s1", user: "u3", temperature: 0), ChatPrompt(model: "b", system: "s1", user: "u4", temperature: 0.7),
                       ChatPrompt(model: "b", system: "s2", user: "u5", temperature: 0.7)]
        var input = BatchInput()
        for (i, prompt) in prompts.enumerated() { input.append(customID: "base-\(i)", prompt: prompt) }
        let lines = input.bytes.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == prompts.count)
        for (line, prompt) in zip(lines, prompts) {
            let body = try #require((try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])?["body"] as? [String: Any])
            #expect(body["model"] as? String == prompt.model && body["temperature"] as? Double == prompt.temperature)
            #expect(body["messages"] as? [[String: String]] == [["role": "system", "content": prompt.system], ["role": "user", "content": prompt.user]])
        }
    }

    @Test func outputLinesOfEveryShape() throws {
        let success = try BatchOutput.parse(Data("""
            {"id":"r1","custom_id":"base-1","response":{"status_code":200,"request_id":"q","body":{"choices":[{"message":{"content":"Drama"}}],"usage":{"prompt_tokens":12,"completion_tokens":1}}},"error":null}
            """.utf8))
        #expect(success == OutputLine(customID: "base-1", result: .success(content: "Drama", usage: TokenCount(prompt: 12, completion: 1))))

        let httpFailure = try BatchOutput.parse(Data("""
            {"id":"r2","custom_id":"base-2","response":{"status_code":400,"body":{"error":{"message":"bad model","type":"invalid_request_error","code":"model_not_found"}}},"error":null}
            """.utf8))
        #expect(httpFailure.result == .failure(code: "model_not_found", message: "bad model"))

        let expired = try BatchOutput.parse(Data("""
            {"id":"r3","custom_id":"base-3","response":null,"error":{"code":"batch_expired","message":"not executed"}}
            """.utf8))
        #expect(expired.result == .failure(code: "batch_expired", message: "not executed"))

        let noContent = try BatchOutput.parse(Data(#"{"custom_id":"base-4","response":{"status_code":200,"body":{"choices":[]}}}"#.utf8))
        if case .failure(let code, _) = noContent.result { #expect(code == "no_content") } else { Issue.record("expected failure") }

        #expect(throws: ProviderError.self) { try BatchOutput.parse(Data("not json".utf8)) }
        #expect(throws: ProviderError.self) { try BatchOutput.parse(Data(#"{"response":null}"#.utf8)) }
    }

    /// The usual success line is read without its JSON tree (`PlainSuccess`); every other shape is
    /// left to the tree. Whenever the short way answers, it answers what the tree does, on lines of
    /// every shape: fields moved, repeated, of other types, missing, escaped names, broken JSON.
    @Test func theShortWayAnswersOnlyAsTheTreeDoes() throws {
        let usual = #"{"id":"batch_req_1","custom_id":"base-7","error":null,"response":{"status_code":200,"request_id":"req_1","body":{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop","logprobs":null,"message":{"role":"assistant","content":"Sci-Fi \"x\" \u00e9","refusal":null}}],"usage":{"prompt_tokens":136,"completion_tokens":2,"total_tokens":138}}}}"#
        let reordered = #" { "response" : { "body" : { "usage" : { "completion_tokens" : 1 } , "choices" : [ { "message" : { "content" : "Drama" } } , { "message" : 5 } ] } } , "custom_\u0069d" : "judge-3" } "#
        let variants: [String] = [
            usual, reordered,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","response":{"status_code":200.4,"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","response":{"status_code":"200","body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","response":{"status_code":500,"body":{"error":{"code":"e","message":"m"},"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","error":{"code":"x","message":"y"},"response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","error":"odd","response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","response":null}"#,
            #"{"custom_id":"base-1","response":"text"}"#,
            #"{"custom_id":"base-1","response":{"status_code":200}}"#,
            #"{"custom_id":"base-1","response":{"body":null}}"#,
            #"{"custom_id":"base-1","response":{"body":"text"}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[]}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[1,{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":null}]}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":7}}]}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A","content":"B"}}]}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A"},"message":{"content":"B"}}]}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A"}}],"choices":[]}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A"}}],"usage":7}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A"}}],"usage":{"prompt_tokens":"9"}}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A"}}],"usage":{"prompt_tokens":1,"prompt_tokens":2}}}}"#,
            #"{"custom_id":"base-1","custom_id":"base-2","response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"","response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":3,"response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"[{"custom_id":"base-1"}]"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A"}}]}}} x"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A"}}]}}"#,
            #"{"custom_id":"base-1","extra":[1,{"a":[true,null]}],"response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","extra":[1,],"response":{"body":{"choices":[{"message":{"content":"A"}}]}}}"#,
            #"{"custom_id":"base-1","response":{"body":{"choices":[{"message":{"content":"A\q"}}]}}}"#,
        ]
        var answeredShort = 0
        for line in variants {
            let tree = Result { try BatchOutput.parseTree(Data(line.utf8)) }
            let short = Array(line.utf8).withUnsafeBufferPointer(PlainSuccess.read)
            if let short {
                answeredShort += 1
                #expect(try tree.get() == short, "\(line)")
            }
            #expect((try? BatchOutput.parse(Data(line.utf8))) == (try? tree.get()), "\(line)")
        }
        #expect(Array(usual.utf8).withUnsafeBufferPointer(PlainSuccess.read) != nil, "the usual line goes the short way")
        #expect(Array(reordered.utf8).withUnsafeBufferPointer(PlainSuccess.read) != nil)
        #expect(answeredShort == 5, "the usual line, reordered, no status, status 200.4, an unknown member")
    }

    @Test func retryPolicyBacksOffHonoursRetryAfterAndGivesUp() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 4, maxRetryAfter: 120)
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 0) == 0.5)
        #expect(policy.delay(beforeRetry: 3, retryAfter: nil, random: 0) == 2)
        #expect(policy.delay(beforeRetry: 4, retryAfter: nil, random: 0) == 4)
        #expect(policy.delay(beforeRetry: 4, retryAfter: nil, random: 1) == 3)    // jitter takes up to a quarter off
        #expect(policy.delay(beforeRetry: 2, retryAfter: 7, random: 0) == 7)
        #expect(policy.delay(beforeRetry: 2, retryAfter: 500, random: 0) == nil)  // too long to wait out
        #expect(policy.delay(beforeRetry: 5, retryAfter: nil) == nil)             // attempts used up
        #expect(RetryPolicy.retryAfter { ["retry-after-ms": "250", "retry-after": "3"][$0] } == 0.25)
        #expect(RetryPolicy.retryAfter { ["retry-after": "3"][$0] } == 3)
        #expect(RetryPolicy.retryAfter { _ in nil } == nil)
    }
}
