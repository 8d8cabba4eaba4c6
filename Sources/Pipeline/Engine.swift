import BatchAPI
import Foundation
import JudgeCore
import NIOCore

/// Tuning of the batch driver.
public struct EngineOptions: Sendable {
    public var poll = PollSchedule()

    public init(poll: PollSchedule = PollSchedule()) {
        self.poll = poll
    }
}

/// The async engine: runs both stages of a run through the provider's Batch API, storing every
/// answer as it arrives and reporting progress as events.
public final class Engine: Sendable {
    public let config: RunConfig
    private let store: RunStore
    private let client: ProviderClient
    private let options: EngineOptions
    private let emit: @Sendable (EngineEvent) -> Void

    public init(config: RunConfig, store: RunStore, client: ProviderClient, options: EngineOptions = EngineOptions(),
                emit: @escaping @Sendable (EngineEvent) -> Void) {
        self.config = config
        self.store = store
        self.client = client
        self.options = options
        self.emit = emit
    }

    /// Runs the base stage, then the judge stage on the base answers, and returns the report.
    public func run() async throws -> Report {
        let rows = try store.rows(run: config.runID)
        emit(.runStarted(runID: config.runID, rows: rows.count, simulated: config.simulated))
        let task = config.task
        do {
            try await runStage(.base, rows: rows) { task.basePrompt(for: $0) }
            let baseAnswers = try store.answers(run: config.runID, stage: .base)
            let judged = rows.filter { baseAnswers[$0.index] != nil }
            try await runStage(.judge, rows: judged) { task.judgePrompt(for: $0, baseAnswer: baseAnswers[$0.index] ?? "") }
        } catch let error as EngineError {
            try? store.setStatus(run: config.runID, "failed", message: error.description)
            throw error
        } catch let error as ProviderError {
            try? store.setStatus(run: config.runID, "failed", message: error.description)
            throw EngineError.provider(error)
        }
        try store.setStatus(run: config.runID, "done")
        let report = try Engine.report(store: store, runID: config.runID)
        emit(.runFinished(report))
        return report
    }

    /// The report of a run as the store has it now (finished or partial).
    public static func report(store: RunStore, runID: String) throws -> Report {
        guard let config = try store.config(run: runID) else { throw StoreError.unknownRun(runID) }
        let identity = RunIdentity(runID: runID, provider: config.provider, baseURL: config.baseURL,
                                   baseModel: config.baseModel, judgeModel: config.judgeModel, mode: config.mode,
                                   dataset: config.dataset, simulated: config.simulated,
                                   status: try store.status(run: runID) ?? "unknown")
        return Report(identity: identity, outcomes: try store.outcomes(run: runID), tokens: try store.tokens(run: runID),
                      labels: config.labelPlan)
    }

    // MARK: Stages

    private func runStage(_ stage: Stage, rows: [MovieRow], prompt: (MovieRow) -> ChatPrompt) async throws {
        try store.ensureRequests(run: config.runID, stage: stage, indices: rows.map(\.index))
        let byIndex = Dictionary(uniqueKeysWithValues: rows.map { ($0.index, $0) })
        emit(.stageStarted(stage, requests: rows.count))
        for attempt in 1...config.maxAttempts {
            let pending = try store.unanswered(run: config.runID, stage: stage, maxAttempts: config.maxAttempts)
            guard !pending.isEmpty else { break }
            if attempt > 1 { emit(.retryScheduled(stage, requests: pending.count, attempt: attempt)) }
            let chunks = try BatchFiles.split(pending.compactMap { byIndex[$0] }, stage: stage,
                                              maxLines: config.maxLinesPerBatch, maxBytes: config.maxBytesPerBatch, prompt: prompt)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (number, chunk) in chunks.enumerated() {
                    group.addTask { try await self.runBatch(stage: stage, chunk: number, attempt: attempt, file: chunk) }
                }
                try await group.waitForAll()
            }
        }
        let answered = try store.answers(run: config.runID, stage: stage).count
        emit(.stageFinished(stage, answered: answered, failed: rows.count - answered))
    }

    /// One provider batch: upload, create (committed at once), poll, download, store.
    private func runBatch(stage: Stage, chunk: Int, attempt: Int, file: BatchFile) async throws {
        let name = "judgetop-\(config.runID)-\(stage.rawValue)-a\(attempt)-c\(chunk).jsonl"
        let uploaded = try await client.uploadFile(file.content, filename: name)
        var batch = try await client.createBatch(inputFileID: uploaded.id, completionWindow: config.completionWindow,
                                                 metadata: config.batchMetadata(stage: stage, chunk: chunk, attempt: attempt))
        try store.recordBatch(run: config.runID, batch: batch, stage: stage, chunk: chunk, attempt: attempt, customIDs: file.customIDs)
        emit(.batchCreated(stage, batchID: batch.id, requests: file.customIDs.count, attempt: attempt))
        batch = try await pollUntilDone(batch, stage: stage, total: file.customIDs.count)
        if batch.status == .failed {
            throw EngineError.validationFailed(stage: stage, batchID: batch.id, problems: file.describe(batch.errors))
        }
        var lines: [OutputLine] = []
        for fileID in [batch.outputFileID, batch.errorFileID].compactMap({ $0 }) {
            try await client.streamFileLines(id: fileID) { lines.append(try BatchOutput.parse($0)) }
        }
        let outcome = try store.storeResults(run: config.runID, stage: stage, batchID: batch.id, lines: lines)
        if !outcome.duplicates.isEmpty {
            emit(.warning("batch \(batch.id): \(outcome.duplicates.count) answers for requests already answered were ignored"))
        }
        if !outcome.unknown.isEmpty {
            emit(.warning("batch \(batch.id): \(outcome.unknown.count) output lines name unknown custom_ids and were ignored"))
        }
        emit(.answersStored(stage, batchID: batch.id, stored: outcome.stored, failed: file.customIDs.count - outcome.stored))
    }

    private func pollUntilDone(_ created: Batch, stage: Stage, total: Int) async throws -> Batch {
        var batch = created
        var schedule = options.poll
        var last = (batch.status, batch.requestCounts)
        while !batch.status.isTerminal {
            try await Task.sleep(for: .seconds(schedule.next(progressed: false)))
            batch = try await client.retrieveBatch(id: batch.id)
            let now = (batch.status, batch.requestCounts)
            if now.0 != last.0 || now.1 != last.1 {
                _ = schedule.next(progressed: true)
                try store.updateBatch(batch)
                let counts = batch.requestCounts ?? RequestCounts()
                emit(.batchProgress(stage, batchID: batch.id, status: batch.status.name, completed: counts.completed,
                                    failed: counts.failed, total: counts.total > 0 ? counts.total : total))
                last = now
            }
        }
        try store.updateBatch(batch)
        return batch
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case unknownRun(String)

    public var description: String {
        switch self {
        case .unknownRun(let id): return "no run \(id) in the store; `judgetop runs` lists the runs"
        }
    }
}
