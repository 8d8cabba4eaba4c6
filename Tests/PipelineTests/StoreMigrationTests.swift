import Foundation
@testable import BatchAPI
import GRDB
import JudgeCore
import TestSupport
import Testing
@testable import Pipeline

/// A store written before the v3 migration (answered flags, judge requests and token totals kept
/// beside the answers) opens with its answers counted, its judge requests in place and its totals right.
@Suite struct StoreMigrationTests {
    /// A folder holding a store migrated only up to `version`, with run "r" in it and what `fill` writes.
    private func oldStore(upTo version: String, _ fill: (Database) throws -> Void) throws -> URL {
        let folder = temporaryDirectory()
        _ = RunStore.sqliteSetUp  // the process's first connection must find SQLite set up (see RunStoreRowsTests)
        let old = try DatabaseQueue(path: folder.appendingPathComponent("judgetop.sqlite").path)
        try RunStore.migrator.migrate(old, upTo: version)
        try old.write { db in
            try db.execute(sql: "INSERT INTO run (id, created_at, status, config) VALUES ('r', 0, 'interrupted', '{}')")
            try fill(db)
        }
        return folder
    }

    @Test func v2StoreUpgradesWithFlagsJudgeRequestsAndTokenTotals() throws {
        let folder = try oldStore(upTo: "v2-history") { db in
            for i in 0..<3 {
                try db.execute(sql: "INSERT INTO item VALUES ('r', ?, 't', 'o', 'Drama')", arguments: [i])
                try db.execute(sql: "INSERT INTO request (run_id, custom_id, stage, idx) VALUES ('r', ?, 'base', ?)", arguments: ["base-\(i)", i])
            }
            for i in 0..<2 {
                try db.execute(sql: "INSERT INTO answer VALUES ('r', ?, 'base', ?, 'Drama', 10, 1, NULL, 0)", arguments: ["base-\(i)", i])
            }
        }
        let store = try RunStore(directory: folder)
        #expect(try store.rowCount(run: "r") == 3)  // counted once, by the v6 migration
        #expect(try store.unansweredCount(run: "r", stage: .base) == 1)
        // Judge requests exist for the two base answers, unanswered.
        #expect(try store.requestCount(run: "r", stage: .judge) == 2 && store.unansweredCount(run: "r", stage: .judge) == 2)
        #expect(try store.tokens(run: "r")[.base] == TokenCount(prompt: 20, completion: 2))

        // From now on storing keeps them (online here: one answer at a time); the tokens charged
        // before v7 are the run's base model's.
        try store.storeAnswer(run: "r", stage: .base, index: 2, content: "Comedy", usage: TokenCount(prompt: 5, completion: 1), model: "m")
        #expect(try store.unansweredCount(run: "r", stage: .base) == 0)
        #expect(try store.requestCount(run: "r", stage: .judge) == 3)
        #expect(try store.tokens(run: "r")[.base] == TokenCount(prompt: 25, completion: 3))
    }

