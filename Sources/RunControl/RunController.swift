import BatchAPI
import Dashboard
import Foundation
import JudgeCore
import Pipeline
import Synchronization

/// The application layer between the dashboard and the engine: it runs the engine for a stored run,
/// carries out the dashboard's commands (reruns, re-judges, cancel) and builds what the dashboard
/// shows from the store. The dashboard only reduces actions and draws; nothing here touches the
/// terminal.
public final class RunController: Sendable {
    public let store: RunStore
    public let runID: String
    let client: ProviderClient
    let embeddedSimulator: Bool
    let inbox: DashboardInbox
    let lease: RunLease
    /// Where engine events go besides the dashboard (the run's log).
    let log: @Sendable (EngineEvent) -> Void
    let poll: PollSchedule
    private let state = Mutex(Work())
    /// Stopping an online run stops the sending and stores the answers in flight first.
    private let stopRequest = StopRequest()
    /// Work sending more requests than this asks first, with its count and estimated cost.
    public static let askAbove = 10

    private struct Work {
        var engine: Task<Void, Never>?
        var again = false
        var rowsDirty = true
        var refresher: Task<Void, Never>?
        var lastError: String?
        /// The report the engine's last finished run returned, so stopping need not compute it again.
        var finishedReport: Report?
        /// Work waiting for the person's y.
        var proposed: Rework?
    }

    /// `embeddedSimulator`: the batches run in a simulator inside this process, which forgets them when it stops.
    public init(store: RunStore, runID: String, client: ProviderClient, embeddedSimulator: Bool, inbox: DashboardInbox,
                lease: RunLease, poll: PollSchedule = PollSchedule(), log: @escaping @Sendable (EngineEvent) -> Void) {
        self.poll = poll
        self.store = store
        self.runID = runID
        self.client = client
        self.embeddedSimulator = embeddedSimulator
        self.inbox = inbox
        self.lease = lease
        self.log = log
    }

    /// The last error the engine stopped with, and the report of its last finished run.
    public var lastError: String? { state.withLock { $0.lastError } }
    public var finishedReport: Report? { state.withLock { $0.finishedReport } }

    /// Starts the engine and the refreshing of the rows.
    public func start() {
        startEngine()
        let refresher = Task { await self.refreshRows() }
        state.withLock { $0.refresher = refresher }
    }

    /// Stops the engine and waits for it: an online run stops sending and waits up to `grace`
    /// seconds for the answers in flight; a batch run stops polling (its batches go on at the provider).
    public func stop(mode: RunMode, grace: Double) async {
        let (engine, refresher) = state.withLock { ($0.engine, $0.refresher) }
        refresher?.cancel()
        guard let engine else { return }
        if mode == .online {
            stopRequest.request()
            let deadline = Task {
                try? await Task.sleep(for: .seconds(grace))
                engine.cancel()
            }
            await engine.value
            deadline.cancel()
        } else {
            engine.cancel()
            await engine.value
        }
    }

    // MARK: Engine

    /// Runs the engine; a command that adds work while it runs makes it run once more at the end.
    private func startEngine() {
        let start = state.withLock { work -> Bool in
            if work.engine != nil { work.again = true; return false }
            return true
        }
        guard start else { return }
        let task = Task {
            repeat {
                state.withLock { $0.again = false }
                do {
                    guard let config = try store.config(run: runID) else { return }
                    let engine = Engine(config: config, store: store, client: client,
                                        options: EngineOptions(poll: poll, providerForgetsBatches: embeddedSimulator, lease: lease, stop: stopRequest),
                                        emit: { self.log($0); self.markDirty() })
                    let report = try await engine.run()
                    state.withLock { $0.finishedReport = report }
                } catch is CancellationError {
                    return
                } catch {
                    state.withLock { $0.lastError = "\(error)" }
                    inbox.post(.event(.warning("\(error)")))
                }
                markDirty()
            } while !Task.isCancelled && state.withLock({ $0.again })
            state.withLock { $0.engine = nil }
        }
        state.withLock { $0.engine = task }
    }

