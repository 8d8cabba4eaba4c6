import GRDB
import JudgeCore

/// What the provider charged a run: the tokens of every answer it returned, per stage and model.
/// Answers replaced by a rerun or a re-judge, and duplicates, were paid for too, so nothing here is
/// ever subtracted.
public struct Charge: Sendable, Equatable {
    public let stage: Stage
    public let model: String
    public let tokens: TokenCount
    public let answers: Int

    public init(stage: Stage, model: String, tokens: TokenCount, answers: Int) {
        self.stage = stage
        self.model = model
        self.tokens = tokens
        self.answers = answers
    }
}

extension RunStore {
    /// Adds these answers to what the run was charged (`commitAnswers` calls it for every answer).
    static func charge(_ db: Database, run: String, stage: Stage, model: String, answers: [ReceivedAnswer]) throws {
        let tokens = answers.reduce(TokenCount()) { $0 + $1.usage }
        try db.execute(sql: """
            INSERT INTO charge (run_id, stage, model, prompt_tokens, completion_tokens, answers)
            VALUES (:run, :stage, :model, :prompt, :completion, :answers)
            ON CONFLICT (run_id, stage, model) DO UPDATE SET prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                completion_tokens = completion_tokens + excluded.completion_tokens, answers = answers + excluded.answers
            """, arguments: ["run": run, "stage": stage, "model": model, "prompt": tokens.prompt, "completion": tokens.completion,
                             "answers": answers.count])
    }

    /// Everything the run was charged, per stage and model, in stage then model order.
    public func charges(run: String) throws -> [Charge] {
        try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT stage, model, prompt_tokens, completion_tokens, answers FROM charge WHERE run_id = ? ORDER BY stage, model
                """, arguments: [run]).compactMap { row in
                guard let stage = Stage(rawValue: row[0]) else { return nil }
                return Charge(stage: stage, model: row[1], tokens: TokenCount(prompt: row[2], completion: row[3]), answers: row[4])
            }
        }
    }

    /// Tokens charged per stage, every model of the stage together.
    public func tokens(run: String) throws -> [Stage: TokenCount] {
        Self.tokensByStage(try charges(run: run))
    }

    static func tokensByStage(_ charges: [Charge]) -> [Stage: TokenCount] {
        var byStage: [Stage: TokenCount] = [:]
        for charge in charges where charge.tokens.prompt != 0 || charge.tokens.completion != 0 {
            byStage[charge.stage] = (byStage[charge.stage] ?? TokenCount()) + charge.tokens
        }
        return byStage
    }
}

extension CostBreakdown {
    /// The cost of what was charged, each model at its own price.
    public init(charges: [Charge], prices: PriceTable, batch: Bool) {
        self.init(parts: charges.map { ($0.stage, $0.model, $0.tokens) }, prices: prices, batch: batch)
    }
}
