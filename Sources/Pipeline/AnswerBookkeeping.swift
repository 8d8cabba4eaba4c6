import Foundation
import GRDB
import JudgeCore

/// An answer the provider returned for one request, on its way into the store.
struct ReceivedAnswer: Sendable {
    let index: Int
    let content: String
    let usage: TokenCount
}

extension RunStore {
    /// What `commitAnswers` did with the answers it was given.
    struct Committed {
        /// Rows whose request now has this answer (first answers and answers asked again).
        var stored: [Int] = []
        /// Rows that had their answer already: the new one went to the history, kept, not shown.
        var duplicates: [Int] = []
    }

    /// The one way answers enter the store, in batch and online mode alike, with all the bookkeeping
    /// beside them in the caller's transaction:
    /// - a request without an answer gets it;
    /// - a request asked again (`redo`) gets it, and its earlier answer moves to `answer_history`;
    /// - a request that has its answer keeps it, and the new one goes to the history as a duplicate:
    ///   it was paid for, so it is never dropped;
    /// - every answer's tokens are charged to its stage and model (`charge`), duplicates included;
    /// - each stored request is marked answered, except those of the submission being settled
    ///   (`submission`), which `settle` marks in one pass;
    /// - a base answer that replaced an earlier one has its judge request asked again.
    static func commitAnswers(_ db: Database, run: String, stage: Stage, model: String, batchID: String?,
                              answers: [ReceivedAnswer], submission: Set<Int> = []) throws -> Committed {
        var committed = Committed()
        guard !answers.isEmpty else { return committed }
        let existing = try answeredRequests(db, run: run, stage: stage, indices: answers.map(\.index))
        var fresh: [ReceivedAnswer] = [], replaced: [Int] = [], duplicates: [ReceivedAnswer] = []
        var seen = Set<Int>()
        for answer in answers {
            guard seen.insert(answer.index).inserted else {
                duplicates.append(answer)
                continue
            }
            switch existing[answer.index] {
            case nil: fresh.append(answer)
            case true?:
                replaced.append(answer.index)
                fresh.append(answer)
            case false?: duplicates.append(answer)
            }
        }
        let now = Date().timeIntervalSince1970
        try retire(db, run: run, stage: stage, indices: replaced, model: model, reason: "asked again", at: now)
        let keep = try db.cachedStatement(sql: """
            INSERT INTO answer_history (run_id, custom_id, stage, idx, content, model, reason, replaced_at)
            VALUES (:run, :customID, :stage, :idx, :content, :model, :reason, :at)
            """)
        for answer in duplicates {
            try keep.execute(arguments: ["run": run, "customID": RunConfig.customID(stage, answer.index), "stage": stage, "idx": answer.index,
                                         "content": answer.content, "model": model,
                                         "reason": "duplicate: the request had its answer already", "at": now])
        }
        // In row order: a provider returns lines in any order, and SQLite inserts faster in key
        // order, each row beside the last on a page at hand (7% of a 20,000-row run's CPU).
        fresh.sort { $0.index < $1.index }
        try BulkInsert<ReceivedAnswer>(into: "answer", shared: [
            ("run_id", .text(run)), ("stage", .text(stage.rawValue)), ("batch_id", .text(batchID)), ("received_at", .real(now)), ("model", .text(model)),
        ], columns: [
            .init("idx") { $0.bind($1.index) },
            .init("content") { $0.bind($1.content) },
            .init("prompt_tokens") { $0.bind($1.usage.prompt) },
            .init("completion_tokens") { $0.bind($1.usage.completion) },
        ]).run(db, fresh)
        let mark = try db.cachedStatement(sql: "UPDATE request SET answered = 1, redo = 0 WHERE \(RequestKey.match)")
        let done = try db.cachedStatement(sql: "UPDATE request SET redo = 0 WHERE \(RequestKey.match)")
        for answer in fresh where !submission.contains(answer.index) { try mark.execute(arguments: RequestKey(run: run, stage: stage, index: answer.index).arguments) }
        for index in replaced where submission.contains(index) { try done.execute(arguments: RequestKey(run: run, stage: stage, index: index).arguments) }
        if stage == .base {
            let askJudgeAgain = try db.cachedStatement(sql: """
                UPDATE request SET redo = answered, answered = 0, attempts = 0, last_error = NULL
                WHERE run_id = ? AND stage = 'judge' AND idx = ? AND live_submission IS NULL
                """)
            for index in replaced { try askJudgeAgain.execute(arguments: [run, index]) }
        }
        try charge(db, run: run, stage: stage, model: model, answers: answers)
        committed.stored = fresh.map(\.index)
        committed.duplicates = duplicates.map(\.index)
        return committed
    }

