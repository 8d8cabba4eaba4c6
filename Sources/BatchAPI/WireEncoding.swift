import Foundation
import JudgeCore

// How `Batch`, `BatchError` and `FileObject` are written: the simulator serves them this way, in
// OpenAI's documented shape, and the client reads them back through their tolerant decoders.

extension Batch: Encodable {
    private enum Key: String, CodingKey {
        case id, object, endpoint, errors, status, metadata
        case inputFileID = "input_file_id", completionWindow = "completion_window"
        case outputFileID = "output_file_id", errorFileID = "error_file_id"
        case createdAt = "created_at", inProgressAt = "in_progress_at", expiresAt = "expires_at"
        case finalizingAt = "finalizing_at", completedAt = "completed_at", failedAt = "failed_at"
        case expiredAt = "expired_at", cancellingAt = "cancelling_at", cancelledAt = "cancelled_at"
        case requestCounts = "request_counts"
    }

    private struct ErrorList: Encodable {
        let object = "list"
        let data: [BatchError]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(id, forKey: .id)
        try c.encode("batch", forKey: .object)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(NullCoded(wrappedValue: errors.isEmpty ? nil : ErrorList(data: errors)), forKey: .errors)
        try c.encode(rawStatus, forKey: .status)
        try c.encode(NullCoded(wrappedValue: metadata.isEmpty ? nil : metadata), forKey: .metadata)
        for (key, value) in [(Key.inputFileID, inputFileID), (.completionWindow, completionWindow), (.outputFileID, outputFileID),
                             (.errorFileID, errorFileID)] {
            try c.encode(NullCoded(wrappedValue: value), forKey: key)
        }
        for (key, value) in [(Key.createdAt, createdAt), (.inProgressAt, inProgressAt), (.expiresAt, expiresAt),
                             (.finalizingAt, finalizingAt), (.completedAt, completedAt), (.failedAt, failedAt),
                             (.expiredAt, expiredAt), (.cancellingAt, cancellingAt), (.cancelledAt, cancelledAt)] {
            try c.encode(NullCoded(wrappedValue: value), forKey: key)
        }
        let counts = requestCounts ?? RequestCounts()
        try c.encode(["total": counts.total, "completed": counts.completed, "failed": counts.failed], forKey: .requestCounts)
    }
}

extension BatchError: Encodable {
    private enum Key: String, CodingKey { case code, line, param, message }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(NullCoded(wrappedValue: code), forKey: .code)
        try c.encode(NullCoded(wrappedValue: line), forKey: .line)
        try c.encode(NullCoded(wrappedValue: param), forKey: .param)
        try c.encode(message, forKey: .message)
    }
}

extension FileObject: Encodable {
    private enum Key: String, CodingKey {
        case id, object, bytes, filename, purpose, status
        case createdAt = "created_at", expiresAt = "expires_at", statusDetails = "status_details"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(id, forKey: .id)
        try c.encode("file", forKey: .object)
        try c.encode(bytes ?? 0, forKey: .bytes)
        try c.encode(createdAt ?? 0, forKey: .createdAt)
        try c.encode(filename ?? "", forKey: .filename)
        try c.encode(purpose ?? "", forKey: .purpose)
        try c.encode("processed", forKey: .status)
        try c.encode(NullCoded<String>(wrappedValue: nil), forKey: .statusDetails)
        try c.encodeIfPresent(expiresAt, forKey: .expiresAt)
    }
}
