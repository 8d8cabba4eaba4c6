import Foundation
import Testing
@testable import Simulator

/// The official `openai` Python SDK talks to the simulator: the proof that any OpenAI client can use it.
@Suite struct OpenAISDKTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/openai_sdk_check.py")

    static let python: String? = pythonWith(["openai"])

    /// The first python3 on the PATH that has these packages, found once without importing them
    /// (importing scipy blocked a test thread for seconds, and starved the simulators beside it).
    static func pythonWith(_ packages: [String]) -> String? {
        let probe = "import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)"
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: candidate) {
            if let result = try? Executable.run(candidate, ["-c", probe] + packages, environment: ProcessInfo.processInfo.environment),
               result.status == 0 { return candidate }
        }
        return nil
    }

    @Test(.enabled(if: python != nil, "skipped: needs python3 with the openai package (pip install openai)"))
    func officialSDKWorksAgainstTheSimulator() async throws {
        var options = SimulatorOptions.fast
        options.requiredAPIKey = "sdk-key"
        options.requestsPerSecond = 500
        let sim = try await EmbeddedSimulator.start(options: options)
        defer { Task { await sim.stop() } }
        let python = try #require(Self.python)
        let result = try await Executable.runOffPool(python, [Self.script.path, sim.baseURL, "sdk-key"],
                                                     environment: ProcessInfo.processInfo.environment)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("OK"))
    }
}