    /// The v4 migration rekeys requests and answers by (run, stage, row): a store in the middle of a
    /// run keeps its live batch, attempts, errors, flags and answers.
    @Test func v3StoreMidRunUpgradesToRowKeysLosingNothing() throws {
        let folder = try oldStore(upTo: "v3-answered") { db in
            try db.execute(sql: "INSERT INTO submission (run_id, stage, round, requests, batch_id, created_at) VALUES ('r', 'base', 2, 2, 'batch_1', 0)")
            for i in 0..<4 {
                try db.execute(sql: "INSERT INTO item VALUES ('r', ?, 't', 'o', 'Drama')", arguments: [i])
                // 0 answered; 1 and 2 in the live batch, on their second attempt; 3 failed for good.
                try db.execute(sql: "INSERT INTO request VALUES ('r', ?, 'base', ?, ?, ?, ?, ?)", arguments: [
                    "base-\(i)", i, [1, 2, 2, 3][i], i == 1 || i == 2 ? 1 : nil, i == 0 ? nil : "http_500: boom", i == 0 ? 1 : 0])
            }
            try db.execute(sql: "INSERT INTO request VALUES ('r', 'judge-0', 'judge', 0, 0, NULL, NULL, 0)")
            try db.execute(sql: "INSERT INTO answer VALUES ('r', 'base-0', 'base', 0, 'Drama', 10, 1, 'batch_0', 0)")
            try db.execute(sql: "INSERT INTO usage VALUES ('r', 'base', 10, 1)")
        }
        let store = try RunStore(directory: folder)
        let schema = try store.db.read { db in try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('request', 'answer', 'item')") }
        #expect(schema.count == 3 && schema.allSatisfy { $0.contains("WITHOUT ROWID") && !$0.contains("custom_id") })
        #expect(try store.liveSubmissions(run: "r").map(\.indices) == [[1, 2]])
        #expect(try store.unansweredCount(run: "r", stage: .base) == 3 && store.unansweredCount(run: "r", stage: .judge) == 1)
        let states = try store.requestStates(run: "r")
        #expect((0..<4).map { states.attempts(.base, $0) } == [1, 2, 2, 3])
        #expect((0..<4).map { states.error(.base, $0) != nil } == [false, true, true, true])
        #expect(try store.outcomes(run: "r", text: false).map(\.baseAnswer) == ["Drama", nil, nil, nil])
        #expect(try store.tokens(run: "r")[.base] == TokenCount(prompt: 10, completion: 1))
        // Only 3 is left to plan (1 and 2 are in the live batch), on its fourth attempt.
        #expect(try store.plan(run: "r", stage: .base, maxAttempts: 4, chunkSize: 10).map(\.indices) == [[3]])
    }
}

/// Storing a batch keeps the flags, judge requests and token totals in step, for the batch's own
/// requests and for answers to requests of other batches.
@Suite struct AnswerBookkeepingTests {
    @Test func storingABatchMarksAnsweredAddsJudgeRequestsAndCountsTokens() throws {
        let folder = temporaryDirectory()
        let store = try RunStore(directory: folder)
        let rows = (0..<6).map { Item(index: $0, title: "t", text: "o", truth: ["Drama"]) }
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        try store.createRun(config, rows: rows)
        let submissions = try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: 3)
        #expect(submissions.map(\.indices) == [[0, 1, 2], [3, 4, 5]])
        func answer(_ i: Int) -> OutputLine {
            OutputLine(customID: "base-\(i)", result: .success(content: "Drama", usage: TokenCount(prompt: 10, completion: 1)))
        }
        let failed = OutputLine(customID: "base-1", result: .failure(code: "http_500", message: "boom"))
        let strangers = ["base-99", "judge-3", "base-007", "base-", "bogus", "base-+1", "base- 1", "base-1x", "base--1", "base-١", "base-99999999999999999999"].map {
            OutputLine(customID: $0, result: .success(content: "Drama", usage: TokenCount(prompt: 10, completion: 1)))
        }
        // The first batch: two answers and a failure, plus a late answer for a request of the second
        // batch, and lines naming no request of this stage.
        let outcome = try store.storeResults(run: config.runID, submission: submissions[0],
                                             lines: [answer(0), failed, answer(2), answer(4)] + strangers, model: "m")
        #expect(outcome.stored == 3 && outcome.failures == 1)
        #expect(outcome.unknown == strangers.map(\.customID))
        #expect(try store.unansweredCount(run: config.runID, stage: .base) == 3)   // 1, 3 and 5
        #expect(try store.requestCount(run: config.runID, stage: .judge) == 3)     // judge-0, -2 and -4
        #expect(try store.tokens(run: config.runID)[.base] == TokenCount(prompt: 30, completion: 3))
        // The retry of 1 is planned; 4, answered already, is not planned again.
        #expect(try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: 3).map(\.indices) == [[1]])
        #expect(try store.plan(run: config.runID, stage: .judge, maxAttempts: 3, chunkSize: 10).map(\.indices) == [[0, 2, 4]])
        // The second batch answers 3 (twice in its file), repeats 4 (answered above, by the first
        // batch) and leaves 5 out: 4 stays answered, 5 becomes pending again.
        let second = try store.storeResults(run: config.runID, submission: submissions[1], lines: [answer(3), answer(4), answer(3)], model: "m")
        #expect(second.stored == 1 && second.duplicates == ["base-4", "base-3"])
        #expect(try store.unansweredCount(run: config.runID, stage: .base) == 2)   // 1 (in its retry batch) and 5
        #expect(try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: 3).map(\.indices) == [[5]])
        #expect(try store.requestCount(run: config.runID, stage: .judge) == 4)     // and judge-3
    }

