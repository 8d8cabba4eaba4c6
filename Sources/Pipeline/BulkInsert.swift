import GRDB

/// An `INSERT` declared once: each column named beside the value that fills it, so the statement's
/// column list and its bindings cannot disagree (binding by position alone, swapping two values
/// compiled and stored them in each other's column).
///
/// Rows go a hundred to a statement: one statement a row spent more on binding and stepping
/// statements than on the rows. The values every row shares (`shared`: a run id, a stage) are bound
/// once a statement as `?1`, `?2`, …; each row's own values follow as `?` (SQLite numbers those after
/// the largest so far). Bound for each row, the shared text was copied a hundred times a statement.
struct BulkInsert<Element> {
    /// A value every row of the insert shares.
    enum Value {
        case int(Int)
        case real(Double)
        case text(String?)
    }

    /// A column each row fills from its element.
    struct Column {
        let name: String
        let bind: (inout RawStatement.Bindings, Element) -> Void

        init(_ name: String, _ bind: @escaping (inout RawStatement.Bindings, Element) -> Void) {
            self.name = name
            self.bind = bind
        }
    }

    let table: String
    let shared: [(column: String, value: Value)]
    let columns: [Column]

    init(into table: String, shared: [(column: String, value: Value)] = [], columns: [Column]) {
        self.table = table
        self.shared = shared
        self.columns = columns
    }

    func run(_ db: Database, _ elements: some RandomAccessCollection<Element>) throws {
        let head = "INSERT INTO \(table) (" + (shared.map(\.column) + columns.map(\.name)).joined(separator: ", ") + ") VALUES "
        let tuple = "(" + (shared.indices.map { "?\($0 + 1)" } + columns.map { _ in "?" }).joined(separator: ", ") + ")"
        func sql(_ count: Int) -> String { head + Array(repeating: tuple, count: count).joined(separator: ", ") }
        let full = sql(100)
        var start = elements.startIndex
        while start != elements.endIndex {
            let end = elements.index(start, offsetBy: 100, limitedBy: elements.endIndex) ?? elements.endIndex
            let slice = elements[start..<end]
            try RawStatement(db, sql: slice.count == 100 ? full : sql(slice.count)).execute { values in
                for (_, value) in shared {
                    switch value {
                    case .int(let number): values.bind(number)
                    case .real(let number): values.bind(number)
                    case .text(let text): values.bind(text)
                    }
                }
                for element in slice {
                    for column in columns { column.bind(&values, element) }
                }
            }
            start = end
        }
    }
}
