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
    /// The prompt fields of the run created last, for its batch files.
    let promptFields = PromptFieldMemo()

    /// Opens (or creates) the store in `directory`. A store this process may not write (its file
    /// or folder is read-only) is opened for reading only, which every reading command needs.
    /// Fails with `StoreOpenError`, naming the file and what to do.
    public init(directory: URL) throws {
        _ = Self.sqliteSetUp
        path = directory.appendingPathComponent("judgetop.sqlite").path
        let exists = FileManager.default.fileExists(atPath: path)
        let readOnly = exists && (access(path, W_OK) != 0 || access(directory.path, W_OK) != 0)
        do {
            if !exists { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
            db = try Self.open(path, readOnly: readOnly)
            if readOnly {
                guard try db.read({ try Self.migrator.hasCompletedMigrations($0) }) else { throw StoreOpenError.needsUpgrade(path: path) }
            } else {
                try Self.migrator.migrate(db)
            }
        } catch let error as StoreOpenError {
            throw error
        } catch {
            let code = (error as? DatabaseError)?.resultCode
            throw StoreOpenError.unusable(path: path, reason: "\(error)", readOnly: readOnly,
                                          damaged: code == .SQLITE_NOTADB || code == .SQLITE_CORRUPT)
        }
    }

    private static func open(_ path: String, readOnly: Bool) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.readonly = readOnly
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
        // Read-only, SQLite still needs the -shm file to read a WAL store; without it (a store closed
        // cleanly has none, and a read-only folder cannot get one) the file alone is the whole store.
        var location = path
        if readOnly, !FileManager.default.fileExists(atPath: path + "-shm") {
            location = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
        }
        configuration.prepareDatabase { db in
            if !readOnly { try db.execute(sql: "PRAGMA page_size = 16384; PRAGMA secure_delete = OFF; PRAGMA synchronous = NORMAL") }
            try db.execute(sql: "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY")
        }
        return try DatabasePool(path: location, configuration: configuration)
    }

    /// Once per process, before the first connection (see `judgetop_sqlite_setup`).
    static let sqliteSetUp: Int32 = judgetop_sqlite_setup()

    // MARK: Runs

    /// Stores a new run and its rows, in one transaction. `rows` hands over the rows a chunk at a
    /// time, each stored as it comes, so that a million rows are never held together; if it throws
    /// halfway (a bad line in the dataset), nothing is stored. With `planning`, the base requests are
    /// created already in their batches (first attempt), a batch to each `chunkSize` of a chunk: one
    /// write a request, where creating them and then planning rewrote each request row and its index
    /// entry twice.
    public func createRun(_ config: RunConfig, planning: PlanLimits? = nil,
                          rows: (_ store: ([Item]) throws -> Void) throws -> Void) throws {
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        do {
            try db.write { db in
                try db.execute(sql: "INSERT INTO run (id, created_at, status, config) VALUES (:run, :at, :status, :config)",
                               arguments: ["run": config.runID, "at": config.createdAt.timeIntervalSince1970, "status": RunStatus.running,
                                           "config": json])
                var count = 0
                try rows { chunk in
                    try Self.insertRows(db, chunk, run: config.runID, planning: planning)
                    promptFields.keep(chunk, run: config.runID)
                    count += chunk.count
                }
                try db.execute(sql: "UPDATE run SET row_count = ? WHERE id = ?", arguments: [count, config.runID])
                guard planning == nil else { return }
                try db.execute(sql: "INSERT INTO request (run_id, stage, idx) SELECT run_id, 'base', idx FROM item WHERE run_id = ?",
                               arguments: [config.runID])
            }
        } catch {
            promptFields.forget(run: config.runID)
            throw error
        }
    }

    public func createRun(_ config: RunConfig, rows: [Item], planning: PlanLimits? = nil) throws {
        try createRun(config, planning: planning) { store in try store(rows) }
    }

    private static func insertRows(_ db: Database, _ rows: [Item], run: String, planning: PlanLimits?) throws {
        try BulkInsert<Item>(into: "item", shared: [("run_id", .text(run))], columns: [
            .init("idx") { $0.bind($1.index) },
            .init("title") { $0.bind($1.title) },
            .init("fields") { $0.bind(StoredFields.text($1.fields)) },
            .init("fields_packed") { $0.bind(StoredFields.isPacked($1.fields) ? 1 : 0) },
            .init("truth") { $0.bind(TruthLists.join($1.truth)) },
        ]).run(db, rows)
        guard let planning else { return }
        let indices = rows.map(\.index).sorted()
        for start in stride(from: 0, to: indices.count, by: planning.chunkSize) {
            let chunk = indices[start..<min(indices.count, start + planning.chunkSize)]
            let id = try newSubmission(db, run: run, stage: .base, round: 1, requests: chunk.count)
            try db.execute(sql: """
                INSERT INTO request (run_id, stage, idx, attempts, live_submission)
                SELECT run_id, :stage, idx, 1, :submission FROM item WHERE run_id = :run AND idx BETWEEN :first AND :last
                """, arguments: ["stage": Stage.base, "submission": id, "run": run, "first": chunk.first, "last": chunk.last])
        }
    }

    /// When the run last ended (done, failed, cancelled or interrupted); nil while it runs.
    public func finishedAt(run: String) throws -> Date? {
        try db.read { db in try Double.fetchOne(db, sql: "SELECT finished_at FROM run WHERE id = ?", arguments: [run]) }
            .map(Date.init(timeIntervalSince1970:))
    }

    public func setStatus(run: String, _ status: RunStatus, message: String? = nil) throws {
        try db.write { db in
            let finished: Double? = status.isFinished ? Date().timeIntervalSince1970 : nil
            try db.execute(sql: "UPDATE run SET status = :status, message = :message, finished_at = :at WHERE id = :run",
                           arguments: ["status": status, "message": message, "at": finished, "run": run])
        }
    }

    /// One line of `judgetop runs`.
    public struct RunListing: Sendable {
        public let config: RunConfig
        public let status: RunStatus
        public let message: String?
        /// Headline accuracies, saved when the run finished.
        public let summary: [String: Double]
    }

    /// Every run whose settings can be read, newest first; `unreadableRuns` lists the others, so
    /// that one damaged row hides only its own run.
    public func listRuns() throws -> [RunListing] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT config, status, message, summary FROM run ORDER BY created_at DESC").compactMap { row in
                let summaryText: String? = row["summary"]
                let summary = summaryText.flatMap { try? JSONDecoder().decode([String: Double].self, from: Data($0.utf8)) } ?? [:]
                guard let text = row["config"] as String?, let status = RunStatus.fromDatabaseValue(row["status"]),
                      let config = try? JSONDecoder().decode(RunConfig.self, from: Data(text.utf8)),
                      (try? config.checkedTask()) != nil else { return nil }
                return RunListing(config: config, status: status, message: row["message"], summary: summary)
            }
        }
    }

    /// Runs whose stored settings cannot be read, with why.
    public func unreadableRuns() throws -> [(id: String, reason: String)] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT id, config FROM run ORDER BY created_at DESC").compactMap { row in
                let text: String? = row["config"]
                do {
                    _ = try JSONDecoder().decode(RunConfig.self, from: Data((text ?? "").utf8)).checkedTask()
                    return nil
                } catch {
                    return (row["id"], Self.reason(error))
                }
            }
        }
    }

    static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.keyNotFound(let key, _) = error { return "no \(key.stringValue)" }
        if case DecodingError.typeMismatch(_, let context) = error { return context.codingPath.map(\.stringValue).joined(separator: ".") + " has the wrong type" }
        return "\(error)"
    }

    /// The headline accuracies and the labelled subset of a run that just finished, together.
    public func saveSummary(run: String, _ summary: [String: Double], labelledRows: [Int] = []) throws {
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        try db.write { db in
            try db.execute(sql: "UPDATE run SET summary = ? WHERE id = ?", arguments: [json, run])
            try db.execute(sql: "DELETE FROM labelled_item WHERE run_id = ?", arguments: [run])
            try BulkInsert<Int>(into: "labelled_item", shared: [("run_id", .text(run))], columns: [.init("idx") { $0.bind($1) }])
                .run(db, labelledRows)
        }
    }

    /// The labelled subset recorded when the run last finished, in row order.
    public func labelledRows(run: String) throws -> [Int] {
        try db.read { db in try Int.fetchAll(db, sql: "SELECT idx FROM labelled_item WHERE run_id = ? ORDER BY idx", arguments: [run]) }
    }

    /// The ids of the runs whose id begins with `prefix`, newest first.
    public func runIDs(startingWith prefix: String) throws -> [String] {
        try db.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM run WHERE substr(id, 1, length(:prefix)) = :prefix ORDER BY created_at DESC",
                                arguments: ["prefix": prefix])
        }
    }

    public func config(run: String) throws -> RunConfig? {
        try db.read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT config FROM run WHERE id = ?", arguments: [run]) else { return nil }
            do {
                let config = try JSONDecoder().decode(RunConfig.self, from: Data(json.utf8))
                _ = try config.checkedTask()
                return config
            } catch {
                throw StoreError.unreadableRun(run, reason: Self.reason(error))
            }
        }
    }

    public func status(run: String) throws -> RunStatus? {
        try db.read { db in try Self.status(db, run: run) }
    }

    static func status(_ db: Database, run: String) throws -> RunStatus? {
        try RunStatus.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [run])
    }

    public func rows(run: String) throws -> [Item] {
        try db.read { db in try Self.rows(db, sql: Self.allRows) { $0.bind(run) } }
    }

    static let allRows = "SELECT idx, title, fields, fields_packed, truth FROM item WHERE run_id = ? ORDER BY idx"
    /// No fields at all (NULL), not one empty field: an array a row was 48 MB over a million rows.
    static let allTruthRows = "SELECT idx, '' AS title, NULL AS fields, 0, truth FROM item WHERE run_id = ? ORDER BY idx"

    /// The rows at some indices, in the order given, so that a run never needs all its rows in memory
    /// at once. A chunk is read by the span it covers; a few scattered retries, one by one.
    /// `promptText`: only what a prompt reads (the fields); titles and truth come back empty.
    public func rows(run: String, indices: [Int], promptText: Bool = false) throws -> [Item] {
        try db.read { db in try Self.rows(db, run: run, indices: indices, promptText: promptText) }
    }

    private static func rows(_ db: Database, run: String, indices: [Int], promptText: Bool) throws -> [Item] {
        let columns = promptText ? "idx, '', fields, fields_packed, ''" : "idx, title, fields, fields_packed, truth"
        let select = "SELECT \(columns) FROM item WHERE run_id = ?"
        let found: [Item]
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

    /// What a submission's batch file is made of: its rows' prompt fields and, for the judge, the base
    /// answers. The fields of a run just created are at hand (`PromptFieldMemo`); the rest is read
    /// back through the writer (see `readBack`).
    public func promptInputs(run: String, submission: Submission) throws -> (rows: [Item], baseAnswers: [Int: String]) {
        try readBack { db in
            let rows = try promptFields.promptRows(run: run, indices: submission.indices)
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

    static func rows(_ db: Database, sql: String, _ bind: (inout RawStatement.Bindings) -> Void) throws -> [Item] {
        var rows: [Item] = []
        var truths = TruthLists.stored
        try RawStatement(db, sql: sql).forEachRow(bind) { columns in
            rows.append(Item(index: columns.int(0), title: columns.text(1) ?? "",
                             fields: columns.text(2).map { StoredFields.fields($0, packed: columns.int(3) != 0) } ?? [],
                             truth: truths.split(columns.text(4) ?? "")))
        }
        return rows
    }
}
