import Foundation
import JudgeCore
import TestSupport
import Testing

/// Task files end to end, through the real binary and its embedded simulator.
@Suite struct TaskCommandTests {
    static func report(_ path: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    }

    /// A run of `arguments` to its report.json (parsed, and where it is).
    static func run(_ arguments: [String], home: URL) async throws -> (result: ProcessResult, report: [String: Any], path: URL) {
        let path = home.appendingPathComponent("report-\(UUID().uuidString).json")
        let result = try await Executable.judgetop(["run", "--headless", "--report-json", path.path,
                                                    "--runs-dir", home.appendingPathComponent("runs").path] + arguments, home: home)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return (result, try report(path), path)
    }

    @Test(arguments: ["imdb-certificate", "movie-loglines", "imdb-genres"], ["batch", "online"])
    func eachBundledTaskRunsEndToEnd(_ task: String, _ mode: String) async throws {
        let home = temporaryDirectory()
        let (result, report, _) = try await Self.run(["--task", task, "--mode", mode, "--limit", "40"], home: home)
        #expect(report["task"] as? String == task && report["rows"] as? Int == 40)
        let counts = try #require(report["counts"] as? [String: Int])
        #expect(counts["base_answered"] == 40 && counts["judge_answered"] == 40 && counts["judge_unparseable"] == 0, "\(counts)")
        let accuracy = try #require(report["accuracy"] as? [String: Any])
        #expect(accuracy["judge_determined"] is Double)
        let hasTruth = task != "movie-loglines"
        #expect((accuracy["base_vs_truth"] is Double) == hasTruth, "\(accuracy)")
        #expect(report[task == "imdb-genres" ? "per_genre" : "per_label"] is [Any])
        #expect(report[task == "imdb-genres" ? "per_label" : "per_genre"] == nil)
        #expect(result.stdout.contains("SIMULATED"))
        if !hasTruth {
            #expect(result.stdout.contains("no truth in this dataset"))
            #expect(accuracy.filter { $0.key != "judge_determined" }.values.allSatisfy { $0 is NSNull })
        }
    }

