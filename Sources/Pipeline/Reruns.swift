import Foundation
import GRDB
import JudgeCore

/// Work a person asks for again from the dashboard: which requests go again. An answer asked again
/// stays until its new one arrives; then it moves to `answer_history`, never deleted, so an earlier
/// judgement stays for comparison and a cancelled rerun loses nothing.
public struct Rework: Sendable, Equatable {
    /// Rows whose base request goes again; their judge request follows the new base answer.
    public var base: [Int] = []
    /// Rows whose judge request alone goes again.
    public var judge: [Int] = []
    /// A re-judge: the judge model every judge request goes to from now on.
    public var judgeModel: String?

    public init(base: [Int] = [], judge: [Int] = [], judgeModel: String? = nil) {
        self.base = base
        self.judge = judge
        self.judgeModel = judgeModel
    }

    /// Requests this sends: a base request, and the judge request of its new answer, for each row of `base`.
    public var requests: Int { 2 * base.count + judge.count }
    public var isEmpty: Bool { base.isEmpty && judge.isEmpty }

    /// Tokens it will likely cost, from what the run's answers cost on average so far (nil before any answer).
    public func estimatedTokens(charges: [Charge]) -> [Stage: TokenCount]? {
        var perAnswer: [Stage: (TokenCount, Int)] = [:]
        for charge in charges {
            let sum = perAnswer[charge.stage] ?? (TokenCount(), 0)
            perAnswer[charge.stage] = (sum.0 + charge.tokens, sum.1 + charge.answers)
        }
        var tokens: [Stage: TokenCount] = [:]
        for (stage, count) in [(Stage.base, base.count), (.judge, base.count + judge.count)] where count > 0 {
            guard let (sum, answers) = perAnswer[stage], answers > 0 else { return nil }
            tokens[stage] = TokenCount(prompt: sum.prompt / answers * count, completion: sum.completion / answers * count)
        }
        return tokens
    }
}

extension RunStore {
    /// Rerunning these rows: each row's failed stage only (no answer after its attempts, or an
    /// answer that cannot be read); a row with nothing failed is asked again whole.
    public func reworkRows(run: String, indices: [Int], maxAttempts: Int) throws -> Rework {
        let failed = try failedStages(run: run, maxAttempts: maxAttempts, only: Set(indices))
        var rework = Rework()
        for index in indices.sorted() {
            switch failed[index] {
            case .judge?: rework.judge.append(index)
            default: rework.base.append(index)
            }
        }
        return rework
    }

    /// Every row that failed for good or came back unreadable, its failed stage only.
    public func reworkFailed(run: String, maxAttempts: Int) throws -> Rework {
        var rework = Rework()
        for (index, stage) in try failedStages(run: run, maxAttempts: maxAttempts).sorted(by: { $0.key < $1.key }) {
            if stage == .base { rework.base.append(index) } else { rework.judge.append(index) }
        }
        return rework
    }

    /// Every judge request again, with another judge model.
    public func reworkJudge(run: String, model: String) throws -> Rework {
        let indices = try db.read { db in
            try Int.fetchAll(db, sql: "SELECT idx FROM request WHERE run_id = ? AND stage = 'judge' ORDER BY idx", arguments: [run])
        }
        return Rework(judge: indices, judgeModel: model)
    }

    /// The first failed stage of each row that has one: a request without an answer after its
    /// attempts, or a verdict that says neither correct nor incorrect. (A base answer outside the
    /// label set is an answer, wrong under the strict rule: asking again would flatter the model.)
    private func failedStages(run: String, maxAttempts: Int, only: Set<Int>? = nil) throws -> [Int: Stage] {
        var failed: [Int: Stage] = [:]
        guard let scoring = try config(run: run)?.task.scoring else { throw StoreError.unknownRun(run) }
        var reader = AnswerReader(scoring)
        for outcome in try outcomes(run: run, text: false) where only?.contains(outcome.row.index) ?? true {
            if let judge = outcome.judgeAnswer, reader.judge(judge).verdict == .unparseable {
                failed[outcome.row.index] = .judge
            }
        }
        let exhausted = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT stage, idx FROM request WHERE run_id = ? AND answered = 0 AND attempts >= ? AND live_submission IS NULL
                """, arguments: [run, maxAttempts])
        }
        for row in exhausted {
            guard let stage = Stage(rawValue: row[0]), only?.contains(row[1]) ?? true else { continue }
            if failed[row[1]] != .base { failed[row[1]] = stage }
        }
        return failed
    }

    /// Sends the rework: its requests get fresh attempts and go to the planner, their current
    /// answers shown until new ones arrive. A re-judge also names the new judge in the run's settings,
    /// the earlier verdicts keeping the name of the judge that gave them.
    public func apply(_ rework: Rework, run: String) throws {
        guard var config = try config(run: run) else { throw StoreError.unknownRun(run) }
        let previousJudge = config.judgeModel
        if let model = rework.judgeModel { config.judgeModel = model }
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        try db.write { db in
            let again = try db.cachedStatement(sql: """
                UPDATE request SET redo = answered, answered = 0, attempts = 0, last_error = NULL
                WHERE \(RequestKey.match) AND live_submission IS NULL
                """)
            for index in rework.base { try again.execute(arguments: RequestKey(run: run, stage: .base, index: index).arguments) }
            for index in rework.judge { try again.execute(arguments: RequestKey(run: run, stage: .judge, index: index).arguments) }
            if rework.judgeModel != nil {
                try db.execute(sql: "UPDATE answer SET model = ? WHERE run_id = ? AND stage = 'judge' AND model IS NULL",
                               arguments: [previousJudge, run])
                try db.execute(sql: "UPDATE run SET config = ? WHERE id = ?", arguments: [json, run])
            }
            try Self.reopen(db, run: run)
        }
    }

    /// The judges whose verdicts the run shows now, with how many each: after a cancelled
    /// re-judge, some rows keep the earlier judge's verdict.
    public func judgesShown(run: String) throws -> [(model: String, verdicts: Int)] {
        guard let config = try config(run: run) else { throw StoreError.unknownRun(run) }
        return try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT COALESCE(model, ?) AS judge, COUNT(*) FROM answer WHERE run_id = ? AND stage = 'judge' GROUP BY judge ORDER BY COUNT(*) DESC
                """, arguments: [config.judgeModel, run]).map { ($0[0], $0[1]) }
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
}
