import BatchAPI
import Dashboard
import Foundation
import JudgeCore
import Pipeline
import Synchronization
import TerminalBackend

/// The dashboard over a stored run: the engine runs in tasks, the screen on a thread of its own,
/// and they meet only in the inbox (events and rows in) and commands (out).
final class DashboardSession: Sendable {
    let store: RunStore
    let runID: String
    let connection: Connection
    let inbox: DashboardInbox
    let log: HeadlessPrinter
    let reportJSON: String?
    let lease: RunLease
    private let state = Mutex(Work())
    /// Quitting an online run stops the sending and stores the answers in flight first.
    private let stop = StopRequest()
    /// Work sending more requests than this asks first, with its count and estimated cost.
    static let askAbove = 10

    private struct Work {
        var engine: Task<Void, Never>?
        var again = false
        var rowsDirty = true
        var lastError: String?
        /// The report the engine's last finished run returned, so quitting need not compute it again.
        var finishedReport: Report?
        /// Work waiting for the person's y.
        var proposed: Rework?
    }

    /// Whether this terminal can show the dashboard.
    static var available: Bool {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        return isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1 && !term.isEmpty && term != "dumb"
    }

    init(store: RunStore, runID: String, connection: Connection, inbox: DashboardInbox, log: HeadlessPrinter, reportJSON: String?,
         lease: RunLease) {
        self.lease = lease
        self.store = store
        self.runID = runID
        self.connection = connection
        self.inbox = inbox
        self.log = log
        self.reportJSON = reportJSON
    }

    /// A printer that writes to the run's log file and feeds the dashboard: nothing may reach
    /// stdout while the screen is up.
    static func printer(runsDirectory: URL, inbox: DashboardInbox) -> HeadlessPrinter {
        let folder = runsDirectory.appendingPathComponent("logs")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("judgetop.log")
        if !FileManager.default.fileExists(atPath: file.path) { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let handle = try? FileHandle(forWritingTo: file)
        _ = try? handle?.seekToEnd()
        let lock = NSLock()
        return HeadlessPrinter(output: { line in
            lock.withLock { handle?.write(Data((ISO8601DateFormatter().string(from: Date()) + " " + line + "\n").utf8)) }
        }, forward: { event in inbox.post(.event(event)) })
    }

    /// `theme` is the one `--theme` named, already loaded and checked.
    func run(theme chosen: (name: String, theme: Theme)?) async throws {
        let config = try store.config(run: runID)!
        var initial = ViewState()
        initial.header.runID = runID
        initial.header.provider = config.provider.rawValue + (config.simulated ? " (simulated)" : "")
        initial.header.baseModel = config.baseModel
        initial.header.judgeModel = config.judgeModel
        initial.header.mode = config.mode.rawValue
        initial.header.simulated = config.simulated
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let name = chosen?.name ?? (noColor ? "mono" : "dark")
        let theme: Theme
        if let chosen { theme = chosen.theme } else {
            do { theme = try Theme.load(name) } catch { throw CommandFailure.input("\(error)") }
        }
        initial.themeName = name

        lease.keepAlive { [inbox] in inbox.post(.event(.warning(LeaseError.lost(run: self.runID).description))) }
        defer { lease.release() }
        startEngine()
        let refresher = Task { await self.refreshRows() }
        let first = initial
        let (final, signal) = await withCheckedContinuation { (continuation: CheckedContinuation<(ViewState, Int32?), Never>) in
            Thread {
                let result = DashboardLoop.run(initial: first, theme: theme, inbox: self.inbox,
                                               loadTheme: { try? Theme.load($0) }, onCommand: { self.perform($0) })
                continuation.resume(returning: result)
            }.start()
        }
        refresher.cancel()
        if let engine = state.withLock({ $0.engine }) {
            if config.mode == .online {
                stop.request()
                let deadline = Task {
                    try? await Task.sleep(for: .seconds(min(Session.onlineGrace, config.requestTimeout)))
                    engine.cancel()
                }
                await engine.value
                deadline.cancel()
            } else {
                engine.cancel()
                await engine.value
            }
        }
        await connection.close()
        try farewell(final, signal: signal)
    }

    /// After the screen is gone: the summary when the run finished, else what is still running and how to resume.
    private func farewell(_ final: ViewState, signal: Int32?) throws {
        let status = (try? store.status(run: runID)) ?? .interrupted
        if status == .done, let report = state.withLock({ $0.finishedReport }) ?? (try? Engine.report(store: store, runID: runID)) {
            Console.out(report.text())
            if let reportJSON { try ReportFile.write(report, to: reportJSON) }
            Console.out("\nstored in \(store.path) as run \(runID)")
            return
        }
        if status == .running { try? store.setStatus(run: runID, .interrupted, message: "dashboard closed before the end") }
        if status == .failed, state.withLock({ $0.lastError }) == nil {
            throw CommandFailure.run(Session.unansweredMessage(store: store, runID: runID))
        }
        let live = (try? store.liveBatchIDs(run: runID)) ?? []
        var lines = ["run \(runID) is stored (\(status == .running ? RunStatus.interrupted.rawValue : status.rawValue)) in \(store.path)."]
        if connection.simulator != nil {
            lines.append("The embedded simulator stopped with judgetop; `judgetop resume \(runID)` sends its unfinished batches again.")
        } else if !live.isEmpty {
            lines.append("The provider keeps processing \(live.count) live batch\(live.count == 1 ? "" : "es"); `judgetop resume \(runID)` reattaches.")
        } else if status != .cancelled {
            lines.append("`judgetop resume \(runID)` continues it.")
        }
        if let error = state.withLock({ $0.lastError }) { lines.append("last error: \(error)") }
        let message = lines.joined(separator: "\n")
        if let signal { throw CommandFailure(status: 128 + signal, message: message) }
        if status == .failed { throw CommandFailure.run(message) }
        Console.out(message)
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
                    let engine = Engine(config: config, store: store, client: connection.client,
                                        options: EngineOptions(providerForgetsBatches: connection.simulator != nil, lease: lease, stop: stop),
                                        emit: { self.log.handle($0); self.markDirty() })
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

    private func perform(_ command: DashboardCommand) {
        Task {
            do {
                let config = try store.config(run: runID)!
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
                    let embedded = connection.simulator != nil && config.simulated
                    let outcome = try await RunCancellation.cancel(run: runID, store: store, client: connection.client,
                                                                   reason: "cancelled from the dashboard")
                    if case .recorded(let status) = outcome.request {
                        inbox.post(.event(.warning("cancel recorded: run \(status); \(outcome.batches.count) batches cancelled"
                                                   + (embedded ? " (simulated)" : ""))))
                    }
                    markDirty()
                case .quit, .nextTheme:
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
                let took = ContinuousClock().measure { if let snapshot = try? rowsSnapshot() { inbox.post(snapshot) } }
                pause = Self.refreshPause(after: took)
            }
            try? await Task.sleep(for: pause)
        }
    }

    static let minimumRefreshPause = Duration.milliseconds(500)

    static func refreshPause(after read: Duration) -> Duration { max(minimumRefreshPause, read * 4) }

    private func rowsSnapshot() throws -> DashboardAction {
        let judges = try store.judgesShown(run: runID)
        if judges.count > 1 {
            inbox.post(.judges(judges.map { "\($0.model) (\($0.verdicts))" }.joined(separator: " + ")))
        } else if let config = try store.config(run: runID) {
            inbox.post(.judges(judges.first?.model ?? config.judgeModel))
        }
        let (rows, report) = try RowView.snapshot(of: runID, in: store)
        return .rows(rows, report)
    }
}