    /// The tutorial gives the report it gave before tasks existed, byte for byte: the fixture was
    /// written by the binary of the commit before (its run id line left out; `task` is new). The
    /// `labels` block (people's labels) was added to it later, every other line unchanged.
    @Test func theTutorialsReportIsUnchanged() async throws {
        let path = try await Self.run(["--limit", "200"], home: temporaryDirectory()).path
        let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains("  \"task\" : \"imdb-genres\","))
        let kept = lines.filter { !$0.hasPrefix("  \"run_id\" :") && !$0.hasPrefix("  \"task\" :") }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tutorial-200-report.json")
        let golden = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
        #expect(kept.count == golden.count && kept == golden, "first difference: \(zip(kept, golden).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "in length")")
    }

    /// A team's own task: JSONL, no truth column, free-text answers, a verdict format of its own.
    @Test func aJSONLDatasetWithoutTruthRunsAndReportsTheJudgeOnly() async throws {
        let home = temporaryDirectory()
        let lines = (1...30).map { #"{"ticket": "T-\#($0)", "body": "My order \#($0) <script>alert(1)</script> arrived late.", "priority": \#($0 % 3)}"# }
        try lines.joined(separator: "\n").write(to: home.appendingPathComponent("tickets.jsonl"), atomically: true, encoding: .utf8)
        let task = home.appendingPathComponent("reply.yaml")
        try """
            name: ticket-reply
            dataset:
              path: tickets.jsonl
              title: ticket
            base:
              user: "Reply in one sentence to this ticket (priority {{priority}}): {{body}}"
            judge:
              system: 'Rate the reply. Answer "Score: GOOD" or "Score: BAD".'
              user: |
                Ticket: {{body}}
                Reply: {{base_answer}}
              verdict:
                pattern: 'Score:\\s*(?<verdict>GOOD|BAD)'
                correct: [good]
                incorrect: [bad]
            """.write(to: task, atomically: true, encoding: .utf8)
        let check = try await Executable.judgetop(["task", "check", task.path], home: home)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("30 rows, no truth") && check.stdout.contains("Reply in one sentence to this ticket (priority 1): My order 1"))
        for mode in ["batch", "online"] {
            let report = try await Self.run(["--task", task.path, "--mode", mode], home: home).report
            #expect(report["task"] as? String == "ticket-reply" && report["rows"] as? Int == 30)
            let accuracy = try #require(report["accuracy"] as? [String: Any])
            #expect(accuracy["judge_determined"] is Double, "\(accuracy)")
            #expect(accuracy.filter { $0.key != "judge_determined" }.values.allSatisfy { $0 is NSNull })
            let counts = try #require(report["counts"] as? [String: Int])
            #expect(counts["judge_unparseable"] == 0 && counts["base_outside_labels"] == 0)
        }
        let runs = try await Executable.judgetop(["runs", "--runs-dir", home.appendingPathComponent("runs").path], home: home)
        let ids = runs.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.hasPrefix("20") }
        #expect(ids.count == 2, "\(runs.stdout)")
        let compared = try await Executable.judgetop(["compare", ids[0], ids[1], "--runs-dir", home.appendingPathComponent("runs").path], home: home)
        #expect(compared.status == 0 && compared.stdout.contains("judge says correct"), "\(compared.stderr)")
        let csv = try await Executable.judgetop(["report", ids[0], "--format", "csv", "--runs-dir", home.appendingPathComponent("runs").path], home: home)
        #expect(csv.stdout.hasPrefix("index,title,true_labels,") && !csv.stdout.contains("<script>alert(1)</script>,"))
    }

    /// A task killed mid-run resumes with its own simulated models and finishes.
    @Test func aTaskRunKilledMidwayResumes() async throws {
        let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
        let crashed = try await Executable.judgetop(["run", "--headless", "--task", "imdb-certificate", "--limit", "60", "--chunk-size", "20",
                                                     "--runs-dir", runs.path], home: home, env: ["JUDGETOP_CRASH_AT": "base-stored"])
        #expect(crashed.status == 128 + SIGKILL, "\(crashed.stderr)")
        let path = home.appendingPathComponent("resumed.json")
        let resumed = try await Executable.judgetop(["resume", "--headless", "--report-json", path.path, "--runs-dir", runs.path], home: home)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let report = try Self.report(path)
        #expect(report["task"] as? String == "imdb-certificate" && report["status"] as? String == "done")
        let counts = try #require(report["counts"] as? [String: Int])
        #expect(counts["judge_answered"] == 60 && counts["judge_unparseable"] == 0, "\(counts)")
        try expectConsistent(runs: runs)
    }

    @Test func badTaskFilesExitTwoBeforeAnythingIsStored() async throws {
        let home = temporaryDirectory()
        let runs = home.appendingPathComponent("runs").path
        try "text,team\nhello,billing\n".write(to: home.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let good = """
            name: t
            dataset:
              path: t.csv
              truth: team
            labels: [billing, shipping]
            base:
              user: "{{text}}"
            judge:
              user: "{{text}} / {{base_answer}}"
              verdict:
                pattern: '(?<verdict>yes|no)'
                correct: [yes]
                incorrect: [no]
            """
        let cases: [(String, String, String)] = [
            ("(?<verdict>yes|no)", "(?<answer>yes|no)", "bad.yaml:11: judge.verdict.pattern has no group named verdict"),
            ("  user: \"{{text}}\"", "  user: \"{{txt}}\"", "bad.yaml:7: base.user names the column txt, but the dataset"),
            ("labels: [billing, shipping]", "labels: []", "bad.yaml:5: labels is empty"),
            ("  path: t.csv", "  path: nowhere.csv", "bad.yaml:3: dataset.path names a file that cannot be used: dataset "),
            ("  truth: team", "  truth: tam", "bad.yaml:4: dataset.truth names the column tam"),
        ]
        for (old, new, expected) in cases {
            let file = home.appendingPathComponent("bad.yaml")
            try good.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
            for command in [["run", "--headless", "--runs-dir", runs, "--task", file.path], ["task", "check", file.path]] {
                let result = try await Executable.judgetop(command, home: home)
                #expect(result.status == 2 && result.stderr.contains(expected), "\(command[0]) \(expected): \(result.stderr)")
            }
        }
        let missing = try await Executable.judgetop(["run", "--headless", "--runs-dir", runs, "--task", "no-such-task"], home: home)
        #expect(missing.status == 2 && missing.stderr.contains("no-such-task: does not exist"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: runs), "nothing stored")
        let listed = try await Executable.judgetop(["tasks"], home: home)
        #expect(listed.status == 0 && ["imdb-genres (default)", "imdb-certificate", "movie-loglines"].allSatisfy(listed.stdout.contains))
    }
}
