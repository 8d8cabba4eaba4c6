import BatchAPI
import Dashboard
import Foundation
import JudgeCore
@testable import Pipeline
@testable import RunControl
import Simulator
import Synchronization
import TestSupport
import Testing

/// The run controller against the simulator over loopback HTTP, with a real store: what the
/// dashboard's commands do, seen through the inbox the dashboard reads.
@Suite struct RunControllerTests {
    /// Collects what the controller posts, as the dashboard's loop would drain it.
    final class Screen: Sendable {
        let inbox = DashboardInbox()
        private let seen = Mutex<[DashboardAction]>([])

        func drained() -> [DashboardAction] {
            let new = inbox.drain()
            return seen.withLock { $0 += new; return $0 }
        }

        var questions: [String] { drained().compactMap { if case .confirm(let q) = $0 { q } else { nil } } }
        var judgedRows: Int {
            drained().compactMap { if case .rows(_, let report) = $0 { report?.metrics.judgeAnswered } else { nil } }.last ?? 0
        }
    }

    @Test func aRunFinishesAndLargeReworkWaitsForYes() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let (store, config) = try Self.storedRun(rows: 40, at: sim)
            let lease = try RunLease.claim(run: config.runID, in: store)
            defer { lease.release() }
            let screen = Screen()
            let controller = RunController(store: store, runID: config.runID,
                                           link: ProviderLink(.init(client: sim.client, lease: lease, embeddedSimulator: true)),
                                           inbox: screen.inbox, poll: PollSchedule(initial: 0.02, maximum: 0.2), log: { _ in })
            controller.start()
            // A generous bound: under a loaded CI machine this 40-row run has taken over a minute.
            try await waitFor("the run to end", timeout: 180) { try store.status(run: config.runID) != .running }
            #expect(try store.status(run: config.runID) == .done, "\(controller.lastError ?? "no error")")
            try await waitFor("its rows shown") { screen.judgedRows == 40 }
            let model = try ReadModel.read(run: config.runID, in: store)
            #expect(model.rows.count == 40 && model.judges == config.judgeModel && model.report.identity.status == .done)
            #expect(await sim.simulator.stats().linesAnswered == 80)

            // Six rows again is twelve requests: above askAbove, so it asks with the count and sends nothing yet.
            controller.perform(.rerun(Array(0..<6)))
            try await waitFor("the question") { !screen.questions.isEmpty }
            #expect(screen.questions == ["rerun: 12 requests, ~\(try Self.estimate(store, config.runID, rows: 6)) tokens."])
            #expect(await sim.simulator.stats().linesAnswered == 80)
            controller.perform(.confirmed)
            try await waitFor("the twelve requests answered") { await sim.simulator.stats().linesAnswered == 92 }

            // One row is two requests: sent at once, no question.
            controller.perform(.rerun([7]))
            // Every replaced answer is kept: six rows and one, each a base and a judge answer.
            try await waitFor("the replaced answers kept") {
                try await store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM answer_history") } == 14
            }
            #expect(await sim.simulator.stats().linesAnswered == 94)
            #expect(screen.questions.count == 1)
            await controller.stop(mode: .batch, grace: 1)
            try expectConsistent(store)
        }
    }

    /// A run open for review: labels and marks go into the store under the person's name with no
    /// provider; a rerun that cannot connect says why and changes nothing; one that can, connects first.
    @Test func reviewWritesLabelsAndMarksAndSendsOnlyAfterConnecting() async throws {
        let sim = try await SimHarness.start()
        try await stopAfter(sim.stop) {
            let (store, config) = try Self.storedRun(rows: 30, at: sim)
            let first = try RunLease.claim(run: config.runID, in: store)
            let running = RunController(store: store, runID: config.runID, link: ProviderLink(.init(client: sim.client, lease: first, embeddedSimulator: true)),
                                        inbox: DashboardInbox(), poll: PollSchedule(initial: 0.02, maximum: 0.2), log: { _ in })
            running.start()
            try await waitFor("the run to end", timeout: 180) { try store.status(run: config.runID) != .running }
            await running.stop(mode: .batch, grace: 1)
            first.release()
            let answered = await sim.simulator.stats().linesAnswered
            let attempts = Mutex(0)
            let link = ProviderLink(connectingWhenNeeded: {
                attempts.withLock { $0 += 1 }
                if attempts.withLock({ $0 }) == 1 { throw TestFailure("no key in $KLUSTER_API_KEY") }
                return .init(client: sim.client, lease: try RunLease.claim(run: config.runID, in: store), embeddedSimulator: true)
            })
            let screen = Screen()
            let controller = RunController(store: store, runID: config.runID, link: link, inbox: screen.inbox, person: "ann",
                                           poll: PollSchedule(initial: 0.02, maximum: 0.2), log: { _ in })
            controller.start(engine: false)
            let queue = try ReadModel.read(run: config.runID, in: store).review.queue
            #expect(queue.count == 3, "10% of 30")
            controller.perform(.label(row: queue[0], correct: true))
            controller.perform(.label(row: queue[1], correct: nil))
            controller.perform(.mark(row: 4, note: "it is a comedy"))
            try await waitFor("the labels and the mark stored") { try store.labels(run: config.runID).count == 2 && !(try store.marks(run: config.runID)).isEmpty }
            let labels = try store.labels(run: config.runID)
            #expect(labels.map(\.labeller) == ["ann", "ann"] && labels.map(\.correct) == [true, nil] && labels.allSatisfy { $0.origin == "dashboard" })
            #expect(try store.marks(run: config.runID) .map { "\($0.row) \($0.note) \($0.marker)" } == ["4 it is a comedy ann"])
            try await waitFor("the review shown") {
                screen.drained().contains { if case .review(let r) = $0 { r.labels[queue[0]] == .some(true) } else { false } }
            }
            #expect(await link.current == nil, "labelling and marking need no provider")

            controller.perform(.rerun([2]))
            try await waitFor("the failed connection reported") {
                screen.drained().contains { if case .event(.warning(let w)) = $0 { w.contains("cannot send") && w.contains("nothing was changed") } else { false } }
            }
            #expect(try store.status(run: config.runID) == .done)
            #expect(try await store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM answer_history") } == 0)
            controller.perform(.rerun([2]))
            try await waitFor("the rerun answered") { await sim.simulator.stats().linesAnswered == answered + 2 }
            #expect(await link.current != nil)
            await controller.stop(mode: .batch, grace: 1)
            await link.current?.lease.release()
        }
    }

    /// A new run of the tutorial's first rows, against the simulator, in a store of its own.
    static func storedRun(rows: Int, at sim: SimHarness) throws -> (RunStore, RunConfig) {
        let store = try RunStore(directory: temporaryDirectory())
        let config = RunConfig(provider: .sim, baseURL: sim.simulator.baseURL, apiKeyEnv: nil, simulated: true, task: EvalTask.tutorial(),
                               dataset: "bundled", limit: rows)
        try store.createRun(config, rows: Array(try Dataset.bundled().rows.prefix(rows)), planning: config.planLimits)
        return (store, config)
    }

    /// The tokens the question quotes: what the run's answers cost on average, for `rows` rows.
    static func estimate(_ store: RunStore, _ run: String, rows: Int) throws -> Int {
        let tokens = try #require(Rework(base: Array(0..<rows)).estimatedTokens(charges: try store.charges(run: run)))
        return tokens.values.reduce(0) { $0 + $1.prompt + $1.completion }
    }
}
