import Foundation
import JudgeCore

/// The chat completions endpoint, the only one judgetop batches.
public let chatCompletionsEndpoint = "/v1/chat/completions"

/// Body of a chat completion request, shared by batch lines and online calls: everything up to the
/// user's message depends only on the model, temperature and system prompt.
enum ChatBody {
    /// The body up to the user's message, which follows as a JSON string, then `tail`.
    static func head(_ prompt: ChatPrompt) -> [UInt8] {
        var output: [UInt8] = []
        JSONWriter.append(#"{"model":"#, to: &output)
        JSONWriter.appendString(prompt.model, to: &output)
        output.append(contentsOf: #","temperature":\#(prompt.temperature.isFinite ? prompt.temperature : 0),"messages":[{"role":"system","content":"#.utf8)
        JSONWriter.appendString(prompt.system, to: &output)
        JSONWriter.append(#"},{"role":"user","content":"#, to: &output)
        return output
    }

    static let tail: StaticString = "}]}"

    static func json(_ prompt: ChatPrompt) -> [UInt8] {
        var output = head(prompt)
        JSONWriter.appendString(prompt.userParts, to: &output)
        JSONWriter.append(tail, to: &output)
        return output
    }
}

/// Builds batch input files: one JSON object per line, each ending in "\n", no blank lines.
public struct BatchInput {
    public private(set) var bytes: [UInt8] = []
    /// What every line of a file shares between its custom_id and its user message (the method, URL,
    /// model, temperature and a system prompt kilobytes long): written once, copied into each line.
    private var shared: (model: String, temperature: Double, system: String, json: [UInt8])?

    public init() {}

    /// Appends one JSONL line (with its newline) for a request.
    public mutating func append(customID: String, prompt: ChatPrompt) {
        JSONWriter.append(Self.lineHead, to: &bytes)
        JSONWriter.appendString(customID, to: &bytes)
        bytes.append(contentsOf: sharedJSON(prompt))
        JSONWriter.appendString(prompt.userParts, to: &bytes)
        JSONWriter.append(ChatBody.tail, to: &bytes)
        JSONWriter.append(Self.lineTail, to: &bytes)
    }

    /// The bytes `append` would add for this request, found without writing them: counting a file
    /// then copied each judge line's 2 KB system prompt once more.
    public mutating func lineLength(customID: String, prompt: ChatPrompt) -> Int {
        Self.lineHead.utf8CodeUnitCount + JSONWriter.escapedLength(customID) + sharedJSON(prompt).count
            + JSONWriter.escapedLength(prompt.userParts) + ChatBody.tail.utf8CodeUnitCount + Self.lineTail.utf8CodeUnitCount
    }

    private static let lineHead: StaticString = #"{"custom_id":"#
    private static let lineTail: StaticString = "}\n"

    private mutating func sharedJSON(_ prompt: ChatPrompt) -> [UInt8] {
        if let shared, shared.model == prompt.model, shared.temperature == prompt.temperature, shared.system == prompt.system {
            return shared.json
        }
        var json: [UInt8] = []
        JSONWriter.append(#","method":"POST","url":"#, to: &json)
        JSONWriter.appendString(chatCompletionsEndpoint, to: &json)
        JSONWriter.append(#","body":"#, to: &json)
        json += ChatBody.head(prompt)
        shared = (prompt.model, prompt.temperature, prompt.system, json)
        return json
    }

    /// Forgets the lines built so far, keeping the scratch space.
    public mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
    }

    public static func line(customID: String, prompt: ChatPrompt) -> Data {
        var input = BatchInput()
        input.append(customID: customID, prompt: prompt)
        return Data(input.bytes)
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
    /// The members `parse` reads; the others (ids, timestamps, model, roles) are skipped.
    static let keys = JSONKeys(["custom_id", "error", "code", "message", "response", "status_code", "body"] + ChatCompletion.names)

    public static func parse<Bytes: Collection<UInt8>>(_ line: Bytes) throws -> OutputLine {
        if let plain = line.withContiguousStorageIfAvailable(PlainSuccess.read) ?? nil { return plain }
        return try parseTree(line)
    }

    /// What is left of a line `parse` rejected (cut short, or not JSON): a failure for the request
    /// it names, when its custom_id can still be found, so that the request goes again in a
    /// follow-up batch while the file's other lines are stored. Nil when no custom_id is left.
    public static func salvage<Bytes: Collection<UInt8>>(_ line: Bytes, reason: any Error) -> OutputLine? {
        let text = String(decoding: line, as: UTF8.self)
        guard let key = text.range(of: "\"custom_id\"") else { return nil }
        var rest = text[key.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard rest.first == "\"" else { return nil }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: "\""), end > rest.startIndex else { return nil }
        let customID = String(rest[..<end])
        guard !customID.contains("\\") else { return nil }
        let why = (reason as? ProviderError).map { "\($0)" } ?? "\(reason)"
        return OutputLine(customID: customID, result: .failure(code: "unreadable_line", message: "the output line could not be read: \(why)"))
    }

    /// Any line, read through its JSON tree.
    static func parseTree<Bytes: Collection<UInt8>>(_ line: Bytes) throws -> OutputLine {
        let decoded: JSONValue
        do { decoded = try JSONValue.parse(line, keeping: keys) } catch {
            throw ProviderError.malformed(message: "an output line is not valid JSON (\(error)): \(String(decoding: line.prefix(120), as: UTF8.self))",
                                          operation: "reading batch output")
        }
        guard let customID = decoded["custom_id"]?.string, !customID.isEmpty else {
            throw ProviderError.malformed(message: "an output line has no custom_id", operation: "reading batch output")
        }
        if let error = decoded["error"], error != .null {
            return OutputLine(customID: customID, result: .failure(code: error["code"]?.string ?? "error", message: error["message"]?.string ?? ""))
        }
        guard let response = decoded["response"], response != .null else {
            return OutputLine(customID: customID, result: .failure(code: "no_response", message: "the line has neither a response nor an error"))
        }
        let status = response["status_code"]?.int ?? 200
        // llama-stack's batch server writes the body as a string holding the JSON object.
        let body = response["body"].map(Self.unwrapped)
        guard (200..<300).contains(status) else {
            let envelope = body?["error"]
            return OutputLine(customID: customID, result: .failure(code: envelope?["code"]?.string ?? "http_\(status)",
                                                                   message: envelope?["message"]?.string ?? "HTTP \(status)"))
        }
        guard let body, body != .null else {
            return OutputLine(customID: customID, result: .failure(code: "no_body", message: "a 2xx response without a body"))
        }
        return OutputLine(customID: customID, result: ChatCompletion.result(body))
    }

    /// A body sent as a string that holds a JSON object, read as that object; anything else as it is.
    static func unwrapped(_ body: JSONValue) -> JSONValue {
        guard let text = body.string, text.first == "{", let inner = try? JSONValue.parse(Array(text.utf8), keeping: keys) else { return body }
        return inner
    }
}

/// The parts of a chat completion response judgetop reads (kluster omits several optional fields).
enum ChatCompletion {
    /// The members `result` reads.
    static let names = ["choices", "message", "content", "usage", "prompt_tokens", "completion_tokens"]
    static let keys = JSONKeys(names)

    static func result(_ body: JSONValue) -> RequestResult {
        guard let content = body["choices"]?.array?.first?["message"]?["content"]?.string else {
            return .failure(code: "no_content", message: "the response has no message content")
        }
        let usage = body["usage"]
        return .success(content: content, usage: TokenCount(reportedPrompt: usage?["prompt_tokens"]?.int ?? 0,
                                                           completion: usage?["completion_tokens"]?.int ?? 0))
    }
}
