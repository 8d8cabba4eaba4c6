import Foundation
import BatchAPI
import JudgeCore

/// One problem found in a batch input file; `line` is 1-based.
struct ValidationIssue: Sendable, Equatable {
    let code: String
    let line: Int?
    let param: String?
    let message: String
}

/// Checks a batch input file the way OpenAI's validator does (batch-api.md §6.1), reporting every
/// offending line, not just the first.
enum InputValidator {
    /// `endpoint`: the batch's; every line's url must be it. `check` finds the problems that fail a
    /// line when it runs (a message without a role), rather than the whole file.
    static func validate(_ bytes: [UInt8], endpoint: String = "/v1/chat/completions",
                         check: RequestCheck = RequestCheck(models: nil)) -> (lines: [ParsedLine], issues: [ValidationIssue]) {
        var lines: [ParsedLine] = []
        var issues: [ValidationIssue] = []
        var seen: Set<String> = []
        var rawLines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if rawLines.last?.isEmpty == true { rawLines.removeLast() }  // one trailing newline is fine
        guard !rawLines.isEmpty else {
            return ([], [ValidationIssue(code: "empty_file", line: nil, param: nil, message: "The input file is empty.")])
        }
        for (offset, raw) in rawLines.enumerated() {
            let number = offset + 1
            func issue(_ code: String, _ param: String?, _ message: String) {
                issues.append(ValidationIssue(code: code, line: number, param: param, message: message))
            }
            // BatchAPI's byte-level reader: Foundation's JSONSerialization was a fifth of the
            // simulator's time at a million rows. Client-written lines are checked against
            // Foundation's reader in the client's own tests.
            guard let object = try? JSONValue.parse(raw), case .object = object else {
                issue("invalid_json_line", nil, "This line is not parseable as valid JSON.")
                continue
            }
            let missing = ["custom_id", "method", "url", "body"].first { object[$0] == nil || object[$0] == .null }
            if let missing {
                issue("missing_required_parameter", missing, "Missing required parameter: '\(missing)'.")
                continue
            }
            guard let customID = object["custom_id"]?.string, !customID.isEmpty else {
                issue("invalid_request", "custom_id", "custom_id must be a non-empty string.")
                continue
            }
            guard object["url"]?.string == endpoint else {
                issue("invalid_url", "url", "The URL provided for this request does not match the batch endpoint.")
                continue
            }
            guard object["method"]?.string?.uppercased() == "POST" else {
                issue("invalid_request", "method", "Only POST requests are supported.")
                continue
            }
            guard let body = object["body"], case .object = body else {
                issue("invalid_request", "body", "The body must be a JSON object.")
                continue
            }
            if body["stream"] == .bool(true) {
                issue("streaming_unsupported", "body.stream", "Chat Completions: Streaming is not supported in the Batch API.")
                continue
            }
            guard let model = body["model"]?.string, !model.isEmpty else {
                issue("invalid_request", "body.model", "Model parameter is required.")
                continue
            }
            if let models = check.models, !models.contains(model) {
                issue("model_not_found", "body.model", "The provided model '\(model)' is not supported by the Batch API.")
                continue
            }
            let responses = endpoint == "/v1/responses"
            let listName = responses ? "input" : "messages"
            var messages = body[listName]?.array.map { $0.map(Self.message) }
            if responses, let text = body["input"]?.string { messages = [ChatRequest.Message(role: "user", text: text, hasContent: true)] }
            if !responses, messages?.isEmpty ?? true {
                issue("invalid_request", "body.messages", "Messages parameter is required.")
                continue
            }
            guard seen.insert(customID).inserted else {
                issue("duplicate_custom_id", "custom_id", "The custom_id '\(customID)' is used on more than one line.")
                continue
            }
            let said = messages ?? []
            let system = ([responses ? body["instructions"]?.string : nil].compactMap { $0 } + [said.text(of: "system")].filter { !$0.isEmpty })
                .joined(separator: "\n")
            lines.append(ParsedLine(customID: customID, model: model, system: system, user: said.text(of: "user"),
                                    problem: check.problem(model: model, messages: messages, messagesName: listName)))
        }
        return (lines, issues)
    }

    /// A message of a line's body, as the request check reads it.
    static func message(_ value: JSONValue) -> ChatRequest.Message {
        let content = value["content"]
        let parts = content?.array?.compactMap { $0["text"]?.string }
        return ChatRequest.Message(role: value["role"]?.string, text: content?.string ?? parts?.joined(separator: "\n"),
                                   hasContent: content != nil && content != .null)
    }
}
