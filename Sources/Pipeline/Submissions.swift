import BatchAPI
import Foundation
import GRDB
import JudgeCore

/// How batches are cut: attempts a request may have, requests to a batch.
public struct PlanLimits: Sendable {
    public var maxAttempts: Int
    public var chunkSize: Int

    public init(maxAttempts: Int, chunkSize: Int) {
        self.maxAttempts = maxAttempts
        self.chunkSize = chunkSize
    }
}

/// A planned provider batch: its requests are fixed in the store before anything is uploaded, so
/// that a crash at any point leaves something resume can finish.
public struct Submission: Sendable, Equatable {
    public let id: Int64
    public let stage: Stage
    /// The attempt this batch is for its requests (1 = first try, 2+ = follow-up).
    public let round: Int
    public var batchID: String?
    /// Row indices, in the order of the batch file's lines.
    public var indices: [Int]
    /// Its upload began: the provider may hold its batch even without a recorded id (a crash
    /// between creating and recording it), so a resume looks for it first.
    public var started = false
    /// When it was planned (seconds since 1970): a batch created for it cannot be older.
    public var plannedAt: Double = Date().timeIntervalSince1970

    /// The rows its requests lie between: the store finds a batch's requests by this span of its key,
    /// as no index holds requests in a batch.
    var span: ClosedRange<Int>? {
        guard let low = indices.min(), let high = indices.max() else { return nil }
        return low...high
    }
}

extension RunStore {
    /// Plans batches for every request of a stage that has no answer, has attempts left and is in
    /// no live batch; counts an attempt for each. Judge requests exist from their base answer on
    /// (storing a base answer adds one). Nothing is planned for a cancelled run.
    public func plan(run: String, stage: Stage, maxAttempts: Int, chunkSize: Int) throws -> [Submission] {
        try db.write { db in try Self.plan(db, run: run, stage: stage, limits: PlanLimits(maxAttempts: maxAttempts, chunkSize: chunkSize)) }
    }

    static func plan(_ db: Database, run: String, stage: Stage, limits: PlanLimits) throws -> [Submission] {
        guard try !cancelRequested(db, run: run) else { return [] }
        let pending = try Row.fetchAll(db, sql: Self.pendingRequests, arguments: [run, stage.rawValue, limits.maxAttempts])
            .map { (index: $0["idx"] as Int, attempts: $0["attempts"] as Int) }
        var planned: [Submission] = []
        // Requests on the same attempt go together, in row order, at most chunkSize to a batch.
        for (attempts, group) in Dictionary(grouping: pending, by: \.attempts).sorted(by: { $0.key < $1.key }) {
            var start = 0
            while start < group.count {
                let chunk = group[start..<min(group.count, start + limits.chunkSize)].map(\.index)
                start += limits.chunkSize
                planned.append(try Self.insertSubmission(db, run: run, stage: stage, round: attempts + 1, indices: chunk,
                                                         maxAttempts: limits.maxAttempts))
            }
        }
        return planned
    }

    /// The requests to plan, cheapest first, read from the index of pending requests: a scan of the
    /// stage's requests instead made a million-row run take 61 s of CPU instead of 46.
    static let pendingRequests = "SELECT r.idx, r.attempts FROM request r WHERE \(pendingRequest) ORDER BY r.attempts, r.idx"

    /// A request that needs planning: unanswered, in no live batch, attempts left, and for the judge a
    /// base answer to judge. Arguments: run, stage, max attempts.
    private static let pendingRequest = """
        r.run_id = ? AND r.stage = ? AND r.answered = 0 AND r.live_submission IS NULL AND r.attempts < ?
          AND (r.stage = 'base' OR EXISTS (SELECT 1 FROM answer b WHERE b.run_id = r.run_id AND b.stage = 'base' AND b.idx = r.idx))
        """

    /// The judge requests of base answers just stored, created already in judge batches (first
    /// attempt): one insert a request, where creating them and then planning rewrote each request row
    /// and its index entry twice. Judge requests that exist already are left to `plan`.
    static func planJudgeBatches(_ db: Database, run: String, for indices: [Int], limits: PlanLimits) throws -> [Submission] {
        let existing = try existingRequests(db, run: run, stage: .judge, indices: indices)
        let fresh = indices.filter { !existing.contains($0) }.sorted()
        var planned: [Submission] = []
        for start in stride(from: 0, to: fresh.count, by: limits.chunkSize) {
            let chunk = Array(fresh[start..<min(fresh.count, start + limits.chunkSize)])
            let id = try newSubmission(db, run: run, stage: .judge, round: 1, requests: chunk.count)
            try BulkInsert<Int>(into: "request", shared: [
                ("run_id", .text(run)), ("live_submission", .int(Int(id))), ("stage", .text(Stage.judge.rawValue)), ("attempts", .int(1)),
            ], columns: [.init("idx") { $0.bind($1) }]).run(db, chunk)
            planned.append(Submission(id: id, stage: .judge, round: 1, batchID: nil, indices: chunk))
        }
        return planned
    }

