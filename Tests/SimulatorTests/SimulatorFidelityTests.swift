import AsyncHTTPClient
import BatchAPI
import Foundation
import JudgeCore
import NIOCore
import NIOHTTP1
import TestSupport
import Testing
@testable import Simulator

/// The simulator answers as OpenAI and kluster.ai document, where a test double is most often
/// wrong: bad request bodies, unknown models, completion windows, endpoints, uploads, and the
/// Responses API. Over loopback HTTP, as any client would call it.
@Suite struct SimulatorFidelityTests {
    /// One call with a JSON body; the status and the decoded answer.
    static func call(_ sim: SimHarness, _ method: HTTPMethod, _ path: String, _ json: String? = nil) async throws -> (status: Int, body: [String: Any]) {
        var request = HTTPClientRequest(url: sim.simulator.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(SimHarness.key)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 24)
        let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), object)
    }

    static func error(_ body: [String: Any]) -> [String: Any] { body["error"] as? [String: Any] ?? [:] }

    @Test func chatBodiesAreCheckedLikeOpenAI() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let noRole = try await Self.call(sim, .POST, "/chat/completions", #"{"model":"m","messages":[{"content":"hi"}]}"#)
            #expect(noRole.status == 400 && Self.error(noRole.body)["param"] as? String == "messages[0].role")
            #expect(Self.error(noRole.body)["code"] as? String == "missing_required_parameter")
            let badRole = try await Self.call(sim, .POST, "/chat/completions", #"{"model":"m","messages":[{"role":"robot","content":"hi"}]}"#)
            #expect(badRole.status == 400 && Self.error(badRole.body)["code"] as? String == "invalid_value")
            #expect((Self.error(badRole.body)["message"] as? String)?.hasPrefix("Invalid value: 'robot'. Supported values are: 'system',") == true)
            let noContent = try await Self.call(sim, .POST, "/chat/completions", #"{"model":"m","messages":[{"role":"user"}]}"#)
            #expect(noContent.status == 400 && Self.error(noContent.body)["param"] as? String == "messages[0].content")
            let fine = try await Self.call(sim, .POST, "/chat/completions", #"{"model":"m","messages":[{"role":"user","content":"A heist."}]}"#)
            #expect(fine.status == 200)
        }
    }

    /// In a batch, a line whose body OpenAI would refuse fails alone, its error in the error file.
    @Test func aBadLineInABatchFailsAloneInTheErrorFile() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let bad = #"{"custom_id":"bad-1","method":"POST","url":"/v1/chat/completions","body":{"model":"m","messages":[{"content":"x"}]}}"# + "\n"
            let batch = try await sim.waitUntilTerminal(try await sim.submit(try baseRequests(5) + bad).id)
            #expect(batch.status == .completed && batch.requestCounts?.completed == 5 && batch.requestCounts?.failed == 1)
            let errors = try await sim.lines(of: batch.errorFileID)
            #expect(errors.map(\.customID) == ["bad-1"])
            #expect(errors.first?.result == .failure(code: "missing_required_parameter", message: "Missing required parameter: 'messages[0].role'."))
            #expect(try await sim.lines(of: batch.outputFileID).count == 5)
        }
    }

    @Test func modelsAreListedAndOthersRefused() async throws {
        let open = try await SimHarness.start()
        try await stopAfter(open.stop) {
            let listed = try await Self.call(open, .GET, "/models")
            #expect((listed.body["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == SimulatedModels.defaultNames())
            #expect(await open.client.modelNames() == SimulatedModels.defaultNames())
        }
        let only = try await SimHarness.start { $0.models = ["small", "large"] }
        try await stopAfter(only.stop) {
            #expect(await only.client.modelNames() == ["small", "large"])
            let chat = try await Self.call(only, .POST, "/chat/completions", #"{"model":"gpt-x","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(chat.status == 404 && Self.error(chat.body)["code"] as? String == "model_not_found")
            let batch = try await only.waitUntilTerminal(try await only.submit(try baseRequests(3)).id)
            #expect(batch.status == .failed)
            #expect(batch.errors.map(\.code) == ["model_not_found", "model_not_found", "model_not_found"])
            #expect(batch.errors.allSatisfy { $0.param == "body.model" } && batch.errors.map(\.line) == [1, 2, 3])
        }
    }

    @Test(arguments: [(SimulatorFlavor.openai, false), (.kluster, true)])
    func completionWindowsFollowTheFlavor(_ flavor: SimulatorFlavor, acceptsTwoDays: Bool) async throws {
        let sim = try await SimHarness.start { $0.flavor = flavor }
        try await stopAfter(sim.stop) {
            let file = try await sim.client.uploadFile(ByteBuffer(string: try baseRequests(2)), filename: "in.jsonl")
            let twoDays = try await Self.call(sim, .POST, "/batches",
                                              #"{"input_file_id":"\#(file.id)","endpoint":"/v1/chat/completions","completion_window":"48h"}"#)
            #expect((twoDays.status == 200) == acceptsTwoDays)
            if !acceptsTwoDays {
                #expect(Self.error(twoDays.body)["message"] as? String == "Invalid value: '48h'. Supported values are: '24h'.")
                #expect(Self.error(twoDays.body)["param"] as? String == "completion_window")
            }
            let endpoint = try await Self.call(sim, .POST, "/batches",
                                               #"{"input_file_id":"\#(file.id)","endpoint":"/v1/invalid/endpoint","completion_window":"24h"}"#)
            #expect(endpoint.status == 400 && Self.error(endpoint.body)["message"] as? String
                    == "Invalid value: '/v1/invalid/endpoint'. Supported values are: '/v1/chat/completions' and '/v1/responses'.")
        }
    }

    @Test func batchUploadsMustBeJSONL() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            await #expect(throws: ProviderError.self) { _ = try await sim.client.uploadFile(ByteBuffer(string: "{}\n"), filename: "in.csv") }
            do { _ = try await sim.client.uploadFile(ByteBuffer(string: "{}\n"), filename: "in.txt") } catch let error as ProviderError {
                #expect(error.status == 400 && error.code == "invalid_file_format")
            }
            let empty = try await sim.waitUntilTerminal(try await sim.submit("").id)
            #expect(empty.status == .failed && empty.errors.map(\.code) == ["empty_file"])
            let garbled = try await sim.waitUntilTerminal(try await sim.submit(try baseRequests(2) + "{not json\n").id)
            #expect(garbled.status == .failed && garbled.errors.map(\.code) == ["invalid_json_line"] && garbled.errors.first?.line == 3)
        }
    }

    /// The Responses API, real time and in a batch, answered by the same simulated models.
    @Test func responsesAreServedLikeChat() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let overview = try #require(try Dataset.bundled().rows.first).text
            let asked = try await Self.call(sim, .POST, "/responses", String(decoding: try JSONSerialization.data(withJSONObject: [
                "model": EvalTask.defaultBaseModel, "instructions": EvalTask.tutorial().basePrompt(for: Item(index: 0, title: "", text: "", truth: [])).system, "input": overview]), as: UTF8.self))
            let output = (asked.body["output"] as? [[String: Any]])?.first
            let text = ((output?["content"] as? [[String: Any]])?.first)?["text"] as? String
            #expect(asked.status == 200 && asked.body["object"] as? String == "response" && asked.body["status"] as? String == "completed")
            #expect(text == SimulatedModels.answer(model: EvalTask.defaultBaseModel, system: EvalTask.tutorial().basePrompt(for: Item(index: 0, title: "", text: "", truth: [])).system, user: overview))
            #expect((asked.body["usage"] as? [String: Any])?["output_tokens"] as? Int ?? 0 > 0)

            let line = String(decoding: try JSONSerialization.data(withJSONObject: [
                "custom_id": "r-1", "method": "POST", "url": "/v1/responses",
                "body": ["model": EvalTask.defaultBaseModel, "input": [["role": "user", "content": overview]]]]), as: UTF8.self) + "\n"
            let file = try await sim.client.uploadFile(ByteBuffer(string: line), filename: "responses.jsonl")
            let created = try await Self.call(sim, .POST, "/batches",
                                              #"{"input_file_id":"\#(file.id)","endpoint":"/v1/responses","completion_window":"24h"}"#)
            let batch = try await sim.waitUntilTerminal(try #require(created.body["id"] as? String))
            #expect(batch.status == .completed && batch.endpoint == "/v1/responses")
            var raw: [String] = []
            try await sim.client.streamFileLines(id: try #require(batch.outputFileID)) { raw.append(String(decoding: $0, as: UTF8.self)) }
            let body = ((try JSONSerialization.jsonObject(with: Data(raw[0].utf8)) as? [String: Any])?["response"] as? [String: Any])?["body"] as? [String: Any]
            #expect(body?["object"] as? String == "response")
        }
    }
}
