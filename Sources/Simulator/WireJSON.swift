import Foundation
import BatchAPI
import JudgeCore

/// The JSON the simulator sends, in the OpenAI shapes (batch-api.md §2–§7).
enum WireJSON {
    static func data(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func error(_ message: String, type: String = "invalid_request_error", param: String? = nil, code: String? = nil) -> Data {
        data(["error": ["message": message, "type": type, "param": param ?? NSNull(), "code": code ?? NSNull()] as [String: Any]])
    }

    /// A list page: `{object: "list", data, has_more, first_id, last_id}`.
    static func list(_ data: [[String: Any]], ids: [String], hasMore: Bool) -> [String: Any] {
        ["object": "list", "data": data, "has_more": hasMore,
         "first_id": (ids.first as Any?) ?? NSNull(), "last_id": (ids.last as Any?) ?? NSNull()]
    }

    static func file(_ f: SimFile) -> [String: Any] {
        var object: [String: Any] = ["id": f.id, "object": "file", "bytes": f.bytes.count, "created_at": f.createdAt,
                                     "filename": f.filename, "purpose": f.purpose, "status": "processed",
                                     "status_details": NSNull()]
        if f.purpose == "batch" { object["expires_at"] = f.createdAt + 2_592_000 }
        return object
    }

    static func batch(_ b: SimBatch, absurdCounts: Bool = false) -> [String: Any] {
        func optional(_ v: Any?) -> Any { v ?? NSNull() }
        let errors: Any = b.errors.isEmpty ? NSNull() : [
            "object": "list",
            "data": b.errors.map { ["code": $0.code, "line": optional($0.line), "param": optional($0.param), "message": $0.message] },
        ] as [String: Any]
        return [
            "id": b.id, "object": "batch", "endpoint": "/v1/chat/completions", "errors": errors,
            "input_file_id": b.inputFileID, "completion_window": b.completionWindow, "status": b.status,
            "output_file_id": optional(b.outputFileID), "error_file_id": optional(b.errorFileID),
            "created_at": b.createdAt, "in_progress_at": optional(b.inProgressAt), "expires_at": b.expiresAt,
            "finalizing_at": optional(b.finalizingAt), "completed_at": optional(b.completedAt),
            "failed_at": optional(b.failedAt), "expired_at": optional(b.expiredAt),
            "cancelling_at": optional(b.cancellingAt), "cancelled_at": optional(b.cancelledAt),
            "request_counts": absurdCounts ? ["total": b.total, "completed": Int.max, "failed": -7]
                : ["total": b.total, "completed": b.completed, "failed": b.failed],
            "metadata": b.metadata.isEmpty ? NSNull() : b.metadata,
        ]
    }

    /// A chat completion body, written directly: the simulator writes one per answered line.
    static func chatCompletion(id: String, model: String, system: String, user: String, content: String, created: Int) -> [UInt8] {
        let prompt = SimulatedModels.tokens([system, user])
        let completion = SimulatedModels.tokens([content])
        var out: [UInt8] = []
        JSONWriter.append(#"{"id":"#, to: &out)
        JSONWriter.appendString(id, to: &out)
        out.append(contentsOf: #","object":"chat.completion","created":\#(created),"model":"#.utf8)
        JSONWriter.appendString(model, to: &out)
        JSONWriter.append(#","choices":[{"index":0,"finish_reason":"stop","logprobs":null,"message":{"role":"assistant","content":"#, to: &out)
        JSONWriter.appendString(content, to: &out)
        out.append(contentsOf: #","refusal":null}}],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}}"#.utf8)
        return out
    }

    static func outputLine(id: String, customID: String, completion: [UInt8]) -> Data {
        var out: [UInt8] = []
        JSONWriter.append(#"{"id":"#, to: &out)
        JSONWriter.appendString(id, to: &out)
        JSONWriter.append(#","custom_id":"#, to: &out)
        JSONWriter.appendString(customID, to: &out)
        JSONWriter.append(#","error":null,"response":{"status_code":200,"request_id":"#, to: &out)
        JSONWriter.appendString("req_" + id, to: &out)
        JSONWriter.append(#","body":"#, to: &out)
        out.append(contentsOf: completion)
        JSONWriter.append("}}", to: &out)
        return Data(out)
    }

    static func errorLine(id: String, customID: String, status: Int) -> Data {
        let body: [String: Any] = ["error": ["message": "The server had an error while processing your request. Sorry about that!",
                                             "type": "server_error", "param": NSNull(), "code": NSNull()] as [String: Any]]
        return data(["id": id, "custom_id": customID, "error": NSNull(),
                     "response": ["status_code": status, "request_id": "req_" + id, "body": body] as [String: Any]])
    }

    static func unrunLine(id: String, customID: String, code: String, message: String) -> Data {
        data(["id": id, "custom_id": customID, "response": NSNull(), "error": ["code": code, "message": message]])
    }
}
