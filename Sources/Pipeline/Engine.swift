import BatchAPI
import Foundation
import JudgeCore
import NIOCore

/// Points in a batch's life where a crash is most telling; the kill tests stop the process there.
public enum CrashPoint: String, Sendable, CaseIterable {
    case planned, uploaded, created, polling, downloaded, baseStored = "base-stored"
}

/// Tuning of the batch driver.
public struct EngineOptions: Sendable {
    public var poll = PollSchedule()
    /// Called at each crash point; the CLI kills itself there when a test asks it to.
    public var crashHook: @Sendable (CrashPoint) -> Void = { _ in }
    /// The provider forgets batches (the embedded simulator dies with the process): a known batch it
    /// no longer has is sent again instead of failing the run.
    public var providerForgetsBatches = false
    /// The run's lease this process holds: checked before every batch it creates.
    public var lease: RunLease?
    /// Asked to stop (Ctrl-C): online mode sends nothing more and stores the answers in flight.
    public var stop = StopRequest()

    public init(poll: PollSchedule = PollSchedule(), providerForgetsBatches: Bool = false, lease: RunLease? = nil,
                stop: StopRequest = StopRequest(), crashHook: @escaping @Sendable (CrashPoint) -> Void = { _ in }) {
        self.poll = poll
        self.providerForgetsBatches = providerForgetsBatches
        self.lease = lease
        self.stop = stop
        self.crashHook = crashHook
    }
}

/// The async engine: runs both stages of a run through the provider's Batch API. Judge requests
/// for a chunk go out as soon as its base answers are stored, so the stages overlap; every answer is
/// stored as it arrives, and a run killed at any point resumes where it was.
public final class Engine: Sendable {
    public let config: RunConfig
    /// The run's task, compiled once: every batch file renders its prompts.
    private let task: EvalTask
    private let store: RunStore
    private let client: ProviderClient
    private let options: EngineOptions
    private let emit: @Sendable (EngineEvent) -> Void
    /// Batch files are built and uploaded two at a time: each is tens of megabytes, and a large run
    /// plans many at once.
    private let uploads = ConcurrencyGate(maximum: 2)

    public init(config: RunConfig, store: RunStore, client: ProviderClient, options: EngineOptions = EngineOptions(),
                emit: @escaping @Sendable (EngineEvent) -> Void) {
        self.config = config
        task = config.task
        self.store = store
        self.client = client
        self.options = options
        self.emit = emit
    }

    /// Runs (or resumes) the run to its end and returns the report.
    public func run() async throws -> Report {
        let runID = config.runID
        let rowCount = try store.rowCount(run: runID)
        emit(.runStarted(runID: runID, rows: rowCount, simulated: config.simulated))
        if try !store.cancelRequested(run: runID) { try store.setStatus(run: runID, .running) }
        do {
            if config.mode == .online {
                emit(.stageStarted(.base, requests: rowCount))
                try await OnlineDriver(config: config, task: task, store: store, client: client, emit: emit, retry: client.retry, stop: options.stop).run(rows: rowCount)
                if options.stop.requested { throw CancellationError() }
            } else {
                try await runBatches(rowCount: rowCount)
            }
            try emitUsage()
        } catch let error as LeaseError {
            // Another process owns the run now: its status is that process's to set.
            throw error
        } catch let error as EngineError {
            try? store.setStatus(run: runID, .failed, message: error.description)
            throw error
        } catch let error as ProviderError {
            try? store.setStatus(run: runID, .failed, message: error.description)
            throw EngineError.provider(error)
        } catch is CancellationError {
            try? store.setStatus(run: runID, .interrupted, message: "stopped before the end")
            throw CancellationError()
        } catch {
            try? store.setStatus(run: runID, .failed, message: "\(error)")
            throw error
        }
        let end = try store.finish(run: runID)
        let tallies = try store.requestTallies(run: runID)
        for stage in Stage.allCases {
            let requests = tallies[stage]?.requests ?? 0
            let failed = end.unanswered[stage] ?? 0
            emit(.stageFinished(stage, answered: requests - failed, failed: failed))
        }
        if end.keptEarlier > 0 {
            emit(.warning("\(end.keptEarlier) requests asked again got no new answer; their earlier answers stand"))
        }
        let report = try Engine.report(store: store, runID: runID)
        let m = report.metrics
        try store.saveSummary(run: runID, ["judge_determined": m.judgeDetermined.value, "base_vs_truth": m.baseVsTruth.value,
                                           "judge_vs_truth": m.judgeVsTruth.value].compactMapValues { $0 },
                              labelledRows: report.trust.labelledRows)
        emit(.runFinished(report))
        return report
    }

