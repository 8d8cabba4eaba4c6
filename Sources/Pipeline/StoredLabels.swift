import Foundation
import GRDB
import JudgeCore

/// A person's mark on an item: the judge's verdict is wrong here.
public struct JudgeMark: Sendable, Equatable {
    public let row: Int
    public let note: String
    public let marker: String
    public let markedAt: Date

    public init(row: Int, note: String, marker: String, markedAt: Date = Date()) {
        self.row = row
        self.note = note
        self.marker = marker
        self.markedAt = markedAt
    }
}

/// People's labels and marks. Each label is committed when given, so a crash loses none; a file of
/// labels goes in whole or not at all.
extension RunStore {
    public func addLabels(run: String, _ labels: [HumanLabel]) throws {
        try db.write { db in
            for label in labels {
                try db.execute(sql: "INSERT INTO label (run_id, idx, correct, labeller, labelled_at, origin) VALUES (:run, :idx, :correct, :labeller, :at, :origin)",
                               arguments: ["run": run, "idx": label.row, "correct": label.correct, "labeller": label.labeller,
                                           "at": label.labelledAt.timeIntervalSince1970, "origin": label.origin])
            }
        }
    }

    /// Removes the last label this person gave in the run, and returns it.
    @discardableResult
    public func undoLastLabel(run: String, labeller: String) throws -> HumanLabel? {
        try db.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, idx, correct, labeller, labelled_at, origin FROM label WHERE run_id = ? AND labeller = ? ORDER BY id DESC LIMIT 1",
                                             arguments: [run, labeller]) else { return nil }
            try db.execute(sql: "DELETE FROM label WHERE id = ?", arguments: [row["id"] as Int64])
            return Self.label(row)
        }
    }

    /// Every label of the run, in the order given.
    public func labels(run: String) throws -> [HumanLabel] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT idx, correct, labeller, labelled_at, origin FROM label WHERE run_id = ? ORDER BY id", arguments: [run]).map(Self.label)
        }
    }

    private static func label(_ row: Row) -> HumanLabel {
        HumanLabel(row: row["idx"], correct: row["correct"] as Bool?, labeller: row["labeller"],
                   labelledAt: Date(timeIntervalSince1970: row["labelled_at"]), origin: row["origin"])
    }

    public func setMark(run: String, _ mark: JudgeMark) throws {
        try db.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO judge_mark (run_id, idx, note, marker, marked_at) VALUES (:run, :idx, :note, :marker, :at)",
                           arguments: ["run": run, "idx": mark.row, "note": mark.note, "marker": mark.marker, "at": mark.markedAt.timeIntervalSince1970])
        }
    }

    public func removeMark(run: String, row: Int) throws {
        try db.write { db in try db.execute(sql: "DELETE FROM judge_mark WHERE run_id = ? AND idx = ?", arguments: [run, row]) }
    }

    public func marks(run: String) throws -> [JudgeMark] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT idx, note, marker, marked_at FROM judge_mark WHERE run_id = ? ORDER BY idx", arguments: [run]).map {
                JudgeMark(row: $0["idx"], note: $0["note"], marker: $0["marker"], markedAt: Date(timeIntervalSince1970: $0["marked_at"]))
            }
        }
    }
}
