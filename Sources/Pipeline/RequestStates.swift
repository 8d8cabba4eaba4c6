import GRDB
import JudgeCore

/// Requests' attempts (times sent) and last errors, by stage and row; a request never sent has none.
public struct RequestStates: Sendable, Equatable {
    private var attempts: [Int: Int] = [:]
    private var errors: [Int: String] = [:]

    public init() {}

    public func attempts(_ stage: Stage, _ index: Int) -> Int { attempts[Self.key(stage, index)] ?? 0 }
    public func error(_ stage: Stage, _ index: Int) -> String? { errors[Self.key(stage, index)] }

    public mutating func set(_ stage: Stage, _ index: Int, attempts count: Int, error: String? = nil) {
        attempts[Self.key(stage, index)] = count
        errors[Self.key(stage, index)] = error
    }

    private static func key(_ stage: Stage, _ index: Int) -> Int { index * 2 + (stage == .base ? 0 : 1) }
}

extension RunStore {
    /// Every request's attempts and last error, for the dashboard. Keyed by row, not custom_id text:
    /// building two strings a row made a million-row refresh spend seconds here.
    public func requestStates(run: String) throws -> RequestStates {
        try db.read { db in
            var states = RequestStates()
            try RawStatement(db, sql: """
                SELECT stage, idx, attempts, last_error FROM request WHERE run_id = ? AND (attempts > 0 OR last_error IS NOT NULL)
                """).forEachRow({ $0.bind(run) }) { columns in
                guard let stage = columns.text(0).flatMap(Stage.init(rawValue:)) else { return }
                states.set(stage, columns.int(1), attempts: columns.int(2), error: columns.text(3))
            }
            return states
        }
    }
}
