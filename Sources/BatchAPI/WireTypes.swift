import Foundation
import JudgeCore

// The OpenAI-compatible shapes judgetop's client and simulator both use, beside `Batch`,
// `FileObject` and `BatchError` (Batch.swift). Decoding is tolerant of what providers send;
// encoding writes the shape OpenAI documents, with null for an absent value.

/// The body of every error answer: `{"error": {"message", "type", "param", "code"}}`.
public struct ErrorEnvelope: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var message: String?
        public var type: String?
        @NullCoded public var param: String?
        @NullCoded public var code: String?

        public init(message: String, type: String, param: String? = nil, code: String? = nil) {
            self.message = message
            self.type = type
            self.param = param
            self.code = code
        }
    }

    public var error: Detail?

    public init(_ error: Detail) { self.error = error }
}

/// `POST /v1/batches`.
public struct CreateBatchRequest: Codable, Sendable, Equatable {
    public var inputFileID: String
    public var endpoint: String
    public var completionWindow: String
    public var metadata: [String: String]?

    public init(inputFileID: String, endpoint: String, completionWindow: String, metadata: [String: String]?) {
        self.inputFileID = inputFileID
        self.endpoint = endpoint
        self.completionWindow = completionWindow
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case inputFileID = "input_file_id", endpoint, completionWindow = "completion_window", metadata
    }
}

/// A chat completion request, as the simulator reads it (the client writes its own bytes, shared
/// with batch lines, in `ChatBody`).
public struct ChatRequest: Decodable, Sendable {
    /// One message; role and content as sent, so that a missing one can be named.
    public struct Message: Decodable, Sendable {
        public var role: String?
        /// The text, when the content is one string (not parts or images).
        public var text: String?
        /// Whether the message has content at all (a string, or parts).
        public var hasContent: Bool

        public init(role: String?, text: String?, hasContent: Bool) {
            self.role = role
            self.text = text
            self.hasContent = hasContent
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            role = try? c.decodeIfPresent(String.self, forKey: AnyKey("role"))
            text = (try? c.decodeIfPresent(String.self, forKey: AnyKey("content"))) ?? Self.partsText(c)
            hasContent = (try? c.decodeNil(forKey: AnyKey("content"))) == false
        }

        /// The text of content sent as parts (`[{type: "text" | "input_text", text}]`), joined.
        static func partsText(_ c: KeyedDecodingContainer<AnyKey>) -> String? {
            struct Part: Decodable { let text: String? }
            guard let parts = try? c.decodeIfPresent([Part].self, forKey: AnyKey("content")) else { return nil }
            return parts.compactMap(\.text).joined(separator: "\n")
        }
    }

    public var model: String?
    public var messages: [Message]?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        model = try? c.decodeIfPresent(String.self, forKey: AnyKey("model"))
        messages = try? c.decodeIfPresent([Message].self, forKey: AnyKey("messages"))
    }

    /// The text of every message with this role, one per line.
    public func text(of role: String) -> String { (messages ?? []).text(of: role) }
}

extension [ChatRequest.Message] {
    /// The text of every message with this role, one per line.
    public func text(of role: String) -> String {
        filter { $0.role == role }.compactMap(\.text).joined(separator: "\n")
    }
}

