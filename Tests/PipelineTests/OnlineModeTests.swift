import BatchAPI
import Foundation
import GRDB
import JudgeCore
import TestSupport
import Testing
@testable import Pipeline
@testable import Simulator

/// Real-time mode against the simulator over loopback.
@Suite struct OnlineModeTests {
    func run(_ sim: SimHarness, store: RunStore, config: RunConfig, rows: [Item], create: Bool = true) async throws -> Report {
        if create { try store.createRun(config, rows: rows) }
        return try await Engine(config: config, store: store, client: sim.client, emit: { _ in }).run()
    }

    func onlineConfig(_ sim: SimHarness, rows: Int, concurrency: Int = 16, maxAttempts: Int = 3, prices: PriceTable? = nil) -> RunConfig {
        RunConfig(provider: .sim, baseURL: sim.simulator.baseURL, apiKeyEnv: nil, simulated: true, mode: .online,
                  task: EvalTask.tutorial(), dataset: "bundled", limit: rows, maxAttempts: maxAttempts, concurrency: concurrency, prices: prices)
    }

    @Test func rateLimitsAndServerErrorsStillAnswerEveryRowOnce() async throws {
        let sim = try await SimHarness.start {
            $0.chatRequestsPerSecond = 400
            $0.chatLatencyMs = 5
            $0.http5xxRate = 0.05
        }
        try await stopAfter(sim.stop) {
            let rows = Array(try Dataset.bundled().rows.prefix(300))
            // Each 5xx spends an attempt: with 3 attempts, one of the 600 requests failed three times in
            // about one run in fourteen (600 × 0.05³). Six make that one in a hundred thousand.
            let onlineStore = try RunStore(directory: temporaryDirectory())
            let report = try await run(sim, store: onlineStore, config: onlineConfig(sim, rows: 300, concurrency: 64, maxAttempts: 6), rows: rows)
            let errors = try await onlineStore.db.read { try String.fetchAll($0, sql: "SELECT last_error FROM request WHERE answered = 0") }
            #expect(report.metrics.baseAnswered == 300 && report.metrics.judgeAnswered == 300 && report.metrics.failed == 0, "\(errors.prefix(3))")
            let stats = await sim.simulator.stats()
            #expect(stats.answeredTwice.isEmpty, "\(stats.answeredTwice.prefix(3))")
            #expect(stats.chatCompletions == 600)
            #expect(stats.injectedHTTPErrors > 0, "the rate limit and 5xx faults should have fired")

            // The same numbers as batch mode on the same rows.
            let batchSim = try await SimHarness.start()
            try await stopAfter(batchSim.stop) {
                let batchConfig = RunConfig(provider: .sim, baseURL: batchSim.simulator.baseURL, apiKeyEnv: nil, simulated: true,
                                            task: EvalTask.tutorial(), dataset: "bundled", limit: 300)
                let store = try RunStore(directory: temporaryDirectory())
                try store.createRun(batchConfig, rows: rows)
                let batch = try await Engine(config: batchConfig, store: store, client: batchSim.client,
                                             options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.1)), emit: { _ in }).run()
                #expect(batch.metrics == report.metrics)
                try expectConsistent(store)
            }
            try expectConsistent(onlineStore)
        }
    }

    @Test func quotaStopsTheRunAndResumeSendsOnlyWhatIsMissing() async throws {
        let sim = try await SimHarness.start { $0.chatQuota = 100 }
        try await stopAfter(sim.stop) {
            let rows = Array(try Dataset.bundled().rows.prefix(150))
            let store = try RunStore(directory: temporaryDirectory())
            let config = onlineConfig(sim, rows: 150, concurrency: 8)
            let error = await #expect(throws: EngineError.self) { _ = try await run(sim, store: store, config: config, rows: rows) }
            guard case .quotaExhausted? = error else { Issue.record("expected a quota stop, got \(String(describing: error))"); return }
            #expect(error?.description.contains("credit") == true)
            #expect(try store.status(run: config.runID) == .failed)
            let storedBefore = try store.outcomes(run: config.runID, text: false).reduce(0) {
                $0 + ($1.baseAnswer == nil ? 0 : 1) + ($1.judgeAnswer == nil ? 0 : 1)
            }
            #expect(storedBefore == 100)

            // With credit again (a fresh simulator), resume sends only the 200 requests that have no answer.
            let fresh = try await SimHarness.start()
            try await stopAfter(fresh.stop) {
                var resumed = config
                resumed.baseURL = fresh.simulator.baseURL
                let report = try await Engine(config: resumed, store: store, client: fresh.client, emit: { _ in }).run()
                #expect(report.metrics.baseAnswered == 150 && report.metrics.judgeAnswered == 150)
                #expect(await fresh.simulator.stats().chatCompletions == 300 - storedBefore)
            }
            try expectConsistent(store)
        }
    }

    @Test(arguments: [RunMode.online, .batch])
    func costMatchesTheSimulatorsUsageByHand(_ mode: RunMode) async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let prices = PriceTable(currency: "USD", models: [
                EvalTask.defaultBaseModel: .init(inputPerMillion: 0.18, outputPerMillion: 0.30, batchDiscount: 0.5),
                EvalTask.defaultJudgeModel: .init(inputPerMillion: 0.70, outputPerMillion: 0.90, batchDiscount: 0.5),
            ])
            let rows = Array(try Dataset.bundled().rows.prefix(120))
            var config = onlineConfig(sim, rows: 120, prices: prices)
            config.mode = mode
            let store = try RunStore(directory: temporaryDirectory())
            try store.createRun(config, rows: rows)
            let report = try await Engine(config: config, store: store, client: sim.client,
                                          options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.1)), emit: { _ in }).run()
            // By hand: the simulator's own token counts for each request it answered, times the prices.
            var base = (prompt: 0, completion: 0), judge = (prompt: 0, completion: 0)
            let task = EvalTask.tutorial()
            for row in rows {
                let b = task.basePrompt(for: row)
                let answer = SimulatedModels.baseAnswer(overview: row.text)
                base.prompt += SimulatedModels.tokens([b.system, b.user])
                base.completion += SimulatedModels.tokens([answer])
                let j = task.judgePrompt(for: row, baseAnswer: answer)
                judge.prompt += SimulatedModels.tokens([j.system, j.user])
                judge.completion += SimulatedModels.tokens([SimulatedModels.judgeAnswer(overview: row.text, baseAnswer: answer)])
            }
            let discount = mode == .batch ? 0.5 : 1.0
            let expectedBase = (Double(base.prompt) * 0.18 + Double(base.completion) * 0.30) / 1e6 * discount
            let expectedJudge = (Double(judge.prompt) * 0.70 + Double(judge.completion) * 0.90) / 1e6 * discount
            let cost = try #require(report.cost)
            #expect(abs((cost.byStage[.base] ?? 0) - expectedBase) < 1e-12)
            #expect(abs((cost.byStage[.judge] ?? 0) - expectedJudge) < 1e-12)
            #expect(report.tokens[.base] == TokenCount(prompt: base.prompt, completion: base.completion))
            let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
            let written = try #require((json["cost"] as? [String: Any])?["total"] as? Double)
            #expect(abs(written - cost.total) < 1e-15)
            try expectConsistent(store)
        }
    }
}

