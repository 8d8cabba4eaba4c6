import Foundation
import GRDB
import GRDBSQLite
import JudgeCore
@testable import BatchAPI
import TestSupport
import Testing
@testable import Pipeline

/// Batches read their rows from the store: a chunk by its span, scattered retries one by one; both
/// in the order asked.
@Suite struct RunStoreRowsTests {
    /// Run ids sort by creation time (UTC, zero-padded fields) and end in four hex digits.
    @Test func runIDsAreTheUTCTimeThenARandomSuffix() throws {
        let id = RunConfig.newRunID(now: Date(timeIntervalSince1970: 1_764_374_400.9))
        #expect(id.hasPrefix("20251129-000000-") && id.count == 20)
        #expect(id.suffix(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(RunConfig.newRunID(now: Date(timeIntervalSince1970: 1_009_843_199)).hasPrefix("20011231-235959-"))
        let ids = (0..<200).map { _ in RunConfig.newRunID(now: Date(timeIntervalSince1970: 0)) }
        #expect(ids.allSatisfy { $0.hasPrefix("19700101-000000-") && $0.count == 20 }, "zero-padded, small suffixes too")
        #expect(Set(ids).count > 150, "random suffixes")
    }

    /// A custom_id names a request only when it is exactly what judgetop writes: a stage, a dash and
    /// the row's index with no sign, space or leading zero.
    @Test func customIDsReadBackOnlyAsWritten() {
        for stage in Stage.allCases {
            for index in [0, 7, 10, 999_999, 123_456_789_012_345_678] {
                let named = RunConfig.request(named: RunConfig.customID(stage, index))
                #expect(named?.stage == stage && named?.index == index)
            }
        }
        for odd in ["", "base", "base-", "-1", "base--1", "base-01", "base-+1", "base- 1", "base-1 ", "Base-1", "based-1", "judge-1x",
                    "base-1234567890123456789", "judge-é", "é-1"] {
            #expect(RunConfig.request(named: odd) == nil, "\(odd)")
        }
    }