/// A Responses API request (`POST /v1/responses`), as the simulator reads it: `input` is a string
/// or a list of messages, `instructions` the system prompt.
public struct ResponsesRequest: Decodable, Sendable {
    public var model: String?
    public var instructions: String?
    /// The input as messages (a string input is one user message).
    public var messages: [ChatRequest.Message]?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        model = try? c.decodeIfPresent(String.self, forKey: AnyKey("model"))
        instructions = try? c.decodeIfPresent(String.self, forKey: AnyKey("instructions"))
        if let text = try? c.decodeIfPresent(String.self, forKey: AnyKey("input")) {
            messages = [ChatRequest.Message(role: "user", text: text, hasContent: true)]
        } else {
            messages = try? c.decodeIfPresent([ChatRequest.Message].self, forKey: AnyKey("input"))
        }
    }

    public func text(of role: String) -> String {
        let said = (messages ?? []).text(of: role)
        return ((role == "system" ? [instructions].compactMap { $0 } : []) + [said]).filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

/// A model as `GET /v1/models` lists it.
public struct ModelObject: Codable, Sendable, Equatable {
    public var id: String
    public var object = "model"
    public var created: Int
    public var ownedBy: String

    public init(id: String, created: Int, ownedBy: String) {
        self.id = id
        self.created = created
        self.ownedBy = ownedBy
    }

    enum CodingKeys: String, CodingKey { case id, object, created, ownedBy = "owned_by" }
}

/// A finished, non-streamed Responses API answer with one text message.
public struct ResponseObject: Codable, Sendable {
    public struct Item: Codable, Sendable {
        public struct Content: Codable, Sendable {
            public var type = "output_text"
            public var text: String
            public var annotations: [String] = []
        }

        public var type = "message"
        public var id: String
        public var status = "completed"
        public var role = "assistant"
        public var content: [Content]
    }

    public struct Usage: Codable, Sendable {
        public var inputTokens, outputTokens, totalTokens: Int

        enum CodingKeys: String, CodingKey { case inputTokens = "input_tokens", outputTokens = "output_tokens", totalTokens = "total_tokens" }
    }

    public var id: String
    public var object = "response"
    public var createdAt: Int
    public var status = "completed"
    public var model: String
    public var output: [Item]
    public var usage: Usage

    public init(id: String, messageID: String, createdAt: Int, model: String, text: String, inputTokens: Int, outputTokens: Int) {
        self.id = id
        self.createdAt = createdAt
        self.model = model
        output = [Item(id: messageID, content: [.init(text: text)])]
        usage = Usage(inputTokens: inputTokens, outputTokens: outputTokens, totalTokens: inputTokens + outputTokens)
    }

    enum CodingKeys: String, CodingKey { case id, object, createdAt = "created_at", status, model, output, usage }
}

/// One page of a list: `{object: "list", data, has_more, first_id, last_id}`.
public struct ListPage<Item: Codable & Sendable>: Codable, Sendable {
    public var data: [Item]
    public var hasMore: Bool
    @NullCoded public var firstID: String?
    @NullCoded public var lastID: String?
    public var object = "list"

    public init(data: [Item], ids: [String], hasMore: Bool) {
        self.data = data
        self.hasMore = hasMore
        firstID = ids.first
        lastID = ids.last
    }

    enum CodingKeys: String, CodingKey {
        case data, hasMore = "has_more", firstID = "first_id", lastID = "last_id", object
    }

    /// Tolerant: a page without `data` is empty, without `has_more` the last.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = (try? c.decodeIfPresent([Item].self, forKey: .data)) ?? []
        hasMore = (try? c.decodeIfPresent(Bool.self, forKey: .hasMore)) ?? false
        firstID = try? c.decodeIfPresent(String.self, forKey: .firstID)
        lastID = (try? c.decodeIfPresent(String.self, forKey: .lastID)).flatMap { $0?.isEmpty == false ? $0 : nil }
    }
}

/// One page of `GET /v1/batches`.
public typealias BatchPage = ListPage<Batch>

/// What deleting a file answers.
public struct DeletedFile: Codable, Sendable {
    public var id: String
    public var object = "file"
    public var deleted = true

    public init(id: String) { self.id = id }
}

/// A line of a batch's error file: a request that got an HTTP error (`response` holds its
/// status and error envelope) or was never run (`error` holds why).
public struct FailedOutputLine: Codable, Sendable {
    public struct Response: Codable, Sendable {
        public var statusCode: Int
        public var requestID: String
        public var body: ErrorEnvelope

        enum CodingKeys: String, CodingKey { case statusCode = "status_code", requestID = "request_id", body }
    }

    public struct Reason: Codable, Sendable {
        public var code: String
        public var message: String
    }

    public var id: String
    public var customID: String
    @NullCoded public var response: Response?
    @NullCoded public var error: Reason?

    enum CodingKeys: String, CodingKey { case id, customID = "custom_id", response, error }

    public static func httpError(id: String, customID: String, status: Int, body: ErrorEnvelope) -> FailedOutputLine {
        FailedOutputLine(id: id, customID: customID, response: Response(statusCode: status, requestID: "req_" + id, body: body), error: nil)
    }

    public static func notRun(id: String, customID: String, code: String, message: String) -> FailedOutputLine {
        FailedOutputLine(id: id, customID: customID, response: nil, error: Reason(code: code, message: message))
    }
}

/// JSON in the wire's own layout: no slashes escaped, as OpenAI writes it.
public enum WireEncoder {
    public static func data(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}
