import Foundation

/// A batch's lifecycle state, normalised from whatever casing and spelling the provider uses.
public enum BatchStatus: Sendable, Equatable, Hashable {
    case preSchedule, validating, failed, inProgress, finalizing, completed, expired, cancelling, cancelled
    case unknown(String)

    public init(raw: String) {
        switch raw.lowercased().trimmingCharacters(in: .whitespaces) {
        case "pre_schedule", "pre-schedule", "queued": self = .preSchedule
        case "validating": self = .validating
        case "failed": self = .failed
        case "in_progress", "in-progress", "running": self = .inProgress
        case "finalizing", "finalising": self = .finalizing
        case "completed", "complete": self = .completed
        case "expired": self = .expired
        case "cancelling", "canceling": self = .cancelling
        case "cancelled", "canceled": self = .cancelled
        default: self = .unknown(raw)
        }
    }

    /// No further change will come: completed, failed, expired and cancelled (expired is easy to forget).
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .expired, .cancelled: return true
        default: return false
        }
    }

    /// Ended without doing all its work: failed, expired or cancelled.
    public var endedShort: Bool {
        switch self {
        case .failed, .expired, .cancelled: return true
        default: return false
        }
    }

    public var name: String {
        switch self {
        case .preSchedule: return "pre_schedule"
        case .validating: return "validating"
        case .failed: return "failed"
        case .inProgress: return "in_progress"
        case .finalizing: return "finalizing"
        case .completed: return "completed"
        case .expired: return "expired"
        case .cancelling: return "cancelling"
        case .cancelled: return "cancelled"
        case .unknown(let raw): return raw
        }
    }
}

public struct RequestCounts: Sendable, Equatable {
    public var total: Int
    public var completed: Int
    public var failed: Int

    public init(total: Int = 0, completed: Int = 0, failed: Int = 0) {
        self.total = total
        self.completed = completed
        self.failed = failed
    }

    /// The most requests a batch can hold by any provider's limits, with room to spare.
    public static let maximum = 1 << 31

    /// Counts as a provider reported them, each held to 0...`maximum`, so that no sum or
    /// difference of them can trap; `clamped` says whether any was out of range.
    static func reported(total: Int?, completed: Int?, failed: Int?) -> (counts: RequestCounts, clamped: Bool) {
        var clamped = false
        func hold(_ value: Int?) -> Int {
            let value = value ?? 0
            let held = min(max(value, 0), maximum)
            if held != value { clamped = true }
            return held
        }
        let counts = RequestCounts(total: hold(total), completed: hold(completed), failed: hold(failed))
        return (counts, clamped)
    }
}

/// One validation problem of a batch's input file; `line` is 1-based when the provider gives it.
public struct BatchError: Sendable, Equatable, Decodable {
    public var code: String?
    public var message: String
    public var param: String?
    public var line: Int?

    public init(code: String?, message: String, param: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.param = param
        self.line = line
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        code = c.nonEmptyString(AnyKey("code"))
        message = c.string(AnyKey("message"))
        param = c.nonEmptyString(AnyKey("param"))
        line = c.flexibleInt(AnyKey("line"))
    }
}

/// A provider batch, decoded tolerantly (batch-api.md §12.1).
public struct Batch: Sendable, Equatable, Decodable {
    public var id: String
    public var status: BatchStatus
    /// The status string exactly as the provider sent it.
    public var rawStatus: String
    public var endpoint: String
    public var inputFileID: String?
    public var completionWindow: String?
    public var outputFileID: String?
    public var errorFileID: String?
    public var createdAt: Int?
    public var inProgressAt: Int?
    public var expiresAt: Int?
    public var finalizingAt: Int?
    public var completedAt: Int?
    public var failedAt: Int?
    public var expiredAt: Int?
    public var cancellingAt: Int?
    public var cancelledAt: Int?
    public var requestCounts: RequestCounts?
    /// The provider sent request counts out of range (negative or absurd); they were clamped.
    public var countsClamped = false
    public var errors: [BatchError]
    public var metadata: [String: String]

