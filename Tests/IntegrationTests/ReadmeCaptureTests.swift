import Foundation
import TestSupport
import Testing

/// The README's summary and command lines are what the binary prints (`scripts/readme_captures.py
/// --check` runs the 1000-movie demo and every `--help`): a capture can no longer drift.
@Suite struct ReadmeCaptureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test(.enabled(if: Executable.pythonWith([]) != nil, "skipped: needs python3"))
    func readmeCapturesMatchTheBinary() async throws {
        let script = Self.root.appendingPathComponent("scripts/readme_captures.py").path
        let check = try await Executable.runOffPool("/usr/bin/env", ["python3", script, "--check", "--judgetop", Executable.judgetop],
                                                    environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                                                                  "HOME": temporaryDirectory().path])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
    }
}
