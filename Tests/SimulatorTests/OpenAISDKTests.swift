import Foundation
import TestSupport
import Testing
@testable import Simulator

/// The official `openai` Python SDK talks to the simulator: the proof that any OpenAI client can use it.
@Suite struct OpenAISDKTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/openai_sdk_check.py")

    static let python: String? = Executable.pythonWith(["openai"])

    @Test(.enabled(if: python != nil, "skipped: needs python3 with the openai package (pip install openai)"))
    func officialSDKWorksAgainstTheSimulator() async throws {
        var options = SimulatorOptions.fast
        options.requiredAPIKey = "sdk-key"
        options.requestsPerSecond = 500
        let sim = try await EmbeddedSimulator.start(options: options)
        try await stopAfter(sim.stop) {
            let python = try #require(Self.python)
            let result = try await Executable.runOffPool(python, [Self.script.path, sim.baseURL, "sdk-key"],
                                                         environment: ProcessInfo.processInfo.environment)
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("OK"))
        }
    }
}