    /// SQLite is set up before the first connection: it keeps no memory statistics (a global lock
    /// on every allocation), so it reports none however much it allocates.
    @Test func sqliteKeepsNoMemoryStatistics() throws {
        let store = try RunStore(directory: temporaryDirectory())
        try store.createRun(RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                                      dataset: "t", limit: nil),
                            rows: (0..<500).map { Item(index: $0, title: "T", text: String(repeating: "x", count: 300), truth: ["Drama"]) })
        #expect(RunStore.sqliteSetUp == SQLITE_OK)
        #expect(sqlite3_memory_used() == 0)
    }

    /// A new store has 16 KB pages; a store made with another size keeps it (SQLite cannot change the
    /// page size of a database in WAL mode) and opens as before.
    @Test func newStoresHaveSixteenKilobytePages() throws {
        func pageSize(_ folder: URL) throws -> Int? {
            try DatabaseQueue(path: folder.appendingPathComponent("judgetop.sqlite").path).read { try Int.fetchOne($0, sql: "PRAGMA page_size") }
        }
        let fresh = temporaryDirectory()
        _ = try RunStore(directory: fresh)
        #expect(try pageSize(fresh) == 16384)
        let old = temporaryDirectory()
        try DatabaseQueue(path: old.appendingPathComponent("judgetop.sqlite").path).write { db in
            try db.execute(sql: "PRAGMA page_size = 4096; CREATE TABLE kept (x); INSERT INTO kept VALUES (1)")
        }
        let store = try RunStore(directory: old)
        try store.createRun(RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                                      dataset: "t", limit: nil),
                            rows: [Item(index: 0, title: "T", text: "o", truth: ["Drama"])])
        #expect(try pageSize(old) == 4096)
        #expect(try store.listRuns().count == 1)
    }

    /// Debian builds SQLite with secure deletion on, which zeroes every freed cell and page; the store
    /// holds nothing secret and turns it off on each connection, the writer's and the readers'.
    @Test func connectionsDoNotZeroWhatTheyFree() throws {
        let store = try RunStore(directory: temporaryDirectory())
        #expect(try store.db.write { try Int.fetchOne($0, sql: "PRAGMA secure_delete") } == 0)
        #expect(try store.db.read { try Int.fetchOne($0, sql: "PRAGMA secure_delete") } == 0)
    }

    @Test func rowsComeBackInTheOrderAskedWhetherSpannedOrScattered() throws {
        let folder = temporaryDirectory()
        let store = try RunStore(directory: folder)
        let rows = (0..<500).map { Item(index: $0, title: "t\($0)", text: "o\($0)", truth: ["Drama", "War"]) }
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        try store.createRun(config, rows: rows)
        let chunk = Array(100..<140).reversed().map { $0 }
        #expect(try store.rows(run: config.runID, indices: chunk) == chunk.map { rows[$0] })
        let scattered = [499, 3, 250, 7]
        #expect(try store.rows(run: config.runID, indices: scattered) == scattered.map { rows[$0] })
        #expect(try store.rows(run: config.runID, indices: [999, 2]) == [rows[2]])
        let prompts = try store.rows(run: config.runID, indices: chunk, promptText: true)
        #expect(prompts == chunk.map { Item(index: $0, title: "", text: "o\($0)", truth: []) })
        #expect(try store.rowCount(run: config.runID) == 500)
    }

    /// A batch file's overviews come from memory for the run this store just created, and from the
    /// store otherwise (another process, a resumed run): the same rows either way, in the order asked.
    @Test func promptInputsAreTheSameFromMemoryAsFromTheStore() throws {
        let folder = temporaryDirectory()
        let store = try RunStore(directory: folder)
        let rows = (0..<300).map { Item(index: $0, title: "t\($0)", text: "overview \($0) é", truth: ["Drama"]) }
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        try store.createRun(config) { storeChunk in
            for start in stride(from: 0, to: 300, by: 100) { try storeChunk(Array(rows[start..<start + 100])) }
        }
        let submission = Submission(id: 1, stage: .base, round: 1, indices: [5, 299, 0, 150])
        let expected = submission.indices.map { Item(index: $0, title: "", text: "overview \($0) é", truth: []) }
        #expect(store.promptFields.promptRows(run: config.runID, indices: submission.indices) == expected, "kept for the run just created")
        #expect(try store.promptInputs(run: config.runID, submission: submission).rows == expected)
        let reopened = try RunStore(directory: folder)
        #expect(reopened.promptFields.promptRows(run: config.runID, indices: submission.indices) == nil, "nothing kept in another store")
        #expect(try reopened.promptInputs(run: config.runID, submission: submission).rows == expected)
        #expect(store.promptFields.promptRows(run: config.runID, indices: [300]) == nil, "a row it does not have")
        #expect(store.promptFields.promptRows(run: "other", indices: [0]) == nil)
    }

    /// The memory of overviews is bounded: a run's first rows up to the budget, then none; a run
    /// whose rows fail to store is forgotten.
    @Test func overviewsAreKeptUpToTheBudgetAndForgottenWithAFailedRun() throws {
        let memo = PromptFieldMemo(budget: 1_000)
        let rows = (0..<20).map { Item(index: $0, title: "", text: String(repeating: "x", count: 68), truth: []) }
        memo.keep(Array(rows[0..<10]), run: "a")
        memo.keep(Array(rows[10..<20]), run: "a")
        #expect(memo.promptRows(run: "a", indices: Array(0..<10))?.count == 10, "100 bytes a row: ten fit")
        #expect(memo.promptRows(run: "a", indices: [9, 10]) == nil)
        memo.keep([rows[0], rows[2]], run: "b")
        #expect(memo.promptRows(run: "b", indices: [0]) != nil && memo.promptRows(run: "b", indices: [2]) == nil, "stops at a gap")
        #expect(memo.promptRows(run: "a", indices: [0]) == nil, "one run at a time")

        let store = try RunStore(directory: temporaryDirectory())
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        struct BadLine: Error {}
        #expect(throws: BadLine.self) {
            try store.createRun(config) { storeChunk in
                try storeChunk(Array(rows[0..<5]))
                throw BadLine()
            }
        }
        #expect(store.promptFields.promptRows(run: config.runID, indices: [0]) == nil)
        #expect(try store.rowCount(run: config.runID) == 0)
    }

    /// Answers are read the same two ways, and lined up with their rows in outcomes, gaps left empty.
    @Test func answersComeBackForTheRowsAskedAndLineUpInOutcomes() throws {
        let store = try RunStore(directory: temporaryDirectory())
        let rows = (0..<500).map { Item(index: $0, title: "t\($0)", text: "o\($0)", truth: ["Drama"]) }
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        try store.createRun(config, rows: rows)
        let submission = try #require(try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: 500).first)
        let lines = stride(from: 0, to: 500, by: 2).map {
            OutputLine(customID: RunConfig.customID(.base, $0), result: .success(content: "answer \($0)", usage: TokenCount(prompt: 1, completion: 1)))
        }
        #expect(try store.storeResults(run: config.runID, submission: submission, lines: lines, model: "m").stored == 250)
        let expected = { (indices: [Int]) in Dictionary(uniqueKeysWithValues: indices.filter { $0 % 2 == 0 }.map { ($0, "answer \($0)") }) }
        let chunk = Array(100..<140)
        #expect(try store.answers(run: config.runID, stage: .base, indices: chunk) == expected(chunk))
        let scattered = [499, 3, 250, 8]
        #expect(try store.answers(run: config.runID, stage: .base, indices: scattered) == expected(scattered))
        #expect(try store.answers(run: config.runID, stage: .judge, indices: chunk).isEmpty)
        let outcomes = try store.outcomes(run: config.runID, text: false)
        #expect(outcomes.map(\.row.index) == Array(0..<500))
        #expect(outcomes.map(\.baseAnswer) == (0..<500).map { $0 % 2 == 0 ? "answer \($0)" : nil })
        #expect(outcomes.allSatisfy { $0.judgeAnswer == nil && $0.row.title.isEmpty && $0.row.truth == ["Drama"] })
    }

    /// Rows and answers go in through SQLite's C API (`RawStatement`): empty text stays empty (not
    /// NULL), any Unicode comes back byte for byte, and a statement given the wrong count of values
    /// fails with SQLite's error, changes nothing and still works afterwards.
    @Test func textGoesInByteForByteAndBadBindingsFailCleanly() throws {
        let store = try RunStore(directory: temporaryDirectory())
        let rows = [Item(index: 0, title: "", text: "é 漢字 🎬 \u{0}\u{1B}[31m", truth: ["Drama"]),
                    Item(index: 1, title: "t", text: "", truth: ["War"])]
        let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "test", limit: nil)
        try store.createRun(config, rows: rows)
        #expect(try store.rows(run: config.runID, indices: [0, 1]) == rows)
        let submission = try #require(try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: 2).first)
        let empty = OutputLine(customID: "base-0", result: .success(content: "", usage: TokenCount(prompt: 1, completion: 0)))
        #expect(try store.storeResults(run: config.runID, submission: submission, lines: [empty], model: "m").stored == 1)
        #expect(try store.answers(run: config.runID, stage: .base, indices: [0]) == [0: ""])
        try store.db.write { db in
            let insert = try RawStatement(db, sql: "INSERT INTO charge VALUES (?, ?, ?, ?, ?, ?)")
            let values = { (bindings: inout RawStatement.Bindings) in
                bindings.bind(config.runID)
                bindings.bind("judge")
                bindings.bind("m")
                bindings.bind(1)
                bindings.bind(2)
                bindings.bind(1)
            }
            #expect(throws: DatabaseError.self) { try insert.execute { values(&$0); $0.bind(3) } }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM charge WHERE stage = 'judge'") == 0)
            #expect(try insert.execute(values) == 1)
        }
    }
}
