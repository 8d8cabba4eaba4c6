import BatchAPI
import Foundation
import JudgeCore

/// All simulator state, behind one actor: files, batches, and the accounting.
actor SimulatorState {
    let options: SimulatorOptions
    private var random: SeededGenerator
    private var files: [String: SimFile] = [:]
    private var batches: [String: SimBatch] = [:]
    private var batchOrder: [String] = []
    private var answered: [String: Int] = [:]
    private var failedOnce: Set<String> = []
    private var cutOnce: Set<String> = []
    /// Lines of a batch (custom_id NUL batch id) to write cut short.
    private var cutLines: Set<String> = []
    /// Result files whose first download breaks off.
    private var cutDownloads: Set<String> = []
    private var counter = 0
    private var stats = SimulatorStats()

    init(options: SimulatorOptions) {
        self.options = options
        random = SeededGenerator(seed: options.seed)
    }

    /// Ids unique across simulator instances too, as a real provider's are.
    private let instance = String(UInt32.random(in: 0...UInt32.max), radix: 36)

    func nextID(_ prefix: String) -> String {
        counter += 1
        return Self.id(prefix, instance: instance, counter)
    }

    static func id(_ prefix: String, instance: String, _ number: Int) -> String {
        "\(prefix)\(instance)\(String(number, radix: 36))"
    }

    func roll() -> Double { Double(random.next() % 1_000_000) / 1_000_000 }

    func noteInjectedHTTPError() { stats.injectedHTTPErrors += 1 }

    func snapshotStats() -> SimulatorStats {
        var s = stats
        s.liveBatches = batches.values.filter { !$0.isTerminal }.count
        s.answeredTwice = answered.filter { $0.value > 1 }.map(\.key).sorted()
        return s
    }

    // MARK: Files

    func addFile(filename: String, purpose: String, bytes: [UInt8]) -> SimFile {
        let file = SimFile(id: nextID("file-"), filename: filename, purpose: purpose, createdAt: now(), bytes: bytes)
        files[file.id] = file
        return file
    }

    func file(_ id: String) -> SimFile? { files[id] }

    func allFiles() -> [SimFile] { files.values.sorted { $0.createdAt > $1.createdAt || ($0.createdAt == $1.createdAt && $0.id > $1.id) } }

    func deleteFile(_ id: String) -> Bool { files.removeValue(forKey: id) != nil }

    // MARK: Batches

    func createBatch(inputFileID: String, endpoint: String, completionWindow: String, metadata: [String: String]) -> SimBatch {
        let created = now()
        let deadline = Date().addingTimeInterval(options.expireAfterSeconds)
        let batch = SimBatch(id: nextID("batch_"), endpoint: endpoint, inputFileID: inputFileID, completionWindow: completionWindow,
                             metadata: metadata, createdAt: created, expiresAt: Int(deadline.timeIntervalSince1970),
                             expiresAtDate: deadline)
        batches[batch.id] = batch
        batchOrder.append(batch.id)
        stats.batchesCreated += 1
        return batch
    }

    func batch(_ id: String) -> SimBatch? { batches[id] }

    /// Newest first, after the cursor.
    func listBatches(after: String?, limit: Int) -> (page: [SimBatch], hasMore: Bool) {
        stats.batchListings += 1
        var ids = Array(batchOrder.reversed())
        if let after, let at = ids.firstIndex(of: after) { ids = Array(ids[(at + 1)...]) }
        let page = ids.prefix(limit).compactMap { batches[$0] }
        return (page, ids.count > limit)
    }

    enum CancelOutcome { case ok(SimBatch), conflict(String), notFound }

    func requestCancel(_ id: String) -> CancelOutcome {
        guard var batch = batches[id] else { return .notFound }
        switch batch.status {
        case .cancelling, .cancelled: return .ok(batch)
        case .completed, .failed, .expired: return .conflict(batch.status.name)
        default:
            batch.status = .cancelling
            batch.cancellingAt = now()
            batches[id] = batch
            return .ok(batch)
        }
    }

    // MARK: Lifecycle steps, driven by BatchProcessor

    /// The input file of a batch waiting to be validated; nil (and the batch failed) when the file is
    /// gone, or nil when the batch is no longer validating. Validation itself runs off the actor.
    func validationInput(_ id: String) -> (bytes: [UInt8], endpoint: String)? {
        guard var batch = batches[id], batch.status == .validating else { return nil }
        guard let file = files[batch.inputFileID] else {
            fail(&batch, errors: [ValidationIssue(code: "invalid_request", line: nil, param: "file_id",
                                                  message: "Cannot find file \(batch.inputFileID), or organization does not have access to it.")])
            return nil
        }
        return (file.bytes, batch.endpoint)
    }

    /// Applies a validation: on success the batch is in progress with its lines queued.
    func accept(_ id: String, lines: [ParsedLine], issues: [ValidationIssue]) {
        guard var batch = batches[id], batch.status == .validating else { return }
        guard issues.isEmpty else {
            fail(&batch, errors: issues)
            return
        }
        batch.status = .inProgress
        batch.inProgressAt = now()
        batch.total = lines.count
        batch.pending = options.keepOutputOrder ? lines : lines.shuffled(using: &random)
        batches[id] = batch
    }

    private func fail(_ batch: inout SimBatch, errors: [ValidationIssue]) {
        batch.status = .failed
        batch.failedAt = now()
        batch.errors = errors
        batches[batch.id] = batch
    }

    /// When an unfinished batch expires.
    func expiry(_ id: String) -> Date? { batches[id]?.expiresAtDate }

    /// Ends an unfinished batch at its deadline; what it answered so far is kept.
    func expire(_ id: String) {
        guard var batch = batches[id], batch.status == .inProgress else { return }
        batch.status = .expired
        batch.expiredAt = now()
        batches[id] = batch
    }

    /// Takes up to `count` queued lines to answer, counted as answered (or failed, when a failure is
    /// injected) from now on. Nil once nothing is left to run here (done or cancelled).
    func take(_ id: String, count: Int) -> AnswerWork? {
        guard var batch = batches[id], batch.status == .inProgress, !batch.pending.isEmpty else { return nil }
        let run = metadataRunKey(batch)
        var lines: [ParsedLine] = []
        for line in batch.pending.prefix(count) {
            let key = run + "/" + line.customID
            if let problem = line.problem {
                batch.failed += 1
                batch.errorLines.append(WireEncoder.data(FailedOutputLine.httpError(id: nextID("batch_req_"), customID: line.customID,
                                                                                     status: problem.status, body: ErrorEnvelope(problem.error))))
                continue
            }
            if options.lineFailureRate > 0, !failedOnce.contains(key), roll() < options.lineFailureRate {
                failedOnce.insert(key)
                stats.injectedLineFailures += 1
                batch.failed += 1
                batch.errorLines.append(WireEncoder.data(FailedOutputLine.httpError(id: nextID("batch_req_"), customID: line.customID, status: 500,
                                                                                     body: SimulatorRoutes.serverError)))
                continue
            }
            if options.malformedLineRate > 0, !cutOnce.contains(key), roll() < options.malformedLineRate {
                // Written cut short below; not counted as answered, since the client cannot read it.
                cutOnce.insert(key)
                stats.injectedMalformedLines += 1
                cutLines.insert(line.customID + "\u{0}" + id)
                lines.append(line)
                continue
            }
            answered[key, default: 0] += 1
            lines.append(line)
        }
        stats.linesAnswered += lines.count
        batch.completed += lines.count
        batch.pending.removeFirst(min(count, batch.pending.count))
        batches[id] = batch
        let work = AnswerWork(lines: lines, endpoint: batch.endpoint, stringBodies: options.stringBodies, tasks: options.tasks, instance: instance,
                              firstID: counter + 1, created: now())
        counter += 2 * lines.count
        return work
    }

    /// Adds answered lines; the batch finalizes once its queue is empty.
    func deliver(_ id: String, _ lines: [(customID: String, line: Data)]) {
        guard var batch = batches[id] else { return }
        for (customID, line) in lines {
            batch.outputLines.append(cutLines.remove(customID + "\u{0}" + id) == nil ? line : line.prefix(line.count / 2))
        }
        if batch.status == .inProgress, batch.pending.isEmpty {
            batch.status = .finalizing
            batch.finalizingAt = now()
        }
        batches[id] = batch
    }

    /// Writes the result files of a batch that stopped running and moves it to its final state:
    /// completed after finalizing, cancelled after cancelling, expired stays expired.
    func finish(_ id: String) {
        guard var batch = batches[id] else { return }
        let unrunCode: String
        let unrunMessage: String
        switch batch.status {
        case .finalizing:
            batch.status = .completed
            batch.completedAt = now()
            unrunCode = ""
            unrunMessage = ""
        case .cancelling:
            batch.status = .cancelled
            batch.cancelledAt = now()
            unrunCode = "batch_cancelled"
            unrunMessage = "This request was not executed because the batch was cancelled."
        case .expired:
            unrunCode = "batch_expired"
            unrunMessage = "This request could not be executed before the completion window expired."
        default:
            return
        }
        for line in batch.pending {
            batch.errorLines.append(WireEncoder.data(FailedOutputLine.notRun(id: nextID("batch_req_"), customID: line.customID,
                                                                             code: unrunCode, message: unrunMessage)))
        }
        batch.pending = []
        if !batch.outputLines.isEmpty {
            batch.outputFileID = addResultFile(batch.outputLines, name: "\(batch.id)_output.jsonl").id
        }
        if !batch.errorLines.isEmpty {
            batch.errorFileID = addResultFile(batch.errorLines, name: "\(batch.id)_error.jsonl").id
        }
        batch.outputLines = []
        batch.errorLines = []
        batches[id] = batch
    }

    func status(_ id: String) -> BatchStatus? { batches[id]?.status }

    /// How many bytes of a result file to send before breaking the connection, the first time only.
    func downloadCut(_ fileID: String) -> Int? {
        guard let limit = options.cutDownloadsAfterBytes, let file = files[fileID], file.purpose == "batch_output",
              file.bytes.count > limit, cutDownloads.insert(fileID).inserted else { return nil }
        stats.injectedDownloadCuts += 1
        return limit
    }

    /// Counts a chat answer under its request key (judgetop's `X-Judgetop-Request` header, else the
    /// request's text), so that a request answered twice shows up.
    func recordChatCompletion(key: String) {
        stats.chatCompletions += 1
        answered["chat:" + key, default: 0] += 1
    }

    // MARK: Chat admission: quota and token bucket

    enum ChatAdmission { case allowed(remaining: Int, limit: Int), rateLimited(retryAfter: Double, limit: Int), quotaExhausted }

    private var bucketTokens: Double?
    private var bucketTime = Date()
    private var chatAdmitted = 0

    func admitChat() -> ChatAdmission {
        if let quota = options.chatQuota, chatAdmitted >= quota { return .quotaExhausted }
        guard let rate = options.chatRequestsPerSecond, rate > 0 else {
            chatAdmitted += 1
            return .allowed(remaining: Int.max, limit: Int.max)
        }
        let capacity = max(1, rate)
        let now = Date()
        var tokens = bucketTokens ?? capacity
        tokens = min(capacity, tokens + now.timeIntervalSince(bucketTime) * rate)
        bucketTime = now
        guard tokens >= 1 else {
            bucketTokens = tokens
            return .rateLimited(retryAfter: (1 - tokens) / rate, limit: Int(capacity))
        }
        bucketTokens = tokens - 1
        chatAdmitted += 1
        return .allowed(remaining: Int(tokens - 1), limit: Int(capacity))
    }

    private func addResultFile(_ lines: [Data], name: String) -> SimFile {
        let ordered = options.keepOutputOrder ? lines : lines.shuffled(using: &random)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ordered.reduce(0) { $0 + $1.count + 1 })
        for line in ordered {
            bytes.append(contentsOf: line)
            bytes.append(UInt8(ascii: "\n"))
        }
        return addFile(filename: name, purpose: "batch_output", bytes: bytes)
    }

    private func metadataRunKey(_ batch: SimBatch) -> String { batch.metadata["judgetop_run"] ?? batch.inputFileID }

    private func now() -> Int { Int(Date().timeIntervalSince1970) }
}