    /// A batch's answers far apart (a retry of scattered rows) get their judge requests one by one;
    /// close together, by one statement over their span: the same requests either way.
    @Test func judgeRequestsFollowBaseAnswersWhetherScatteredOrClose() throws {
        let store = try RunStore(directory: temporaryDirectory())
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        try store.createRun(config, rows: (0..<100).map { Item(index: $0, title: "t", text: "o", truth: ["Drama"]) })
        let submission = try #require(try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: 100).first)
        let lines = [0, 99, 40, 41, 42].map {
            OutputLine(customID: "base-\($0)", result: .success(content: "Drama", usage: TokenCount(prompt: 1, completion: 1)))
        }
        _ = try store.storeResults(run: config.runID, submission: submission, lines: Array(lines[..<2]), model: "m")  // 99 apart: one by one
        #expect(try store.plan(run: config.runID, stage: .judge, maxAttempts: 3, chunkSize: 100).map(\.indices) == [[0, 99]])
        let retry = try #require(try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: 100).first)
        _ = try store.storeResults(run: config.runID, submission: retry, lines: Array(lines[2...]), model: "m")  // 40–42: their span
        #expect(try store.plan(run: config.runID, stage: .judge, maxAttempts: 3, chunkSize: 100).map(\.indices) == [[40, 41, 42]])
        #expect(try store.requestCount(run: config.runID, stage: .judge) == 5)
    }

