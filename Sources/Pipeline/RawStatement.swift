import GRDB
import GRDBSQLite

/// A statement of GRDB's cache, bound and run through SQLite's C API. GRDB's StatementArguments box
/// every value and check it against the statement: on the loops that insert a row per answer or per
/// dataset row, that cost more than SQLite's own work. Used only there; everything else goes
/// through GRDB.
struct RawStatement {
    private let db: Database
    private let statement: Statement

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds the values `bind` gives, in order, runs the statement and returns the rows it changed.
    @discardableResult
    func execute(_ bind: (inout Bindings) -> Void) throws -> Int {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var bindings = Bindings(handle: handle)
        bind(&bindings)
        let code = bindings.failure ?? sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw error(code) }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// Binds the values `bind` gives and hands each row of the result to `row`, read in place.
    func forEachRow(_ bind: (inout Bindings) -> Void, _ row: (Columns) throws -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        var bindings = Bindings(handle: handle)
        bind(&bindings)
        var code = bindings.failure ?? sqlite3_step(handle)
        while code == SQLITE_ROW {
            try row(Columns(handle: handle))
            code = sqlite3_step(handle)
        }
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// SQLite's own words for a failed binding or step.
    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }

    /// The current row of a result, columns numbered from 0.
    struct Columns {
        fileprivate let handle: SQLiteStatement

        func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
        /// Text of the length SQLite stored (a NUL inside stays); NULL reads as nil.
        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite3_column_text(handle, column) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
        }
    }

    struct Bindings {
        fileprivate let handle: SQLiteStatement
        fileprivate var index: Int32 = 1
        /// The first binding SQLite refused (a wrong count of values), reported instead of running.
        fileprivate var failure: Int32?

        mutating func bind(_ value: Int) { check(sqlite3_bind_int64(handle, index, Int64(value))) }
        mutating func bind(_ value: Double) { check(sqlite3_bind_double(handle, index, value)) }
        mutating func bind(_ value: String?) {
            guard var text = value else { return check(sqlite3_bind_null(handle, index)) }
            // An empty string's bytes may have no address, which SQLite would bind as NULL.
            guard !text.isEmpty else { return check(sqlite3_bind_text(handle, index, "", 0, transient)) }
            let code = text.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient) }
            check(code)
        }

        private mutating func check(_ code: Int32) {
            if code != SQLITE_OK, failure == nil { failure = code }
            index += 1
        }
    }
}

/// SQLite copies the bytes it is given (SQLITE_TRANSIENT, a macro Swift does not import).
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
