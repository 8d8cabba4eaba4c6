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
        // A second one serving two models only, as OpenAI's flavour: what the SDK sees of refusals.
        options.models = ["small-model", "judge-model"]
        options.flavor = .openai
        let strict = try await EmbeddedSimulator.start(options: options)
        try await stopAfter({ await sim.stop(); await strict.stop() }) {
            let python = try #require(Self.python)
            let result = try await Executable.runOffPool(python, [Self.script.path, sim.baseURL, "sdk-key", strict.baseURL],
                                                         environment: ProcessInfo.processInfo.environment)
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("OK"))
        }
    }
}
