import BatchAPI
import Foundation
import JudgeCore
import Pipeline

/// The headless front end: one plain line per engine event worth a person's attention,
/// progress throttled so a log stays readable.
final class HeadlessPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastProgress: [String: (status: BatchStatus, done: Int, time: Date)] = [:]
    private let output: (String) -> Void
    private let forward: @Sendable (EngineEvent) -> Void

    /// `forward` also hands each event on (to the dashboard, when it is up).
    init(output: @escaping (String) -> Void = { Console.out($0) }, forward: @escaping @Sendable (EngineEvent) -> Void = { _ in }) {
        self.output = output
        self.forward = forward
    }

    func handle(_ event: EngineEvent) {
        forward(event)
        lock.lock()
        defer { lock.unlock() }
        let safe: (String) -> String = { TerminalText.sanitize($0) }
        switch event {
        case .runStarted(let runID, let rows, let simulated):
            output("run \(runID): \(rows) rows\(simulated ? " (SIMULATED models)" : "")")
        case .stageStarted(let stage, let requests):
            output("[\(stage.rawValue)] \(requests) requests")
        case .batchCreated(let stage, let id, let requests, let attempt):
            output("[\(stage.rawValue)] batch \(safe(id)) created: \(requests) requests (attempt \(attempt))")
        case .batchProgress(let stage, let id, let status, let completed, let failed, let total):
            let now = Date()
            let previous = lastProgress[id]
            let step = max(1, total / 10)
            guard previous == nil || previous!.status != status || completed + failed - previous!.done >= step
                || now.timeIntervalSince(previous!.time) >= 10 else { return }
            lastProgress[id] = (status, completed + failed, now)
            output("[\(stage.rawValue)] batch \(safe(id)) \(safe(status.name)): \(completed)/\(total) done, \(failed) failed")
        case .answersStored(let stage, let id, let stored, let failed):
            output("[\(stage.rawValue)] batch \(safe(id)): stored \(stored) answers\(failed > 0 ? ", \(failed) without an answer" : "")")
        case .retryScheduled(let stage, let requests, let attempt):
            output("[\(stage.rawValue)] retrying \(requests) unanswered requests in a follow-up batch (attempt \(attempt))")
        case .providerRetry(let operation, let attempt, let delay, let reason):
            output("provider: \(safe(operation)) will be retried (attempt \(attempt)) in \(String(format: "%.1f", delay)) s: \(safe(reason))")
        case .warning(let message):
            output("warning: \(safe(message))")
        case .stageFinished(let stage, let answered, let failed):
            output("[\(stage.rawValue)] done: \(answered) answered, \(failed) failed")
        case .onlineProgress(let p):
            let answered = Stage.allCases.map { "\($0.rawValue) \(p.answered[$0] ?? 0)/\(p.rows)" }.joined(separator: ", ")
            let failed = p.failed.values.reduce(0, +)
            output("[online] \(answered) answered\(failed > 0 ? ", \(failed) failed" : ""), \(String(format: "%.0f", p.requestsPerSecond)) req/s, concurrency \(p.concurrency)\(p.rateLimited > 0 ? ", \(p.rateLimited) rate-limited" : "")")
        case .usage(let tokens, let cost):
            let parts = Stage.allCases.compactMap { stage in tokens[stage].map { "\(stage.rawValue) \($0.prompt)+\($0.completion)" } }
            output("tokens so far: \(parts.joined(separator: ", "))\(cost.map { "; " + $0.text } ?? "")")
        case .runFinished:
            break
        }
    }
}
