import BatchAPI
import Foundation

// What the simulator keeps: its files, its batches and their lines, and the accounting it reports.

/// A stored file.
struct SimFile: Sendable {
    let id: String
    let filename: String
    let purpose: String
    let createdAt: Int
    var bytes: [UInt8]
}

/// A batch and its progress.
struct SimBatch: Sendable {
    let id: String
    /// `/v1/chat/completions` or `/v1/responses`.
    let endpoint: String
    let inputFileID: String
    let completionWindow: String
    let metadata: [String: String]
    let createdAt: Int
    let expiresAt: Int
    let expiresAtDate: Date
    var status = BatchStatus.validating
    var inProgressAt: Int?
    var finalizingAt: Int?
    var completedAt: Int?
    var failedAt: Int?
    var expiredAt: Int?
    var cancellingAt: Int?
    var cancelledAt: Int?
    var total = 0
    var completed = 0
    var failed = 0
    var errors: [ValidationIssue] = []
    var outputFileID: String?
    var errorFileID: String?
    /// Validated lines still to run, and the result lines so far.
    var pending: [ParsedLine] = []
    var outputLines: [Data] = []
    var errorLines: [Data] = []

    var isTerminal: Bool { status.isTerminal }
}

struct ParsedLine: Sendable {
    let customID: String
    let model: String
    let system: String
    let user: String
    /// Why the line fails when it runs (its error goes to the error file), if it does.
    var problem: RequestCheck.Problem?
}

/// Lines taken from a batch to answer, with the ids reserved for them: the answering runs off the
/// actor, so that several batches are answered on several cores.
struct AnswerWork: Sendable {
    let lines: [ParsedLine]
    let endpoint: String
    let stringBodies: Bool
    let tasks: [SimulatedTask]
    let instance: String
    /// Ids `firstID`, `firstID + 1`, … are reserved, two a line.
    let firstID: Int
    let created: Int

    /// The output lines, as the simulated models answer them, with their custom_ids.
    func outputLines() -> [(customID: String, line: Data)] {
        lines.enumerated().map { offset, line in
            let content = SimulatedModels.answer(model: line.model, system: line.system, user: line.user, tasks: tasks)
            let bodyID = SimulatorState.id(endpoint == "/v1/responses" ? "resp_" : "chatcmpl-", instance: instance, firstID + 2 * offset + 1)
            var body = endpoint == "/v1/responses"
                ? [UInt8](WireJSON.response(id: bodyID, model: line.model, system: line.system, user: line.user, content: content, created: created))
                : WireJSON.chatCompletion(id: bodyID, model: line.model, system: line.system, user: line.user, content: content, created: created)
            if stringBodies { body = [UInt8](WireEncoder.data(String(decoding: body, as: UTF8.self))) }
            return (line.customID, WireJSON.outputLine(id: SimulatorState.id("batch_req_", instance: instance, firstID + 2 * offset),
                                                       customID: line.customID, completion: body))
        }
    }
}

/// What the simulator has answered: the evidence that no request was answered twice.
public struct SimulatorStats: Sendable, Equatable, Encodable {
    public var batchesCreated = 0
    public var liveBatches = 0
    public var linesAnswered = 0
    public var chatCompletions = 0
    /// Batch listings asked for (a client looking for batches it may have created).
    public var batchListings = 0
    /// (run, custom_id) pairs answered successfully more than once.
    public var answeredTwice: [String] = []
    public var injectedLineFailures = 0
    public var injectedHTTPErrors = 0
    public var injectedMalformedLines = 0
    public var injectedDownloadCuts = 0
    /// Said in every stats answer: these are a simulator's numbers.
    public let simulated = true

    enum CodingKeys: String, CodingKey {
        case batchesCreated = "batches_created", liveBatches = "live_batches", linesAnswered = "lines_answered"
        case chatCompletions = "chat_completions", batchListings = "batch_listings", answeredTwice = "answered_twice"
        case injectedLineFailures = "injected_line_failures", injectedHTTPErrors = "injected_http_errors"
        case injectedMalformedLines = "injected_malformed_lines", injectedDownloadCuts = "injected_download_cuts", simulated
    }
}
