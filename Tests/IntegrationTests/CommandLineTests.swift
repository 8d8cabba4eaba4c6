import Foundation
import TestSupport
import Testing
import JudgeCore
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
            // Negative numbers are read as numbers, so the message says what is allowed.
            (["--limit", "-1"], "--limit must be at least 1 (got -1)"),
            (["--chunk-size", "-5"], "--chunk-size must be at least 1 (got -5)"),
            (["--labeled", "-3"], "--labeled must be at least 0 (got -3)"),
            (["--request-timeout", "inf"], "--request-timeout must be above 0 and at most 86400 seconds"),
            (["--request-timeout", "1e300"], "--request-timeout must be above 0 and at most 86400 seconds"),
            (["--dataset", home.path], "is a directory"),
            (["--dataset", "/dev/zero"], "/dev/zero:1 has a line longer than 16 MiB"),
            (["--provider", "nonsense"], "The value 'nonsense' is invalid for '--provider <provider>'"),
            (["--mode", "offline"], "The value 'offline' is invalid for '--mode <mode>'"),
            (["--provider", "custom"], "--provider custom needs --base-url"),
            (["--no-such-flag"], "no-such-flag"),
        ]
        for (arguments, expected) in cases {
            let result = try await Executable.judgetop(["run", "--headless", "--runs-dir", runs] + arguments, home: home)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: runs))
        let stalled = try await Executable.judgetop(["serve-sim", "--port", "0", "--requests-per-second", "0"], home: home)
        #expect(stalled.status == 2 && stalled.stderr.contains("--requests-per-second must be above 0"), "\(stalled.stderr)")
        let endless = try await Executable.judgetop(["serve-sim", "--port", "0", "--latency-ms", "inf"], home: home)
        #expect(endless.status == 2 && endless.stderr.contains("--latency-ms must be between"), "\(endless.stderr)")
        let modelless = try await Executable.judgetop(["serve-sim", "--port", "0", "--models", " , "], home: home)
        #expect(modelless.status == 2 && modelless.stderr.contains("--models names no model"), "\(modelless.stderr)")
        let flavourless = try await Executable.judgetop(["serve-sim", "--port", "0", "--flavor", "azure"], home: home)
        #expect(flavourless.status == 2 && flavourless.stderr.contains("'openai' and 'kluster'"), "\(flavourless.stderr)")
        // A key read from a file with Windows line endings is refused before any request, never echoed.
        let key = try await Executable.judgetop(["run", "--headless", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "K",
                                                 "--runs-dir", runs], home: home, env: ["K": "sk-secret-value\r"])
        #expect(key.status == 2 && key.stderr.contains("the key in $K contains a line break"), "\(key.stderr)")
        #expect(!key.stderr.contains("secret") && !key.stdout.contains("secret"))
    }

    /// Rows are read and stored a chunk at a time, in one transaction: a bad line after the first
    /// chunks is an input error naming its line, and no run is left behind. `--limit` reads no
    /// further than it needs, so the same file runs when the bad line is past the limit.
    @Test func aBadLineHalfwayStoresNoRunAndALimitStopsBeforeIt() async throws {
        let home = temporaryDirectory()
        let runs = home.appendingPathComponent("runs").path
        let csv = home.appendingPathComponent("late.csv")
        let good = (0..<7).map { "Movie \($0),A story number \($0).,Drama" }
        try (["Series_Title,Overview,Genre"] + good + ["Broken,\"never closed,Drama"]).joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        let bad = try await Executable.judgetop(["run", "--headless", "--dataset", csv.path, "--chunk-size", "2", "--runs-dir", runs], home: home)
        #expect(bad.status == 2, "\(bad.stderr)")
        #expect(bad.stderr.contains("late.csv:9") && bad.stderr.contains("never ends"), "\(bad.stderr)")
        let listed = try await Executable.judgetop(["runs", "--runs-dir", runs], home: home)
        #expect(listed.status == 0 && listed.stdout.isEmpty, "\(listed.stdout)\(listed.stderr)")
        let limited = try await Executable.judgetop(["run", "--headless", "--dataset", csv.path, "--chunk-size", "2", "--limit", "7",
                                                     "--runs-dir", runs], home: home)
        #expect(limited.status == 0, "\(limited.stderr)")
        let after = try await Executable.judgetop(["runs", "--runs-dir", runs], home: home)
        #expect(after.stdout.contains("done  imdb-genres  7 rows"), "\(after.stdout)")
    }

    @Test func providerFailuresExitOneBeforeAnythingIsStored() async throws {
        var options = SimulatorOptions.fast
        options.requiredAPIKey = "the-right-key"
        let sim = try await EmbeddedSimulator.start(options: options)
        try await stopAfter(sim.stop) {
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
    }

    @Test func theAPIKeyIsNeverWrittenToDisk() async throws {
        var options = SimulatorOptions.fast
        let secret = "sk-SECRET-\(UUID().uuidString)"
        options.requiredAPIKey = secret
        let sim = try await EmbeddedSimulator.start(options: options)
        try await stopAfter(sim.stop) {
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
}

@Suite struct StoredRunCommandTests {
    @Test func runsReportAndCompareReadTheStore() async throws {
        let home = temporaryDirectory()
        let runs = home.appendingPathComponent("runs").path
        // Hostile text: a formula, an OSC title change, a screen clear.
        let csv = home.appendingPathComponent("hostile.csv")
        try """
            Series_Title,Overview,Genre
            "=HYPERLINK(""http://x"",""click"")","A detective \u{1B}]2;pwned\u{07}hunts a killer\u{1B}[2J in the city.",Crime
            @SUM(A1),A boxer trains for the championship with his coach.,"Sport, Drama"
            Plain,A family struggles through hard times.,Drama

            """.write(to: csv, atomically: true, encoding: .utf8)
        for model in ["small-a", "small-b"] {
            let run = try await Executable.judgetop(["run", "--headless", "--dataset", csv.path, "--base-model", model, "--runs-dir", runs, "--new"], home: home)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stdout.contains("\u{1B}"), "an escape sequence reached the terminal")
        }
        let listing = try await Executable.judgetop(["runs", "--runs-dir", runs], home: home)
        let lines = listing.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("  done  imdb-genres  3 rows") && $0.contains("judge-determined") })
        let newest = String(lines[0].split(separator: " ")[0]), oldest = String(lines[1].split(separator: " ")[0])
        #expect(lines[0].contains("small-b") && lines[1].contains("small-a"))

        let items = try await Executable.judgetop(["report", oldest, "--format", "csv", "--runs-dir", runs], home: home)
        let rows = items.stdout.split(separator: "\n")
        #expect(rows.count == 4 && rows[0].hasPrefix("index,title,true_genres,base_answer"))
        #expect(rows[1].hasPrefix("0,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""))
        #expect(rows[2].hasPrefix("1,'@SUM(A1),"))
        #expect(!items.stdout.contains("\u{1B}"))

        let json = try await Executable.judgetop(["report", oldest, "--format", "json", "--runs-dir", runs], home: home)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["run_id"] as? String == oldest && object["rows"] as? Int == 3)
        let markdown = try await Executable.judgetop(["report", oldest, "--format", "md", "--runs-dir", runs], home: home)
        #expect(markdown.stdout.contains("## Accuracy without ground truth") && markdown.stdout.contains("| base vs truth |"))

        // --output writes any format to a file, whole or not at all; the text equals what stdout gets.
        let file = home.appendingPathComponent("report.md")
        let written = try await Executable.judgetop(["report", oldest, "--format", "md", "-o", file.path, "--runs-dir", runs], home: home)
        let saved = try String(contentsOf: file, encoding: .utf8)
        #expect(written.status == 0 && written.stdout.isEmpty && saved == markdown.stdout)
        let nowhere = home.appendingPathComponent("no-such-folder/report.html")
        let refused = try await Executable.judgetop(["report", oldest, "--format", "html", "-o", nowhere.path, "--runs-dir", runs], home: home)
        #expect(refused.status == 2 && refused.stderr.contains("cannot write the report to \(nowhere.path)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: nowhere.deletingLastPathComponent().path))

        // A run is named by its id or by a prefix only its id begins with; a shared prefix names none.
        let common = String(zip(oldest, newest).prefix { $0 == $1 }.map(\.0))
        let shortA = String(oldest.prefix(common.count + 1)), shortB = String(newest.prefix(common.count + 1))
        let compare = try await Executable.judgetop(["compare", shortA, shortB, "--runs-dir", runs], home: home)
        #expect(compare.status == 0 && compare.stdout.contains("A = \(oldest), B = \(newest)") && compare.stdout.contains("McNemar"))
        #expect(compare.stdout.contains("base vs truth"))
        let ambiguous = try await Executable.judgetop(["report", common, "--runs-dir", runs], home: home)
        #expect(ambiguous.status == 2 && ambiguous.stderr.contains("begins 2 run ids (\(newest), \(oldest)); give more of the id"))
        let unknown = try await Executable.judgetop(["report", "no-such-run", "--runs-dir", runs], home: home)
        #expect(unknown.status == 2 && unknown.stderr.contains("judgetop runs"))
    }

    @Test func compareRefusesRunsOnDifferentRows() async throws {
        let home = temporaryDirectory()
        let runs = home.appendingPathComponent("runs").path
        for limit in ["3", "4"] {
            #expect(try await Executable.judgetop(["run", "--limit", limit, "--runs-dir", runs, "--new"], home: home).status == 0)
        }
        let ids = try await Executable.judgetop(["runs", "--runs-dir", runs], home: home).stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        let compare = try await Executable.judgetop(["compare", ids[0], ids[1], "--runs-dir", runs], home: home)
        #expect(compare.status == 2 && compare.stderr.contains("not on the same rows"))
    }
}

