import Foundation
import GRDB
import JudgeCore
import Testing
@testable import Pipeline

/// A store written before the v3 migration (answered flags, judge requests and token totals kept by
/// triggers) opens with its answers counted, its judge requests in place and its totals right.
@Suite struct StoreMigrationTests {
    @Test func v2StoreUpgradesWithFlagsJudgeRequestsAndTokenTotals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("judgetop-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("judgetop.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try RunStore.migrator.migrate(old, upTo: "v2-history")
            try old.write { db in
                try db.execute(sql: "INSERT INTO run (id, created_at, status, config) VALUES ('r', 0, 'interrupted', '{}')")
                for i in 0..<3 {
                    try db.execute(sql: "INSERT INTO item VALUES ('r', ?, 't', 'o', 'Drama')", arguments: [i])
                    try db.execute(sql: "INSERT INTO request (run_id, custom_id, stage, idx) VALUES ('r', ?, 'base', ?)", arguments: ["base-\(i)", i])
                }
                for i in 0..<2 {
                    try db.execute(sql: "INSERT INTO answer VALUES ('r', ?, 'base', ?, 'Drama', 10, 1, NULL, 0)", arguments: ["base-\(i)", i])
                }
            }
        }
        let store = try RunStore(directory: folder)
        #expect(try store.unansweredCount(run: "r", stage: .base) == 1)
        // Judge requests exist for the two base answers, unanswered.
        #expect(try store.requestCount(run: "r", stage: .judge) == 2 && store.unansweredCount(run: "r", stage: .judge) == 2)
        #expect(try store.tokens(run: "r")[.base] == TokenCount(prompt: 20, completion: 2))

        // From now on the triggers keep them: a new answer counts, a removed one no longer does.
        try store.db.write { db in
            try db.execute(sql: "INSERT INTO answer VALUES ('r', 'base-2', 'base', 2, 'Comedy', 5, 1, NULL, 0)")
            try db.execute(sql: "DELETE FROM answer WHERE custom_id = 'base-0'")
        }
        #expect(try store.unansweredCount(run: "r", stage: .base) == 1)
        #expect(try store.requestCount(run: "r", stage: .judge) == 3)
        #expect(try store.tokens(run: "r")[.base] == TokenCount(prompt: 15, completion: 2))
    }
}
