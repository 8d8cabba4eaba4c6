import BatchAPI
import Foundation
import JudgeCore
import Synchronization

/// Real-time mode: both stages over `/v1/chat/completions`, with as many requests in flight as the
/// provider allows. A row's judge request goes out as soon as its base answer is stored.
struct OnlineDriver: Sendable {
    let config: RunConfig
    let task: EvalTask
    let store: RunStore
    let client: ProviderClient
    let emit: @Sendable (EngineEvent) -> Void
    let retry: RetryPolicy
    let stop: StopRequest
    /// 429s are pacing, not failures: they are retried this many times before a request gives up.
    static let rateLimitRetries = 50

    enum Stop: Error {
        case quota(ProviderError)
        case modelNotFound(model: String, ProviderError)
    }

    /// `rows`: the run's row count, for progress. Each row is read from the store when its turn comes.
    func run(rows: Int) async throws {
        let work = try store.onlineWork(run: config.runID, maxAttempts: config.maxAttempts)
        let queue = WorkQueue(work)
        let gate = ConcurrencyGate(maximum: config.concurrency)
        let counters = OnlineCounters()
        let ticker = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(1))
                emit(counters.progress(window: await gate.limit, total: rows))
            }
        }
        defer { ticker.cancel() }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<min(config.concurrency, max(1, work.count)) {
                    group.addTask {
                        // Once asked to stop, nothing new is sent; the answers in flight are stored.
                        while !stop.requested, let item = queue.next() {
                            guard let row = try store.rows(run: config.runID, indices: [item.index]).first else { continue }
                            try await process(row, startWithBase: item.needsBase, gate: gate, counters: counters)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch Stop.quota(let error) {
            throw EngineError.quotaExhausted(error)
        } catch Stop.modelNotFound(let model, let error) {
            throw EngineError.modelNotFound(model: model, offered: await client.modelNames(), detail: error.description)
        }
        emit(counters.progress(window: await gate.limit, total: rows))
    }

    /// One row: its base request (if needed), then its judge request.
    private func process(_ row: Item, startWithBase: Bool, gate: ConcurrencyGate, counters: OnlineCounters) async throws {
        var baseAnswer: String?
        if startWithBase {
            baseAnswer = try await answer(.base, row, prompt: task.basePrompt(for: row), gate: gate, counters: counters)
        } else {
            baseAnswer = try store.answers(run: config.runID, stage: .base, indices: [row.index])[row.index]
        }
        guard let baseAnswer, !stop.requested else { return }
        _ = try await answer(.judge, row, prompt: task.judgePrompt(for: row, baseAnswer: baseAnswer), gate: gate, counters: counters)
    }

    /// Writes go through the store's write thread, as batch mode's do: a write waiting for SQLite's
    /// one writer on a cooperative thread held up every request in flight.
    private func recordFailure(_ stage: Stage, _ index: Int, _ error: String, countsAsAttempt: Bool = true) async throws {
        let run = config.runID
        try await store.awaitWrite { try $0.recordFailure(run: run, stage: stage, index: index, error: error, countsAsAttempt: countsAsAttempt) }
    }

    /// Sends one request until it is answered, fails for good, or runs out of attempts.
    private func answer(_ stage: Stage, _ row: Item, prompt: ChatPrompt, gate: ConcurrencyGate,
                        counters: OnlineCounters) async throws -> String? {
        var failures = 0, rateLimits = 0
        let key = "\(config.runID)/\(RunConfig.customID(stage, row.index))"
        while true {
            try await gate.acquire()
            if stop.requested {
                await gate.release(.success)
                return nil
            }
            do {
                let answer = try await client.chatCompletionOnce(prompt, requestKey: key)
                if let remaining = answer.hint.remainingRequests, remaining == 0, let reset = answer.hint.resetRequests {
                    await gate.release(.pause(seconds: reset))
                } else {
                    await gate.release(.success)
                }
                switch answer.result {
                case .success(let content, let usage):
                    let run = config.runID, model = stage == .base ? config.baseModel : config.judgeModel
                    try await store.awaitWrite { try $0.storeAnswer(run: run, stage: stage, index: row.index, content: content, usage: usage, model: model) }
                    counters.answered(stage, usage)
                    return content
                case .failure(let code, let message):
                    failures += 1
                    try await recordFailure(stage, row.index, "\(code): \(message)")
                }
            } catch let failure as ChatFailure {
                let error = failure.error
                if error.isQuotaExhausted {
                    await gate.release(.failure)
                    throw Stop.quota(error)
                }
                if error.code == "model_not_found" {
                    await gate.release(.failure)
                    throw Stop.modelNotFound(model: prompt.model, error)
                }
                if error.status == 429 {
                    rateLimits += 1
                    counters.rateLimited()
                    await gate.release(.rateLimited(retryAfter: failure.hint.retryAfter))
                    try await recordFailure(stage, row.index, error.description, countsAsAttempt: false)
                    guard rateLimits < Self.rateLimitRetries else { break }
                    if failure.hint.retryAfter == nil { try await Task.sleep(for: .seconds(retry.delay(beforeRetry: min(rateLimits, 6), retryAfter: nil, random: .random(in: 0..<1)) ?? 1)) }
                    continue
                }
                await gate.release(.failure)
                failures += 1
                try await recordFailure(stage, row.index, error.description)
                guard error.isRetryable, failures < config.maxAttempts,
                      let delay = retry.delay(beforeRetry: failures, retryAfter: failure.hint.retryAfter) else { break }
                counters.retried()
                try await Task.sleep(for: .seconds(delay))
                continue
            } catch {
                await gate.release(.failure)
                throw error
            }
            guard failures < config.maxAttempts else { break }
        }
        counters.failed(stage)
        return nil
    }
}

/// A request to stop, from whoever asks (a signal handler) to the engine that obeys it.
public final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func request() { flag.store(true, ordering: .relaxed) }
    public var requested: Bool { flag.load(ordering: .relaxed) }
}

