import Dispatch
import Foundation
import JudgeCore
import Pipeline
import RunControl

/// Runs the engine for a stored run and turns its end into what the person sees: the summary,
/// report.json, or a clear message with the exit status. Ctrl-C and SIGTERM stop it cleanly.
struct Session {
    let store: RunStore
    let config: RunConfig
    let connection: Connection
    let printer: HeadlessPrinter
    let reportJSON: String?
    let lease: RunLease

    /// Seconds an online run waits at most, after Ctrl-C, for the answers already asked for: they
    /// are paid for, and a long answer takes tens of seconds. A second Ctrl-C stops at once.
    static let onlineGrace = 30.0

    func execute() async throws {
        let stop = StopRequest()
        let options = EngineOptions(providerForgetsBatches: connection.simulator != nil, lease: lease, stop: stop,
                                    crashHook: Self.crashHook())
        let engine = Engine(config: config, store: store, client: connection.client, options: options,
                            emit: { printer.handle($0) })
        let work = Task { try await engine.run() }
        lease.keepAlive { work.cancel() }
        defer { lease.release() }
        let online = config.mode == .online
        let grace = min(Self.onlineGrace, config.requestTimeout)
        let caught = SignalCatcher { count in
            // Online answers in flight are paid for: stop sending, give them time to arrive and be stored.
            guard online, count == 1 else { return work.cancel() }
            stop.request()
            printer.handle(.warning("stopping: nothing more is sent; waiting up to \(Int(grace)) s for the answers in flight (Ctrl-C again stops at once)"))
            Task {
                try? await Task.sleep(for: .seconds(grace))
                work.cancel()
            }
        }
        defer { caught.stop() }
        do {
            let report = try await work.value
            await connection.close()
            Console.out("")
            Console.out(report.text())
            if let reportJSON { try ReportFile.write(report, to: reportJSON) }
            Console.out("\nstored in \(store.path) as run \(config.runID)")
            if report.identity.status == .cancelled {
                throw CommandFailure.run("run \(config.runID) was cancelled (`judgetop cancel`); the report above is partial")
            }
            if report.identity.status == .failed { throw CommandFailure.run(Self.unansweredMessage(store: store, runID: config.runID)) }
        } catch {
            await connection.close()
            if let signal = caught.received {
                try? store.setStatus(run: config.runID, .interrupted, message: "stopped by signal \(signal)")
                throw CommandFailure(status: 128 + signal, message: interruptedMessage())
            }
            if error is CommandFailure { throw error }
            if error is LeaseError || (try? store.leaseHolder(run: config.runID))??.token != lease.token {
                throw CommandFailure.run(LeaseError.lost(run: config.runID).description)
            }
            throw CommandFailure.run("run \(config.runID) failed: \(error)\nWhat was answered is stored in \(store.path); `judgetop report \(config.runID)` shows it.")
        }
    }

    /// Why a run that reached its end is not done: requests without an answer, and how to send them again.
    static func unansweredMessage(store: RunStore, runID: String) -> String {
        let tallies = (try? store.requestTallies(run: runID)) ?? [:]
        let parts = Stage.allCases.compactMap { stage in
            tallies[stage].flatMap { $0.unanswered > 0 ? "\($0.unanswered) \(stage.rawValue)" : nil }
        }
        let total = tallies.values.reduce(0) { $0 + $1.unanswered }
        return """
            run \(runID) ended with \(total) request\(total == 1 ? "" : "s") unanswered (\(parts.joined(separator: ", "))) after every attempt.
            `judgetop resume \(runID)` sends them again; the report above counts only what was answered.
            """
    }

    private func interruptedMessage() -> String {
        StopMessage.lines(runID: config.runID, status: .interrupted, store: store,
                          embeddedSimulator: connection.simulator != nil).joined(separator: "\n")
    }

    /// `JUDGETOP_CRASH_AT=<point>` makes the process kill itself with SIGKILL there: the crash tests'
    /// way to stop judgetop at an exact step, as a power cut or the OOM killer would.
    static func crashHook(environment: [String: String] = ProcessInfo.processInfo.environment) -> @Sendable (CrashPoint) -> Void {
        guard let wanted = environment["JUDGETOP_CRASH_AT"].flatMap(CrashPoint.init(rawValue:)) else { return { _ in } }
        return { point in if point == wanted { kill(getpid(), SIGKILL) } }
    }
}

/// Catches SIGINT, SIGTERM and SIGHUP while a run is going, and remembers which came.
final class SignalCatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32?
    private var count = 0
    private var sources: [DispatchSourceSignal] = []

    /// `onSignal` gets how many signals have come so far (1 for the first).
    init(_ onSignal: @escaping @Sendable (Int) -> Void) {
        for number in Self.handled {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let count = self.lock.withLock {
                    self.signal = number
                    self.count += 1
                    return self.count
                }
                onSignal(count)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// A closed terminal (SIGHUP) stops a run as cleanly as Ctrl-C or `kill`.
    static let handled = [SIGINT, SIGTERM, SIGHUP]

    var received: Int32? { lock.withLock { signal } }

    func stop() {
        sources.forEach { $0.cancel() }
        for number in Self.handled { Foundation.signal(number, SIG_DFL) }
    }
}
