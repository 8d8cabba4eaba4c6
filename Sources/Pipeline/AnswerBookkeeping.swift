import GRDB
import JudgeCore

extension RunStore {
    /// Keeps what the store holds beside the answers just inserted: each request's `answered` flag,
    /// the judge request every base answer makes, and the run's token totals. Done by the inserting
    /// code, a batch at a time: as a trigger on each insert it cost 10 µs an answer (SQLite journals
    /// every statement that fires one). The `answer_removed` trigger undoes it when an answer goes.
    /// `submission`: its requests are marked in one statement; `others`: answered requests outside it.
    static func recordAnswers(_ db: Database, run: String, stage: Stage, submission: Int64?, others: [Int],
                              tokens: TokenCount) throws {
        if let submission {
            try db.execute(sql: """
                UPDATE request SET answered = 1
                WHERE run_id = ? AND stage = ? AND live_submission = ? AND answered = 0
                  AND EXISTS (SELECT 1 FROM answer a WHERE a.run_id = request.run_id AND a.custom_id = request.custom_id)
                """, arguments: [run, stage.rawValue, submission])
            if stage == .base {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO request (run_id, custom_id, stage, idx)
                    SELECT run_id, 'judge-' || idx, 'judge', idx FROM request
                    WHERE run_id = ? AND stage = 'base' AND live_submission = ? AND answered = 1
                    """, arguments: [run, submission])
            }
        }
        let mark = try db.cachedStatement(sql: "UPDATE request SET answered = 1 WHERE run_id = ? AND custom_id = ?")
        let judge = try db.cachedStatement(sql: "INSERT OR IGNORE INTO request (run_id, custom_id, stage, idx) VALUES (?, ?, 'judge', ?)")
        for index in others {
            try mark.execute(arguments: [run, RunConfig.customID(stage, index)])
            if stage == .base { try judge.execute(arguments: [run, RunConfig.customID(.judge, index), index]) }
        }
        guard tokens.prompt != 0 || tokens.completion != 0 else { return }
        try db.execute(sql: """
            INSERT INTO usage VALUES (?, ?, ?, ?)
            ON CONFLICT (run_id, stage) DO UPDATE SET prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                                                      completion_tokens = completion_tokens + excluded.completion_tokens
            """, arguments: [run, stage.rawValue, tokens.prompt, tokens.completion])
    }
}
