import Foundation
import GRDB
import JudgeCore

/// What a person asks for from the dashboard: answers to send again. Earlier answers are moved to
/// `answer_history`, never deleted, so an earlier judgement stays for comparison.
extension RunStore {
    static func registerHistory(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-history") { db in
            try db.execute(sql: """
                CREATE TABLE answer_history (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, custom_id TEXT NOT NULL, stage TEXT NOT NULL,
                    idx INTEGER NOT NULL, content TEXT NOT NULL, model TEXT NOT NULL, reason TEXT NOT NULL, replaced_at REAL NOT NULL);
                CREATE INDEX history_by_row ON answer_history(run_id, idx);
                """)
        }
    }

    /// Sends these rows again, both stages.
    public func rerun(run: String, indices: [Int]) throws {
        guard let config = try config(run: run) else { throw StoreError.unknownRun(run) }
        try db.write { db in
            for index in indices {
                for stage in Stage.allCases {
                    try Self.retire(db, run: run, stage: stage, index: index, model: stage == .base ? config.baseModel : config.judgeModel, reason: "rerun")
                }
            }
            try db.execute(sql: "UPDATE run SET status = 'running', finished_at = NULL WHERE id = ?", arguments: [run])
        }
    }

    /// Sends again every row that failed for good or came back unparseable; returns their indices.
    @discardableResult
    public func rerunFailedAndUnparseable(run: String, maxAttempts: Int) throws -> [Int] {
        var indices: Set<Int> = []
        for outcome in try outcomes(run: run, text: false) {
            if let base = outcome.baseAnswer, BaseAnswer(raw: base).isUnparseable { indices.insert(outcome.row.index) }
            if let judge = outcome.judgeAnswer, JudgeAnswer(raw: judge).verdict == .unparseable { indices.insert(outcome.row.index) }
        }
        let exhausted = try db.read { db in
            try Int.fetchAll(db, sql: """
                SELECT r.idx FROM request r WHERE r.run_id = ? AND r.attempts >= ? AND r.answered = 0
                """, arguments: [run, maxAttempts])
        }
        indices.formUnion(exhausted)
        let sorted = indices.sorted()
        try rerun(run: run, indices: sorted)
        return sorted
    }

    /// Judges every row again with another judge model; the earlier verdicts stay in the history.
    public func rejudge(run: String, model: String) throws {
        guard var config = try config(run: run) else { throw StoreError.unknownRun(run) }
        let previous = config.judgeModel
        config.judgeModel = model
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        try db.write { db in
            let indices = try Int.fetchAll(db, sql: "SELECT idx FROM request WHERE run_id = ? AND stage = 'judge'", arguments: [run])
            for index in indices { try Self.retire(db, run: run, stage: .judge, index: index, model: previous, reason: "re-judged with \(model)") }
            try db.execute(sql: "UPDATE run SET config = ?, status = 'running', finished_at = NULL WHERE id = ?", arguments: [json, run])
        }
    }

    /// Earlier judgements of each row, as "model: answer", oldest first.
    public func previousJudgements(run: String) throws -> [Int: [String]] {
        try db.read { db in
            var map: [Int: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT idx, model, content FROM answer_history WHERE run_id = ? AND stage = 'judge' ORDER BY replaced_at
                """, arguments: [run]) {
                map[row["idx"], default: []].append("\(row["model"] as String): \(row["content"] as String)")
            }
            return map
        }
    }

    private static func retire(_ db: Database, run: String, stage: Stage, index: Int, model: String, reason: String) throws {
        try db.execute(sql: """
            INSERT INTO answer_history (run_id, custom_id, stage, idx, content, model, reason, replaced_at)
            SELECT run_id, stage || '-' || idx, stage, idx, content, ?, ?, ? FROM answer WHERE run_id = ? AND stage = ? AND idx = ?
            """, arguments: [model, reason, Date().timeIntervalSince1970, run, stage.rawValue, index])
        try db.execute(sql: "DELETE FROM answer WHERE run_id = ? AND stage = ? AND idx = ?", arguments: [run, stage.rawValue, index])
        try db.execute(sql: "UPDATE request SET attempts = 0, last_error = NULL WHERE run_id = ? AND stage = ? AND idx = ? AND live_submission IS NULL",
                       arguments: [run, stage.rawValue, index])
    }
}
