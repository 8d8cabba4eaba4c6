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
    public struct Message: Decodable, Sendable {
        public var role: String
        /// Nil for content that is not one string (parts, images).
        public var content: String?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            role = c.string(AnyKey("role"))
            content = try? c.decodeIfPresent(String.self, forKey: AnyKey("content"))
        }
    }

    public var model: String
    public var messages: [Message]

    /// The text of every message with this role, one per line.
    public func text(of role: String) -> String {
        messages.filter { $0.role == role }.compactMap(\.content).joined(separator: "\n")
    }
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
