import BatchAPI
import Foundation
import JudgeCore
import Pipeline
import Simulator
import Synchronization
import TestSupport
import Testing

/// The engine against the simulator over loopback, with a real SQLite store.
@Suite struct EngineTests {
    struct Outcome {
        let report: Report
        let stats: SimulatorStats
        let events: [EngineEvent]
        let store: RunStore
        let runID: String
    }

    /// A run as `judgetop run` makes it: base batches planned with the rows. `beforeRun` gets the
    /// store and run id first.
    func run(rows count: Int, task: EvalTask = EvalTask.tutorial(), maxLines: Int = 50_000,
             _ configure: (inout SimulatorOptions) -> Void = { _ in },
             beforeRun: (RunStore, String) throws -> Void = { _, _ in }) async throws -> Outcome {
        let sim = try await SimHarness.start(configure)
        return try await stopAfter(sim.stop) {
            let rows = Array(try Dataset.bundled().rows.prefix(count))
            let store = try RunStore(directory: temporaryDirectory())
            let config = RunConfig(provider: .sim, baseURL: sim.simulator.baseURL, apiKeyEnv: nil, simulated: true,
                                   task: task, dataset: "bundled", limit: count, maxLinesPerBatch: maxLines)
            try store.createRun(config, rows: rows, planning: config.planLimits)
            try beforeRun(store, config.runID)
            let events = Mutex<[EngineEvent]>([])
            let engine = Engine(config: config, store: store, client: sim.client,
                                options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.2)),
                                emit: { event in events.withLock { $0.append(event) } })
            let report = try await engine.run()
            try expectConsistent(store)
            return Outcome(report: report, stats: await sim.simulator.stats(), events: events.withLock { $0 },
                           store: store, runID: config.runID)
        }
    }

    /// A batch whose upload began before an interruption may exist at the provider without a
    /// recorded id: the run looks for it before creating anything.
    @Test func aStartedBatchIsLookedForBeforeOneIsCreated() async throws {
        let outcome = try await run(rows: 30, beforeRun: { store, run in
            let planned = try store.liveSubmissions(run: run)
            #expect(planned.map(\.started) == [false])
            try store.markStarted(planned[0].id)
            #expect(try store.liveSubmissions(run: run).map(\.started) == [true])
        })
        #expect(outcome.stats.batchListings >= 1 && outcome.stats.batchesCreated == 2 && outcome.stats.answeredTwice.isEmpty)
        #expect(outcome.report.metrics.baseAnswered == 30 && outcome.report.metrics.judgeAnswered == 30)
    }

    @Test func fullRunMatchesTheSimulatedModelsComputedIndependently() async throws {
        let outcome = try await run(rows: 300)
        let rows = Array(try Dataset.bundled().rows.prefix(300))
        var baseRight = 0, baseCounted = 0, judgeSaysCorrect = 0, verdicts = 0, judgeRight = 0, judgeCounted = 0
        var tp = 0, fp = 0, fn = 0, tn = 0
        for row in rows {
            let base = SimulatedModels.baseAnswer(overview: row.text)
            let judge = SimulatedModels.judgeAnswer(overview: row.text, baseAnswer: base)
            // Every base answer counts: one outside the label set is wrong.
            let parts = judge.split(separator: ",")
            baseCounted += 1
            if row.truth.contains(base) { baseRight += 1 }
            guard parts.count == 2 else { continue }
            let saysCorrect = parts[1].lowercased() == "correct"
            verdicts += 1
            judgeCounted += 1
            if saysCorrect { judgeSaysCorrect += 1 }
            if row.truth.contains(String(parts[0])) { judgeRight += 1 }
            switch (row.truth.contains(base), saysCorrect) {
            case (true, true): tp += 1
            case (false, true): fp += 1
            case (true, false): fn += 1
            case (false, false): tn += 1
            }
        }
        let m = outcome.report.metrics
        #expect(m.rows == 300 && m.baseAnswered == 300 && m.judgeAnswered == 300 && m.failed == 0)
        // A fresh run's batches were never started, so it never lists the provider's batches.
        #expect(outcome.stats.batchListings == 0 && outcome.stats.batchesCreated == 2)
        #expect(m.baseVsTruth == Proportion(successes: baseRight, total: baseCounted))
        #expect(m.judgeDetermined == Proportion(successes: judgeSaysCorrect, total: verdicts))
        #expect(m.judgeVsTruth == Proportion(successes: judgeRight, total: judgeCounted))
        #expect(m.confusion == JudgeConfusion(tp: tp, fp: fp, fn: fn, tn: tn))
        #expect(outcome.report.identity.simulated && outcome.report.identity.status == .done)
        #expect(outcome.stats.answeredTwice.isEmpty && outcome.stats.linesAnswered == 600)
        #expect(outcome.report.totalTokens.prompt > 0)
        // The stream tells the story in order: base before judge, progress, stored answers, finish.
        let kinds = outcome.events.map { "\($0)".prefix { $0 != "(" } }
        #expect(kinds.first == "runStarted" && kinds.last == "runFinished")
        #expect(kinds.contains("batchProgress") && kinds.contains("answersStored"))
        #expect(try outcome.store.status(run: outcome.runID) == .done)
    }

    @Test func faultsAndRateLimitsStillAnswerEveryRowExactlyOnce() async throws {
        let outcome = try await run(rows: 200) {
            $0.lineFailureRate = 0.3
            $0.http429Rate = 0.15
            $0.http5xxRate = 0.1
        }
        let m = outcome.report.metrics
        #expect(m.baseAnswered == 200 && m.judgeAnswered == 200 && m.failed == 0)
        #expect(outcome.stats.answeredTwice.isEmpty)
        #expect(outcome.stats.injectedLineFailures > 0 && outcome.stats.injectedHTTPErrors > 0)
        #expect(outcome.events.contains { if case .retryScheduled = $0 { true } else { false } })
        // Faults change nothing in the numbers.
        let clean = try await run(rows: 200)
        #expect(m == clean.report.metrics)
    }

    @Test func largeInputsAreShardedIntoSeveralBatches() async throws {
        let outcome = try await run(rows: 250, maxLines: 60)
        let created = outcome.events.filter { if case .batchCreated = $0 { true } else { false } }
        #expect(created.count == 10)  // 5 files of at most 60 lines per stage
        #expect(outcome.report.metrics.judgeAnswered == 250 && outcome.stats.answeredTwice.isEmpty)
    }

    @Test func validationFailureStopsTheRunWithLineNumbers() async throws {
        let error = await #expect(throws: EngineError.self) {
            _ = try await run(rows: 5, task: EvalTask.tutorial(baseModel: ""))
        }
        guard case .validationFailed(let stage, _, let problems)? = error else { Issue.record("wrong error"); return }
        #expect(stage == .base && problems.count == 5)
        #expect(problems.first == "line 1 (base-0): invalid_request: Model parameter is required. [body.model]")
        #expect(error?.description.contains("Nothing was resubmitted") == true)
    }
}

