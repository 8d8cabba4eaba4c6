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
                SELECT r.idx FROM request r WHERE r.run_id = ? AND r.stage = 'base' AND r.attempts < ?
                  AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.run_id = r.run_id AND a.custom_id = r.custom_id)
                ORDER BY r.idx
                """, arguments: [run, maxAttempts])
            let judge = try Int.fetchAll(db, sql: """
                SELECT b.idx FROM answer b
                LEFT JOIN request r ON r.run_id = b.run_id AND r.custom_id = 'judge-' || b.idx
                WHERE b.run_id = ? AND b.stage = 'base' AND COALESCE(r.attempts, 0) < ?
                  AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.run_id = b.run_id AND a.custom_id = 'judge-' || b.idx)
                ORDER BY b.idx
                """, arguments: [run, maxAttempts])
            return base.map { ($0, true) } + judge.map { ($0, false) }
        }
    }

    /// Counts an attempt before the request goes out.
    public func recordAttempt(run: String, stage: Stage, index: Int) throws {
        try db.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO request (run_id, custom_id, stage, idx) VALUES (?, ?, ?, ?)",
                           arguments: [run, RunConfig.customID(stage, index), stage.rawValue, index])
            try db.execute(sql: "UPDATE request SET attempts = attempts + 1 WHERE run_id = ? AND custom_id = ?",
                           arguments: [run, RunConfig.customID(stage, index)])
        }
    }

    public func storeAnswer(run: String, stage: Stage, index: Int, content: String, usage: TokenCount) throws {
        try db.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO answer (run_id, custom_id, stage, idx, content, prompt_tokens, completion_tokens, batch_id, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)
                """, arguments: [run, RunConfig.customID(stage, index), stage.rawValue, index, content, usage.prompt, usage.completion,
                                 Date().timeIntervalSince1970])
        }
    }

    public func recordFailure(run: String, stage: Stage, index: Int, error: String) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE request SET last_error = ? WHERE run_id = ? AND custom_id = ?",
                           arguments: [error, run, RunConfig.customID(stage, index)])
        }
    }
}
