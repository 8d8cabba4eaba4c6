import Foundation
import Testing
@testable import JudgeCore

@Suite struct PriceTableTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func costsPerStageWithBatchDiscount() throws {
        let table = try PriceTable.load(try write("""
            {"currency": "EUR", "models": {"b": {"input_per_million": 2, "output_per_million": 10, "batch_discount": 0.5},
                                          "j": {"input_per_million": 4, "output_per_million": 8}}}
            """))
        let tokens: [Stage: TokenCount] = [.base: TokenCount(prompt: 1_000_000, completion: 100_000), .judge: TokenCount(prompt: 500_000, completion: 0)]
        let online = CostBreakdown(tokens: tokens, models: [.base: "b", .judge: "j"], prices: table, batch: false)
        #expect(online.byStage[.base] == 3 && online.byStage[.judge] == 2 && online.total == 5 && online.currency == "EUR")
        let batch = CostBreakdown(tokens: tokens, models: [.base: "b", .judge: "j"], prices: table, batch: true)
        #expect(batch.byStage[.base] == 1.5 && batch.byStage[.judge] == 2)
        let missing = CostBreakdown(tokens: tokens, models: [.base: "b", .judge: "unknown"], prices: table, batch: false)
        #expect(missing.unpriced == [.judge] && missing.text.contains("no price for the judge model"))
    }

    @Test func badPriceFilesNameTheFileAndTheField() throws {
        let noField = try write(#"{"currency": "USD", "models": {"m": {"input_per_million": 1}}}"#)
        let error = #expect(throws: PriceTableError.self) { try PriceTable.load(noField) }
        #expect(error?.description.contains(noField) == true && error?.description.contains("output_per_million") == true)
        #expect(throws: PriceTableError.self) { try PriceTable.load(try write("not json")) }
        #expect(throws: PriceTableError.self) {
            try PriceTable.load(try write(#"{"currency": "USD", "models": {"m": {"input_per_million": -1, "output_per_million": 1}}}"#))
        }
        #expect(throws: PriceTableError.self) { try PriceTable.load("/nonexistent/prices.json") }
    }

    @Test func theShippedExampleLoads() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../prices.example.json").path
        let table = try PriceTable.load(example)
        #expect(table.models[EvalTask.defaultBaseModel] != nil && table.models[EvalTask.defaultJudgeModel] != nil)
    }

    @Test func estimateCountsEveryRequest() throws {
        let rows = Array(try Dataset.bundled().rows.prefix(10))
        let estimate = CostEstimate(rows: rows, task: EvalTask.tutorial())
        #expect(estimate.rows == 10)
        #expect((estimate.tokens[.judge]?.prompt ?? 0) > (estimate.tokens[.base]?.prompt ?? 0))
        #expect(estimate.tokens[.base]?.completion == 20)
    }
}
