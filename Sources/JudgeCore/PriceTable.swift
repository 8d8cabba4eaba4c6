import Foundation

/// Prices per model, per million input and output tokens, with the provider's batch discount.
/// The file format (see prices.example.json):
/// `{"currency": "USD", "models": {"<model>": {"input_per_million": 0.18, "output_per_million": 0.18, "batch_discount": 0.5}}}`
public struct PriceTable: Sendable, Codable, Equatable {
    public struct Price: Sendable, Codable, Equatable {
        public var inputPerMillion: Double
        public var outputPerMillion: Double
        /// Share taken off in batch mode (0.5 = half price).
        public var batchDiscount: Double

        enum CodingKeys: String, CodingKey {
            case inputPerMillion = "input_per_million", outputPerMillion = "output_per_million", batchDiscount = "batch_discount"
        }

        public init(inputPerMillion: Double, outputPerMillion: Double, batchDiscount: Double = 0) {
            self.inputPerMillion = inputPerMillion
            self.outputPerMillion = outputPerMillion
            self.batchDiscount = batchDiscount
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            inputPerMillion = try c.decode(Double.self, forKey: .inputPerMillion)
            outputPerMillion = try c.decode(Double.self, forKey: .outputPerMillion)
            batchDiscount = try c.decodeIfPresent(Double.self, forKey: .batchDiscount) ?? 0
        }
    }

    public var currency: String
    public var models: [String: Price]

    public init(currency: String = "USD", models: [String: Price]) {
        self.currency = currency
        self.models = models
    }

    /// Loads a price file; errors name the file and what is wrong with it.
    public static func load(_ path: String) throws -> PriceTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PriceTableError(file: path, problem: "cannot be read (does it exist?)")
        }
        let table: PriceTable
        do { table = try JSONDecoder().decode(PriceTable.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            let place = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw PriceTableError(file: path, problem: "lacks the field \(place)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw PriceTableError(file: path, problem: "has a wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw PriceTableError(file: path, problem: "is not valid JSON (\(error.localizedDescription))")
        }
        for (model, price) in table.models where price.inputPerMillion < 0 || price.outputPerMillion < 0 || !(0...1).contains(price.batchDiscount) {
            throw PriceTableError(file: path, problem: "has an impossible price for \(model) (negative, or a discount outside 0…1)")
        }
        return table
    }

    /// The cost of some tokens on a model, or nil when the table has no price for it.
    public func cost(_ tokens: TokenCount, model: String, batch: Bool) -> Double? {
        guard let price = models[model] else { return nil }
        let full = Double(tokens.prompt) * price.inputPerMillion / 1e6 + Double(tokens.completion) * price.outputPerMillion / 1e6
        return batch ? full * (1 - price.batchDiscount) : full
    }
}

public struct PriceTableError: Error, CustomStringConvertible {
    public let file: String
    public let problem: String
    public var description: String {
        "price file \(file) \(problem). Expected: {\"currency\": \"USD\", \"models\": {\"<model>\": {\"input_per_million\": 0.18, \"output_per_million\": 0.18, \"batch_discount\": 0.5}}}"
    }
}

/// What a run cost, per stage, from the tokens the provider reported.
public struct CostBreakdown: Sendable, Equatable {
    public let currency: String
    public let byStage: [Stage: Double]
    /// Stages whose model has no price in the table.
    public let unpriced: [Stage]

    /// Summed in stage order, so that the same run always prints the same last digit.
    public var total: Double { Stage.allCases.reduce(0) { $0 + (byStage[$1] ?? 0) } }

    public init(tokens: [Stage: TokenCount], models: [Stage: String], prices: PriceTable, batch: Bool) {
        self.init(parts: Stage.allCases.compactMap { stage in models[stage].map { (stage, $0, tokens[stage] ?? TokenCount()) } },
                  prices: prices, batch: batch)
    }

    /// The cost of tokens spent per stage and model: a stage re-judged with another model has a part
    /// for each.
    public init(parts: [(stage: Stage, model: String, tokens: TokenCount)], prices: PriceTable, batch: Bool) {
        currency = prices.currency
        var costs: [Stage: Double] = [:]
        var missing: [Stage] = []
        for part in parts {
            if let cost = prices.cost(part.tokens, model: part.model, batch: batch) {
                costs[part.stage, default: 0] += cost
            } else if !missing.contains(part.stage) {
                missing.append(part.stage)
            }
        }
        byStage = costs
        unpriced = Stage.allCases.filter(missing.contains)
    }

    public var text: String {
        var parts = Stage.allCases.compactMap { stage in byStage[stage].map { "\(stage.rawValue) \(Self.money($0, currency))" } }
        if !unpriced.isEmpty { parts.append("no price for the \(unpriced.map(\.rawValue).joined(separator: " and ")) model") }
        return "cost \(Self.money(total, currency)) (\(parts.joined(separator: ", ")))"
    }

    static func money(_ value: Double, _ currency: String) -> String {
        String(format: value < 1 ? "%.4f %@" : "%.2f %@", value, currency)
    }
}

/// A pre-run estimate: prompt tokens from the prompts' sizes (about four characters a token),
/// completion tokens from the answers' expected length.
public struct CostEstimate: Sendable {
    public let rows: Int
    public let tokens: [Stage: TokenCount]

    /// Judge prompts depend on base answers not known yet: the first label stands in for them, or
    /// a twenty-word sentence for a free-text task.
    public init(rows: [Item], task: EvalTask) {
        var base = TokenCount(), judge = TokenCount()
        let stand = task.labels?.all.first ?? String(repeating: "word ", count: 20)
        for row in rows {
            let b = task.basePrompt(for: row), j = task.judgePrompt(for: row, baseAnswer: stand)
            base.prompt += Self.tokens(b.system) + Self.tokens(b.user) + 8
            judge.prompt += Self.tokens(j.system) + Self.tokens(j.user) + 8
            base.completion += task.labels == nil ? Self.tokens(stand) : 2
            judge.completion += 4
        }
        self.rows = rows.count
        tokens = [.base: base, .judge: judge]
    }

    static func tokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }
}