@Suite struct TrustReportTests {
    /// On the bundled dataset with the simulator, every estimate is there and PPI++ is narrower
    /// than labels-only with the same labels.
    @Test func bundledDatasetReportShowsEveryEstimate() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let store = try RunStore(directory: temporaryDirectory())
            let config = RunConfig(provider: .sim, baseURL: sim.simulator.baseURL, apiKeyEnv: nil, simulated: true,
                                   task: EvalTask.tutorial(), dataset: "bundled", limit: nil)
            try store.createRun(config, rows: try Dataset.bundled().rows)
            let report = try await Engine(config: config, store: store, client: sim.client,
                                          options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.2)), emit: { _ in }).run()
            let trust = report.trust
            #expect(trust.sample.labelled == Int((Double(trust.population) * 0.1).rounded()))
            for (key, rated) in trust.ratedJudgeMetrics() {
                #expect(rated.value != nil && rated.interval != nil, "\(key) lacks a value or an interval")
            }
            for estimate in trust.estimates {
                #expect(estimate.value != nil && estimate.interval != nil, "\(estimate.method): \(estimate.undefinedReason ?? "")")
            }
            let plusPlus = try #require(trust.ppiPlusPlus.interval), labelsOnly = try #require(trust.labelsOnly.interval)
            #expect(plusPlus.width < labelsOnly.width)
            let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
            let corrected = try #require(json["corrected_accuracy"] as? [String: Any])
            let methods = try #require(corrected["methods"] as? [String: Any])
            #expect(Set(methods.keys) == ["naive", "labels_only", "rogan_gladen", "rogan_gladen_lee", "ppi", "ppi_plus_plus"])
            #expect((corrected["assumptions"] as? [String])?.isEmpty == false && corrected["level"] as? Double == 0.95)
            #expect((json["per_genre"] as? [Any])?.count == 21)
            #expect(json["judge_trust"] is [String: Any] && json["baselines"] is [String: Any] && json["base_confusion"] is [String: Any])
            let text = report.text()
            for phrase in ["PPI++", "Rogan–Gladen", "labels only", "naive", "kappa", "prior-matching", "seeded uniform subset"] {
                #expect(text.contains(phrase), "summary lacks \(phrase)")
            }
            try expectConsistent(store)
        }
    }
}

