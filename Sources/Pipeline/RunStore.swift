import CSQLiteSetup
import Foundation
import GRDB
import JudgeCore
import BatchAPI

/// The embedded SQLite store of every run: configuration, rows, requests, provider batches and
/// answers. Answers from one downloaded file are committed in one transaction, together with the
/// mark that the file was consumed, so a crash never leaves half a file stored.
public final class RunStore: Sendable {
    public let path: String
    let db: DatabasePool
    /// Where the engine's writes wait their turn (`awaitWrite`): one thread, as SQLite has one writer.
    let writes = DispatchQueue(label: "judgetop.store.writes")
    /// The overviews of the run created last, for its batch files.
    let overviews = OverviewMemo()

    public init(directory: URL) throws {
        _ = Self.sqliteSetUp
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("judgetop.sqlite").path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // WAL with synchronous=NORMAL: a committed answer survives the process being killed; only a
        // power cut can lose the last commits, and answers are committed one transaction at a time.
        // A 16 MB page cache per connection (SQLite's default is 2 MB): a million-row run's store is
        // about a gigabyte, and planning and storing touch its request index all the time. Temporary
        // files in memory: SQLite keeps statement journals there (on disk, when each answer's insert
        // fired a trigger, they took 5.6 million small writes in one benchmark). 16 KB pages for a new
        // store (an existing one keeps its own): SQLite writes and copies a page at a time, and at 4 KB
        // storing rows took 25% longer and answers 10% (`judgetop-bench`); at 32 KB, answers took 15%
        // longer again. No secure deletion (Debian's SQLite zeroes every freed cell and page; nothing
        // in the store is secret, and SQLite's own default is off).
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = 16384; PRAGMA secure_delete = OFF; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY")
        }
        db = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(db)
    }

    /// Once per process, before the first connection (see `judgetop_sqlite_setup`).
    static let sqliteSetUp: Int32 = judgetop_sqlite_setup()

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY NOT NULL, created_at REAL NOT NULL, status TEXT NOT NULL,
                    config TEXT NOT NULL, message TEXT, finished_at REAL, summary TEXT);
                CREATE TABLE item (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
                    title TEXT NOT NULL, overview TEXT NOT NULL, genres TEXT NOT NULL, PRIMARY KEY (run_id, idx));
                CREATE TABLE request (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, custom_id TEXT NOT NULL,
                    stage TEXT NOT NULL, idx INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                    live_submission INTEGER, last_error TEXT, PRIMARY KEY (run_id, custom_id));
                CREATE TABLE submission (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    stage TEXT NOT NULL, round INTEGER NOT NULL, requests INTEGER NOT NULL,
                    batch_id TEXT, input_file_id TEXT, status TEXT NOT NULL DEFAULT 'planned',
                    completed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
                    output_file_id TEXT, error_file_id TEXT, consumed INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL);
                CREATE TABLE answer (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, custom_id TEXT NOT NULL,
                    stage TEXT NOT NULL, idx INTEGER NOT NULL, content TEXT NOT NULL, prompt_tokens INTEGER NOT NULL,
                    completion_tokens INTEGER NOT NULL, batch_id TEXT, received_at REAL NOT NULL,
                    PRIMARY KEY (run_id, custom_id));
                CREATE INDEX answer_by_stage ON answer(run_id, stage, idx);
                CREATE INDEX run_by_created ON run(created_at);
                CREATE INDEX request_by_stage ON request(run_id, stage, live_submission);
                CREATE INDEX submission_by_run ON submission(run_id, consumed);
                CREATE UNIQUE INDEX submission_by_batch ON submission(run_id, batch_id);
                """)
        }
        registerHistory(&migrator)
        migrator.registerMigration("v3-answered") { db in
            // Planning a batch asks which requests still need an answer, and every stored batch reports
            // the tokens so far. Asking the answer table each time scanned the whole run: quadratic
            // over a million-row run's hundreds of batches. The request table keeps an answered flag
            // and the judge request a base answer makes, and a usage table the token totals: the
            // code that inserts answers keeps them (`recordAnswers`), a trigger undoes them when an
            // answer is removed.
            try db.execute(sql: """
                ALTER TABLE request ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
                UPDATE request SET answered = EXISTS (SELECT 1 FROM answer a WHERE a.run_id = request.run_id AND a.custom_id = request.custom_id);
                INSERT OR IGNORE INTO request (run_id, custom_id, stage, idx, answered)
                    SELECT run_id, 'judge-' || idx, 'judge', idx, 0 FROM answer WHERE stage = 'base';
                UPDATE request SET answered = 1 WHERE stage = 'judge'
                    AND EXISTS (SELECT 1 FROM answer a WHERE a.run_id = request.run_id AND a.custom_id = request.custom_id);
                DROP INDEX request_by_stage;
                CREATE INDEX request_by_stage ON request(run_id, stage, live_submission, answered);
                CREATE TABLE usage (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, stage TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, PRIMARY KEY (run_id, stage));
                INSERT INTO usage SELECT run_id, stage, SUM(prompt_tokens), SUM(completion_tokens) FROM answer GROUP BY run_id, stage;
                CREATE TRIGGER answer_removed AFTER DELETE ON answer BEGIN
                    UPDATE request SET answered = 0 WHERE run_id = OLD.run_id AND custom_id = OLD.custom_id;
                    UPDATE usage SET prompt_tokens = prompt_tokens - OLD.prompt_tokens, completion_tokens = completion_tokens - OLD.completion_tokens
                        WHERE run_id = OLD.run_id AND stage = OLD.stage;
                END;
                """)
        }
        migrator.registerMigration("v4-keys") { db in
            // Requests and answers keyed by (run, stage, row) in the table itself (WITHOUT ROWID):
            // the custom_id key made every insert and update touch a rowid table and two indexes. The
            // stage index covers what planning asks (else SQLite scans every request of the stage,
            // at each of a million-row run's hundreds of plans).
            try db.execute(sql: """
                DROP TRIGGER answer_removed;
                CREATE TABLE item_v4 (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
                    title TEXT NOT NULL, overview TEXT NOT NULL, genres TEXT NOT NULL, PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
                INSERT INTO item_v4 SELECT run_id, idx, title, overview, genres FROM item;
                DROP TABLE item;
                ALTER TABLE item_v4 RENAME TO item;
                CREATE TABLE request_v4 (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, stage TEXT NOT NULL, idx INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0, live_submission INTEGER, last_error TEXT,
                    answered INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (run_id, stage, idx)) WITHOUT ROWID;
                INSERT INTO request_v4 SELECT run_id, stage, idx, attempts, live_submission, last_error, answered FROM request;
                DROP TABLE request;
                ALTER TABLE request_v4 RENAME TO request;
                CREATE INDEX request_by_stage ON request(run_id, stage, live_submission, answered, attempts);
                CREATE TABLE answer_v4 (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, stage TEXT NOT NULL, idx INTEGER NOT NULL,
                    content TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
                    batch_id TEXT, received_at REAL NOT NULL, PRIMARY KEY (run_id, stage, idx)) WITHOUT ROWID;
                INSERT INTO answer_v4 SELECT run_id, stage, idx, content, prompt_tokens, completion_tokens, batch_id, received_at FROM answer;
                DROP TABLE answer;
                ALTER TABLE answer_v4 RENAME TO answer;
                CREATE TRIGGER answer_removed AFTER DELETE ON answer BEGIN
                    UPDATE request SET answered = 0 WHERE run_id = OLD.run_id AND stage = OLD.stage AND idx = OLD.idx;
                    UPDATE usage SET prompt_tokens = prompt_tokens - OLD.prompt_tokens, completion_tokens = completion_tokens - OLD.completion_tokens
                        WHERE run_id = OLD.run_id AND stage = OLD.stage;
                END;
                """)
        }
        migrator.registerMigration("v5-pending-index") { db in
            // The stage index held every request and moved each one's entry twice (planned, then
            // answered): a third of what storing a batch cost. Planning asks only for requests that are
            // unanswered and in no batch, so only those are indexed; a batch's own requests are found
            // by the span of rows it covers.
            try db.execute(sql: """
                DROP INDEX request_by_stage;
                CREATE INDEX request_pending ON request(run_id, stage, attempts, idx) WHERE answered = 0 AND live_submission IS NULL;
                """)
        }
        migrator.registerMigration("v6-row-count") { db in
            // Counting a run's rows read every row's text: a million-row run read its 250 MB of rows
            // at each start, and `judgetop runs` did it for every run.
            try db.execute(sql: """
                ALTER TABLE run ADD COLUMN row_count INTEGER NOT NULL DEFAULT 0;
                UPDATE run SET row_count = (SELECT COUNT(*) FROM item WHERE item.run_id = run.id);
                """)
        }
        return migrator
    }

    // MARK: Runs

    /// Stores a new run and its rows, in one transaction. `rows` hands over the rows a chunk at a
    /// time, each stored as it comes, so that a million rows are never held together; if it throws
    /// halfway (a bad line in the dataset), nothing is stored. With `planning`, the base requests are
    /// created already in their batches (first attempt), a batch to each `chunkSize` of a chunk: one
    /// write a request, where creating them and then planning rewrote each request row and its index
    /// entry twice.
    public func createRun(_ config: RunConfig, planning: PlanLimits? = nil,
                          rows: (_ store: ([MovieRow]) throws -> Void) throws -> Void) throws {
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        do {
            try db.write { db in
                try db.execute(sql: "INSERT INTO run (id, created_at, status, config) VALUES (?, ?, 'running', ?)",
                               arguments: [config.runID, config.createdAt.timeIntervalSince1970, json])
                var count = 0
                try rows { chunk in
                    try Self.insertRows(db, chunk, run: config.runID, planning: planning)
                    overviews.keep(chunk, run: config.runID)
                    count += chunk.count
                }
                try db.execute(sql: "UPDATE run SET row_count = ? WHERE id = ?", arguments: [count, config.runID])
                guard planning == nil else { return }
                try db.execute(sql: "INSERT INTO request (run_id, stage, idx) SELECT run_id, 'base', idx FROM item WHERE run_id = ?",
                               arguments: [config.runID])
            }
        } catch {
            overviews.forget(run: config.runID)
            throw error
        }
    }

    public func createRun(_ config: RunConfig, rows: [MovieRow], planning: PlanLimits? = nil) throws {
        try createRun(config, planning: planning) { store in try store(rows) }
    }

    private static func insertRows(_ db: Database, _ rows: [MovieRow], run: String, planning: PlanLimits?) throws {
        try insertMany(db, "INSERT INTO item (run_id, idx, title, overview, genres)", tuple: "(?1, ?, ?, ?, ?)", rows,
                       shared: { $0.bind(run) }) { values, row in
            values.bind(row.index)
            values.bind(row.title)
            values.bind(row.overview)
            values.bind(row.genres.joined(separator: ", "))
        }
        guard let planning else { return }
        let indices = rows.map(\.index).sorted()
        for start in stride(from: 0, to: indices.count, by: planning.chunkSize) {
            let chunk = indices[start..<min(indices.count, start + planning.chunkSize)]
            let id = try newSubmission(db, run: run, stage: .base, round: 1, requests: chunk.count)
            try db.execute(sql: """
                INSERT INTO request (run_id, stage, idx, attempts, live_submission)
                SELECT run_id, 'base', idx, 1, ? FROM item WHERE run_id = ? AND idx BETWEEN ? AND ?
                """, arguments: [id, run, chunk.first, chunk.last])
        }
    }

    /// `INSERT … VALUES tuple, tuple, …` for each element, a hundred to a statement: one statement
    /// a row spent more on binding and stepping statements than on the rows. The values every row
    /// shares (`shared`: a run id, a stage) are bound once a statement, as `?1`, `?2`, … at the start
    /// of the tuple; each element's own values follow as `?` (SQLite numbers those after the largest
    /// so far). Bound for each row, the shared text was copied a hundred times a statement.
    static func insertMany<Element>(_ db: Database, _ head: String, tuple: String, _ elements: some RandomAccessCollection<Element>,
                                    shared: (inout RawStatement.Bindings) -> Void = { _ in },
                                    bind: (inout RawStatement.Bindings, Element) -> Void) throws {
        func sql(_ count: Int) -> String { head + " VALUES " + Array(repeating: tuple, count: count).joined(separator: ", ") }
        let full = sql(100)
        var start = elements.startIndex
        while start != elements.endIndex {
            let end = elements.index(start, offsetBy: 100, limitedBy: elements.endIndex) ?? elements.endIndex
            let slice = elements[start..<end]
            let insert = try RawStatement(db, sql: slice.count == 100 ? full : sql(slice.count))
            try insert.execute { values in
                shared(&values)
                for element in slice { bind(&values, element) }
            }
            start = end
        }
    }

    public func setStatus(run: String, _ status: String, message: String? = nil) throws {
        try db.write { db in
            let finished: Double? = ["done", "failed"].contains(status) ? Date().timeIntervalSince1970 : nil
            try db.execute(sql: "UPDATE run SET status = ?, message = ?, finished_at = ? WHERE id = ?",
                           arguments: [status, message, finished, run])
        }
    }

    /// One line of `judgetop runs`.
    public struct RunListing: Sendable {
        public let config: RunConfig
        public let status: String
        public let message: String?
        /// Headline accuracies, saved when the run finished.
        public let summary: [String: Double]
    }

    /// Every run, newest first.
    public func listRuns() throws -> [RunListing] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT config, status, message, summary FROM run ORDER BY created_at DESC").map { row in
                let summaryText: String? = row["summary"]
                let summary = summaryText.flatMap { try? JSONDecoder().decode([String: Double].self, from: Data($0.utf8)) } ?? [:]
                return RunListing(config: try JSONDecoder().decode(RunConfig.self, from: Data((row["config"] as String).utf8)),
                                  status: row["status"], message: row["message"], summary: summary)
            }
        }
    }

    public func saveSummary(run: String, _ summary: [String: Double]) throws {
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        try db.write { db in try db.execute(sql: "UPDATE run SET summary = ? WHERE id = ?", arguments: [json, run]) }
    }

    public func config(run: String) throws -> RunConfig? {
        try db.read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT config FROM run WHERE id = ?", arguments: [run]) else { return nil }
            return try JSONDecoder().decode(RunConfig.self, from: Data(json.utf8))
        }
    }

    public func status(run: String) throws -> String? {
        try db.read { db in try Self.status(db, run: run) }
    }

    static func status(_ db: Database, run: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [run])
    }

    public func rows(run: String) throws -> [MovieRow] {
        try db.read { db in try Self.rows(db, sql: Self.allRows) { $0.bind(run) } }
    }

    private static let allRows = "SELECT idx, title, overview, genres FROM item WHERE run_id = ? ORDER BY idx"
    private static let allTruthRows = "SELECT idx, '' AS title, '' AS overview, genres FROM item WHERE run_id = ? ORDER BY idx"

    /// The rows at some indices, in the order given, so that a run never needs all its rows in memory
    /// at once. A chunk is read by the span it covers; a few scattered retries, one by one.
    /// `promptText`: only what a prompt reads (the overview); titles and genres come back empty.
    public func rows(run: String, indices: [Int], promptText: Bool = false) throws -> [MovieRow] {
        try db.read { db in try Self.rows(db, run: run, indices: indices, promptText: promptText) }
    }

    private static func rows(_ db: Database, run: String, indices: [Int], promptText: Bool) throws -> [MovieRow] {
        let columns = promptText ? "idx, '', overview, ''" : "idx, title, overview, genres"
        let select = "SELECT \(columns) FROM item WHERE run_id = ?"
        let found: [MovieRow]
        if let span = Self.denseSpan(indices) {
            found = try Self.rows(db, sql: select + " AND idx BETWEEN ? AND ?") {
                $0.bind(run)
                $0.bind(span.lowerBound)
                $0.bind(span.upperBound)
            }
        } else {
            found = try indices.flatMap { index in
                try Self.rows(db, sql: select + " AND idx = ?") {
                    $0.bind(run)
                    $0.bind(index)
                }
            }
        }
        // A chunk of consecutive rows comes back as asked.
        if found.count == indices.count, zip(found, indices).allSatisfy({ $0.index == $1 }) { return found }
        let byIndex = Dictionary(found.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        return indices.compactMap { byIndex[$0] }
    }

    /// What a submission's batch file is made of: its rows' overviews and, for the judge, the base
    /// answers. The overviews of a run just created are at hand (`OverviewMemo`); the rest is read
    /// back through the writer (see `readBack`).
    public func promptInputs(run: String, submission: Submission) throws -> (rows: [MovieRow], baseAnswers: [Int: String]) {
        try readBack { db in
            let rows = try overviews.promptRows(run: run, indices: submission.indices)
                ?? Self.rows(db, run: run, indices: submission.indices, promptText: true)
            guard submission.stage == .judge else { return (rows, [:]) }
            return (rows, try Self.answers(db, run: run, stage: .base, indices: submission.indices))
        }
    }

    /// Reads through the writer's connection what the run has just written: that connection's page
    /// cache still holds it, where a reader's cache is emptied by every commit (a 20,000-row run read
    /// 2,800 pages again from the file for its batch files). Call it on the store's write thread
    /// (`awaitWrite`), where waiting for the writer holds up nothing else.
    func readBack<T>(_ read: (Database) throws -> T) throws -> T {
        try db.writeWithoutTransaction(read)
    }

    /// The rows to read whole for these indices, or nil when they are few and scattered (more than
    /// four rows of span each): a batch's chunk is read by its span, a retry of scattered rows one by one.
    static func denseSpan(_ indices: [Int]) -> ClosedRange<Int>? {
        guard let low = indices.min(), let high = indices.max(), high - low < 4 * indices.count else { return nil }
        return low...high
    }

    public func rowCount(run: String) throws -> Int {
        try db.read { db in try Int.fetchOne(db, sql: "SELECT row_count FROM run WHERE id = ?", arguments: [run]) ?? 0 }
    }

    private static func rows(_ db: Database, sql: String, _ bind: (inout RawStatement.Bindings) -> Void) throws -> [MovieRow] {
        var rows: [MovieRow] = []
        var genreLists = GenreLists()
        try RawStatement(db, sql: sql).forEachRow(bind) { columns in
            rows.append(MovieRow(index: columns.int(0), title: columns.text(1) ?? "", overview: columns.text(2) ?? "",
                                 genres: genreLists.split(columns.text(3) ?? "")))
        }
        return rows
    }

    // MARK: Answers

    /// What storing one batch's results did.
    public struct StoreOutcome: Sendable, Equatable {
        public var stored = 0
        public var failures = 0
        /// Lines for requests that already had an answer: kept out, never overwriting.
        public var duplicates: [String] = []
        /// Lines naming no request of this run and stage.
        public var unknown: [String] = []
        /// Judge batches planned for the base answers just stored.
        public var judgeBatches: [Submission] = []
    }

    /// Stores a submission's result lines and marks it consumed, in one transaction: its
    /// unanswered requests become pending again for a follow-up batch. With `judgeLimits`, stored
    /// base answers get their judge batches planned in the same transaction, so a chunk's judge batch
    /// starts as soon as its base answers are in (not after whatever the writer does next).
    public func storeResults(run: String, submission: Submission, lines: [OutputLine], judgeLimits: PlanLimits? = nil) throws -> StoreOutcome {
        let stage = submission.stage
        return try db.write { db in
            var outcome = StoreOutcome()
            let expected = Set(submission.indices)
            let requests = try Self.requestIndices(db, of: lines, run: run, stage: stage, expected: expected)
            // A request that already has an answer keeps it (a line for another batch's request,
            // answered meanwhile). Those are looked up together beforehand, so that the new answers
            // can go in a hundred to a statement, which a per-row `INSERT OR IGNORE` could not.
            let answered = try Self.answers(db, run: run, stage: stage, indices: zip(lines, requests).compactMap { line, index in
                if case .success = line.result { index } else { nil }
            })
            var fresh: [(index: Int, content: String, usage: TokenCount)] = []
            var inFile = Set<Int>()
            let failure = try db.cachedStatement(sql: "UPDATE request SET last_error = ? WHERE run_id = ? AND stage = ? AND idx = ?")
            for (line, index) in zip(lines, requests) {
                guard let index else {
                    outcome.unknown.append(line.customID)
                    continue
                }
                switch line.result {
                case .success(let content, let usage):
                    guard answered[index] == nil, inFile.insert(index).inserted else {
                        outcome.duplicates.append(line.customID)
                        continue
                    }
                    fresh.append((index, content, usage))
                case .failure(let code, let message):
                    outcome.failures += 1
                    try failure.execute(arguments: ["\(code): \(message)", run, stage.rawValue, index])
                }
            }
            // In row order: a provider returns lines in any order, and SQLite inserts faster in key
            // order, each row beside the last on a page at hand (7% of a 20,000-row run's CPU).
            fresh.sort { $0.index < $1.index }
            let now = Date().timeIntervalSince1970
            try Self.insertMany(db, "INSERT INTO answer (run_id, stage, batch_id, received_at, idx, content, prompt_tokens, completion_tokens)",
                                tuple: "(?1, ?2, ?3, ?4, ?, ?, ?, ?)", fresh, shared: {
                                    $0.bind(run)
                                    $0.bind(stage.rawValue)
                                    $0.bind(submission.batchID)
                                    $0.bind(now)
                                }) { values, answer in
                values.bind(answer.index)
                values.bind(answer.content)
                values.bind(answer.usage.prompt)
                values.bind(answer.usage.completion)
            }
            outcome.stored = fresh.count
            let stored = fresh.map(\.index)
            try Self.recordAnswers(db, run: run, stage: stage, others: stored.filter { !expected.contains($0) },
                                   tokens: fresh.reduce(TokenCount()) { $0 + $1.usage })
            try Self.settle(db, submission: submission, run: run, stored: Set(stored))
            if stage == .base, !stored.isEmpty {
                if let judgeLimits, try Self.status(db, run: run) != "cancelled" {
                    outcome.judgeBatches = try Self.planJudgeBatches(db, run: run, for: stored, limits: judgeLimits)
                } else {
                    try Self.addJudgeRequests(db, run: run, for: stored)
                }
            }
            return outcome
        }
    }

    /// The row each line's request is for; nil when it names no request of this run and stage.
    /// The submission's own requests (`expected`) need no lookup; anything else may be a request of
    /// another batch.
    private static func requestIndices(_ db: Database, of lines: [OutputLine], run: String, stage: Stage, expected: Set<Int>) throws -> [Int?] {
        let known = try db.cachedStatement(sql: "SELECT 1 FROM request WHERE run_id = ? AND stage = ? AND idx = ?")
        return try lines.map { line in
            guard let named = RunConfig.request(named: line.customID), named.stage == stage else { return nil }
            let isRequest = try expected.contains(named.index)
                || Bool.fetchOne(known, arguments: [run, stage.rawValue, named.index]) == true
            return isRequest ? named.index : nil
        }
    }

    /// Answer texts of a stage for some rows.
    /// Read like `rows(run:indices:)`: a chunk by the span it covers, a few scattered rows one by one.
    public func answers(run: String, stage: Stage, indices: [Int]) throws -> [Int: String] {
        try db.read { db in try Self.answers(db, run: run, stage: stage, indices: indices) }
    }

    private static func answers(_ db: Database, run: String, stage: Stage, indices: [Int]) throws -> [Int: String] {
        var map: [Int: String] = [:]
        if let span = Self.denseSpan(indices) {
            let wanted = Set(indices)
            let select = try RawStatement(db, sql: "SELECT idx, content FROM answer WHERE run_id = ? AND stage = ? AND idx BETWEEN ? AND ?")
            try select.forEachRow({
                $0.bind(run)
                $0.bind(stage.rawValue)
                $0.bind(span.lowerBound)
                $0.bind(span.upperBound)
            }) { columns in
                let index = columns.int(0)
                if wanted.contains(index) { map[index] = columns.text(1) }
            }
            return map
        }
        let select = try db.cachedStatement(sql: "SELECT content FROM answer WHERE run_id = ? AND stage = ? AND idx = ?")
        for index in indices {
            map[index] = try String.fetchOne(select, arguments: [run, stage.rawValue, index])
        }
        return map
    }

    /// Every row with whatever answers it has; `text: false` leaves out titles and overviews.
    /// One read: rows and answers both come in index order and are merged, not hashed. Without
    /// `text`, rows carry their truth only: all a report needs, at a fraction of the memory.
    public func outcomes(run: String, text: Bool = true) throws -> [RowOutcome] {
        try db.read { db in
            let rows = try Self.rows(db, sql: text ? Self.allRows : Self.allTruthRows) { $0.bind(run) }
            let base = try Self.answerTexts(db, run: run, stage: .base, for: rows)
            let judge = try Self.answerTexts(db, run: run, stage: .judge, for: rows)
            return rows.indices.map { RowOutcome(row: rows[$0], baseAnswer: base[$0], judgeAnswer: judge[$0]) }
        }
    }

    /// A stage's answers lined up with `rows` (sorted by index).
    private static func answerTexts(_ db: Database, run: String, stage: Stage, for rows: [MovieRow]) throws -> [String?] {
        var texts = [String?](repeating: nil, count: rows.count)
        var position = 0
        try RawStatement(db, sql: "SELECT idx, content FROM answer WHERE run_id = ? AND stage = ? ORDER BY idx").forEachRow({
            $0.bind(run)
            $0.bind(stage.rawValue)
        }) { answer in
            let index = answer.int(0)
            while position < rows.count, rows[position].index < index { position += 1 }
            if position < rows.count, rows[position].index == index { texts[position] = answer.text(1) }
        }
        return texts
    }

    public func tokens(run: String) throws -> [Stage: TokenCount] {
        try db.read { db in
            var map: [Stage: TokenCount] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT stage, prompt_tokens AS p, completion_tokens AS c FROM usage WHERE run_id = ? AND (p > 0 OR c > 0)
                """,
                                        arguments: [run]) {
                if let stage = Stage(rawValue: row["stage"]) { map[stage] = TokenCount(prompt: row["p"], completion: row["c"]) }
            }
            return map
        }
    }
}
