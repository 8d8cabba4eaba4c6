import BatchAPI
import Foundation
import GRDB
import JudgeCore
@testable import Pipeline
import Simulator
import TestSupport
import Testing

/// The judgetop executable against a simulator that outlives it: one owner a run, cancels that
/// hold, interrupted answers kept, and runs that end honestly.
@Suite struct OwnershipTests {
    typealias D = DurabilityTests
    static let env = ["JT_KEY": D.key]

    static func runID(_ home: URL, runs: URL) async throws -> String {
        let listing = try await Executable.judgetop(["runs", "--runs-dir", runs.path], home: home)
        return try #require(listing.stdout.split(separator: " ").first.map(String.init), "\(listing.stderr)")
    }

    /// Item 1: two resumes of one run at once: one runs it, the other refuses with exit 2 naming
    /// the owner, and no request is answered twice.
    @Test func twoResumesOfOneRunPayOnce() async throws {
        let sim = try await D.simulator { $0.requestsPerSecond = 400 }
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
            // 300 rows in batches of 3: a hundred base batches planned, most not yet created when stopped.
            let first = try RunningProcess(Executable.judgetop, D.arguments(sim, runs: runs, rows: 300, chunk: 3),
                                           environment: Executable.environment(home: home, extra: Self.env))
            try await waitFor("a few batches") { await sim.stats().batchesCreated >= 4 }
            first.signal(SIGTERM)
            #expect(await first.wait().status == 143)
            let id = try await Self.runID(home, runs: runs)
            let resume = ["resume", id, "--headless", "--runs-dir", runs.path]
            let a = try RunningProcess(Executable.judgetop, resume, environment: Executable.environment(home: home, extra: Self.env))
            let b = try RunningProcess(Executable.judgetop, resume, environment: Executable.environment(home: home, extra: Self.env))
            let results = [await a.wait(), await b.wait()]
            #expect(results.map(\.status).sorted() == [0, 2], "\(results.map(\.stderr))")
            let refused = try #require(results.first { $0.status == 2 })
            #expect(refused.stderr.contains("is in use by judgetop process") && refused.stderr.contains("kill "), "\(refused.stderr)")
            let stats = await sim.stats()
            #expect(stats.answeredTwice.isEmpty, "answered twice: \(stats.answeredTwice.prefix(5))")
            #expect(stats.linesAnswered == 600)
            #expect(try await D.numbers(home, runs: runs)["status"] == "done")
            #expect(try RunStore(directory: runs).invariantViolations(run: id) == [])
        }
    }

    /// Item 4: a cancel while the run is still creating batches stops the creating; cancelling a
    /// finished run changes nothing.
    @Test func cancelStopsBatchCreationAndLeavesAFinishedRunAlone() async throws {
        let sim = try await D.simulator()
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
            let running = try RunningProcess(Executable.judgetop, D.arguments(sim, runs: runs, rows: 1000, chunk: 4),
                                             environment: Executable.environment(home: home, extra: Self.env))
            try await waitFor("a few batches") { await sim.stats().batchesCreated >= 3 }
            let id = try await Self.runID(home, runs: runs)
            let cancel = try await Executable.judgetop(["cancel", id, "--runs-dir", runs.path], home: home, env: Self.env)
            #expect(cancel.status == 0, "\(cancel.stderr)")
            let createdAtCancel = await sim.stats().batchesCreated
            let ended = await running.wait()
            #expect(ended.status == 1 && ended.stderr.contains("cancelled"), "\(ended.stderr)")
            let stats = await sim.stats()
            // At most the batches whose creation was already under way (two uploads at a time), and the
            // run cancels those itself.
            #expect(stats.batchesCreated - createdAtCancel <= 2, "\(stats.batchesCreated - createdAtCancel) batches created after the cancel")
            #expect(stats.batchesCreated < 250)
            try await waitFor("no live batch") { await sim.stats().liveBatches == 0 }
            #expect(try RunStore(directory: runs).invariantViolations(run: id) == [])

            // A finished run: cancel says so and changes nothing.
            let done = try await Executable.judgetop(D.arguments(sim, runs: runs, rows: 20, chunk: 20) + ["--new"], home: home, env: Self.env)
            #expect(done.status == 0, "\(done.stderr)")
            let finished = try await Self.runID(home, runs: runs)
            let again = try await Executable.judgetop(["cancel", finished, "--runs-dir", runs.path], home: home, env: Self.env)
            #expect(again.status == 0 && again.stdout.contains("already done; nothing to cancel"), "\(again.stdout)")
            let listing = try await Executable.judgetop(["runs", "--runs-dir", runs.path], home: home)
            #expect(listing.stdout.hasPrefix("\(finished)  done") && listing.stdout.contains("judge-determined"))
        }
    }

    /// Item 8: Ctrl-C in online mode stores the answers already asked for, so that resuming
    /// never asks for them again.
    @Test func onlineInterruptKeepsTheAnswersInFlight() async throws {
        let sim = try await D.simulator { $0.chatLatencyMs = 400 }
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
            let arguments = D.arguments(sim, runs: runs, rows: 120, chunk: 120) + ["--mode", "online", "--concurrency", "16"]
            let running = try RunningProcess(Executable.judgetop, arguments, environment: Executable.environment(home: home, extra: Self.env))
            try await waitFor("answers") { await sim.stats().chatCompletions >= 20 }
            running.signal(SIGINT)
            let stopped = await running.wait()
            #expect(stopped.status == 130, "\(stopped.stderr)")
            let resumed = try await Executable.judgetop(["resume", "--headless", "--runs-dir", runs.path], home: home, env: Self.env)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let stats = await sim.stats()
            #expect(stats.answeredTwice.isEmpty, "asked again after the interrupt: \(stats.answeredTwice.prefix(5))")
            #expect(stats.chatCompletions == 240)
            try expectConsistent(runs: runs)
        }
    }

    /// Item 9: a batch created just before a crash is found however far back the provider's list
    /// holds it, and the run follows it instead of paying for a second one.
    @Test func aCrashedRunFindsItsBatchBehindThousandsOfOthers() async throws {
        let sim = try await D.simulator { $0.instant = true }
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
            let crashed = try await Executable.judgetop(D.arguments(sim, runs: runs, rows: 20, chunk: 20), home: home,
                                                        env: Self.env.merging(["JUDGETOP_CRASH_AT": "created"]) { $1 })
            #expect(crashed.status == 128 + SIGKILL)
            // Another tool on the same account creates 2,100 batches meanwhile: 21 pages of 100.
            await sim.addForeignBatches(2100)
            let resumed = try await Executable.judgetop(["resume", "--headless", "--runs-dir", runs.path], home: home, env: Self.env)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.contains("created before the interruption"), "\(resumed.stdout)")
            let stats = await sim.stats()
            #expect(stats.batchesCreated == 2100 + 2, "one base batch and one judge batch for the run")
            #expect(stats.answeredTwice.isEmpty)
            try expectConsistent(runs: runs)
        }
    }

    /// Item 11: a run that ends with requests unanswered exits 1 and says how to send them again;
    /// resuming does.
    @Test func aRunWithUnansweredRequestsFailsAndResumeRetriesThem() async throws {
        let sim = try await D.simulator { $0.lineFailureRate = 1 }
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
            let failed = try await Executable.judgetop(D.arguments(sim, runs: runs, rows: 3, chunk: 3) + ["--max-attempts", "1"], home: home, env: Self.env)
            #expect(failed.status == 1, "\(failed.stdout)\n\(failed.stderr)")
            #expect(failed.stderr.contains("3 requests unanswered (3 base)") && failed.stderr.contains("judgetop resume"), "\(failed.stderr)")
            #expect(try await D.numbers(home, runs: runs)["status"] == "failed")
            // The simulator fails each request once: the base retries answer, then their judge requests
            // fail once each, and the next resume answers those.
            let resumed = try await Executable.judgetop(["resume", "--headless", "--runs-dir", runs.path], home: home, env: Self.env)
            #expect(resumed.status == 1 && resumed.stderr.contains("3 requests unanswered (3 judge)"), "\(resumed.stderr)")
            #expect(resumed.stdout.contains("3 requests that had failed for good go again"))
            let again = try await Executable.judgetop(["resume", "--headless", "--runs-dir", runs.path], home: home, env: Self.env)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await D.numbers(home, runs: runs)["status"] == "done")
            #expect(await sim.stats().answeredTwice.isEmpty)
            try expectConsistent(runs: runs)
        }
    }

    /// Item 12: the store's own failures name the file and what to do; one damaged run hides only
    /// itself; a read-only store can still be read. (SIGHUP: `DurabilityTests`.)
    @Test func storeFailuresAreClearAndContained() async throws {
        let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
        let first = try await Executable.judgetop(["run", "--headless", "--limit", "5", "--runs-dir", runs.path], home: home)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await Executable.judgetop(["run", "--headless", "--limit", "6", "--runs-dir", runs.path], home: home)
        #expect(second.status == 0, "\(second.stderr)")
        let good = try await Self.runID(home, runs: runs)
        let store = try RunStore(directory: runs)
        let bad = try #require(try store.listRuns().map(\.config.runID).first { $0 != good })
        try await store.db.write { try $0.execute(sql: "UPDATE run SET config = '{\"runID\": 1' WHERE id = ?", arguments: [bad]) }

        let listing = try await Executable.judgetop(["runs", "--runs-dir", runs.path], home: home)
        #expect(listing.status == 0 && listing.stdout.contains("\(good)  done") && listing.stdout.contains("\(bad)  unreadable"), "\(listing.stdout)\(listing.stderr)")
        let report = try await Executable.judgetop(["report", bad, "--runs-dir", runs.path], home: home)
        #expect(report.status == 2 && report.stderr.contains("cannot be read") && report.stderr.contains(bad), "\(report.stderr)")
        #expect(try await Executable.judgetop(["report", good, "--runs-dir", runs.path], home: home).status == 0)

        // Read by a user who may not write it (as root, setpriv drops to nobody; otherwise chmod).
        let readOnly = try await Self.asReader(["runs", "--runs-dir", runs.path], home: home, folder: runs)
        #expect(readOnly.status == 0 && readOnly.stdout.contains("\(good)  done"), "\(readOnly.stderr)")

        // A damaged file: exit 2, the path, and what to do.
        let broken = home.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try Data("this is not a database, whatever its name says".utf8).write(to: broken.appendingPathComponent("judgetop.sqlite"))
        let damaged = try await Executable.judgetop(["runs", "--runs-dir", broken.path], home: home)
        #expect(damaged.status == 2, "\(damaged.stderr)")
        #expect(damaged.stderr.contains(broken.appendingPathComponent("judgetop.sqlite").path) && damaged.stderr.contains("Move it aside"))
        try expectConsistent(store)
    }

    /// Runs judgetop as a user who cannot write `folder`: nobody under setpriv when this is root
    /// (root writes any file), else this user with the folder made read-only.
    static func asReader(_ arguments: [String], home: URL, folder: URL) async throws -> ProcessResult {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).map { folder.appendingPathComponent($0).path }
        for path in files + [folder.path, home.path] { chmod(path, 0o755) }
        for path in files { chmod(path, 0o444) }
        chmod(folder.path, 0o555)
        defer { chmod(folder.path, 0o755) }
        let env = Executable.environment(home: home)
        if getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            return try await Executable.runOffPool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Executable.judgetop] + arguments,
                                                   environment: env)
        }
        return try await Executable.runOffPool(Executable.judgetop, arguments, environment: env)
    }
}