@Suite struct EndStateTests {
    func engine(_ sim: SimHarness, rows: Int, events: EventLog, maxAttempts: Int = 3,
                onEvent: @escaping @Sendable (EngineEvent) -> Void = { _ in }) throws -> (Engine, RunStore, String) {
        let store = try RunStore(directory: temporaryDirectory())
        let config = RunConfig(provider: .sim, baseURL: sim.simulator.baseURL, apiKeyEnv: nil, simulated: true,
                               task: EvalTask.tutorial(), dataset: "bundled", limit: rows, maxAttempts: maxAttempts)
        try store.createRun(config, rows: Array(try Dataset.bundled().rows.prefix(rows)))
        let engine = Engine(config: config, store: store, client: sim.client,
                            options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.1)),
                            emit: { event in events.append(event); onEvent(event) })
        return (engine, store, config.runID)
    }

    @Test func expiredBatchesKeepTheirAnswersAndTheRestIsRetried() async throws {
        let sim = try await SimHarness.start { $0.validationSeconds = 0; $0.requestsPerSecond = 200; $0.expireAfterSeconds = 0.5 }
        try await stopAfter(sim.stop) {
            let events = EventLog()
            // Each batch expires half a second in; however slow the machine, enough follow-ups finish the rows.
            let (engine, store, _) = try engine(sim, rows: 120, events: events, maxAttempts: 50)
            let report = try await engine.run()
            let all = events.all
            #expect(all.contains { if case .batchProgress(_, _, .expired, _, _, _) = $0 { true } else { false } })
            #expect(all.contains { if case .retryScheduled = $0 { true } else { false } })
            #expect(report.metrics.baseAnswered == 120 && report.metrics.judgeAnswered == 120)
            #expect(await sim.simulator.stats().answeredTwice.isEmpty)
            try expectConsistent(store)
        }
    }

    @Test func aBatchCancelledAtTheProviderKeepsItsPartialOutput() async throws {
        let sim = try await SimHarness.start { $0.validationSeconds = 0.05; $0.requestsPerSecond = 300; $0.cancelSeconds = 0.05 }
        try await stopAfter(sim.stop) {
            let events = EventLog()
            let client = sim.client
            let cancelledOnce = Mutex(false)
            let (engine, store, _) = try engine(sim, rows: 150, events: events) { event in
                guard case .batchCreated(.base, let id, _, _) = event, cancelledOnce.withLock({ let first = !$0; $0 = true; return first }) else { return }
                Task {
                    try await waitFor("some answers before the cancel") { (try? await client.retrieveBatch(id: id).requestCounts?.completed ?? 0) ?? 0 > 0 }
                    _ = try await client.cancelBatch(id: id)
                }
            }
            let report = try await engine.run()
            let all = events.all
            let partial = all.compactMap { event -> Int? in
                if case .answersStored(.base, _, let stored, let failed) = event, failed > 0 { return stored }
                return nil
            }
            #expect(partial.first.map { $0 > 0 } == true, "the cancelled batch's finished answers are kept")
            #expect(report.metrics.baseAnswered == 150 && report.metrics.judgeAnswered == 150)
            #expect(await sim.simulator.stats().answeredTwice.isEmpty)
            try expectConsistent(store)
        }
    }
}

/// Engine events collected from any task.
final class EventLog: Sendable {
    private let events = Mutex<[EngineEvent]>([])
    func append(_ event: EngineEvent) { events.withLock { $0.append(event) } }
    var all: [EngineEvent] { events.withLock { $0 } }
}

@Suite struct RerunTests {
    @Test func rejudgeKeepsEarlierVerdictsAndRerunSendsTheRowAgain() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let store = try RunStore(directory: temporaryDirectory())
            let config = RunConfig(provider: .sim, baseURL: sim.simulator.baseURL, apiKeyEnv: nil, simulated: true,
                                   task: EvalTask.tutorial(), dataset: "bundled", limit: 30)
            try store.createRun(config, rows: Array(try Dataset.bundled().rows.prefix(30)))
            func engine() throws -> Engine {
                Engine(config: try store.config(run: config.runID)!, store: store, client: sim.client,
                       options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.1)), emit: { _ in })
            }
            _ = try await engine().run()
            let before = await sim.simulator.stats().linesAnswered

            try store.apply(try store.reworkJudge(run: config.runID, model: "another-judge"), run: config.runID)
            let report = try await engine().run()
            #expect(report.identity.judgeModel == "another-judge" && report.metrics.judgeAnswered == 30)
            #expect(await sim.simulator.stats().linesAnswered == before + 30)   // only the judge stage went again
            let history = try store.previousJudgements(run: config.runID)
            #expect(history.count == 30 && history[0]?.first?.hasPrefix(EvalTask.defaultJudgeModel + ": ") == true)

            try store.apply(try store.reworkRows(run: config.runID, indices: [4], maxAttempts: 3), run: config.runID)
            let again = try await engine().run()
            #expect(again.metrics.baseAnswered == 30 && again.metrics.judgeAnswered == 30)
            #expect(await sim.simulator.stats().linesAnswered == before + 32)   // row 4: base and judge
            let failed = try store.reworkFailed(run: config.runID, maxAttempts: 3)
            #expect((failed.base + failed.judge).allSatisfy { index in
                let outcome = try! store.outcomes(run: config.runID)[index]
                return Scoring.tutorial.base(outcome.baseAnswer ?? "").isUnparseable || Scoring.tutorial.judge(outcome.judgeAnswer ?? "").verdict == .unparseable
            })
            try expectConsistent(store)
        }
    }
}