@Suite struct ConcurrencyGateTests {
    @Test func halvesOnRateLimitsOncePerBurstAndGrowsBack() async throws {
        let gate = ConcurrencyGate(maximum: 8, decreaseInterval: .seconds(60))
        for _ in 0..<3 { try await gate.acquire() }
        await gate.release(.rateLimited(retryAfter: nil))
        #expect(await gate.limit == 4)
        await gate.release(.rateLimited(retryAfter: nil))   // same burst: no second halving
        #expect(await gate.limit == 4)
        for _ in 0..<40 {
            try await gate.acquire()
            await gate.release(.success)
        }
        #expect(await gate.limit == 8)
        await gate.release(.success)  // balance the third acquire
    }

    @Test func retryAfterPausesNewRequests() async throws {
        let gate = ConcurrencyGate(maximum: 2)
        try await gate.acquire()
        await gate.release(.rateLimited(retryAfter: 0.3))
        let start = ContinuousClock.now
        try await gate.acquire()
        #expect(ContinuousClock.now - start >= .milliseconds(280))
    }

    @Test func waitersBeyondTheLimitWaitForARelease() async throws {
        let gate = ConcurrencyGate(maximum: 1)
        try await gate.acquire()
        let waiter = Task { try await gate.acquire(); return ContinuousClock.now }
        try await waitFor("the second acquire to wait") { await gate.waiting == 1 }
        let released = ContinuousClock.now
        await gate.release(.success)
        let acquired = try await waiter.value
        #expect(acquired >= released)
        let cancelled = Task { try await gate.acquire() }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
    }
}