    /// Which of these rows have an answer of the stage, and whether each is asked again (`redo`).
    private static func answeredRequests(_ db: Database, run: String, stage: Stage, indices: [Int]) throws -> [Int: Bool] {
        let select = "SELECT a.idx, r.redo FROM answer a JOIN request r ON r.run_id = a.run_id AND r.stage = a.stage AND r.idx = a.idx WHERE a.run_id = ? AND a.stage = ?"
        var found: [Int: Bool] = [:]
        if let span = denseSpan(indices) {
            for row in try Row.fetchAll(db, sql: select + " AND a.idx BETWEEN ? AND ?",
                                        arguments: [run, stage.rawValue, span.lowerBound, span.upperBound]) {
                found[row[0]] = row[1]
            }
            return found
        }
        let one = try db.cachedStatement(sql: select + " AND a.idx = ?")
        for index in Set(indices) {
            if let row = try Row.fetchOne(one, arguments: [run, stage.rawValue, index]) { found[index] = row[1] }
        }
        return found
    }

    /// Moves the current answers of these rows to the history (kept for comparison, never deleted).
    static func retire(_ db: Database, run: String, stage: Stage, indices: [Int], model: String, reason: String,
                       at time: Double = Date().timeIntervalSince1970) throws {
        guard !indices.isEmpty else { return }
        let copy = try db.cachedStatement(sql: """
            INSERT INTO answer_history (run_id, custom_id, stage, idx, content, model, reason, replaced_at)
            SELECT run_id, stage || '-' || idx, stage, idx, content, COALESCE(model, ?), ?, ? FROM answer WHERE \(RequestKey.match)
            """)
        let remove = try db.cachedStatement(sql: "DELETE FROM answer WHERE \(RequestKey.match)")
        for index in indices {
            try copy.execute(arguments: [model, reason, time] + RequestKey(run: run, stage: stage, index: index).arguments)
            try remove.execute(arguments: RequestKey(run: run, stage: stage, index: index).arguments)
        }
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
    /// table (another batch may have answered one) and become pending again when it has none. A
    /// request asked again keeps its earlier answer but stays pending, unless the run was cancelled:
    /// then the earlier answer stands. `missing`: requests the batch's files had no line for.
    static func settle(_ db: Database, submission: Submission, run: String, stored: Set<Int>, missing: Set<Int> = []) throws {
        try consume(db, submission, run: run, also: "answered = NOT redo")
        let cancelled = try cancelRequested(db, run: run)
        let recheck = try db.cachedStatement(sql: """
            UPDATE request AS r SET redo = r.redo AND NOT ?,
                answered = (NOT r.redo OR ?) AND EXISTS (SELECT 1 FROM answer a WHERE a.run_id = r.run_id AND a.stage = r.stage AND a.idx = r.idx),
                last_error = CASE WHEN ? THEN 'the batch returned no line for this request' ELSE r.last_error END
            WHERE \(RequestKey.match)
            """)
        for index in submission.indices where !stored.contains(index) {
            try recheck.execute(arguments: [cancelled, cancelled, missing.contains(index)] + RequestKey(run: run, stage: submission.stage, index: index).arguments)
        }
    }
}
