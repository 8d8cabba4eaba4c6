import Foundation
import GRDB
import JudgeCore

/// How a run ended, as `finish` recorded it.
public struct RunEnd: Sendable, Equatable {
    public let status: RunStatus
    /// Requests without an answer, per stage (failed for good after their attempts).
    public let unanswered: [Stage: Int]
    /// Requests asked again whose new answer never came: their earlier answer stands.
    public let keptEarlier: Int

    public var unansweredTotal: Int { unanswered.values.reduce(0, +) }
}

/// What `requestCancel` found and did.
public enum CancelRequest: Sendable, Equatable {
    /// The run was finished with no work under way: nothing changed.
    case nothingToCancel(status: RunStatus)
    /// Recorded: the run's owner creates no batch from now on; `status` is the run's status now
    /// (`done` when only a rerun or re-judge was cancelled, whose earlier answers stand).
    case recorded(status: RunStatus)
}

/// Whether the owner of a run may create a batch now.
public enum BatchPermission: Sendable, Equatable {
    case allowed
    case cancelled
    /// Another process holds the run's lease (this one was stale and taken over).
    case leaseLost
}

extension RunStore {
    static func cancelRequested(_ db: Database, run: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT cancel_requested OR status = ? FROM run WHERE id = ?", arguments: [RunStatus.cancelled, run]) ?? false
    }

    public func cancelRequested(run: String) throws -> Bool {
        try db.read { db in try Self.cancelRequested(db, run: run) }
    }

    /// Asked before every batch is created, and again after: a cancel recorded by any process, or
    /// the lease gone to another process, stops the creating.
    public func mayCreateBatch(run: String, leaseToken: String?) throws -> BatchPermission {
        try db.read { db in
            if try Self.cancelRequested(db, run: run) { return .cancelled }
            guard let leaseToken else { return .allowed }
            let holder = try String.fetchOne(db, sql: "SELECT token FROM lease WHERE run_id = ?", arguments: [run])
            return holder == leaseToken ? .allowed : .leaseLost
        }
    }

    /// Records a cancel, first of all, so that the run's owner creates nothing after it. Work asked
    /// again (a rerun or re-judge) is dropped and the earlier answers stand; a run whose every
    /// request then has its answer keeps `done`. A finished run with nothing under way is left as it is.
    public func requestCancel(run: String, reason: String) throws -> CancelRequest {
        try db.write { db in
            guard let status = try Self.status(db, run: run) else { throw StoreError.unknownRun(run) }
            let live = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM submission WHERE run_id = ? AND consumed = 0", arguments: [run]) ?? 0
            let redo = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM request WHERE run_id = ? AND redo = 1", arguments: [run]) ?? 0
            if status == .done || status == .cancelled, live == 0, redo == 0 { return .nothingToCancel(status: status) }
            try db.execute(sql: "UPDATE request SET redo = 0, answered = 1 WHERE run_id = ? AND redo = 1 AND live_submission IS NULL",
                           arguments: [run])
            let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM request WHERE run_id = ? AND answered = 0 AND redo = 0",
                                        arguments: [run]) ?? 0
            // A rerun or re-judge of a finished run goes back to how the run had finished.
            let before = try RunStatus.fetchOne(db, sql: "SELECT status_before_rework FROM run WHERE id = ?", arguments: [run])
            let now = before.map { open == 0 ? .done : $0 } ?? .cancelled
            try db.execute(sql: """
                UPDATE run SET cancel_requested = 1, status = :status, message = :message, finished_at = COALESCE(finished_at, :at) WHERE id = :run
                """, arguments: ["status": now, "message": reason, "at": Date().timeIntervalSince1970, "run": run])
            return .recorded(status: now)
        }
    }

    /// Ends a run the engine has nothing more to do for. A cancelled run keeps its status. Requests
    /// asked again whose new answer never came keep their earlier one. The run is `done` when every
    /// request has its answer, else `failed`, saying how many have none.
    public func finish(run: String) throws -> RunEnd {
        try db.write { db in
            try db.execute(sql: "UPDATE request SET redo = 0, answered = 1 WHERE run_id = ? AND redo = 1 AND live_submission IS NULL",
                           arguments: [run])
            let kept = db.changesCount
            var unanswered: [Stage: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT stage, COUNT(*) FROM request WHERE run_id = ? AND answered = 0 GROUP BY stage",
                                        arguments: [run]) {
                if let stage = Stage(rawValue: row[0]) { unanswered[stage] = row[1] }
            }
            guard var status = try Self.status(db, run: run) else { throw StoreError.unknownRun(run) }
            try db.execute(sql: "UPDATE run SET status_before_rework = NULL WHERE id = ?", arguments: [run])
            if try !Self.cancelRequested(db, run: run) {
                let missing = unanswered.values.reduce(0, +)
                status = missing == 0 ? .done : .failed
                let message = missing == 0 ? nil : "\(missing) request\(missing == 1 ? " has" : "s have") no answer after every attempt"
                try db.execute(sql: "UPDATE run SET status = :status, message = :message, finished_at = :at WHERE id = :run",
                               arguments: ["status": status, "message": message, "at": Date().timeIntervalSince1970, "run": run])
            }
            return RunEnd(status: status, unanswered: unanswered, keptEarlier: kept)
        }
    }

    /// Gives requests that failed for good a fresh set of attempts (a person asked to resume).
    @discardableResult
    public func retryExhausted(run: String, maxAttempts: Int) throws -> Int {
        try db.write { db in
            try db.execute(sql: """
                UPDATE request SET attempts = 0 WHERE run_id = ? AND answered = 0 AND live_submission IS NULL AND attempts >= ?
                """, arguments: [run, maxAttempts])
            return db.changesCount
        }
    }

    /// Starts new work on a run (a rerun, a re-judge): an earlier cancel no longer applies, and the
    /// status a finished run had is kept for a cancel of this work to return to.
    static func reopen(_ db: Database, run: String) throws {
        try db.execute(sql: """
            UPDATE run SET status_before_rework = CASE WHEN status IN (?, ?) THEN status ELSE status_before_rework END,
                status = ?, message = NULL, finished_at = NULL, cancel_requested = 0 WHERE id = ?
            """, arguments: [RunStatus.done, RunStatus.failed, RunStatus.running, run])
    }
}