    /// A batch as a provider (the simulator) describes it; `requestCounts` is kept as given.
    public init(id: String, status: BatchStatus, endpoint: String = "/v1/chat/completions", inputFileID: String, completionWindow: String,
                createdAt: Int, expiresAt: Int,
                requestCounts: RequestCounts, metadata: [String: String] = [:], errors: [BatchError] = []) {
        self.id = id
        self.status = status
        rawStatus = status.name
        self.endpoint = endpoint
        self.inputFileID = inputFileID
        self.completionWindow = completionWindow
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.requestCounts = requestCounts
        self.metadata = metadata
        self.errors = errors
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        func key(_ s: String) -> AnyKey { AnyKey(s) }
        guard let id = c.nonEmptyString(key("id")) else {
            throw DecodingError.keyNotFound(key("id"), .init(codingPath: c.codingPath, debugDescription: "batch without an id"))
        }
        self.id = id
        rawStatus = c.string(key("status"), default: "unknown")
        status = BatchStatus(raw: rawStatus)
        endpoint = c.string(key("endpoint"))
        inputFileID = c.nonEmptyString(key("input_file_id"))
        completionWindow = c.nonEmptyString(key("completion_window"))
        outputFileID = c.nonEmptyString(key("output_file_id"))
        errorFileID = c.nonEmptyString(key("error_file_id"))
        createdAt = c.flexibleInt(key("created_at"))
        inProgressAt = c.flexibleInt(key("in_progress_at"))
        expiresAt = c.flexibleInt(key("expires_at"))
        finalizingAt = c.flexibleInt(key("finalizing_at"))
        completedAt = c.flexibleInt(key("completed_at"))
        failedAt = c.flexibleInt(key("failed_at"))
        expiredAt = c.flexibleInt(key("expired_at"))
        cancellingAt = c.flexibleInt(key("cancelling_at"))
        cancelledAt = c.flexibleInt(key("cancelled_at"))
        if let counts = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: key("request_counts")) {
            let reported = RequestCounts.reported(total: counts.flexibleInt(key("total")), completed: counts.flexibleInt(key("completed")),
                                                  failed: counts.flexibleInt(key("failed")))
            requestCounts = reported.counts
            countsClamped = reported.clamped
        }
        errors = Self.decodeErrors(c, key("errors"))
        metadata = Self.decodeMetadata(c, key("metadata"))
    }

    /// `errors` comes as `{object, data: [...]}` (OpenAI), as an array of strings (kluster's spec), or null.
    private static func decodeErrors(_ c: KeyedDecodingContainer<AnyKey>, _ key: AnyKey) -> [BatchError] {
        if let list = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: key),
           let data = try? list.decodeIfPresent([BatchError].self, forKey: AnyKey("data")) {
            return data
        }
        if let strings = try? c.decodeIfPresent([String].self, forKey: key) {
            return strings.map { BatchError(code: nil, message: $0) }
        }
        if let objects = try? c.decodeIfPresent([BatchError].self, forKey: key) { return objects }
        return []
    }

    /// Metadata is a string map; non-string values are kept as their JSON text rather than failing.
    private static func decodeMetadata(_ c: KeyedDecodingContainer<AnyKey>, _ key: AnyKey) -> [String: String] {
        if let map = try? c.decodeIfPresent([String: String].self, forKey: key) { return map }
        guard let nested = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: key) else { return [:] }
        var map: [String: String] = [:]
        for k in nested.allKeys {
            if let s = try? nested.decode(String.self, forKey: k) { map[k.stringValue] = s }
            else if let i = nested.flexibleInt(k) { map[k.stringValue] = String(i) }
        }
        return map
    }
}

/// A stored file (`OpenAIFile`); kluster omits `status` and may send `created_at` as a string.
public struct FileObject: Sendable, Decodable {
    public var id: String
    public var bytes: Int?
    public var createdAt: Int?
    public var filename: String?
    public var purpose: String?
    /// Batch input files expire (OpenAI: 30 days after upload).
    public var expiresAt: Int?

    public init(id: String, bytes: Int, createdAt: Int, filename: String, purpose: String, expiresAt: Int?) {
        self.id = id
        self.bytes = bytes
        self.createdAt = createdAt
        self.filename = filename
        self.purpose = purpose
        self.expiresAt = expiresAt
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let id = c.nonEmptyString(AnyKey("id")) else {
            throw DecodingError.keyNotFound(AnyKey("id"), .init(codingPath: c.codingPath, debugDescription: "file without an id"))
        }
        self.id = id
        bytes = c.flexibleInt(AnyKey("bytes"))
        createdAt = c.flexibleInt(AnyKey("created_at"))
        filename = c.nonEmptyString(AnyKey("filename"))
        purpose = c.nonEmptyString(AnyKey("purpose"))
        expiresAt = c.flexibleInt(AnyKey("expires_at"))
    }
}