    // MARK: Commands

    /// Carries out a dashboard command; what it finds or does comes back through the inbox.
    public func perform(_ command: DashboardCommand) {
        Task {
            do {
                guard let config = try store.config(run: runID) else { throw StoreError.unknownRun(runID) }
                switch command {
                case .rerun(let indices):
                    try propose(try store.reworkRows(run: runID, indices: indices, maxAttempts: config.maxAttempts), config: config)
                case .rerunFailed:
                    try propose(try store.reworkFailed(run: runID, maxAttempts: config.maxAttempts), config: config)
                case .rejudge(let model):
                    try propose(try store.reworkJudge(run: runID, model: model), config: config)
                case .confirmed:
                    if let rework = state.withLock({ w in defer { w.proposed = nil }; return w.proposed }) { try send(rework) }
                case .declined:
                    state.withLock { $0.proposed = nil }
                case .cancelBatches:
                    let outcome = try await RunCancellation.cancel(run: runID, store: store, client: client,
                                                                   reason: "cancelled from the dashboard")
                    if case .recorded(let status) = outcome.request {
                        let simulated = embeddedSimulator && config.simulated ? " (simulated)" : ""
                        inbox.post(.event(.warning("cancel recorded: run \(status.rawValue); \(outcome.batches.count) batches cancelled\(simulated)")))
                    }
                    markDirty()
                case .quit:
                    return
                }
            } catch {
                inbox.post(.event(.warning("\(error)")))
            }
        }
    }

    /// Sends the work at once when it is small; otherwise asks first, saying how many requests it
    /// sends and what they will likely cost.
    private func propose(_ rework: Rework, config: RunConfig) throws {
        guard !rework.isEmpty else {
            inbox.post(.event(.warning("nothing to send: no row of that kind")))
            return
        }
        guard rework.requests > Self.askAbove else { return try send(rework) }
        state.withLock { $0.proposed = rework }
        let charges = try store.charges(run: runID)
        var question = "\(rework.judgeModel.map { "re-judge with \($0)" } ?? "rerun"): \(rework.requests) requests"
        if let tokens = rework.estimatedTokens(charges: charges) {
            let total = tokens.values.reduce(TokenCount(), +)
            question += ", ~\(total.prompt + total.completion) tokens"
            if let prices = config.prices {
                let models: [Stage: String] = [.base: config.baseModel, .judge: rework.judgeModel ?? config.judgeModel]
                let cost = CostBreakdown(tokens: tokens, models: models, prices: prices, batch: config.mode == .batch)
                question += String(format: ", ~%.4f %@", cost.total, cost.currency)
            }
        }
        inbox.post(.confirm(question + "."))
    }

    private func send(_ rework: Rework) throws {
        try store.apply(rework, run: runID)
        inbox.post(.event(.warning("sending \(rework.requests) requests; the answers shown stay until new ones arrive")))
        markDirty()
        startEngine()
    }

    // MARK: Rows

    private func markDirty() { state.withLock { $0.rowsDirty = true } }

    /// Reads the rows from the store when something changed, at most twice a second, and pausing at
    /// least four times as long as a read took: on a million rows a read takes seconds, and the
    /// dashboard must not take a core from the run it watches.
    private func refreshRows() async {
        var pause = Self.minimumRefreshPause
        while !Task.isCancelled {
            if state.withLock({ w in defer { w.rowsDirty = false }; return w.rowsDirty }) {
                let took = ContinuousClock().measure {
                    guard let model = try? ReadModel.read(run: runID, in: store) else { return }
                    inbox.post(.judges(model.judges))
                    inbox.post(.rows(model.rows, model.report))
                }
                pause = Self.refreshPause(after: took)
            }
            try? await Task.sleep(for: pause)
        }
    }

    static let minimumRefreshPause = Duration.milliseconds(500)

    static func refreshPause(after read: Duration) -> Duration { max(minimumRefreshPause, read * 4) }
}