    /// Batch mode: every live or newly planned batch runs concurrently; each one that finishes may
    /// free base answers for the judge, or failures for a follow-up batch.
    private func runBatches(rowCount: Int) async throws {
        try await withThrowingTaskGroup(of: [Submission].self) { group in
            var announced: Set<Stage> = []
            func launch(_ submissions: [Submission], reattached: Bool) {
                for submission in submissions {
                    announce(submission, rows: rowCount, reattached: reattached, announced: &announced)
                    group.addTask { try await self.drive(submission, reattached: reattached) }
                }
            }
            launch(try await store.awaitWrite { [run = config.runID] in try $0.liveSubmissions(run: run) }, reattached: true)
            launch(try await plan(), reattached: false)
            // A finished batch hands over the judge batches planned with its answers: they start
            // before planning waits for the store's writer.
            while let planned = try await group.next() {
                launch(planned, reattached: false)
                launch(try await plan(), reattached: false)
            }
        }
    }

    /// Tokens charged so far, and their cost when the run has prices.
    private func emitUsage() throws {
        let charges = try store.charges(run: config.runID)
        let cost = config.prices.map { CostBreakdown(charges: charges, prices: $0, batch: config.mode == .batch) }
        emit(.usage(RunStore.tokensByStage(charges), cost: cost))
    }

    private func announce(_ submission: Submission, rows: Int, reattached: Bool, announced: inout Set<Stage>) {
        if announced.insert(submission.stage).inserted {
            emit(.stageStarted(submission.stage, requests: rows))
        }
        if submission.round > 1, !reattached {
            emit(.retryScheduled(submission.stage, requests: submission.indices.count, attempt: submission.round))
        }
    }

    private func plan() async throws -> [Submission] {
        let (run, limits) = (config.runID, config.planLimits)
        return try await store.awaitWrite { store in
            try store.plan(run: run, stage: .base, maxAttempts: limits.maxAttempts, chunkSize: limits.chunkSize)
                + store.plan(run: run, stage: .judge, maxAttempts: limits.maxAttempts, chunkSize: limits.chunkSize)
        }
    }

    // MARK: One submission

