import Foundation
import Testing
@testable import BatchAPI

@Suite struct TolerantDecodingTests {
    func batch(_ json: String) throws -> Batch { try JSONDecoder().decode(Batch.self, from: Data(json.utf8)) }

    @Test func openAISpecExampleDecodes() throws {
        let b = try batch("""
            {"id":"batch_abc123","object":"batch","endpoint":"/v1/chat/completions","errors":null,
             "input_file_id":"file-abc123","completion_window":"24h","status":"completed",
             "output_file_id":"file-cvaTdG","error_file_id":"file-HOWS94","created_at":1711471533,
             "in_progress_at":1711471538,"expires_at":1711557933,"finalizing_at":1711493133,"completed_at":1711493163,
             "failed_at":null,"expired_at":null,"cancelling_at":null,"cancelled_at":null,
             "request_counts":{"total":100,"completed":95,"failed":5},"metadata":{"customer_id":"user_123456789"}}
            """)
        #expect(b.status == .completed && b.status.isTerminal)
        #expect(b.requestCounts == RequestCounts(total: 100, completed: 95, failed: 5))
        #expect(b.outputFileID == "file-cvaTdG" && b.errorFileID == "file-HOWS94")
        #expect(b.metadata["customer_id"] == "user_123456789")
        #expect(b.expiresAt == 1_711_557_933)
    }

    @Test func klusterShapesDecode() throws {
        // Timestamps as strings, uppercase American spelling, errors as strings, metadata {}.
        let b = try batch("""
            {"id":"67ae7f7d965c187d5cda039f","status":"CANCELED","created_at":"1733832777",
             "in_progress_at":"1733832777.5","errors":["Fine Tune job doesn't exist"],"metadata":{}}
            """)
        #expect(b.status == .cancelled && b.rawStatus == "CANCELED")
        #expect(b.createdAt == 1_733_832_777 && b.inProgressAt == 1_733_832_777)
        #expect(b.errors == [BatchError(code: nil, message: "Fine Tune job doesn't exist")])
        #expect(b.metadata.isEmpty && b.requestCounts == nil)
    }

    @Test func statusSpellingsNormalise() {
        #expect(BatchStatus(raw: "canceling") == .cancelling)
        #expect(BatchStatus(raw: "In_Progress") == .inProgress)
        #expect(BatchStatus(raw: "pre_schedule") == .preSchedule)
        #expect(BatchStatus(raw: "expired").isTerminal)
        #expect(BatchStatus(raw: "weird") == .unknown("weird"))
        #expect(!BatchStatus(raw: "finalizing").isTerminal)
    }

    @Test func emptyFileIDsAreAbsentAndValidationErrorsKeepLines() throws {
        let b = try batch("""
            {"id":"b1","status":"failed","output_file_id":"","error_file_id":"",
             "errors":{"object":"list","data":[{"code":"invalid_json_line","line":3,"param":null,
               "message":"This line is not parseable as valid JSON."},{"code":"invalid_url","line":"7","message":"m"}]}}
            """)
        #expect(b.outputFileID == nil && b.errorFileID == nil)
        #expect(b.errors.map(\.line) == [3, 7])
        #expect(b.errors.first?.code == "invalid_json_line")
    }

    @Test func listWithKlusterPagingExtrasDecodes() throws {
        let page = try JSONDecoder().decode(BatchPage.self, from: Data("""
            {"object":"list","data":[{"id":"a","status":"completed"}],"count":1,"page":1,"page_count":-1,
             "items_per_page":9223372036854775807}
            """.utf8))
        #expect(page.data.map(\.id) == ["a"] && !page.hasMore)
    }

    @Test func fileObjectWithoutStatusDecodes() throws {
        let f = try JSONDecoder().decode(FileObject.self, from: Data("""
            {"id":"myfile-123","bytes":"517","created_at":"1733832768","filename":"x.jsonl","object":"file","purpose":"batch"}
            """.utf8))
        #expect(f.id == "myfile-123" && f.bytes == 517)
    }

    @Test func errorEnvelopeAndGatewayHTMLBecomeTypedErrors() {
        let rate = ProviderError.fromResponse(status: 429, body: Data("""
            {"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}
            """.utf8), operation: "x")
        #expect(rate.isRetryable && rate.code == "rate_limit_exceeded")
        let quota = ProviderError.fromResponse(status: 429, body: Data(#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#.utf8), operation: "x")
        #expect(!quota.isRetryable && quota.isQuotaExhausted)
        let gateway = ProviderError.fromResponse(status: 502, body: Data("<html>Bad Gateway</html>".utf8), operation: "x")
        #expect(gateway.isRetryable && gateway.description.contains("Bad Gateway"))
        for status in [400, 401, 403, 404, 409, 422] {
            #expect(!ProviderError.http(status: status, type: nil, code: nil, message: "", operation: "x").isRetryable)
        }
        #expect(ProviderError.http(status: 401, type: nil, code: nil, message: "bad key", operation: "x").description.contains("API key"))
    }
}
