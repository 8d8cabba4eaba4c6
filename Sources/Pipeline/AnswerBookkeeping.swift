import GRDB
import JudgeCore

extension RunStore {
    /// Keeps what the store holds beside the answers just inserted: each request's `answered` flag,
    /// the judge request every base answer makes, and the run's token totals. Done by the inserting
    /// code, a batch at a time: as a trigger on each insert it cost 10 µs an answer (SQLite journals
    /// every statement that fires one). The `answer_removed` trigger undoes it when an answer goes.
    /// This covers answered requests outside a submission (`others`); `settle` covers a submission's own.
    static func recordAnswers(_ db: Database, run: String, stage: Stage, others: [Int], tokens: TokenCount) throws {
        let mark = try db.cachedStatement(sql: "UPDATE request SET answered = 1 WHERE run_id = ? AND stage = ? AND idx = ?")
        let judge = try db.cachedStatement(sql: "INSERT OR IGNORE INTO request (run_id, stage, idx) VALUES (?, 'judge', ?)")
        for index in others {
            try mark.execute(arguments: [run, stage.rawValue, index])
            if stage == .base { try judge.execute(arguments: [run, index]) }
        }
        guard tokens.prompt != 0 || tokens.completion != 0 else { return }
        try db.execute(sql: """
            INSERT INTO usage VALUES (?, ?, ?, ?)
            ON CONFLICT (run_id, stage) DO UPDATE SET prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                                                      completion_tokens = completion_tokens + excluded.completion_tokens
            """, arguments: [run, stage.rawValue, tokens.prompt, tokens.completion])
    }

    /// Ends a submission whose results are stored: the judge requests of its base answers are added,
    /// and its requests are marked answered (or not) and released in one pass, so that each request
    /// row and its index entry are rewritten once; unanswered ones become pending again.
    static func settle(_ db: Database, submission: Submission, run: String) throws {
        let hasAnswer = "EXISTS (SELECT 1 FROM answer a WHERE a.run_id = r.run_id AND a.stage = r.stage AND a.idx = r.idx)"
        if submission.stage == .base {
            try db.execute(sql: """
                INSERT OR IGNORE INTO request (run_id, stage, idx)
                SELECT run_id, 'judge', idx FROM request r
                WHERE run_id = ? AND stage = 'base' AND live_submission = ? AND \(hasAnswer)
                """, arguments: [run, submission.id])
        }
        try db.execute(sql: """
            UPDATE request AS r SET answered = \(hasAnswer), live_submission = NULL
            WHERE run_id = ? AND stage = ? AND live_submission = ?
            """, arguments: [run, submission.stage.rawValue, submission.id])
        try db.execute(sql: "UPDATE submission SET consumed = 1 WHERE id = ?", arguments: [submission.id])
    }
}
