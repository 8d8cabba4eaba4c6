import Foundation
import GRDB
import Synchronization

/// The process that owns a run, as its lease row in the store says.
public struct LeaseHolder: Sendable, Equatable {
    public let pid: Int32
    public let host: String
    public let token: String
    /// When the holder last said it was alive (seconds since 1970).
    public let heartbeat: Double

    /// Says how long ago the holder was last heard of.
    public func described(now: Double = Date().timeIntervalSince1970) -> String {
        "judgetop process \(pid) on \(host), last seen \(Int(max(0, now - heartbeat))) s ago"
    }
}

public enum LeaseError: Error, CustomStringConvertible, Equatable {
    /// Another live process owns the run.
    case held(run: String, by: LeaseHolder)
    /// This process's lease was taken over (it was stale): it must stop writing.
    case lost(run: String)

    public var description: String {
        switch self {
        case .held(let run, let holder):
            return """
                run \(run) is in use by \(holder.described()). One process runs a run at a time, so that no request is paid twice.
                Wait for it to finish, or stop it (kill \(holder.pid)) and then `judgetop resume \(run)`.
                Reading commands (`judgetop runs`, `judgetop report \(run)`) work meanwhile.
                """
        case .lost(let run):
            return "another judgetop took run \(run) over (this process had stopped answering); this one stopped sending"
        }
    }
}

/// One process owns a run at a time: it holds the run's lease, refreshed every few seconds while it
/// works. Another process may take the lease over only when the holder is gone: its process no
/// longer exists on this host, or (on another host, or a process hung for long) it has not been
/// heard of for `staleAfter`. Reading a run needs no lease.
public final class RunLease: Sendable {
    public let run: String
    public let token: String
    /// The stale holder this lease was taken from, to say so.
    public let takenFrom: LeaseHolder?
    private let store: RunStore
    private let keeper = Mutex<Task<Void, Never>?>(nil)

    /// A holder on another host that has been silent this long is gone; one on this host, whose
    /// process still exists, only after ten minutes (stopped, or its pid reused).
    public static let staleAfter = 60.0
    public static let staleOnThisHost = 600.0
    static let heartbeatEvery = 5.0

    private init(run: String, token: String, takenFrom: LeaseHolder?, store: RunStore) {
        self.run = run
        self.token = token
        self.takenFrom = takenFrom
        self.store = store
    }

    public static var thisHost: String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Takes the run's lease, or throws `LeaseError.held` naming the live holder.
    public static func claim(run: String, in store: RunStore) throws -> RunLease {
        let token = UUID().uuidString
        let takenFrom = try store.claimLease(run: run, token: token, pid: getpid(), host: thisHost)
        return RunLease(run: run, token: token, takenFrom: takenFrom, store: store)
    }

    /// Refreshes the lease every few seconds until released; `onLost` runs once if another process took it.
    public func keepAlive(onLost: @escaping @Sendable () -> Void) {
        let task = Task { [store, run, token] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(Self.heartbeatEvery))
                if Task.isCancelled { return }
                if (try? store.refreshLease(run: run, token: token)) == false {
                    onLost()
                    return
                }
            }
        }
        keeper.withLock { $0 = task }
    }

    /// Gives the run up for another process to take at once.
    public func release() {
        keeper.withLock { $0?.cancel() }
        try? store.releaseLease(run: run, token: token)
    }
}

extension RunStore {
    /// The lease row, in one immediate transaction, so that two processes claiming at once are
    /// ordered by SQLite: the second sees the first's row. Returns the stale holder taken over, if any.
    func claimLease(run: String, token: String, pid: Int32, host: String, now: Double = Date().timeIntervalSince1970) throws -> LeaseHolder? {
        try db.writeWithoutTransaction { db in
            var takenFrom: LeaseHolder?
            try db.inTransaction(.immediate) {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM run WHERE id = ?", arguments: [run]) == true else {
                    throw StoreError.unknownRun(run)
                }
                if let holder = try Self.leaseHolder(db, run: run), holder.token != token {
                    guard Self.isGone(holder, now: now, host: host) else { throw LeaseError.held(run: run, by: holder) }
                    takenFrom = holder
                }
                try db.execute(sql: "INSERT OR REPLACE INTO lease (run_id, token, pid, host, heartbeat) VALUES (:run, :token, :pid, :host, :now)",
                               arguments: ["run": run, "token": token, "pid": pid, "host": host, "now": now])
                return .commit
            }
            return takenFrom
        }
    }

    public func leaseHolder(run: String) throws -> LeaseHolder? {
        try db.read { db in try Self.leaseHolder(db, run: run) }
    }

    static func leaseHolder(_ db: Database, run: String) throws -> LeaseHolder? {
        try Row.fetchOne(db, sql: "SELECT pid, host, token, heartbeat FROM lease WHERE run_id = ?", arguments: [run]).map {
            LeaseHolder(pid: $0["pid"], host: $0["host"], token: $0["token"], heartbeat: $0["heartbeat"])
        }
    }

    /// A holder is gone when its process no longer exists on this host, or it has been silent too long.
    static func isGone(_ holder: LeaseHolder, now: Double, host: String) -> Bool {
        let silent = now - holder.heartbeat
        guard holder.host == host else { return silent > RunLease.staleAfter }
        if kill(holder.pid, 0) != 0 && errno == ESRCH { return true }
        return silent > RunLease.staleOnThisHost
    }

    /// False when the lease is no longer this token's.
    func refreshLease(run: String, token: String) throws -> Bool {
        try db.write { db in
            try db.execute(sql: "UPDATE lease SET heartbeat = ? WHERE run_id = ? AND token = ?",
                           arguments: [Date().timeIntervalSince1970, run, token])
            return db.changesCount == 1
        }
    }

    func releaseLease(run: String, token: String) throws {
        try db.write { db in try db.execute(sql: "DELETE FROM lease WHERE run_id = ? AND token = ?", arguments: [run, token]) }
    }
}
