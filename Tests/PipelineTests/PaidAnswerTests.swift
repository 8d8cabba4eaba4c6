import BatchAPI
import Foundation
import JudgeCore
import GRDB
@testable import Pipeline
import Simulator
import Synchronization
import TestSupport
import Testing

/// Answers the provider charged for are stored and counted, whatever the provider does to them,
/// and work asked again never throws away what is there: the engine over loopback HTTP against a
/// simulator that injects the fault, with a real store.
@Suite struct PaidAnswerTests {
    /// A simulator, a store holding a run of the first `rows` movies planned as `judgetop run` plans it.
    final class Bench: Sendable {
        let sim: SimHarness
        let store: RunStore
        let runID: String
        let events = Mutex<[EngineEvent]>([])

        init(sim: SimHarness, store: RunStore, runID: String) {
            self.sim = sim
            self.store = store
            self.runID = runID
        }

        static func start(rows: Int, chunk: Int = 10_000, _ configure: (inout SimulatorOptions) -> Void = { _ in }) async throws -> Bench {
            let sim = try await SimHarness.start(configure)
            let store = try RunStore(directory: temporaryDirectory())
            let config = RunConfig(provider: .sim, baseURL: sim.simulator.baseURL, apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                                   dataset: "bundled", limit: rows, chunkSize: chunk)
            try store.createRun(config, rows: Array(try Dataset.bundled().rows.prefix(rows)), planning: config.planLimits)
            return Bench(sim: sim, store: store, runID: config.runID)
        }

