import Foundation
import Testing
@testable import Simulator

/// The official `openai` Python SDK talks to the simulator: the proof that any OpenAI client can use it.
@Suite struct OpenAISDKTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/openai_sdk_check.py")

    static var python: String? {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: candidate) {
            if let probe = try? Executable.run(candidate, ["-c", "import openai"], environment: ProcessInfo.processInfo.environment),
               probe.status == 0 { return candidate }
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