    /// Planning runs after every batch: it must read the few pending requests from their index, never
    /// scan every request of the stage (quadratic over a million-row run's batches).
    @Test func planningReadsPendingRequestsFromTheirIndex() throws {
        let store = try RunStore(directory: temporaryDirectory())
        let detail = try store.db.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + RunStore.pendingRequests, arguments: ["r", "judge", 3]).map { $0["detail"] as String }
        }
        #expect(detail.first?.contains("INDEX request_pending (run_id=? AND stage=? AND attempts<?)") == true,
                "\(detail)")
        #expect(!detail.contains { $0.contains("TEMP B-TREE") })
    }

    /// Storing a chunk's base answers plans its judge batch in the same transaction: the engine
    /// launches it at once, and the planner finds nothing left to plan for the judge.
    @Test func storingBaseAnswersPlansTheirJudgeBatch() throws {
        let store = try RunStore(directory: temporaryDirectory())
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        try store.createRun(config, rows: (0..<10).map { Item(index: $0, title: "t", text: "o", truth: ["Drama"]) })
        let chunks = try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: 5)
        let limits = PlanLimits(maxAttempts: 3, chunkSize: 2)
        let lines = [0, 1, 3, 4].map {
            OutputLine(customID: "base-\($0)", result: .success(content: "Drama", usage: TokenCount(prompt: 1, completion: 1)))
        }
        let outcome = try store.storeResults(run: config.runID, submission: chunks[0], lines: lines, model: "m", judgeLimits: limits)
        #expect(outcome.judgeBatches.map(\.stage) == [.judge, .judge])
        #expect(outcome.judgeBatches.map(\.indices) == [[0, 1], [3, 4]])
        #expect(try store.plan(run: config.runID, stage: .judge, maxAttempts: 3, chunkSize: 2).isEmpty)
        #expect(try store.liveSubmissions(run: config.runID).filter { $0.stage == .judge }.map(\.indices) == [[0, 1], [3, 4]])
        // Judge answers plan nothing further.
        let judged = try store.storeResults(run: config.runID, submission: outcome.judgeBatches[0], lines: [], model: "m", judgeLimits: limits)
        #expect(judged.judgeBatches.isEmpty)
    }

    /// A judge request that exists already (a rerun row's) is left to the planner, and a cancelled
    /// run gets its judge requests recorded but no batches.
    @Test func judgeBatchesArePlannedOnlyForNewJudgeRequestsOfALiveRun() throws {
        let store = try RunStore(directory: temporaryDirectory())
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        let run = config.runID
        try store.createRun(config, rows: (0..<6).map { Item(index: $0, title: "t", text: "o", truth: ["Drama"]) })
        let limits = PlanLimits(maxAttempts: 3, chunkSize: 10)
        func lines(_ stage: Stage, _ indices: [Int]) -> [OutputLine] {
            indices.map { OutputLine(customID: RunConfig.customID(stage, $0), result: .success(content: "Drama,Correct", usage: TokenCount(prompt: 1, completion: 1))) }
        }
        let bases = try store.plan(run: run, stage: .base, maxAttempts: 3, chunkSize: 3)
        #expect(bases.map(\.indices) == [[0, 1, 2], [3, 4, 5]])
        let judge = try #require(try store.storeResults(run: run, submission: bases[0], lines: lines(.base, [0, 1, 2]), model: "m", judgeLimits: limits).judgeBatches.first)
        _ = try store.storeResults(run: run, submission: judge, lines: lines(.judge, [0, 1, 2]), model: "m")
        // Row 2 again: its judge request exists, so its new base answer plans no batch; the planner sends it.
        try store.apply(Rework(base: [2]), run: run)
        let again = try #require(try store.plan(run: run, stage: .base, maxAttempts: 3, chunkSize: 3).first { $0.indices == [2] })
        #expect(try store.storeResults(run: run, submission: again, lines: lines(.base, [2]), model: "m", judgeLimits: limits).judgeBatches.isEmpty)
        #expect(try store.plan(run: run, stage: .judge, maxAttempts: 3, chunkSize: 10).map(\.indices) == [[2]])
        // Cancelled: the rest of the base answers are kept with their judge requests, and nothing is planned.
        try store.setStatus(run: run, .cancelled)
        #expect(try store.storeResults(run: run, submission: bases[1], lines: lines(.base, [3, 4, 5]), model: "m", judgeLimits: limits).judgeBatches.isEmpty)
        #expect(try store.requestCount(run: run, stage: .judge) == 6 && store.unansweredCount(run: run, stage: .judge) == 4)
    }

}

extension StoreMigrationTests {
    /// Stores from before tasks kept the tutorial's overview and genres; they read back as a
    /// one-field item with its labels, and a many-field item of a new run round-trips.
    @Test func v8StoreItemsReadBackAsTaskItems() throws {
        let folder = try oldStore(upTo: "v8-labelled-subset") { db in
            try db.execute(sql: "INSERT INTO item VALUES ('r', 0, 'The Godfather', 'An organized crime dynasty', 'Crime, Drama')")
            try db.execute(sql: "INSERT INTO item VALUES ('r', 1, 'Untagged', 'No truth here', '')")
        }
        let store = try RunStore(directory: folder)
        let rows = try store.rows(run: "r")
        #expect(rows == [Item(index: 0, title: "The Godfather", text: "An organized crime dynasty", truth: ["Crime", "Drama"]),
                         Item(index: 1, title: "Untagged", text: "No truth here", truth: [])])
        let config = RunConfig(provider: .sim, baseURL: "x", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(), dataset: "d", limit: nil)
        let items = [Item(index: 0, title: "a", fields: ["one", "two, \"quoted\"\nline"], truth: ["x, y", "z"]),
                     Item(index: 1, title: "b", fields: [], truth: [])]
        try store.createRun(config, rows: items)
        #expect(try store.rows(run: config.runID) == items)
    }
}
