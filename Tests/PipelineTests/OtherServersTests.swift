@testable import BatchAPI
import Foundation
import JudgeCore
@testable import Pipeline
import Simulator
import TestSupport
import Testing

/// The engine against servers that are OpenAI-compatible in their own way, over loopback HTTP:
/// output bodies written as strings, and models under other names.
@Suite struct OtherServersTests {
    func run(_ sim: SimHarness, rows: Int, mode: RunMode = .batch, judgeModel: String = EvalTask.defaultJudgeModel) async throws -> (Report, RunStore) {
        let store = try RunStore(directory: temporaryDirectory())
        let config = RunConfig(provider: .custom, baseURL: sim.simulator.baseURL, apiKeyEnv: nil, simulated: true, mode: mode,
                               task: EvalTask.tutorial(judgeModel: judgeModel), dataset: "bundled", limit: rows)
        try store.createRun(config, rows: Array(try Dataset.bundled().rows.prefix(rows)), planning: mode == .batch ? config.planLimits : nil)
        let report = try await Engine(config: config, store: store, client: sim.client,
                                      options: EngineOptions(poll: PollSchedule(initial: 0.02, maximum: 0.1)), emit: { _ in }).run()
        return (report, store)
    }

    /// llama-stack's batch server writes every output body as a string holding the JSON.
    @Test func bodiesWrittenAsStringsAreAnswers() async throws {
        let sim = try await SimHarness.start { $0.stringBodies = true }
        try await stopAfter(sim.stop) {
            let (report, store) = try await run(sim, rows: 30)
            #expect(report.metrics.baseAnswered == 30 && report.metrics.judgeAnswered == 30 && report.identity.status == .done)
            try expectConsistent(store)
        }
    }

    /// A batch whose every line failed says what the first said; one answer among them is no alarm.
    @Test func aBatchWithoutAnyAnswerIsDescribed() {
        let failed = [OutputLine(customID: "base-1", result: .failure(code: "no_content", message: "the response has no message content")),
                      OutputLine(customID: "base-2", result: .failure(code: "http_500", message: "HTTP 500"))]
        #expect(Engine.noAnswerAtAll(failed) == "no_content: the response has no message content")
        let oneAnswer = failed + [OutputLine(customID: "base-3", result: .success(content: "Drama", usage: TokenCount()))]
        #expect(Engine.noAnswerAtAll(oneAnswer) == nil && Engine.noAnswerAtAll([]) == nil)
    }

    /// A model the server does not serve stops the run at once, naming the models it offers.
    @Test(arguments: [RunMode.batch, .online])
    func anUnknownModelStopsTheRunNamingWhatTheServerOffers(_ mode: RunMode) async throws {
        let sim = try await SimHarness.start { $0.models = [EvalTask.defaultBaseModel, "sim/judge-70b"] }
        try await stopAfter(sim.stop) {
            do {
                _ = try await run(sim, rows: 10, mode: mode)
                Issue.record("the run should stop: the judge model is not served")
            } catch let error as EngineError {
                guard case .modelNotFound(let model, let offered, _) = error else {
                    Issue.record("\(error)")
                    return
                }
                #expect(model == EvalTask.defaultJudgeModel && offered == [EvalTask.defaultBaseModel, "sim/judge-70b"])
                #expect(error.description.contains("it offers: \(EvalTask.defaultBaseModel), sim/judge-70b"))
            }
            let (report, store) = try await run(sim, rows: 10, mode: mode, judgeModel: "sim/judge-70b")
            #expect(report.metrics.judgeAnswered == 10)
            try expectConsistent(store)
        }
    }
}
