import Foundation
import Testing
@testable import Simulator

/// The real `judgetop` binary: the README's run command, exit codes, and bad input.
@Suite struct CommandLineTests {
    @Test func headlessRunWritesEveryReportKey() async throws {
        let home = temporaryDirectory()
        let report = home.appendingPathComponent("r.json")
        let result = try await Executable.judgetop(["run", "--headless", "--limit", "200", "--report-json", report.path,
                                                    "--runs-dir", home.appendingPathComponent("runs").path], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("embedded simulator") && result.stdout.contains("SIMULATED"))
        #expect(result.stdout.contains("judge-determined") && result.stdout.contains("majority baseline"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(object["simulated"] as? Bool == true && object["rows"] as? Int == 200)
        let counts = try #require(object["counts"] as? [String: Int])
        #expect(counts["base_answered"] == 200 && counts["judge_answered"] == 200 && counts["failed"] == 0)
        let accuracy = try #require(object["accuracy"] as? [String: Double])
        #expect(Set(accuracy.keys).isSuperset(of: ["judge_determined", "base_vs_truth", "judge_vs_truth", "majority_baseline"]))
        let intervals = try #require(object["intervals"] as? [String: [Double]])
        #expect(intervals["base_vs_truth"]?.count == 2)
        #expect(object["judge_vs_truth_agreement"] is [String: Any] && object["tokens"] is [String: Any])
    }

    @Test func badInputExitsTwoAndWritesNothing() async throws {
        let home = temporaryDirectory()
        let runs = home.appendingPathComponent("runs").path
        let noColumn = home.appendingPathComponent("no-overview.csv")
        try "Series_Title,Genre\nA,Drama\n".write(to: noColumn, atomically: true, encoding: .utf8)
        let empty = home.appendingPathComponent("empty.csv")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--dataset", home.appendingPathComponent("missing.csv").path], "missing.csv"),
            (["--dataset", noColumn.path], "Overview"),
            (["--dataset", empty.path], "empty"),
            (["--limit", "0"], "--limit"),
            (["--provider", "nonsense"], "unknown --provider"),
            (["--no-such-flag"], "no-such-flag"),
        ]
        for (arguments, expected) in cases {
            let result = try await Executable.judgetop(["run", "--headless", "--runs-dir", runs] + arguments, home: home)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: runs))
    }

    @Test func providerFailuresExitOneBeforeAnythingIsStored() async throws {
        var options = SimulatorOptions.fast
        options.requiredAPIKey = "the-right-key"
        let sim = try await EmbeddedSimulator.start(options: options)
        defer { Task { await sim.stop() } }
        let home = temporaryDirectory()
        let runs = home.appendingPathComponent("runs").path
        let report = home.appendingPathComponent("r.json").path
        let wrongKey = try await Executable.judgetop(
            ["run", "--headless", "--base-url", sim.baseURL, "--api-key-env", "JT_KEY", "--runs-dir", runs, "--report-json", report],
            home: home, env: ["JT_KEY": "a-wrong-key"])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("401") && wrongKey.stderr.contains("API key"), "\(wrongKey.stderr)")
        #expect(!wrongKey.stderr.contains("a-wrong-key"))

        let unreachable = try await Executable.judgetop(
            ["run", "--headless", "--base-url", "http://127.0.0.1:9/v1", "--runs-dir", runs], home: home)
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("cannot reach"), "\(unreachable.stderr)")

        let missingKey = try await Executable.judgetop(["run", "--headless", "--provider", "kluster", "--runs-dir", runs], home: home)
        #expect(missingKey.status == 2 && missingKey.stderr.contains("KLUSTER_API_KEY"))
        #expect(!FileManager.default.fileExists(atPath: runs) && !FileManager.default.fileExists(atPath: report))
    }

    @Test func theAPIKeyIsNeverWrittenToDisk() async throws {
        var options = SimulatorOptions.fast
        let secret = "sk-SECRET-\(UUID().uuidString)"
        options.requiredAPIKey = secret
        let sim = try await EmbeddedSimulator.start(options: options)
        defer { Task { await sim.stop() } }
        let home = temporaryDirectory()
        let runs = home.appendingPathComponent("runs")
        let report = home.appendingPathComponent("r.json")
        let result = try await Executable.judgetop(
            ["run", "--headless", "--limit", "20", "--base-url", sim.baseURL, "--api-key-env", "JT_KEY",
             "--runs-dir", runs.path, "--report-json", report.path], home: home, env: ["JT_KEY": secret])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        let files = FileManager.default.enumerator(atPath: home.path)?.compactMap { $0 as? String } ?? []
        #expect(files.contains("runs/judgetop.sqlite"))
        for file in files {
            let data = (try? Data(contentsOf: home.appendingPathComponent(file))) ?? Data()
            #expect(data.range(of: Data(secret.utf8)) == nil, "the key leaked into \(file)")
        }
    }
}
