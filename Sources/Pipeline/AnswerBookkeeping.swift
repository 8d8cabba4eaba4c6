import GRDB
import JudgeCore

extension RunStore {
    /// Keeps what the store holds beside the answers just inserted: each request's `answered` flag
    /// and the run's token totals (and, by `addJudgeRequests` or `planJudgeBatches`, the judge request
    /// every base answer makes). Done by the inserting code, a batch at a time: as a trigger on each
    /// insert it cost 10 µs an answer (SQLite journals every statement that fires one). The
    /// `answer_removed` trigger undoes it when an answer goes. Flags are set here for requests
    /// outside a submission (`others`); `settle` sets a submission's own.
    static func recordAnswers(_ db: Database, run: String, stage: Stage, others: [Int], tokens: TokenCount) throws {
        let mark = try db.cachedStatement(sql: "UPDATE request SET answered = 1 WHERE run_id = ? AND stage = ? AND idx = ?")
        for index in others { try mark.execute(arguments: [run, stage.rawValue, index]) }
        guard tokens.prompt != 0 || tokens.completion != 0 else { return }
        try db.execute(sql: """
            INSERT INTO usage VALUES (?, ?, ?, ?)
            ON CONFLICT (run_id, stage) DO UPDATE SET prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                                                      completion_tokens = completion_tokens + excluded.completion_tokens
            """, arguments: [run, stage.rawValue, tokens.prompt, tokens.completion])
    }

    /// The judge request of each base answer. A batch's answers cover a span of rows: one statement
    /// over the span's answers (any base answer there needs its judge request anyway); scattered
    /// answers, one at a time.
    static func addJudgeRequests(_ db: Database, run: String, for indices: [Int]) throws {
        if let span = denseSpan(indices) {
            try db.execute(sql: """
                INSERT OR IGNORE INTO request (run_id, stage, idx)
                SELECT run_id, 'judge', idx FROM answer WHERE run_id = ? AND stage = 'base' AND idx BETWEEN ? AND ?
                """, arguments: [run, span.lowerBound, span.upperBound])
            return
        }
        let judge = try db.cachedStatement(sql: "INSERT OR IGNORE INTO request (run_id, stage, idx) VALUES (?, 'judge', ?)")
        for index in indices { try judge.execute(arguments: [run, index]) }
    }

    /// Ends a submission whose results are stored (`stored`: the indices answered by them): its
    /// requests are released and marked answered in one pass, each request row and index entry
    /// rewritten once; the few left without an answer from this batch are then asked the answer
    /// table (another batch may have answered one) and become pending again when it has none.
    /// Asking the answer table for every request cost more than the inserts.
    static func settle(_ db: Database, submission: Submission, run: String, stored: Set<Int>) throws {
        try consume(db, submission, run: run, also: "answered = 1")
        let recheck = try db.cachedStatement(sql: """
            UPDATE request AS r SET answered = EXISTS (SELECT 1 FROM answer a WHERE a.run_id = r.run_id AND a.stage = r.stage AND a.idx = r.idx)
            WHERE run_id = ? AND stage = ? AND idx = ?
            """)
        for index in submission.indices where !stored.contains(index) {
            try recheck.execute(arguments: [run, submission.stage.rawValue, index])
        }
    }
}
