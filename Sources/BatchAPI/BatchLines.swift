import Foundation
import JudgeCore

/// The chat completions endpoint, the only one judgetop batches.
public let chatCompletionsEndpoint = "/v1/chat/completions"

/// Body of a chat completion request, shared by batch lines and online calls.
struct ChatBody: Encodable {
    struct Message: Encodable { let role: String; let content: String }
    let model: String
    let temperature: Double
    let messages: [Message]

    init(_ prompt: ChatPrompt) {
        model = prompt.model
        temperature = prompt.temperature
        messages = [Message(role: "system", content: prompt.system), Message(role: "user", content: prompt.user)]
    }
}

/// Builds batch input files: one JSON object per line, each ending in "\n", no blank lines.
public enum BatchInput {
    private struct Line: Encodable {
        let custom_id: String
        let method = "POST"
        let url = chatCompletionsEndpoint
        let body: ChatBody
    }

    /// One JSONL line (with its newline) for a request.
    public static func line(customID: String, prompt: ChatPrompt) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var data = try encoder.encode(Line(custom_id: customID, body: ChatBody(prompt)))
        data.append(UInt8(ascii: "\n"))
        return data
    }
}

/// What came back for one request in an output or error file.
public enum RequestResult: Sendable, Equatable {
    case success(content: String, usage: TokenCount)
    case failure(code: String, message: String)
}

public struct OutputLine: Sendable, Equatable {
    public let customID: String
    public let result: RequestResult
}

/// Reads output and error file lines (batch-api.md §7): success only when there is no `error` and
/// the HTTP status is 2xx; otherwise the failure's code and message, from `error` or the body's envelope.
public enum BatchOutput {
    private struct Line: Decodable {
        struct Response: Decodable {
            let status_code: Int?
            let body: ChatResponseBody?
        }
        struct LineError: Decodable { let code: String?; let message: String? }
        let custom_id: String?
        let response: Response?
        let error: LineError?
    }

    public static func parse(_ line: Data) throws -> OutputLine {
        let decoded: Line
        do { decoded = try JSONDecoder().decode(Line.self, from: line) } catch {
            throw ProviderError.malformed(message: "an output line is not valid JSON: \(String(decoding: line.prefix(120), as: UTF8.self))",
                                          operation: "reading batch output")
        }
        guard let customID = decoded.custom_id, !customID.isEmpty else {
            throw ProviderError.malformed(message: "an output line has no custom_id", operation: "reading batch output")
        }
        if let error = decoded.error {
            return OutputLine(customID: customID, result: .failure(code: error.code ?? "error", message: error.message ?? ""))
        }
        guard let response = decoded.response else {
            return OutputLine(customID: customID, result: .failure(code: "no_response", message: "the line has neither a response nor an error"))
        }
        let status = response.status_code ?? 200
        guard (200..<300).contains(status) else {
            let envelope = response.body?.error
            return OutputLine(customID: customID, result: .failure(code: envelope?.code ?? "http_\(status)",
                                                                   message: envelope?.message ?? "HTTP \(status)"))
        }
        guard let body = response.body else {
            return OutputLine(customID: customID, result: .failure(code: "no_body", message: "a 2xx response without a body"))
        }
        return OutputLine(customID: customID, result: body.result)
    }
}

/// The parts of a chat completion response judgetop reads (kluster omits several optional fields).
struct ChatResponseBody: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable { let content: String? }
        let message: Message?
    }
    struct Usage: Decodable { let prompt_tokens: Int?; let completion_tokens: Int? }
    struct Envelope: Decodable { let message: String?; let code: String? }
    let choices: [Choice]?
    let usage: Usage?
    let error: Envelope?

    var result: RequestResult {
        guard let content = choices?.first?.message?.content else {
            return .failure(code: "no_content", message: "the response has no message content")
        }
        return .success(content: content, usage: TokenCount(prompt: usage?.prompt_tokens ?? 0,
                                                           completion: usage?.completion_tokens ?? 0))
    }
}
