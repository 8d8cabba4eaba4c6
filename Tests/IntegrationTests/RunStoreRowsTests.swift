import Foundation
import JudgeCore
import Testing
@testable import Pipeline

/// Batches read their rows from the store: a chunk by its span, scattered retries one by one; both
/// in the order asked.
@Suite struct RunStoreRowsTests {
    @Test func rowsComeBackInTheOrderAskedWhetherSpannedOrScattered() throws {
        let folder = temporaryDirectory()
        let store = try RunStore(directory: folder)
        let rows = (0..<500).map { MovieRow(index: $0, title: "t\($0)", overview: "o\($0)", genres: ["Drama", "War"]) }
        let config = RunConfig(provider: "test", baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: EvalTask(),
                               dataset: "test", limit: nil)
        try store.createRun(config, rows: rows)
        let chunk = Array(100..<140).reversed().map { $0 }
        #expect(try store.rows(run: config.runID, indices: chunk) == chunk.map { rows[$0] })
        let scattered = [499, 3, 250, 7]
        #expect(try store.rows(run: config.runID, indices: scattered) == scattered.map { rows[$0] })
        #expect(try store.rows(run: config.runID, indices: [999, 2]) == [rows[2]])
        #expect(try store.rowCount(run: config.runID) == 500)
    }
}