/// The rows left to do, taken one at a time by the workers.
final class WorkQueue: Sendable {
    private let items: Mutex<ArraySlice<(index: Int, needsBase: Bool)>>
    init(_ items: [(index: Int, needsBase: Bool)]) { self.items = Mutex(items[...]) }
    func next() -> (index: Int, needsBase: Bool)? { items.withLock { $0.popFirst() } }
}

/// Running totals the progress lines read.
final class OnlineCounters: Sendable {
    private struct State {
        var answered: [Stage: Int] = [:]
        var failed: [Stage: Int] = [:]
        var tokens: [Stage: TokenCount] = [:]
        var rateLimited = 0
        var retried = 0
        var started = ContinuousClock.now
    }
    private let state = Mutex(State())

    func answered(_ stage: Stage, _ usage: TokenCount) {
        state.withLock {
            $0.answered[stage, default: 0] += 1
            $0.tokens[stage] = ($0.tokens[stage] ?? TokenCount()) + usage
        }
    }
    func failed(_ stage: Stage) { state.withLock { $0.failed[stage, default: 0] += 1 } }
    func rateLimited() { state.withLock { $0.rateLimited += 1 } }
    func retried() { state.withLock { $0.retried += 1 } }

    func progress(window: Int, total: Int) -> EngineEvent {
        state.withLock { s in
            let seconds = max(0.001, Double((ContinuousClock.now - s.started).components.attoseconds) / 1e18
                              + Double((ContinuousClock.now - s.started).components.seconds))
            let done = s.answered.values.reduce(0, +)
            return .onlineProgress(OnlineProgress(rows: total, answered: s.answered, failed: s.failed, tokens: s.tokens,
                                                  concurrency: window, requestsPerSecond: Double(done) / seconds,
                                                  rateLimited: s.rateLimited, retried: s.retried))
        }
    }
}

/// A snapshot of an online run, for the progress lines and the dashboard.
public struct OnlineProgress: Sendable {
    public let rows: Int
    public let answered: [Stage: Int]
    public let failed: [Stage: Int]
    /// Tokens of the answers received in this process.
    public let tokens: [Stage: TokenCount]
    public let concurrency: Int
    public let requestsPerSecond: Double
    public let rateLimited: Int
    public let retried: Int
}
