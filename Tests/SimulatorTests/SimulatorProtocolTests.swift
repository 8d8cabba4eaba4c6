import BatchAPI
import Foundation
import JudgeCore
import NIOCore
import TestSupport
import Testing
@testable import Simulator

/// The simulator's Files and Batches API, exercised by the real client over loopback HTTP.
@Suite struct SimulatorProtocolTests {
    /// Uploads go out as a form around the file's bytes: the provider gets every byte, and a file
    /// name with quotes or a line break cannot break the form. Downloads come back line by line,
    /// whether lines end in LF or CRLF, span chunks, or leave blank lines between them.
    @Test func uploadedFilesArriveWholeWhateverTheirName() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let lines = (0..<50_000).map { #"{"line":\#($0),"text":"\u2014 ‘quoted’ \\n"}"# }
            // Lines end in LF or CRLF, a few blank lines between, none after the last: read back the same.
            let text = lines.enumerated().map { $0.element + ($0.offset % 3 == 0 ? "\r\n" : $0.offset % 1000 == 1 ? "\n\n" : "\n") }.joined()
            let content = ByteBuffer(string: String(text.dropLast()))
            let file = try await sim.client.uploadFile(content, filename: "my \"judge\"\nfile.jsonl")
            #expect(file.filename == "my %22judge%22%0Afile.jsonl")
            #expect(file.bytes == content.readableBytes)
            var received: [String] = []
            try await sim.client.streamFileLines(id: file.id) { received.append(String(decoding: $0, as: UTF8.self)) }
            #expect(received == lines)
        }
    }

    @Test func batchRunsThroughItsLifecycleWithShuffledOutput() async throws {
        let sim = try await SimHarness.start { $0.validationSeconds = 0.2; $0.requestsPerSecond = 300 }
        try await stopAfter(sim.stop) {
            let created = try await sim.submit(try baseRequests(200))
            #expect(created.status == .validating)
            #expect(created.requestCounts == RequestCounts(total: 0, completed: 0, failed: 0))
            var seen: Set<String> = []
            var sawLiveCounts = false
            var batch = created
            while !batch.status.isTerminal {
                batch = try await sim.client.retrieveBatch(id: created.id)
                seen.insert(batch.status.name)
                if batch.status == .inProgress, let counts = batch.requestCounts, counts.total == 200,
                   counts.completed > 0, counts.completed < 200 { sawLiveCounts = true }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(seen.contains("in_progress") && sawLiveCounts)
            #expect(batch.status == .completed && batch.completedAt != nil && batch.inProgressAt != nil)
            #expect(batch.requestCounts == RequestCounts(total: 200, completed: 200, failed: 0))
            #expect(batch.errorFileID == nil)
            let lines = try await sim.lines(of: batch.outputFileID)
            let ids = lines.map(\.customID)
            #expect(Set(ids) == Set((0..<200).map { "base-\($0)" }))
            #expect(ids != (0..<200).map { "base-\($0)" }, "output should be shuffled")
            let rows = try Dataset.bundled().rows
            for line in lines {
                let index = Int(line.customID.dropFirst(5))!
                guard case .success(let content, let usage) = line.result else { Issue.record("line failed"); continue }
                #expect(content == SimulatedModels.baseAnswer(overview: rows[index].text))
                #expect(usage.prompt > 0 && usage.completion > 0)
            }
        }
    }

    @Test func keepOrderOptionKeepsInputOrder() async throws {
        let sim = try await SimHarness.start { $0.keepOutputOrder = true }
        try await stopAfter(sim.stop) {
            let batch = try await sim.waitUntilTerminal(try await sim.submit(try baseRequests(50)).id)
            #expect(try await sim.lines(of: batch.outputFileID).map(\.customID) == (0..<50).map { "base-\($0)" })
        }
    }

    @Test func listingPaginatesNewestFirst() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            var created: [String] = []
            for i in 0..<5 { created.append(try await sim.submit(try baseRequests(1), metadata: ["n": "\(i)"]).id) }
            var collected: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let page = try await sim.client.listBatches(after: after, limit: 2)
                collected += page.data.map(\.id)
                pages += 1
                after = page.hasMore ? page.data.last?.id : nil
            } while after != nil
            #expect(pages == 3)
            #expect(collected == created.reversed())
            #expect(try await sim.client.findBatch(metadata: ["n": "3"], since: 0)?.id == created[3])
        }
    }

    @Test func cancelMidRunKeepsPartialOutputAndFinishedBatchesAnswer409() async throws {
        let sim = try await SimHarness.start { $0.validationSeconds = 0; $0.requestsPerSecond = 200; $0.cancelSeconds = 0.1 }
        try await stopAfter(sim.stop) {
            let batch = try await sim.submit(try baseRequests(300))
            try await waitFor("some answers before the cancel") { (try? await sim.client.retrieveBatch(id: batch.id).requestCounts?.completed ?? 0) ?? 0 > 0 }
            let cancelling = try await sim.client.cancelBatch(id: batch.id)
            #expect(cancelling.status == .cancelling && cancelling.outputFileID == nil)
            let done = try await sim.waitUntilTerminal(batch.id)
            #expect(done.status == .cancelled && done.cancelledAt != nil)
            let output = try await sim.lines(of: done.outputFileID)
            let errors = try await sim.lines(of: done.errorFileID)
            #expect(!output.isEmpty && !errors.isEmpty && output.count + errors.count == 300)
            #expect(errors.allSatisfy { $0.result == .failure(code: "batch_cancelled", message: "This request was not executed because the batch was cancelled.") })
            // Cancelling again is allowed; cancelling a completed batch is a 409.
            #expect(try await sim.client.cancelBatch(id: batch.id).status == .cancelled)
            let finished = try await sim.waitUntilTerminal(try await sim.submit(try baseRequests(2)).id)
            let conflict = await #expect(throws: ProviderError.self) { try await sim.client.cancelBatch(id: finished.id) }
            #expect(conflict?.status == 409)
            #expect(conflict?.description.contains("Cannot cancel a batch with status 'completed'") == true)
        }
    }

    @Test func unknownIdsAre404WithTheErrorEnvelope() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            for call in [{ _ = try await sim.client.retrieveBatch(id: "batch_nope") },
                         { _ = try await sim.client.cancelBatch(id: "batch_nope") },
                         { try await sim.client.streamFileLines(id: "file-nope") { _ in } }] as [() async throws -> Void] {
                let error = await #expect(throws: ProviderError.self) { try await call() }
                #expect(error?.status == 404 && error?.code == "not_found")
            }
        }
    }

    @Test func validationFailureNamesEveryBadLine() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let good = try baseRequests(2)
            let lines = good.split(separator: "\n").map(String.init)
            let jsonl = [lines[0], "{not json", lines[1].replacingOccurrences(of: "/v1/chat/completions", with: "/v1/embeddings"),
                         lines[0], #"{"custom_id":"x","method":"POST","url":"/v1/chat/completions"}"#].joined(separator: "\n") + "\n"
            let batch = try await sim.waitUntilTerminal(try await sim.submit(jsonl).id)
            #expect(batch.status == .failed && batch.failedAt != nil)
            #expect(batch.outputFileID == nil && batch.errorFileID == nil)
            #expect(batch.errors.map(\.line) == [2, 3, 4, 5])
            #expect(batch.errors.map(\.code) == ["invalid_json_line", "invalid_url", "duplicate_custom_id", "missing_required_parameter"])
            #expect(batch.errors.last?.param == "body")
        }
    }

    @Test func allFailedBatchHasNoOutputFile() async throws {
        let sim = try await SimHarness.start { $0.lineFailureRate = 1 }
        try await stopAfter(sim.stop) {
            let batch = try await sim.waitUntilTerminal(try await sim.submit(try baseRequests(5)).id)
            #expect(batch.status == .completed && batch.outputFileID == nil && batch.errorFileID != nil)
            #expect(batch.requestCounts == RequestCounts(total: 5, completed: 0, failed: 5))
            let errors = try await sim.lines(of: batch.errorFileID)
            #expect(errors.count == 5 && errors.allSatisfy { if case .failure(let code, _) = $0.result { code == "http_500" } else { false } })
        }
    }

    @Test func slowRatesHold() async throws {
        // Under one request a tick (a tick is 50 ms), a batch used to answer one a tick anyway: 20 a
        // second when asked for 4. However slow the machine, it may never be ahead of the rate.
        let sim = try await SimHarness.start { $0.validationSeconds = 0; $0.requestsPerSecond = 4 }
        try await stopAfter(sim.stop) {
            let submitted = ContinuousClock.now
            let created = try await sim.submit(try baseRequests(40))
            var completed = 0
            while completed < 3, ContinuousClock.now - submitted < .seconds(30) {
                try await Task.sleep(for: .milliseconds(100))
                completed = try await sim.client.retrieveBatch(id: created.id).requestCounts?.completed ?? 0
            }
            let age = (ContinuousClock.now - submitted) / .seconds(1)
            #expect(completed >= 3 && Double(completed) <= 4 * age + 1, "\(completed) answered in \(age) s")
        }
    }

    @Test func expiredBatchKeepsWhatFinished() async throws {
        // 200 lines at 10 a second take 20 s: some are done when the batch expires at 8 s, even on a
        // machine busy enough to stall the simulator for seconds (the whole suite beside it did, at 4 s).
        let sim = try await SimHarness.start { $0.validationSeconds = 0; $0.requestsPerSecond = 10; $0.expireAfterSeconds = 8.0 }
        try await stopAfter(sim.stop) {
            let batch = try await sim.waitUntilTerminal(try await sim.submit(try baseRequests(200)).id)
            #expect(batch.status == .expired && batch.expiredAt != nil)
            let output = try await sim.lines(of: batch.outputFileID)
            let errors = try await sim.lines(of: batch.errorFileID)
            #expect(!output.isEmpty && output.count < 200 && output.count + errors.count == 200)
            #expect(errors.allSatisfy { if case .failure(let code, _) = $0.result { code == "batch_expired" } else { false } })
        }
    }

    @Test func wrongKeyIs401AndCreateParametersAreChecked() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let stranger = ProviderClient(baseURL: sim.simulator.baseURL, apiKey: "wrong")
            let denied = await #expect(throws: ProviderError.self) { _ = try await stranger.listBatches() }
            #expect(denied?.status == 401 && denied?.code == "invalid_api_key")
            await stranger.shutdown()
            let file = try await sim.client.uploadFile(ByteBuffer(string: try baseRequests(1)), filename: "x.jsonl")
            let window = await #expect(throws: ProviderError.self) {
                _ = try await sim.client.createBatch(inputFileID: file.id, completionWindow: "1h", metadata: [:])
            }
            #expect(window?.status == 400)
        }
    }

    @Test func chatCompletionAnswersLikeTheBatchModels() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let row = try Dataset.bundled().rows[5]
            let result = try await sim.client.chatCompletion(EvalTask.tutorial().judgePrompt(for: row, baseAnswer: "Drama"))
            guard case .success(let content, _) = result else { Issue.record("chat failed"); return }
            #expect(content == SimulatedModels.judgeAnswer(overview: row.text, baseAnswer: "Drama"))
            #expect(await sim.simulator.stats().chatCompletions == 1)
        }
    }
}