    /// Takes a planned submission to its stored answers: create its batch (unless it exists),
    /// poll, download, store. Returns the judge batches planned with the answers it stored.
    private func drive(_ planned: Submission, reattached: Bool) async throws -> [Submission] {
        var submission = planned
        guard !submission.indices.isEmpty else {
            try await release(submission, reason: "empty")
            return []
        }
        var batch: Batch
        if let id = submission.batchID {
            do {
                batch = try await client.retrieveBatch(id: id)
            } catch let error as ProviderError where error.status == 404 && options.providerForgetsBatches {
                emit(.warning("batch \(id) is gone (the embedded simulator ended with the earlier process); its requests go again"))
                try await release(submission, reason: "batch lost with the embedded simulator")
                return []
            }
        } else if reattached, submission.started, let found = try await adoptCreatedBefore(submission) {
            batch = found
            submission.batchID = found.id
        } else {
            guard try await mayCreate(submission) else { return [] }
            options.crashHook(.planned)
            if !submission.started { try await store.awaitWrite { [id = submission.id] in try $0.markStarted(id) } }
            let uploaded = try await upload(&submission)
            options.crashHook(.uploaded)
            guard try await mayCreate(submission) else { return [] }
            batch = try await client.createBatch(inputFileID: uploaded.id, completionWindow: config.completionWindow,
                                                 metadata: metadata(submission))
            options.crashHook(.created)
            try await store.awaitWrite { [batch, id = submission.id] in try $0.attach(batch, inputFileID: uploaded.id, to: id) }
            submission.batchID = batch.id
            // A cancel recorded while the batch was being created has not seen it: cancel it here.
            if try store.mayCreateBatch(run: config.runID, leaseToken: nil) == .cancelled {
                batch = (try? await client.cancelBatch(id: batch.id)) ?? batch
            }
        }
        emit(.batchCreated(submission.stage, batchID: batch.id, requests: submission.indices.count, attempt: submission.round))
        batch = try await pollUntilDone(batch, stage: submission.stage, total: submission.indices.count)
        if batch.status == .failed {
            let model = submission.stage == .base ? config.baseModel : config.judgeModel
            if let missing = batch.errors.first(where: { $0.code == "model_not_found" }) {
                throw EngineError.modelNotFound(model: model, offered: await client.modelNames(), detail: missing.message)
            }
            throw EngineError.validationFailed(stage: submission.stage, batchID: batch.id, problems: submission.describe(batch.errors))
        }
        var lines: [OutputLine] = []
        for fileID in [batch.outputFileID, batch.errorFileID].compactMap({ $0 }) {
            let file = try await client.outputLines(fileID: fileID)
            lines += file.lines
            if file.salvaged > 0 {
                emit(.warning("batch \(batch.id): \(file.salvaged) output lines could not be read; their requests go again"))
            }
            if !file.unreadable.isEmpty {
                emit(.warning("batch \(batch.id): \(file.unreadable.count) output lines could not be read and name no request, e.g. \(file.unreadable[0])"))
            }
        }
        options.crashHook(.downloaded)
        let model = submission.stage == .base ? config.baseModel : config.judgeModel
        let outcome = try await store.awaitWrite { [run = config.runID, submission, lines, limits = config.planLimits] in
            try $0.storeResults(run: run, submission: submission, lines: lines, model: model, judgeLimits: limits)
        }
        if !outcome.duplicates.isEmpty {
            emit(.warning("batch \(batch.id): \(outcome.duplicates.count) answers for requests already answered were kept in the history, not shown"))
        }
        if !outcome.unknown.isEmpty {
            emit(.warning("batch \(batch.id): \(outcome.unknown.count) output lines name unknown custom_ids and were ignored"))
        }
        if let problem = Self.noAnswerAtAll(lines) {
            // A server with another output shape is seen at once, not after every attempt.
            emit(.warning("batch \(batch.id): none of its \(lines.count) output lines gave an answer; the first says \(problem)"))
        }
        emit(.answersStored(submission.stage, batchID: batch.id, stored: outcome.stored,
                            failed: submission.indices.count - outcome.stored))
        try emitUsage()
        if submission.stage == .base { options.crashHook(.baseStored) }
        return outcome.judgeBatches
    }

    /// What the first line says when not one line of a batch's output is an answer, else nil.
    static func noAnswerAtAll(_ lines: [OutputLine]) -> String? {
        var first: String?
        for line in lines {
            guard case .failure(let code, let message) = line.result else { return nil }
            first = first ?? "\(code): \(message)"
        }
        return first
    }

    /// Whether this process may create the submission's batch now; if not, its requests are
    /// released: a cancel was recorded (by any process), or the run's lease went to another process.
    private func mayCreate(_ submission: Submission) async throws -> Bool {
        switch try store.mayCreateBatch(run: config.runID, leaseToken: options.lease?.token) {
        case .allowed: return true
        case .cancelled:
            try await release(submission, reason: "the run was cancelled before this batch was created")
            return false
        case .leaseLost: throw LeaseError.lost(run: config.runID)
        }
    }

    private func release(_ submission: Submission, reason: String) async throws {
        try await store.awaitWrite { [run = config.runID, submission] in try $0.abandon(submission, run: run, reason: reason) }
    }

    /// A batch the provider created for this submission just before a crash, never recorded: adopt
    /// it rather than pay twice. The provider's list is read back to the submission's planning time;
    /// any other batch made for the same submission is an orphan and is cancelled.
    private func adoptCreatedBefore(_ submission: Submission) async throws -> Batch? {
        let found = try await client.findBatches(metadata: metadata(submission), since: submission.plannedAt - 300)
        guard let adopted = found.first else { return nil }
        try await store.awaitWrite { [id = submission.id] in try $0.attach(adopted, inputFileID: adopted.inputFileID ?? "", to: id) }
        emit(.warning("found batch \(adopted.id) created before the interruption; following it"))
        for orphan in found.dropFirst() where !orphan.status.isTerminal {
            _ = try? await client.cancelBatch(id: orphan.id)
            emit(.warning("batch \(orphan.id) was a second batch for the same requests; cancelled it"))
        }
        return adopted
    }

