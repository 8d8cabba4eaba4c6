import Foundation
import GRDB
import JudgeCore

/// The store as the online driver uses it: one row's requests at a time, committed one by one
/// (WAL with synchronous=NORMAL: a commit survives the process being killed).
extension RunStore {
    /// Work left: rows whose base request still needs an answer, and rows with a base answer whose
    /// judge request still needs one (attempts left in both cases).
    public func onlineWork(run: String, maxAttempts: Int) throws -> [(index: Int, needsBase: Bool)] {
        try db.read { db in
            let base = try Int.fetchAll(db, sql: """
                SELECT r.idx FROM request r WHERE r.run_id = ? AND r.stage = 'base' AND r.attempts < ? AND r.answered = 0
                ORDER BY r.idx
                """, arguments: [run, maxAttempts])
            let judge = try Int.fetchAll(db, sql: """
                SELECT b.idx FROM answer b
                LEFT JOIN request r ON r.run_id = b.run_id AND r.stage = 'judge' AND r.idx = b.idx
                WHERE b.run_id = ? AND b.stage = 'base' AND COALESCE(r.attempts, 0) < ?
                  AND COALESCE(r.answered, 0) = 0
                ORDER BY b.idx
                """, arguments: [run, maxAttempts])
            return base.map { ($0, true) } + judge.map { ($0, false) }
        }
    }

    /// Stores an answer through `commitAnswers` (and, for a base answer, creates its judge request), in one commit.
    public func storeAnswer(run: String, stage: Stage, index: Int, content: String, usage: TokenCount, model: String) throws {
        try db.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO request (run_id, stage, idx, attempts) VALUES (?, ?, ?, 1)",
                           arguments: [run, stage.rawValue, index])
            let committed = try Self.commitAnswers(db, run: run, stage: stage, model: model, batchID: nil,
                                                   answers: [ReceivedAnswer(index: index, content: content, usage: usage)])
            if stage == .base, !committed.stored.isEmpty { try Self.addJudgeRequests(db, run: run, for: committed.stored) }
        }
    }

    /// Counts a failed attempt and its reason. Only failures count: a request lost with a killed
    /// process was no failure, and attempts bound retries of requests that keep failing.
    /// A 429 is pacing, not failure: `countsAsAttempt: false` records its reason without spending an attempt.
    public func recordFailure(run: String, stage: Stage, index: Int, error: String, countsAsAttempt: Bool = true) throws {
        try db.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO request (run_id, stage, idx) VALUES (?, ?, ?)", arguments: [run, stage.rawValue, index])
            try db.execute(sql: "UPDATE request SET attempts = attempts + ?, last_error = ? WHERE \(RequestKey.match)",
                           arguments: [countsAsAttempt ? 1 : 0, error] + RequestKey(run: run, stage: stage, index: index).arguments)
        }
    }
}
