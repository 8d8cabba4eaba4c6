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
    public let link: ProviderLink
    let inbox: DashboardInbox
    /// Who labels and marks here (`$USER`).
    let person: String
    /// Where engine events go besides the dashboard (the run's log).
    let log: @Sendable (EngineEvent) -> Void
    let poll: PollSchedule
    private let state = Mutex(Work())
    /// Stopping an online run stops the sending and stores the answers in flight first.
    private let stopRequest = StopRequest()
    private let (commandStream, commands) = AsyncStream.makeStream(of: DashboardCommand.self)
    /// Work sending more requests than this asks first, with its count and estimated cost.
    public static let askAbove = 10

    private struct Work {
        var engine: Task<Void, Never>?
        var again = false
        var rowsDirty = true
        var refresher: Task<Void, Never>?
        var commandWorker: Task<Void, Never>?
        var lastError: String?
        /// The report the engine's last finished run returned, so stopping need not compute it again.
        var finishedReport: Report?
        /// Work waiting for the person's y.
        var proposed: Rework?
    }

    public init(store: RunStore, runID: String, link: ProviderLink, inbox: DashboardInbox, person: String = "someone",
                poll: PollSchedule = PollSchedule(), log: @escaping @Sendable (EngineEvent) -> Void) {
        self.poll = poll
        self.store = store
        self.runID = runID
        self.link = link
        self.inbox = inbox
        self.person = person
        self.log = log
    }

    /// The last error the engine stopped with, and the report of its last finished run.
    public var lastError: String? { state.withLock { $0.lastError } }
    public var finishedReport: Report? { state.withLock { $0.finishedReport } }

    /// Starts the refreshing of the rows, and the engine unless the run is only being browsed.
    public func start(engine: Bool = true) {
        if engine { startEngine() }
        let worker = Task { await self.carryOutCommands() }
        state.withLock { $0.commandWorker = worker }
        let refresher = Task { await self.refreshRows() }
        state.withLock { $0.refresher = refresher }
    }

    /// Stops the engine and waits for it: an online run stops sending and waits up to `grace`
    /// seconds for the answers in flight; a batch run stops polling (its batches go on at the provider).
    public func stop(mode: RunMode, grace: Double) async {
        let (engine, refresher, worker) = state.withLock { ($0.engine, $0.refresher, $0.commandWorker) }
        refresher?.cancel()
        // Labels and marks already typed are stored before the session ends.
        commands.finish()
        await worker?.value
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
                    let provider = try await link.get()
                    let engine = Engine(config: config, store: store, client: provider.client,
                                        options: EngineOptions(poll: poll, providerForgetsBatches: provider.embeddedSimulator, lease: provider.lease,
                                                               stop: stopRequest),
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

    /// Carries out a dashboard command; what it finds or does comes back through the inbox. Work
    /// that sends connects first, before anything in the store changes; labels and marks need no provider.
    public func perform(_ command: DashboardCommand) {
        commands.yield(command)
    }

    /// Commands are carried out one at a time, in the order given: a person's labels must be
    /// stored in the order they were typed, so that the latest counts and undo takes the last.
    private func carryOutCommands() async {
        for await command in commandStream {
            await carryOut(command)
        }
    }

    private func carryOut(_ command: DashboardCommand) async {
        do {
            guard let config = try store.config(run: runID) else { throw StoreError.unknownRun(runID) }
            if command.sends {
                do { _ = try await link.get() } catch {
                    return inbox.post(.event(.warning("cannot send: \(error); nothing was changed")))
                }
            }
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
                let provider = try await link.get()
                let outcome = try await RunCancellation.cancel(run: runID, store: store, client: provider.client,
                                                               reason: "cancelled from the dashboard")
                if case .recorded(let status) = outcome.request {
                    let simulated = provider.embeddedSimulator && config.simulated ? " (simulated)" : ""
                    inbox.post(.event(.warning("cancel recorded: run \(status.rawValue); \(outcome.batches.count) batches cancelled\(simulated)")))
                }
                markDirty()
            case .label(let row, let correct):
                try store.addLabels(run: runID, [HumanLabel(row: row, correct: correct, labeller: person)])
                markDirty()
            case .undoLabel:
                let undone = try store.undoLastLabel(run: runID, labeller: person)
                inbox.post(.event(.warning(undone.map { "undid your label of row \($0.row + 1)" } ?? "no label of yours to undo")))
                markDirty()
            case .mark(let row, let note):
                try store.setMark(run: runID, JudgeMark(row: row, note: note, marker: person))
                markDirty()
            case .unmark(let row):
                try store.removeMark(run: runID, row: row)
                markDirty()
            case .export(let rows, let view):
                inbox.post(.event(.warning(try export(rows: rows, view: view))))
            case .quit:
                return
            }
        } catch {
            inbox.post(.event(.warning("\(error)")))
        }
    }

    /// Writes the rows to `<runs dir>/exports/<run>-<view>-<time>.csv`, whole or not at all.
    private func export(rows: [Int], view: String) throws -> String {
        guard let config = try store.config(run: runID) else { throw StoreError.unknownRun(runID) }
        let wanted = Set(rows)
        let model = try ReadModel.read(run: runID, in: store)
        let byIndex = Dictionary(uniqueKeysWithValues: model.rows.filter { wanted.contains($0.index) }.map { ($0.index, $0) })
        let csv = RowsCSV.render(rows.compactMap { byIndex[$0] }, columns: TaskColumns(task: config.task))
        let folder = URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stamp = Date().formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false).timeSeparator(.omitted))
        let file = folder.appendingPathComponent("\(runID)-\(view)-\(stamp).csv")
        try Data(csv.utf8).write(to: file, options: .atomic)
        return "exported \(rows.count) rows to \(file.path)"
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
                    inbox.post(.review(model.review))
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