@Suite struct RunComparisonTests {
    @Test func pairsRowsAndCountsDiscordantOnes() throws {
        func outcome(_ i: Int, _ base: String) -> RowOutcome {
            RowOutcome(row: Item(index: i, title: "t\(i)", text: "", truth: ["Drama"]), baseAnswer: base, judgeAnswer: "Drama,Correct")
        }
        let a = [outcome(0, "Drama"), outcome(1, "Drama"), outcome(2, "Comedy"), outcome(3, "junk answer")]
        let b = [outcome(0, "Drama"), outcome(1, "Comedy"), outcome(2, "Drama"), outcome(3, "Drama")]
        let comparison = try RunComparison.compute(a, b)
        let base = try #require(comparison.lines.first)
        // A junk answer is a wrong answer, compared like any other.
        #expect(base.metric == "base vs truth" && base.paired == PairedComparison(a: 1, b: 1, c: 2, n: 4))
        #expect(base.accuracyA == 2.0 / 4.0 && base.accuracyB == 3.0 / 4.0)
    }
}

@Suite struct OnlineCommandLineTests {
    @Test func estimatePrintsTokensAndCostAndTouchesNothing() async throws {
        let home = temporaryDirectory()
        let runs = home.appendingPathComponent("runs").path
        let prices = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../prices.example.json").path
        let result = try await Executable.judgetop(["run", "--estimate", "--limit", "50", "--prices", prices, "--runs-dir", runs], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("estimate for 50 rows") && result.stdout.contains("USD") && result.stdout.contains("batch discount"))
        #expect(!FileManager.default.fileExists(atPath: runs))
        let bad = try await Executable.judgetop(["run", "--estimate", "--prices", "/nonexistent/prices.json"], home: home)
        #expect(bad.status == 2 && bad.stderr.contains("/nonexistent/prices.json"))
    }

    @Test func quotaStopsAnOnlineRunWithExitOne() async throws {
        var options = SimulatorOptions.fast
        options.requiredAPIKey = "k"
        options.chatQuota = 30
        let sim = try await EmbeddedSimulator.start(options: options)
        try await stopAfter(sim.stop) {
            let home = temporaryDirectory()
            let result = try await Executable.judgetop(
                ["run", "--headless", "--mode", "online", "--limit", "40", "--base-url", sim.baseURL, "--api-key-env", "K",
                 "--runs-dir", home.appendingPathComponent("runs").path], home: home, env: ["K": "k"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("insufficient_quota") && result.stderr.contains("judgetop resume"), "\(result.stderr)")
        }
    }
}
