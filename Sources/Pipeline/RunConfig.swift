import Foundation
import JudgeCore

/// Everything that defines a run, stored with it so that it can be reported and resumed.
/// The API key is deliberately absent: only the name of the variable that holds it.
public struct RunConfig: Sendable, Codable, Equatable {
    public var runID: String
    public var createdAt: Date
    public var provider: ProviderKind
    public var baseURL: String
    public var apiKeyEnv: String?
    public var simulated: Bool
    public var mode: RunMode
    public var baseModel: String
    public var judgeModel: String
    public var temperature: Double
    public var dataset: String
    public var limit: Int?
    public var maxAttempts: Int
    public var maxLinesPerBatch: Int
    public var maxBytesPerBatch: Int
    public var completionWindow: String
    /// Rows per batch: the judge batch of a chunk starts as soon as the chunk's base answers are in.
    public var chunkSize: Int
    /// Online mode: the most requests in flight, and each request's timeout in seconds.
    public var concurrency: Int
    public var requestTimeout: Double
    /// Prices for the cost figures; stored with the run so that a later report prices it the same way.
    public var prices: PriceTable?
    /// Which items may use their truth for the corrected accuracy estimates.
    public var labelPlan: LabelPlan
    /// Which labels feed the corrected estimates (`--labels`); nil: the truth when the task can
    /// score against it, people's labels otherwise.
    public var labelSource: LabelSource?
    /// The task, whole (nil in runs stored before tasks existed: the tutorial's). `baseModel` and
    /// `judgeModel` above are the models actually used, the task's or the command line's.
    public var taskSpec: TaskSpec?

    public init(runID: String = RunConfig.newRunID(), createdAt: Date = Date(), provider: ProviderKind, baseURL: String,
                apiKeyEnv: String?, simulated: Bool, mode: RunMode = .batch, task: EvalTask, dataset: String,
                limit: Int?, maxAttempts: Int = 3, maxLinesPerBatch: Int = 50_000,
                maxBytesPerBatch: Int = 100_000_000, completionWindow: String = "24h", chunkSize: Int = 10_000, concurrency: Int = 16, requestTimeout: Double = 120,
                prices: PriceTable? = nil, labelPlan: LabelPlan = LabelPlan()) {
        self.runID = runID
        self.createdAt = createdAt
        self.provider = provider
        self.baseURL = baseURL
        self.apiKeyEnv = apiKeyEnv
        self.simulated = simulated
        self.mode = mode
        self.baseModel = task.baseModel
        self.judgeModel = task.judgeModel
        self.temperature = task.spec.base.temperature
        self.taskSpec = task.spec
        self.dataset = dataset
        self.limit = limit
        self.maxAttempts = maxAttempts
        self.maxLinesPerBatch = maxLinesPerBatch
        self.maxBytesPerBatch = maxBytesPerBatch
        self.completionWindow = completionWindow
        self.chunkSize = chunkSize
        self.concurrency = concurrency
        self.requestTimeout = requestTimeout
        self.prices = prices
        self.labelPlan = labelPlan
    }

    /// The same evaluation: provider, endpoint, task, models, dataset and rows (ids and times aside).
    public func sameSettings(as other: RunConfig) -> Bool {
        (provider, baseURL, baseModel, judgeModel, dataset, mode) == (other.provider, other.baseURL, other.baseModel,
                                                                      other.judgeModel, other.dataset, other.mode)
            && limit == other.limit && spec.sameEvaluation(as: other.spec)
    }

    /// The run's task as stored (the tutorial's for runs from before tasks existed).
    public var spec: TaskSpec { taskSpec ?? TaskFile.tutorial.spec }

    /// The run's task, compiled, with the run's models. The store checks that a stored task
    /// compiles when it reads the run (`checkedTask`), so this cannot fail for a run it returned.
    public var task: EvalTask {
        do { return try checkedTask() } catch { preconditionFailure("run \(runID): its stored task does not compile: \(error)") }
    }

    public func checkedTask() throws(TaskError) -> EvalTask {
        try EvalTask.compiled(spec, baseModel: baseModel, judgeModel: judgeModel)
    }

    /// The words reports use for this run's task.
    public var vocabulary: Vocabulary { Vocabulary(task: spec.name) }

    /// Sortable and readable: UTC time of creation plus a random suffix.
    public static func newRunID(now: Date = Date()) -> String {
        let time = now.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateSeparator(.omitted)
                                    .time(includingFractionalSeconds: false).timeSeparator(.omitted))
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return time.replacingOccurrences(of: "T", with: "-").replacingOccurrences(of: "Z", with: "")
            + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }

    public static func customID(_ stage: Stage, _ index: Int) -> String { "\(stage.rawValue)-\(index)" }

    /// How this run cuts its batches.
    public var planLimits: PlanLimits {
        PlanLimits(maxAttempts: maxAttempts, chunkSize: max(1, min(chunkSize, maxLinesPerBatch)))
    }

    /// The request a custom_id names, if it is one judgetop writes: exactly `customID(stage, index)`,
    /// so no sign, leading zero or space.
    public static func request(named customID: String) -> (stage: Stage, index: Int)? {
        guard let dash = customID.lastIndex(of: "-"), let stage = Stage(rawValue: String(customID[..<dash])) else { return nil }
        let digits = customID[customID.index(after: dash)...]
        guard (1...18).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0" || digits.count == 1,
              let index = Int(digits) else { return nil }
        return (stage, index)
    }

}

/// Where runs live: `--runs-dir`, else `JUDGETOP_HOME`, else `$XDG_DATA_HOME/judgetop`, else `~/.local/share/judgetop`.
public enum RunsDirectory {
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let home = environment["JUDGETOP_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("judgetop") }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/judgetop")
    }
}
