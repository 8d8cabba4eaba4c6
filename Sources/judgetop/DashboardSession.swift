import BatchAPI
import Dashboard
import Foundation
import JudgeCore
import Pipeline
import RunControl
import TerminalBackend

/// The dashboard over a stored run, wired: the run controller drives the engine and the store,
/// the screen runs on a thread of its own, and they meet only in the inbox (events and rows in)
/// and commands (out).
final class DashboardSession: Sendable {
    let store: RunStore
    let runID: String
    let provider: SessionProvider
    let inbox: DashboardInbox
    let log: HeadlessPrinter
    let reportJSON: String?
    /// `judgetop open`: nothing runs until the person sends something, and quitting leaves the run as it was.
    let browsing: Bool

    /// Whether this terminal can show the dashboard.
    static var available: Bool {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        return isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1 && !term.isEmpty && term != "dumb"
    }

    init(store: RunStore, runID: String, provider: SessionProvider, inbox: DashboardInbox, log: HeadlessPrinter, reportJSON: String?,
         browsing: Bool = false) {
        self.store = store
        self.runID = runID
        self.provider = provider
        self.inbox = inbox
        self.log = log
        self.reportJSON = reportJSON
        self.browsing = browsing
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
        initial.columns = TaskColumns(task: config.task)
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
        initial.mouse = ProcessInfo.processInfo.environment["JUDGETOP_MOUSE"]?.lowercased() != "off"
        let statusBefore: RunStatus
        do {
            statusBefore = try store.status(run: runID) ?? .interrupted
            if browsing { try showStored(&initial, config: config, status: statusBefore) }
        } catch {
            await provider.close()
            throw error
        }
        let controller = RunController(store: store, runID: runID, link: provider.link, inbox: inbox, person: LabelsCommand.person(),
                                       log: { [log] in log.handle($0) })
        controller.start(engine: !browsing)
        let first = initial
        let (_, signal) = await withCheckedContinuation { (continuation: CheckedContinuation<(ViewState, Int32?), Never>) in
            Thread {
                let result = DashboardLoop.run(initial: first, theme: theme, inbox: self.inbox,
                                               loadTheme: { try? Theme.load($0) }, onCommand: { controller.perform($0) })
                continuation.resume(returning: result)
            }.start()
        }
        await controller.stop(mode: config.mode, grace: min(Session.onlineGrace, config.requestTimeout))
        let embedded = provider.connection?.simulator != nil
        let sent = provider.connection != nil
        await provider.close()
        if browsing && !sent {
            let message = "run \(runID): \(statusBefore.rawValue), unchanged by browsing"
            if let signal { throw CommandFailure(status: 128 + signal, message: message) }
            return Console.out(message)
        }
        try farewell(controller, signal: signal, embedded: embedded)
    }

    /// A stored run as it stands: its own clock, from its start to its end (not to now), and its batches.
    private func showStored(_ initial: inout ViewState, config: RunConfig, status: RunStatus) throws {
        initial.header.started = config.createdAt
        initial.header.ended = status == .running ? nil : try store.finishedAt(run: runID) ?? config.createdAt
        initial.finished = status != .running
        initial.batches = try store.storedBatches(run: runID).map { b in
            BatchLine(id: TerminalText.sanitize(b.batchID), stage: b.stage, status: b.status, stored: b.consumed, completed: b.completed,
                      failed: b.failed, total: b.requests, started: b.created, updated: b.created,
                      finished: b.status.isTerminal ? initial.header.ended : nil)
        }
    }

    /// After the screen is gone: the summary when the run finished, else what is still running and how to resume.
    private func farewell(_ controller: RunController, signal: Int32?, embedded: Bool) throws {
        let status = (try? store.status(run: runID)) ?? .interrupted
        if status == .done, let report = controller.finishedReport ?? (try? Engine.report(store: store, runID: runID)) {
            Console.out(report.text())
            if let reportJSON { try ReportFile.write(report, to: reportJSON) }
            Console.out("\nstored in \(store.path) as run \(runID)")
            return
        }
        if status == .running { try? store.setStatus(run: runID, .interrupted, message: "dashboard closed before the end") }
        if status == .failed, controller.lastError == nil {
            throw CommandFailure.run(Session.unansweredMessage(store: store, runID: runID))
        }
        var lines = StopMessage.lines(runID: runID, status: status == .running ? .interrupted : status, store: store,
                                      embeddedSimulator: embedded)
        if let error = controller.lastError { lines.append("last error: \(error)") }
        let message = lines.joined(separator: "\n")
        if let signal { throw CommandFailure(status: 128 + signal, message: message) }
        if status == .failed { throw CommandFailure.run(message) }
        Console.out(message)
    }
}