extension RunStore {
    /// What must always hold in a run's store, as sentences naming what does not; the tests of
    /// faults, cancels and concurrent owners check it at their end.
    public func invariantViolations(run: String) throws -> [String] {
        try db.read { db in
            var problems: [String] = []
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: [run]) ?? 0 }
            let flaggedWithout = try count("""
                SELECT COUNT(*) FROM request r WHERE r.run_id = ? AND r.answered = 1
                  AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.run_id = r.run_id AND a.stage = r.stage AND a.idx = r.idx)
                """)
            if flaggedWithout > 0 { problems.append("\(flaggedWithout) requests are marked answered without an answer") }
            let answeredPending = try count("""
                SELECT COUNT(*) FROM request r WHERE r.run_id = ? AND r.answered = 0 AND r.redo = 0
                  AND EXISTS (SELECT 1 FROM answer a WHERE a.run_id = r.run_id AND a.stage = r.stage AND a.idx = r.idx)
                """)
            if answeredPending > 0 { problems.append("\(answeredPending) requests have an answer but are pending (they would be paid again)") }
            let orphanAnswers = try count("""
                SELECT COUNT(*) FROM answer a WHERE a.run_id = ?
                  AND NOT EXISTS (SELECT 1 FROM request r WHERE r.run_id = a.run_id AND r.stage = a.stage AND r.idx = a.idx)
                """)
            if orphanAnswers > 0 { problems.append("\(orphanAnswers) answers have no request") }
            let uncharged = try count("""
                SELECT COUNT(*) FROM (SELECT stage, COUNT(*) AS n FROM answer WHERE run_id = ?1 GROUP BY stage) a
                WHERE a.n > COALESCE((SELECT SUM(answers) FROM charge c WHERE c.run_id = ?1 AND c.stage = a.stage), 0)
                """)
            if uncharged > 0 { problems.append("a stage has more answers than were charged") }
            let lostBatches = try SubmissionPhase.fetchAll(db, sql: """
                SELECT status FROM submission WHERE run_id = ? AND consumed = 0 AND batch_id IS NULL
                """, arguments: [run]).filter { ![.planned, .uploading].contains($0) }.count
            if lostBatches > 0 { problems.append("\(lostBatches) live batches have no provider id") }
            let doubleBooked = try count("""
                SELECT COUNT(*) FROM request r JOIN submission s ON s.id = r.live_submission WHERE r.run_id = ? AND s.consumed = 1
                """)
            if doubleBooked > 0 { problems.append("\(doubleBooked) requests belong to a consumed batch") }
            return problems
        }
    }
}