    /// Which of these rows have a request of the stage: by the span they cover, or one by one when
    /// they are scattered.
    private static func existingRequests(_ db: Database, run: String, stage: Stage, indices: [Int]) throws -> Set<Int> {
        if let span = denseSpan(indices) {
            return Set(try Int.fetchAll(db, sql: "SELECT idx FROM request WHERE run_id = ? AND stage = ? AND idx BETWEEN ? AND ?",
                                        arguments: [run, stage.rawValue, span.lowerBound, span.upperBound]))
        }
        let select = try db.cachedStatement(sql: "SELECT idx FROM request WHERE \(RequestKey.match)")
        return Set(try indices.compactMap { try Int.fetchOne(select, arguments: RequestKey(run: run, stage: stage, index: $0).arguments) })
    }

    /// A new submission's row; its requests are marked by the caller.
    static func newSubmission(_ db: Database, run: String, stage: Stage, round: Int, requests: Int) throws -> Int64 {
        try db.execute(sql: "INSERT INTO submission (run_id, stage, round, requests, created_at) VALUES (:run, :stage, :round, :requests, :at)",
                       arguments: ["run": run, "stage": stage, "round": round, "requests": requests, "at": Date().timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    /// Records a submission and marks its requests, given as a run of the pending requests sorted by
    /// index on one attempt count: one UPDATE for the span instead of one per request.
    private static func insertSubmission(_ db: Database, run: String, stage: Stage, round: Int, indices: [Int],
                                         maxAttempts: Int) throws -> Submission {
        let id = try newSubmission(db, run: run, stage: stage, round: round, requests: indices.count)
        try db.execute(sql: """
            UPDATE request AS r SET live_submission = ?, attempts = attempts + 1
            WHERE \(pendingRequest) AND r.attempts = ? AND r.idx BETWEEN ? AND ?
            """, arguments: [id, run, stage.rawValue, maxAttempts, round - 1, indices.first, indices.last])
        guard db.changesCount == indices.count else {
            throw DatabaseError(message: "planning marked \(db.changesCount) requests for a batch of \(indices.count)")
        }
        return Submission(id: id, stage: stage, round: round, batchID: nil, indices: indices)
    }

    /// Keeps the first `keep` requests in the submission and hands the rest back to the planner,
    /// uncounted (a file over the size limit).
    public func shrink(_ submission: Submission, run: String, keep: Int) throws -> Submission {
        try db.write { db in
            let release = try db.cachedStatement(sql: """
                UPDATE request SET live_submission = NULL, attempts = attempts - 1 WHERE \(RequestKey.match)
                """)
            for index in submission.indices[keep...] { try release.execute(arguments: RequestKey(run: run, stage: submission.stage, index: index).arguments) }
            try db.execute(sql: "UPDATE submission SET requests = ? WHERE id = ?", arguments: [keep, submission.id])
            var kept = submission
            kept.indices = Array(submission.indices[..<keep])
            return kept
        }
    }

    /// Submissions not yet consumed: the ones a resumed run must finish, and a new run's planned base
    /// batches. Read back through the writer (see `readBack`).
    public func liveSubmissions(run: String) throws -> [Submission] {
        try readBack { db in
            // One pass over the run's requests (no index holds those in a batch), in row order.
            var indices: [Int64: [Int]] = [:]
            let live = try Row.fetchCursor(db, sql: "SELECT live_submission, idx FROM request WHERE run_id = ? AND live_submission IS NOT NULL",
                                           arguments: [run])
            while let row = try live.next() { indices[row[0], default: []].append(row[1]) }
            return try Row.fetchAll(db, sql: "SELECT id, stage, round, batch_id, status, created_at FROM submission WHERE run_id = ? AND consumed = 0 ORDER BY id",
                                    arguments: [run]).map { row in
                let id: Int64 = row["id"]
                return Submission(id: id, stage: Stage(rawValue: row["stage"]) ?? .base, round: row["round"], batchID: row["batch_id"],
                                  indices: indices[id] ?? [], started: row["status"] as SubmissionPhase != .planned, plannedAt: row["created_at"])
            }
        }
    }

    /// Provider batch ids of a run still running at the provider, as last seen.
    public func liveBatchIDs(run: String) throws -> [String] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT batch_id, status FROM submission WHERE run_id = ? AND consumed = 0 AND batch_id IS NOT NULL",
                             arguments: [run])
                .filter { !($0["status"] as SubmissionPhase).isTerminal }.map { $0["batch_id"] }
        }
    }

