import GRDB
@testable import Pipeline
import Testing

/// A bulk insert puts each value in the column named beside it, shared values in every row, across
/// full statements of a hundred rows and the shorter last one.
@Suite struct BulkInsertTests {
    @Test func eachValueLandsInItsNamedColumn() throws {
        _ = RunStore.sqliteSetUp  // the process's first connection must find SQLite set up (see RunStoreRowsTests)
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE t (run TEXT, n INTEGER, word TEXT, share REAL, kind TEXT)")
            // Columns declared in an order other than the table's: the names decide, not the positions.
            try BulkInsert<Int>(into: "t", shared: [("kind", .text("k")), ("run", .text("r")), ("share", .real(0.5))], columns: [
                .init("word") { $0.bind("w\($1)") },
                .init("n") { $0.bind($1) },
            ]).run(db, Array(0..<250))
        }
        let rows = try db.read { try Row.fetchAll($0, sql: "SELECT run, n, word, share, kind FROM t ORDER BY n") }
        #expect(rows.count == 250)
        for (i, row) in rows.enumerated() {
            #expect(row["run"] as String == "r" && row["n"] as Int == i && row["word"] as String == "w\(i)")
            #expect(row["share"] as Double == 0.5 && row["kind"] as String == "k")
        }
    }
}