    /// Builds and uploads a submission's file, shrinking the submission if the file is over the size
    /// limit. The file lives only for the upload, not while the batch runs.
    private func upload(_ submission: inout Submission) async throws -> FileObject {
        try await uploads.acquire()
        do {
            var file = try await buildFile(submission)
            while file.byteCount > config.maxBytesPerBatch, submission.indices.count > 1 {
                submission = try await store.awaitWrite { [run = config.runID, submission] in
                    try $0.shrink(submission, run: run, keep: submission.indices.count / 2)
                }
                file = try await buildFile(submission)
            }
            let name = "judgetop-\(config.runID)-\(submission.stage.rawValue)-s\(submission.id).jsonl"
            let uploaded = try await client.uploadFile(file.streamed, filename: name)
            await uploads.release(.success)
            return uploaded
        } catch {
            await uploads.release(.failure)
            throw error
        }
    }

    private func metadata(_ submission: Submission) -> [String: String] {
        ["judgetop_run": config.runID, "judgetop_stage": submission.stage.rawValue,
         "judgetop_submission": String(submission.id), "judgetop_round": String(submission.round)]
    }

    /// The batch file of a submission, rebuilt the same way every time (prompts depend only on the store).
    private func buildFile(_ submission: Submission) async throws -> BatchFile {
        let task = self.task
        let (rows, answers) = try await store.awaitWrite { [run = config.runID] in try $0.promptInputs(run: run, submission: submission) }
        switch submission.stage {
        case .base:
            return BatchFile(rows, stage: .base) { task.basePrompt(for: $0) }
        case .judge:
            return BatchFile(rows, stage: .judge) { task.judgePrompt(for: $0, baseAnswer: answers[$0.index] ?? "") }
        }
    }

    private func pollUntilDone(_ created: Batch, stage: Stage, total: Int) async throws -> Batch {
        var batch = created
        var schedule = options.poll
        var last = (batch.status, batch.requestCounts)
        var polled = false, warnedClamped = false
        let started = ContinuousClock.now
        while !batch.status.isTerminal {
            let elapsed = ContinuousClock.now - started
            try await Task.sleep(for: .seconds(schedule.next(progressed: false, elapsed: elapsed / .seconds(1))))
            batch = try await client.retrieveBatch(id: batch.id)
            if !polled {
                polled = true
                options.crashHook(.polling)
            }
            if batch.countsClamped, !warnedClamped {
                warnedClamped = true
                emit(.warning("batch \(batch.id): the provider reported request counts out of range; they were clamped"))
            }
            let now = (batch.status, batch.requestCounts)
            if now.0 != last.0 || now.1 != last.1 {
                _ = schedule.next(progressed: true)
                try await store.awaitWrite { [batch, run = config.runID] in try $0.updateBatch(batch, run: run) }
                let counts = batch.requestCounts ?? RequestCounts()
                emit(.batchProgress(stage, batchID: batch.id, status: batch.status, completed: counts.completed,
                                    failed: counts.failed, total: counts.total > 0 ? counts.total : total))
                last = now
            }
        }
        try await store.awaitWrite { [batch, run = config.runID] in try $0.updateBatch(batch, run: run) }
        return batch
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case unknownRun(String)
    /// The run's stored settings cannot be read (a damaged row): only this run is affected.
    case unreadableRun(String, reason: String)

    public var description: String {
        switch self {
        case .unknownRun(let id): return "no run \(TerminalText.sanitize(id)) in the store; `judgetop runs` lists the runs"
        case .unreadableRun(let id, let reason):
            return "the stored settings of run \(TerminalText.sanitize(id)) cannot be read (\(TerminalText.sanitize(reason))); the store's other runs are unaffected"
        }
    }
}

/// The store file cannot be used; says which file and what to do.
public enum StoreOpenError: Error, CustomStringConvertible {
    /// `damaged`: SQLite found no database, or a corrupt one, in the file.
    case unusable(path: String, reason: String, readOnly: Bool, damaged: Bool)
    case needsUpgrade(path: String)

    public var description: String {
        switch self {
        case .unusable(let path, let reason, let readOnly, let damaged):
            let what = damaged
                ? "is damaged or is not a judgetop store. Move it aside (mv \(path) \(path).broken) to start a new store there, or point --runs-dir elsewhere."
                : readOnly ? "cannot be read (it and its folder are read-only). Reading needs the store's -wal and -shm files or a writable folder."
                : "cannot be opened. Check the file's permissions and free space, or point --runs-dir elsewhere."
            return "the run store \(path) \(what) (\(TerminalText.sanitize(reason)))"
        case .needsUpgrade(let path):
            return "the run store \(path) was written by an older judgetop and is read-only here, so it cannot be upgraded; open it once where it is writable"
        }
    }
}
