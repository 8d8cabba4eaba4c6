import Foundation
import JudgeCore
import Pipeline
import Simulator
import TestSupport
import Testing

/// judgetop killed, interrupted and cancelled for real, against a simulator that outlives it.
@Suite struct DurabilityTests {
    static let key = "durable-key"

    static func simulator(_ configure: (inout SimulatorOptions) -> Void = { _ in }) async throws -> EmbeddedSimulator {
        var options = SimulatorOptions.fast
        options.requiredAPIKey = key
        options.validationSeconds = 0.1
        options.requestsPerSecond = 1_500
        configure(&options)
        return try await EmbeddedSimulator.start(options: options)
    }

    static func arguments(_ sim: EmbeddedSimulator, runs: URL, rows: Int = 150, chunk: Int = 50) -> [String] {
        ["run", "--headless", "--limit", "\(rows)", "--chunk-size", "\(chunk)", "--base-url", sim.baseURL,
         "--api-key-env", "JT_KEY", "--runs-dir", runs.path]
    }

    /// The numbers a report must agree on, whatever happened on the way.
    static func numbers(_ home: URL, runs: URL, run: String? = nil) async throws -> [String: String] {
        var id = run
        if id == nil {
            let listing = try await Executable.judgetop(["runs", "--runs-dir", runs.path], home: home)
            id = listing.stdout.split(separator: " ").first.map(String.init)
        }
        let report = try await Executable.judgetop(["report", id ?? "", "--format", "json", "--runs-dir", runs.path], home: home)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        var out: [String: String] = [:]
        for key in ["accuracy", "counts", "judge_vs_truth_agreement", "corrected_accuracy", "status"] {
            let value = object[key] ?? ""
            out[key] = JSONSerialization.isValidJSONObject(value)
                ? String(decoding: try JSONSerialization.data(withJSONObject: value, options: .sortedKeys), as: UTF8.self) : "\(value)"
        }
        return out
    }

    @Test(arguments: CrashPoint.allCases)
    func killedAtAnyPointResumesToTheSameNumbers(_ point: CrashPoint) async throws {
        let sim = try await Self.simulator()
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
            let crashed = try await Executable.judgetop(Self.arguments(sim, runs: runs), home: home,
                                                        env: ["JT_KEY": Self.key, "JUDGETOP_CRASH_AT": point.rawValue])
            #expect(crashed.status == 128 + SIGKILL, "expected SIGKILL at \(point.rawValue), got \(crashed.status): \(crashed.stderr)")
            let resumed = try await Executable.judgetop(["resume", "--headless", "--runs-dir", runs.path], home: home, env: ["JT_KEY": Self.key])
            #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
            let stats = await sim.stats()
            #expect(stats.answeredTwice.isEmpty, "answered twice after a crash at \(point.rawValue): \(stats.answeredTwice.prefix(5))")
            #expect(stats.liveBatches == 0)
            if point == .created { #expect(resumed.stdout.contains("created before the interruption")) }
            try expectConsistent(runs: runs)

            // The same run without interruption, against a fresh simulator.
            let clean = try await Self.simulator()
            try await stopAfter(clean.stop) {
                let cleanHome = temporaryDirectory(), cleanRuns = cleanHome.appendingPathComponent("runs")
                let reference = try await Executable.judgetop(Self.arguments(clean, runs: cleanRuns), home: cleanHome, env: ["JT_KEY": Self.key])
                #expect(reference.status == 0)
                let got = try await Self.numbers(home, runs: runs), want = try await Self.numbers(cleanHome, runs: cleanRuns)
                #expect(got == want)
                #expect(got["status"] == "done")
            }
        }
    }

    /// SIGTERM, and SIGHUP (a closed terminal) alike.
    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalStopsCleanlyAndResumeFinishes(_ signal: Int32) async throws {
        let sim = try await Self.simulator { $0.validationSeconds = 0.3; $0.requestsPerSecond = 150 }
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
            let running = try await Self.startWithLiveBatch(sim, home: home, runs: runs)
            running.signal(signal)
            let stopped = await running.wait()
            #expect(stopped.status == 128 + signal, "\(stopped.stderr)")
            #expect(stopped.stderr.contains("interrupted") && stopped.stderr.contains("judgetop resume"))
            #expect(stopped.stderr.contains("provider keeps processing"))

            // The same command again points at resume instead of paying twice.
            let again = try await Executable.judgetop(Self.arguments(sim, runs: runs, rows: 300, chunk: 300), home: home, env: ["JT_KEY": Self.key])
            #expect(again.status == 2 && again.stderr.contains("judgetop resume"))

            let resumed = try await Executable.judgetop(["resume", "--runs-dir", runs.path], home: home, env: ["JT_KEY": Self.key])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let numbers = try await Self.numbers(home, runs: runs)
            #expect(numbers["status"] == "done")
            #expect(numbers["counts"]?.contains("\"judge_answered\":300") == true, "\(numbers)")
            let stats = await sim.stats()
            #expect(stats.answeredTwice.isEmpty && stats.liveBatches == 0)
            try expectConsistent(runs: runs)
        }
    }

    /// Starts a 300-row run in one batch per stage (live for about two seconds) and returns once a
    /// batch is live at the simulator and its id is in judgetop's store.
    static func startWithLiveBatch(_ sim: EmbeddedSimulator, home: URL, runs: URL) async throws -> RunningProcess {
        let env = Executable.environment(home: home, extra: ["JT_KEY": key])
        let running = try RunningProcess(Executable.judgetop, arguments(sim, runs: runs, rows: 300, chunk: 300), environment: env)
        try await waitForLiveBatch(sim, runs: runs)
        return running
    }

    static func waitForLiveBatch(_ sim: EmbeddedSimulator, runs: URL) async throws {
        func recorded() throws -> Bool {
            guard FileManager.default.fileExists(atPath: runs.appendingPathComponent("judgetop.sqlite").path) else { return false }
            let store = try RunStore(directory: runs)
            return try store.listRuns().contains { try !store.liveBatchIDs(run: $0.config.runID).isEmpty }
        }
        try await waitFor("a batch live and its id stored") { await sim.stats().liveBatches > 0 && (try? recorded()) == true }
    }

    @Test func cancelStopsLiveBatchesAndTheRunningProcess() async throws {
        let sim = try await Self.simulator { $0.validationSeconds = 0.2; $0.requestsPerSecond = 100 }
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
            let running = try await Self.startWithLiveBatch(sim, home: home, runs: runs)
            let listing = try await Executable.judgetop(["runs", "--runs-dir", runs.path], home: home)
            let id = try #require(listing.stdout.split(separator: " ").first.map(String.init))
            let cancel = try await Executable.judgetop(["cancel", id, "--runs-dir", runs.path], home: home, env: ["JT_KEY": Self.key])
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(cancel.stdout.contains("cancelling") || cancel.stdout.contains("cancelled"))
            let ended = await running.wait()
            #expect(ended.status == 1 && ended.stderr.contains("cancelled"), "\(ended.status) \(ended.stderr)")
            try await waitFor("the simulator to finish cancelling") { await sim.stats().liveBatches == 0 }
            let after = try await Executable.judgetop(["runs", "--runs-dir", runs.path], home: home)
            #expect(after.stdout.hasPrefix("\(id)  cancelled"))
            try expectConsistent(runs: runs)
        }
    }
}
