import Foundation
import TestSupport
import Testing

/// Untrusted text (dataset fields and header names, provider ids, codes and messages) driven
/// through every printer of the real binary, whose output bytes are then scanned: no escape, BEL,
/// C1 or other control character may reach a terminal, whatever path it took.
@Suite struct TerminalSafetyTests {
    static let evil = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{08}"

    /// The bytes a terminal would act on: every C0 control but the line feed, DEL, and the C1
    /// controls (U+0080–U+009F, two bytes in UTF-8).
    static func controls(in text: String) -> [String] {
        text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
            .map { String(format: "U+%04X", $0.value) }
    }

    static func expectClean(_ result: ProcessResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(controls(in: result.stdout).isEmpty, "\(what) stdout: \(controls(in: result.stdout))", sourceLocation: sourceLocation)
        #expect(controls(in: result.stderr).isEmpty, "\(what) stderr: \(controls(in: result.stderr))", sourceLocation: sourceLocation)
    }

    @Test func datasetTextNeverReachesTheTerminalRaw() async throws {
        let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
        let csv = home.appendingPathComponent("hostile.csv")
        // The hostile genre is every row's, so it is the majority baseline's label too.
        try """
            Series_Title,Overview,Genre
            "Evil \(Self.evil) Title",A detective hunts a killer in the city.,"Crime, \(Self.evil)"
            Plain,A family struggles.,"Drama, \(Self.evil)"

            """.write(to: csv, atomically: true, encoding: .utf8)
        let run = try await Executable.judgetop(["run", "--headless", "--dataset", csv.path, "--runs-dir", runs.path], home: home)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("always ␛]0;pwned␇␛[2J"), "the baseline line shows the label as text")
        Self.expectClean(run, "run")
        let id = try #require(run.stdout.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        for format in ["text", "md", "json", "csv"] {
            let report = try await Executable.judgetop(["report", id, "--format", format, "--runs-dir", runs.path], home: home)
            #expect(report.status == 0)
            Self.expectClean(report, "report --format \(format)")
        }
        Self.expectClean(try await Executable.judgetop(["runs", "--runs-dir", runs.path], home: home), "runs")
        Self.expectClean(try await Executable.judgetop(["cancel", id, "--runs-dir", runs.path], home: home), "cancel")

        let header = home.appendingPathComponent("header.csv")
        try "Series_Title,Over\(Self.evil)view,Genre\na,b,Drama\n".write(to: header, atomically: true, encoding: .utf8)
        let missing = try await Executable.judgetop(["run", "--headless", "--dataset", header.path, "--runs-dir", runs.path], home: home)
        #expect(missing.status == 2 && missing.stderr.contains("lacks the column Overview"))
        Self.expectClean(missing, "the missing-column error")
    }

    /// A provider whose ids, statuses, codes and messages are hostile, from the first key check to
    /// a batch's failure and its cancel.
    @Test(.enabled(if: Executable.pythonWith([]) != nil, "skipped: needs python3"))
    func providerTextNeverReachesTheTerminalRaw() async throws {
        let home = temporaryDirectory(), runs = home.appendingPathComponent("runs")
        let env = ["HOSTILE_KEY": "sk-test"]
        func arguments(_ url: String) -> [String] {
            ["run", "--headless", "--limit", "2", "--base-url", url, "--api-key-env", "HOSTILE_KEY", "--runs-dir", runs.path]
        }
        let rejecting = try await HostileProvider.start(mode: "reject-key")
        defer { rejecting.stop() }
        let refused = try await Executable.judgetop(arguments(rejecting.url), home: home, env: env)
        #expect(refused.status == 1 && refused.stderr.contains("HTTP 401") && refused.stderr.contains("denied ␛]0;pwned␇"), "\(refused.stderr)")
        Self.expectClean(refused, "a rejected key")

        let batches = try await HostileProvider.start(mode: "batches")
        defer { batches.stop() }
        let failed = try await Executable.judgetop(arguments(batches.url), home: home, env: env)
        #expect(failed.status == 1 && failed.stderr.contains("checking batch batch_␛]0;pwned␇"), "\(failed.stderr)")
        Self.expectClean(failed, "a failed batch check")
        let id = try #require(try await Executable.judgetop(["runs", "--runs-dir", runs.path], home: home).stdout.split(separator: " ").first)
        let cancel = try await Executable.judgetop(["cancel", String(id), "--runs-dir", runs.path], home: home, env: env)
        #expect(cancel.status == 0 && cancel.stdout.contains("batch batch_␛]0;pwned␇"), "\(cancel.stdout)\(cancel.stderr)")
        Self.expectClean(cancel, "cancel")
    }
}

/// `Scripts/hostile_provider.py` on a loopback port.
struct HostileProvider {
    let process: Spawned
    let url: String

    static func start(mode: String) async throws -> HostileProvider {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/hostile_provider.py")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).out")
        let process = try Spawned("/bin/sh", ["-c", "exec \(Executable.pythonWith([])!) \(script.path) \(mode) > \(output.path)"],
                                  environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOf: output, encoding: .utf8), let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT=") }) {
                return HostileProvider(process: process, url: "http://127.0.0.1:\(line.dropFirst(5))/v1")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGKILL)
        throw TestFailure("the hostile provider did not start")
    }

    func stop() {
        process.signal(SIGKILL)
        _ = process.waitBlocking()
    }
}
