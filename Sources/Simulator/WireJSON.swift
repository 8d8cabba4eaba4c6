import Foundation
import BatchAPI
import JudgeCore

/// What the simulator sends: its own records as BatchAPI's wire types, and the one body it
/// writes by hand, a chat completion, since it writes one per answered line.
enum WireJSON {
    static func file(_ f: SimFile) -> FileObject {
        FileObject(id: f.id, bytes: f.bytes.count, createdAt: f.createdAt, filename: f.filename, purpose: f.purpose,
                   expiresAt: f.purpose == "batch" ? f.createdAt + 2_592_000 : nil)
    }

    static func batch(_ b: SimBatch, absurdCounts: Bool = false) -> Batch {
        var batch = Batch(id: b.id, status: b.status, endpoint: b.endpoint, inputFileID: b.inputFileID, completionWindow: b.completionWindow,
                          createdAt: b.createdAt, expiresAt: b.expiresAt,
                          requestCounts: absurdCounts ? RequestCounts(total: b.total, completed: Int.max, failed: -7)
                              : RequestCounts(total: b.total, completed: b.completed, failed: b.failed),
                          metadata: b.metadata,
                          errors: b.errors.map { BatchError(code: $0.code, message: $0.message, param: $0.param, line: $0.line) })
        batch.outputFileID = b.outputFileID
        batch.errorFileID = b.errorFileID
        batch.inProgressAt = b.inProgressAt
        batch.finalizingAt = b.finalizingAt
        batch.completedAt = b.completedAt
        batch.failedAt = b.failedAt
        batch.expiredAt = b.expiredAt
        batch.cancellingAt = b.cancellingAt
        batch.cancelledAt = b.cancelledAt
        return batch
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

    /// A Responses API answer.
    static func response(id: String, model: String, system: String, user: String, content: String, created: Int) -> Data {
        WireEncoder.data(ResponseObject(id: id, messageID: "msg_" + id.dropFirst(5), createdAt: created, model: model, text: content,
                                        inputTokens: SimulatedModels.tokens([system, user]), outputTokens: SimulatedModels.tokens([content])))
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
}
