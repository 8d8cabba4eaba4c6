/// How the simulator behaves: its timing, and the faults it injects (none unless asked).
public struct SimulatorOptions: Sendable {
    /// Seconds a batch spends validating before it starts.
    public var validationSeconds = 1.0
    /// Requests each batch answers per second while in progress.
    public var requestsPerSecond = 100.0
    /// Seconds in finalizing, and in cancelling before cancelled.
    public var finalizeSeconds = 0.5
    public var cancelSeconds = 0.5
    /// Real seconds before an unfinished batch expires (providers: 24 h).
    public var expireAfterSeconds: Double = 86_400
    /// Complete batches as fast as possible (benchmarks).
    public var instant = false
    /// Keep output lines in input order; real providers do not promise it, so shuffled is the default.
    public var keepOutputOrder = false

    /// Share of batch lines that fail (HTTP 500 in the error file). Each request fails at most once,
    /// as a transient fault would, so that a retry answers it.
    public var lineFailureRate = 0.0
    /// Share of output lines written cut short (invalid JSON), as a provider's broken writer would.
    /// Each request's line is cut at most once, so that the follow-up batch answers it.
    public var malformedLineRate = 0.0
    /// The first download of each result file breaks off after this many bytes (the connection
    /// closes mid-body); the next download of it is whole.
    public var cutDownloadsAfterBytes: Int?
    /// Batches report absurd request counts (Int.max completed, negative failed), as a broken
    /// provider might.
    public var absurdCounts = false
    /// Share of API calls answered 429 (with Retry-After) or 5xx before doing anything. A 5xx on batch
    /// creation sometimes comes after the batch was created, as a lost response.
    public var http429Rate = 0.0
    public var http5xxRate = 0.0
    /// Chat completions: added latency, a token-bucket rate limit (requests per second, with a burst of
    /// one second's worth) answered with 429 + Retry-After and `x-ratelimit-*` headers, and a quota
    /// after which every call is a 429 `insufficient_quota` (no Retry-After: retrying cannot help).
    public var chatLatencyMs = 0.0
    public var chatRequestsPerSecond: Double?
    public var chatQuota: Int?
    /// Whose documented behaviour to follow where providers differ (completion windows, metadata).
    public var flavor = SimulatorFlavor.kluster
    /// The model names served; nil serves any name. Another name fails a batch line with
    /// `model_not_found` and a chat call with 404.
    public var models: [String]?
    /// The tasks whose requests get their own simulated models (`SimulatedTask`); any other request
    /// is answered by the tutorial's.
    public var tasks: [SimulatedTask] = []
    /// Write each output line's `body` as a string holding the JSON, as llama-stack's batch server does.
    public var stringBodies = false
    /// When set, only this bearer key is accepted; others get 401.
    public var requiredAPIKey: String?
    /// Largest upload accepted.
    public var maxFileBytes = 200 * 1024 * 1024
    public var seed: UInt64 = 42

    public init() {}

    /// Timing for tests: fast, but still passing through every state.
    public static var fast: SimulatorOptions {
        var o = SimulatorOptions()
        o.validationSeconds = 0.05
        o.requestsPerSecond = 20_000
        o.finalizeSeconds = 0.02
        o.cancelSeconds = 0.05
        return o
    }

    /// Effective delay, zero in instant mode.
    func seconds(_ value: Double) -> Double { instant ? 0 : value }
}

/// Where OpenAI's and kluster.ai's documented behaviour differ.
public enum SimulatorFlavor: String, Sendable, CaseIterable {
    case openai, kluster

    /// The `completion_window` values a batch may ask for.
    var completionWindows: [String] { self == .openai ? ["24h"] : ["24h", "48h", "72h"] }
}
