import BatchAPI
import Foundation
import GRDB
import JudgeCore

/// A run's answers: stored a batch's file at a time, read back by rows and as outcomes.
extension RunStore {
    /// What storing one batch's results did.
    public struct StoreOutcome: Sendable, Equatable {
        public var stored = 0
        public var failures = 0
        /// Lines for requests that already had an answer: kept out, never overwriting.
        public var duplicates: [String] = []
        /// Lines naming no request of this run and stage.
        public var unknown: [String] = []
        /// Judge batches planned for the base answers just stored.
        public var judgeBatches: [Submission] = []
    }

    /// Stores a submission's result lines and marks it consumed, in one transaction: its
    /// unanswered requests become pending again for a follow-up batch. Answers go in through
    /// `commitAnswers`, sent to `model`. With `judgeLimits`, stored base answers get their judge
    /// batches planned in the same transaction, so a chunk's judge batch starts as soon as its base
    /// answers are in (not after whatever the writer does next).
    public func storeResults(run: String, submission: Submission, lines: [OutputLine], model: String,
                             judgeLimits: PlanLimits? = nil) throws -> StoreOutcome {
        let stage = submission.stage
        return try db.write { db in
            var outcome = StoreOutcome()
            let expected = Set(submission.indices)
            let requests = try Self.requestIndices(db, of: lines, run: run, stage: stage, expected: expected)
            var received: [ReceivedAnswer] = []
            var named = Set<Int>()
            let failure = try db.cachedStatement(sql: "UPDATE request SET last_error = ? WHERE \(RequestKey.match)")
            for (line, index) in zip(lines, requests) {
                guard let index else {
                    outcome.unknown.append(line.customID)
                    continue
                }
                named.insert(index)
                switch line.result {
                case .success(let content, let usage):
                    received.append(ReceivedAnswer(index: index, content: content, usage: usage))
                case .failure(let code, let message):
                    outcome.failures += 1
                    try failure.execute(arguments: ["\(code): \(message)"] + RequestKey(run: run, stage: stage, index: index).arguments)
                }
            }
            let committed = try Self.commitAnswers(db, run: run, stage: stage, model: model, batchID: submission.batchID,
                                                   answers: received, submission: expected)
            outcome.stored = committed.stored.count
            outcome.duplicates = committed.duplicates.map { RunConfig.customID(stage, $0) }
            try Self.settle(db, submission: submission, run: run, stored: Set(committed.stored), missing: expected.subtracting(named))
            if stage == .base, !committed.stored.isEmpty {
                if let judgeLimits, try !Self.cancelRequested(db, run: run) {
                    outcome.judgeBatches = try Self.planJudgeBatches(db, run: run, for: committed.stored, limits: judgeLimits)
                } else {
                    try Self.addJudgeRequests(db, run: run, for: committed.stored)
                }
            }
            return outcome
        }
    }

    /// The row each line's request is for; nil when it names no request of this run and stage.
    /// The submission's own requests (`expected`) need no lookup; anything else may be a request of
    /// another batch.
    private static func requestIndices(_ db: Database, of lines: [OutputLine], run: String, stage: Stage, expected: Set<Int>) throws -> [Int?] {
        let known = try db.cachedStatement(sql: "SELECT 1 FROM request WHERE \(RequestKey.match)")
        return try lines.map { line in
            guard let named = RunConfig.request(named: line.customID), named.stage == stage else { return nil }
            let isRequest = try expected.contains(named.index)
                || Bool.fetchOne(known, arguments: RequestKey(run: run, stage: stage, index: named.index).arguments) == true
            return isRequest ? named.index : nil
        }
    }

    /// Answer texts of a stage for some rows.
    /// Read like `rows(run:indices:)`: a chunk by the span it covers, a few scattered rows one by one.
    public func answers(run: String, stage: Stage, indices: [Int]) throws -> [Int: String] {
        try db.read { db in try Self.answers(db, run: run, stage: stage, indices: indices) }
    }

    static func answers(_ db: Database, run: String, stage: Stage, indices: [Int]) throws -> [Int: String] {
        var map: [Int: String] = [:]
        if let span = Self.denseSpan(indices) {
            let wanted = Set(indices)
            let select = try RawStatement(db, sql: "SELECT idx, content FROM answer WHERE run_id = ? AND stage = ? AND idx BETWEEN ? AND ?")
            try select.forEachRow({
                $0.bind(run)
                $0.bind(stage.rawValue)
                $0.bind(span.lowerBound)
                $0.bind(span.upperBound)
            }) { columns in
                let index = columns.int(0)
                if wanted.contains(index) { map[index] = columns.text(1) }
            }
            return map
        }
        let select = try db.cachedStatement(sql: "SELECT content FROM answer WHERE \(RequestKey.match)")
        for index in indices {
            map[index] = try String.fetchOne(select, arguments: RequestKey(run: run, stage: stage, index: index).arguments)
        }
        return map
    }

    /// Every row with whatever answers it has; `text: false` leaves out titles and prompt fields.
    /// One read: rows and answers both come in index order and are merged, not hashed. Without
    /// `text`, rows carry their truth only: all a report needs, at a fraction of the memory.
    public func outcomes(run: String, text: Bool = true) throws -> [RowOutcome] {
        try db.read { db in
            let rows = try Self.rows(db, sql: text ? Self.allRows : Self.allTruthRows) { $0.bind(run) }
            let base = try Self.answerTexts(db, run: run, stage: .base, for: rows)
            let judge = try Self.answerTexts(db, run: run, stage: .judge, for: rows)
            return rows.indices.map { RowOutcome(row: rows[$0], baseAnswer: base[$0], judgeAnswer: judge[$0]) }
        }
    }

    /// A stage's answers lined up with `rows` (sorted by index).
    private static func answerTexts(_ db: Database, run: String, stage: Stage, for rows: [Item]) throws -> [String?] {
        var texts = [String?](repeating: nil, count: rows.count)
        var position = 0
        try RawStatement(db, sql: "SELECT idx, content FROM answer WHERE run_id = ? AND stage = ? ORDER BY idx").forEachRow({
            $0.bind(run)
            $0.bind(stage.rawValue)
        }) { answer in
            let index = answer.int(0)
            while position < rows.count, rows[position].index < index { position += 1 }
            if position < rows.count, rows[position].index == index { texts[position] = answer.text(1) }
        }
        return texts
    }
}