    /// Notes that a submission's upload begins (see `Submission.started`).
    public func markStarted(_ submission: Int64) throws {
        try db.write { db in try db.execute(sql: "UPDATE submission SET status = ? WHERE id = ?", arguments: [SubmissionPhase.uploading, submission]) }
    }

    /// Commits a provider batch id the moment the provider returns it.
    public func attach(_ batch: Batch, inputFileID: String, to submission: Int64) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE submission SET batch_id = :batch, input_file_id = :file, status = :status WHERE id = :submission",
                           arguments: ["batch": batch.id, "file": inputFileID, "status": SubmissionPhase.atProvider(batch.status), "submission": submission])
        }
    }

    public func updateBatch(_ batch: Batch, run: String) throws {
        try db.write { db in
            try db.execute(sql: """
                UPDATE submission SET status = :status, completed = :completed, failed = :failed, output_file_id = :output,
                    error_file_id = :errors
                WHERE run_id = :run AND batch_id = :batch
                """, arguments: ["status": SubmissionPhase.atProvider(batch.status), "completed": batch.requestCounts?.completed ?? 0,
                                 "failed": batch.requestCounts?.failed ?? 0, "output": batch.outputFileID, "errors": batch.errorFileID,
                                 "run": run, "batch": batch.id])
        }
    }

    /// Gives up on a submission with nothing stored (its batch is gone): its requests become pending again.
    public func abandon(_ submission: Submission, run: String, reason: String) throws {
        try db.write { db in
            try Self.consume(db, submission, run: run, also: "last_error = ?", [reason])
        }
    }

    /// Marks a submission consumed and releases the requests still in it (found by its span of rows),
    /// setting `also` on them in the same pass.
    static func consume(_ db: Database, _ submission: Submission, run: String, also assignments: String,
                        _ values: StatementArguments = []) throws {
        if let span = submission.span {
            try db.execute(sql: """
                UPDATE request SET live_submission = NULL, \(assignments)
                WHERE run_id = ? AND stage = ? AND idx BETWEEN ? AND ? AND live_submission = ?
                """, arguments: values + [run, submission.stage.rawValue, span.lowerBound, span.upperBound, submission.id])
        }
        try db.execute(sql: "UPDATE submission SET consumed = 1 WHERE id = ?", arguments: [submission.id])
    }

    /// A stage's requests, and how many of them are still unanswered.
    public struct RequestTally: Sendable, Equatable {
        public var requests = 0
        public var unanswered = 0
    }

    /// Every stage's tally, in one pass over the run's requests.
    public func requestTallies(run: String) throws -> [Stage: RequestTally] {
        try db.read { db in
            var tallies: [Stage: RequestTally] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT stage, COUNT(*), SUM(answered = 0) FROM request WHERE run_id = ? GROUP BY stage
                """, arguments: [run]) {
                if let stage = Stage(rawValue: row[0]) { tallies[stage] = RequestTally(requests: row[1], unanswered: row[2]) }
            }
            return tallies
        }
    }

    public func requestCount(run: String, stage: Stage) throws -> Int { try requestTallies(run: run)[stage]?.requests ?? 0 }

    public func unansweredCount(run: String, stage: Stage) throws -> Int { try requestTallies(run: run)[stage]?.unanswered ?? 0 }
}

/// A provider batch of a run as the store last saw it, for a dashboard opened on a stored run.
public struct StoredBatch: Sendable, Equatable {
    public let batchID: String
    public let stage: Stage
    public let status: BatchStatus
    public let completed, failed, requests: Int
    /// Its answers are in the store.
    public let consumed: Bool
    public let created: Date
}

extension RunStore {
    /// Every batch the run created at the provider, oldest first.
    public func storedBatches(run: String) throws -> [StoredBatch] {
        try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT batch_id, stage, status, completed, failed, requests, consumed, created_at FROM submission
                WHERE run_id = ? AND batch_id IS NOT NULL ORDER BY id
                """, arguments: [run]).compactMap { row in
                guard case .atProvider(let status) = row["status"] as SubmissionPhase else { return nil }
                return StoredBatch(batchID: row["batch_id"], stage: Stage(rawValue: row["stage"]) ?? .base, status: status, completed: row["completed"],
                                   failed: row["failed"], requests: row["requests"], consumed: row["consumed"], created: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }
}
