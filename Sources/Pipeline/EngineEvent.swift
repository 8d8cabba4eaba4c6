import BatchAPI
import JudgeCore

/// What the engine reports as it runs; every front end (headless lines, dashboard) reads this stream.
public enum EngineEvent: Sendable {
    case runStarted(runID: String, rows: Int, simulated: Bool)
    case stageStarted(Stage, requests: Int)
    case batchCreated(Stage, batchID: String, requests: Int, attempt: Int)
    case batchProgress(Stage, batchID: String, status: BatchStatus, completed: Int, failed: Int, total: Int)
    case answersStored(Stage, batchID: String, stored: Int, failed: Int)
    case retryScheduled(Stage, requests: Int, attempt: Int)
    case providerRetry(operation: String, attempt: Int, delaySeconds: Double, reason: String)
    case warning(String)
    case stageFinished(Stage, answered: Int, failed: Int)
    /// Online mode, about once a second.
    case onlineProgress(OnlineProgress)
    /// Tokens stored so far per stage, and their cost when the run has prices (both modes).
    case usage([Stage: TokenCount], cost: CostBreakdown?)
    case runFinished(Report)
}