        func engine() throws -> Engine {
            Engine(config: try #require(try store.config(run: runID)), store: store, client: sim.client,
                   options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.1)),
                   emit: { [self] event in self.events.withLock { $0.append(event) } })
        }

        var warnings: [String] {
            events.withLock { $0.compactMap { if case .warning(let text) = $0 { text } else { nil } } }
        }

        func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) throws {
            try TestSupport.expectConsistent(store, sourceLocation: sourceLocation)
        }
    }

    /// Item 2: a cut-short line loses only its own answer, which a follow-up batch asks again.
    @Test func malformedOutputLinesGoAgainAndTheRestIsStored() async throws {
        let bench = try await Bench.start(rows: 120) { $0.malformedLineRate = 0.2 }
        try await stopAfter(bench.sim.stop) {
            let report = try await bench.engine().run()
            let stats = await bench.sim.simulator.stats()
            #expect(stats.injectedMalformedLines > 10)
            #expect(report.identity.status == .done)
            #expect(report.metrics.baseAnswered == 120 && report.metrics.judgeAnswered == 120)
            #expect(stats.answeredTwice.isEmpty)
            #expect(bench.warnings.contains { $0.contains("could not be read; their requests go again") })
            try bench.expectConsistent()
        }
    }

    /// Item 3: a download that breaks off mid-file is fetched again, not the end of the run.
    @Test func aBrokenDownloadIsRetried() async throws {
        let bench = try await Bench.start(rows: 60) { $0.cutDownloadsAfterBytes = 700 }
        try await stopAfter(bench.sim.stop) {
            let report = try await bench.engine().run()
            let stats = await bench.sim.simulator.stats()
            #expect(stats.injectedDownloadCuts >= 2)
            #expect(report.metrics.baseAnswered == 60 && report.metrics.judgeAnswered == 60)
            #expect(stats.answeredTwice.isEmpty && stats.batchesCreated == 2)
            try bench.expectConsistent()
        }
    }

    /// Item 10: absurd request counts are clamped and said, never a trap.
    @Test func absurdRequestCountsAreClampedAndTheRunFinishes() async throws {
        let bench = try await Bench.start(rows: 20) { $0.absurdCounts = true }
        try await stopAfter(bench.sim.stop) {
            let report = try await bench.engine().run()
            #expect(report.metrics.judgeAnswered == 20)
            #expect(bench.warnings.contains { $0.contains("request counts out of range") })
            let progress = bench.events.withLock { $0.compactMap { if case .batchProgress(_, _, _, let done, let failed, _) = $0 { (done, failed) } else { nil } } }
            #expect(!progress.isEmpty && progress.allSatisfy { (0...RequestCounts.maximum).contains($0.0) && (0...RequestCounts.maximum).contains($0.1) })
            try bench.expectConsistent()
        }
    }

    /// Items 5 and 7: a re-judge keeps the verdicts shown until new ones arrive; cancelled midway,
    /// the run keeps its earlier verdicts and its status, names both judges, counts every pass's
    /// tokens, and a later rerun of one row sends that row only.
    @Test func aCancelledRejudgeKeepsTheVerdictsAndTheStatus() async throws {
        let bench = try await Bench.start(rows: 200, chunk: 40) { $0.requestsPerSecond = 150 }
        try await stopAfter(bench.sim.stop) {
            _ = try await bench.engine().run()
            let firstPass = try bench.store.tokens(run: bench.runID)
            let judge = EvalTask.defaultJudgeModel
            try bench.store.apply(try bench.store.reworkJudge(run: bench.runID, model: "another-judge"), run: bench.runID)
            #expect(try bench.store.outcomes(run: bench.runID).filter { $0.judgeAnswer != nil }.count == 200)  // still shown
            // The re-judge goes to a slow provider and is cancelled once its batches have answered some
            // lines: those are stored (paid), the rest keep their earlier verdicts.
            let slow = try await SimHarness.start { $0.requestsPerSecond = 20 }
            try await stopAfter(slow.stop) {
                let config = try #require(try bench.store.config(run: bench.runID))
                let rejudge = Task { try await Engine(config: config, store: bench.store, client: slow.client,
                                                      options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.1)), emit: { _ in }).run() }
                let deadline = Date().addingTimeInterval(30)
                while await slow.simulator.stats().linesAnswered < 10 {
                    guard Date() < deadline else { throw TestFailure("the re-judge answered nothing") }
                    try await Task.sleep(for: .milliseconds(10))
                }
                let cancel = try await RunCancellation.cancel(run: bench.runID, store: bench.store, client: slow.client, reason: "test")
                #expect(cancel.request == .recorded(status: .done))
                let report = try await rejudge.value
                #expect(report.identity.status == .done)
                #expect(report.metrics.judgeAnswered == 200)
                let shown = try bench.store.judgesShown(run: bench.runID)
                #expect(Set(shown.map(\.model)) == [judge, "another-judge"] && shown.map(\.verdicts).reduce(0, +) == 200, "\(shown)")
                #expect(await slow.simulator.stats().linesAnswered < 200)
                // Every answer charged, both judges' separately; the first pass's tokens are still counted.
                let charges = try bench.store.charges(run: bench.runID).filter { $0.stage == .judge }
                #expect(charges.map(\.model).sorted() == ["another-judge", judge])
                #expect(charges.first { $0.model == judge }?.answers == 200)
                let anotherAnswers = try #require(charges.first { $0.model == "another-judge" }?.answers)
                #expect(anotherAnswers >= shown.first { $0.model == "another-judge" }!.verdicts)
                #expect(try bench.store.tokens(run: bench.runID)[.judge]!.prompt > firstPass[.judge]!.prompt)
                try bench.expectConsistent()

                // A rerun of one row afterwards sends that row, not the rest of the cancelled re-judge.
                let before = await bench.sim.simulator.stats().linesAnswered
                let row = try bench.store.reworkRows(run: bench.runID, indices: [7], maxAttempts: 3)
                #expect(row == Rework(base: [7]) && row.requests == 2)
                try bench.store.apply(row, run: bench.runID)
                _ = try await bench.engine().run()
                #expect(await bench.sim.simulator.stats().linesAnswered == before + 2)
                try bench.expectConsistent()
            }
        }
    }

    /// Item 6: only the failed stage goes again; a row with nothing failed goes again whole.
    @Test func rerunsSendOnlyTheFailedStage() async throws {
        let bench = try await Bench.start(rows: 30)
        try await stopAfter(bench.sim.stop) {
            _ = try await bench.engine().run()
            // Row 3's verdict says neither correct nor incorrect; row 5's base request failed for good
            // (as if every attempt had failed: no answer, attempts spent, so no judge request either).
            try await bench.store.db.write { db in
                try db.execute(sql: "UPDATE answer SET content = 'no idea' WHERE stage = 'judge' AND idx = 3")
                try db.execute(sql: "DELETE FROM answer WHERE idx = 5")
                try db.execute(sql: "DELETE FROM request WHERE stage = 'judge' AND idx = 5")
                try db.execute(sql: "UPDATE request SET answered = 0, attempts = 3, last_error = 'http_500: boom' WHERE stage = 'base' AND idx = 5")
            }
            let failed = try bench.store.reworkFailed(run: bench.runID, maxAttempts: 3)
            #expect(failed == Rework(base: [5], judge: [3]))
            #expect(try bench.store.reworkRows(run: bench.runID, indices: [3, 9], maxAttempts: 3) == Rework(base: [9], judge: [3]))
            let before = await bench.sim.simulator.stats().linesAnswered
            try bench.store.apply(failed, run: bench.runID)
            let report = try await bench.engine().run()
            // Row 3: its judge only; row 5: its base, then the judge of the new base answer.
            #expect(await bench.sim.simulator.stats().linesAnswered == before + 3)
            #expect(report.metrics.judgeAnswered == 30)
            let history = try bench.store.previousJudgements(run: bench.runID)
            #expect(history[3] == ["\(EvalTask.defaultJudgeModel): no idea"])
            try bench.expectConsistent()
        }
    }

    /// Duplicates (a line for a request answered already) were paid: kept in the history, charged.
    @Test func aDuplicateAnswerIsKeptAndCharged() async throws {
        let bench = try await Bench.start(rows: 4)
        try await stopAfter(bench.sim.stop) {
            let submission = try #require(try bench.store.liveSubmissions(run: bench.runID).first)
            let line = { (content: String) in
                try BatchOutput.parse(Array(#"{"custom_id":"base-1","response":{"status_code":200,"body":{"choices":[{"message":{"content":"\#(content)"}}],"usage":{"prompt_tokens":10,"completion_tokens":1}}}}"#.utf8))
            }
            let outcome = try bench.store.storeResults(run: bench.runID, submission: submission, lines: [try line("Drama"), try line("Comedy")], model: "m")
            #expect(outcome.stored == 1 && outcome.duplicates == ["base-1"])
            #expect(try bench.store.charges(run: bench.runID) == [Charge(stage: .base, model: "m", tokens: TokenCount(prompt: 20, completion: 2), answers: 2)])
            let kept = try await bench.store.db.read { db in try String.fetchAll(db, sql: "SELECT content FROM answer_history WHERE idx = 1") }
            #expect(kept == ["Comedy"])
            try bench.expectConsistent()
        }
    }

    /// The labelled subset the estimates used is stored with the finished run (issue 23, item 7).
    @Test func theLabelledSubsetIsStoredWithTheRun() async throws {
        let bench = try await Bench.start(rows: 200)
        try await stopAfter(bench.sim.stop) {
            let report = try await bench.engine().run()
            let stored = try bench.store.labelledRows(run: bench.runID)
            #expect(stored == report.trust.labelledRows && stored.count == report.trust.sample.labelled && stored.count >= 19)
            #expect(stored == stored.sorted() && Set(stored).count == stored.count)
            try bench.expectConsistent()
        }
    }

    /// Item 9: after a crash, the newest batch made for the interrupted submission is followed and
    /// any other one made for the same requests (an orphan) is cancelled.
    @Test func anOrphanBatchForTheSameRequestsIsCancelled() async throws {
        let bench = try await Bench.start(rows: 30) { $0.validationSeconds = 0.3; $0.requestsPerSecond = 60 }
        try await stopAfter(bench.sim.stop) {
            let planned = try #require(try bench.store.liveSubmissions(run: bench.runID).first)
            try bench.store.markStarted(planned.id)
            let metadata = ["judgetop_run": bench.runID, "judgetop_stage": "base", "judgetop_submission": String(planned.id), "judgetop_round": "1"]
            let orphan = try await bench.sim.submit(try baseRequests(30), metadata: metadata)
            let adopted = try await bench.sim.submit(try baseRequests(30), metadata: metadata)
            let report = try await bench.engine().run()
            #expect(report.metrics.judgeAnswered == 30)
            #expect([BatchStatus.cancelling, .cancelled].contains(try await bench.sim.client.retrieveBatch(id: orphan.id).status))
            #expect(bench.warnings.contains { $0.contains("found batch \(adopted.id)") })
            #expect(bench.warnings.contains { $0.contains("batch \(orphan.id) was a second batch for the same requests; cancelled it") })
            #expect(await bench.sim.simulator.stats().batchesCreated == 3)  // the two above and the judge batch
            try bench.expectConsistent()
        }
    }
}
