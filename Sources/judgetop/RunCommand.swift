import ArgumentParser
import Foundation
import JudgeCore
import Pipeline

/// `judgetop run`: one evaluation, end to end.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run an evaluation (the default command).")

    @Option(help: "sim, kluster, openai, or custom (with --base-url). Default: kluster or openai when their key is set, else the embedded simulator.")
    var provider: ProviderKind?
    @Option(help: "Any OpenAI-compatible base URL, e.g. http://localhost:8000/v1.")
    var baseURL: String?
    @Option(help: "Name of the environment variable holding the API key (never the key itself).")
    var apiKeyEnv: String?
    @Option(help: "A task file (YAML; docs/tasks.md), or a bundled task's name (`judgetop tasks`). Default: imdb-genres, the tutorial.")
    var task: String?
    @Option(help: "The model under evaluation, instead of the task's.")
    var baseModel: String?
    @Option(help: "The judge model, instead of the task's.")
    var judgeModel: String?
    @Option(help: "batch (Files + Batches API) or online (concurrent chat completions, for endpoints without a Batch API).")
    var mode = RunMode.batch
    @Option(parsing: .unconditional, help: "Online mode: the most requests in flight (lowered on 429s, raised again as they pass).")
    var concurrency = 16
    @Option(parsing: .unconditional, help: "Online mode: seconds before one request times out.")
    var requestTimeout = 120.0
    @Option(help: "A price table (JSON; see prices.example.json) for cost figures and --estimate.")
    var prices: String?
    @Flag(help: "Print the estimated tokens (and cost, with --prices) of this run, then exit without running it.")
    var estimate = false
    @Option(help: "A CSV or JSONL file with the columns the task reads, instead of the task's dataset.")
    var dataset: String?
    @Option(parsing: .unconditional, help: "Evaluate only the first N rows.")
    var limit: Int?
    @OptionGroup var output: OutputOptions
    @OptionGroup var storage: StorageOptions
    @Option(help: "Dashboard theme: dark (default), light, high-contrast, mono (default when NO_COLOR is set), or a .theme file.")
    var theme: String?
    @Option(parsing: .unconditional, help: "How many items the seeded random sample holds: labelled by their truth or by people (L in the dashboard) for the corrected accuracy estimates. Default: the task's sample, else 10%.")
    var labeled: Int?
    @Option(parsing: .unconditional, help: "The same as a share of the items.")
    var labeledFraction: Double?
    @Option(parsing: .unconditional, help: "Seed of the sample (default: the task's, else \(LabelPlan.defaultSeed)).")
    var labelSeed: UInt64?
    @Option(help: "Which labels feed the corrected estimates: truth (the dataset's; the default when it has truth) or human (people's).")
    var labels: LabelSource?
    @Option(parsing: .unconditional, help: "Attempts per request before it counts as failed.")
    var maxAttempts = 3
    @Option(parsing: .unconditional, help: "Rows per batch; the judge batch of a chunk starts as soon as its base answers are in.")
    var chunkSize = 10_000
    @Option(parsing: .unconditional, help: "Most requests in one batch file (OpenAI: 50,000).")
    var batchMaxLines = 50_000
    @Option(parsing: .unconditional, help: "Largest batch file in bytes (kluster.ai: 100 MB, OpenAI: 200 MB).")
    var batchMaxBytes = 100_000_000
    @Flag(help: "Start a new run even when an unfinished run has the same settings.")
    var new = false

    func run() async throws {
        try validateNumbers()
        let priceTable: PriceTable?
        do { priceTable = try prices.map(PriceTable.load) } catch let error as PriceTableError {
            throw CommandFailure.input(error.description)
        }
        let chosen = try TaskChoice(task: task, dataset: dataset, baseModel: baseModel, judgeModel: judgeModel)
        // The file and its header are checked now; its rows are read a chunk at a time as they are
        // stored. Optional so that the file (mapped: a million rows are some 200 MB) is let go then.
        var reader: DatasetReader? = try chosen.openDataset()
        if estimate {
            var rows: [Item] = []
            try readChunks(of: &reader!, size: 100_000, chosen) { rows += $0 }
            printEstimate(rows: rows, task: chosen.task, prices: priceTable)
            return
        }
        let choice = try ProviderChoice.resolve(provider: provider, baseURL: baseURL, apiKeyEnv: apiKeyEnv)
        var config = RunConfig(provider: choice.kind, baseURL: choice.baseURL ?? Connection.embeddedName,
                               apiKeyEnv: choice.apiKeyEnv, simulated: choice.isSimulator, mode: mode, task: chosen.task,
                               dataset: chosen.datasetName, limit: limit, maxAttempts: maxAttempts, maxLinesPerBatch: batchMaxLines, maxBytesPerBatch: batchMaxBytes, chunkSize: chunkSize,
                               concurrency: concurrency, requestTimeout: requestTimeout, prices: priceTable,
                               labelPlan: labelPlan(task: chosen.task.spec))
        config.labelSource = try checkedSource(labels, spec: chosen.task.spec)
        let directory = storage.directory
        if !new, FileManager.default.fileExists(atPath: directory.appendingPathComponent("judgetop.sqlite").path) {
            let existing = try storage.open()
            if let unfinished = try existing.listRuns().first(where: { [.running, .interrupted].contains($0.status) && $0.config.sameSettings(as: config) }) {
                throw CommandFailure.input("""
                    run \(unfinished.config.runID) has these settings and is unfinished (\(unfinished.status.rawValue)).
                    `judgetop resume \(unfinished.config.runID)` continues it without paying twice; pass --new to start over anyway.
                    """)
            }
        }
        let frontEnd = try FrontEnd(output: output, theme: theme, runsDirectory: directory)
        let connection = try await Connection.open(baseURL: choice.baseURL, apiKeyEnv: choice.apiKeyEnv,
                                                   provider: choice.kind, requestTimeout: requestTimeout,
                                                   connections: mode == .online ? concurrency : 8, printer: frontEnd.printer,
                                                   simulated: choice.isSimulator ? try chosen.simulated() : [])
        let store: RunStore
        do {
            store = try storage.open()
            config.createdAt = Date()
            // Batch runs are planned with their rows; the online driver takes requests one by one.
            try store.createRun(config, planning: config.mode == .batch ? config.planLimits : nil) { storeChunk in
                try readChunks(of: &reader!, size: config.planLimits.chunkSize, chosen, storeChunk)
            }
            reader = nil
            releaseFreedMemory()
        } catch let failure as CommandFailure {
            await connection.close()
            throw failure
        } catch {
            await connection.close()
            throw CommandFailure.input("cannot write the run store in \(directory.path): \(error)")
        }
        let lease: RunLease
        do { lease = try FrontEnd.claim(config.runID, in: store) } catch {
            await connection.close()
            throw error
        }
        try await frontEnd.run(store: store, config: config, connection: connection, lease: lease)
    }

    /// The command line's sample, else the task's, else 10% with the default seed.
    private func labelPlan(task: TaskSpec) -> LabelPlan {
        let given = labeled != nil || labeledFraction != nil
        return LabelPlan(count: given ? labeled : task.sample?.count, fraction: given ? labeledFraction : task.sample?.fraction,
                         seed: labelSeed ?? task.sample?.seed ?? LabelPlan.defaultSeed)
    }

    /// Every number checked before anything starts, each named with what it allows.
    private func validateNumbers() throws {
        func atLeast(_ name: String, _ value: Int?, _ minimum: Int) throws {
            if let value, value < minimum { throw CommandFailure.input("--\(name) must be at least \(minimum) (got \(value))") }
        }
        try atLeast("limit", limit, 1)
        try atLeast("labeled", labeled, 0)
        try atLeast("max-attempts", maxAttempts, 1)
        try atLeast("chunk-size", chunkSize, 1)
        try atLeast("batch-max-lines", batchMaxLines, 1)
        try atLeast("batch-max-bytes", batchMaxBytes, 1024)
        try atLeast("concurrency", concurrency, 1)
        if let labeledFraction, !(0...1).contains(labeledFraction) {
            throw CommandFailure.input("--labeled-fraction must be between 0 and 1 (got \(labeledFraction))")
        }
        guard requestTimeout > 0, requestTimeout <= Self.longestTimeout else {
            throw CommandFailure.input("--request-timeout must be above 0 and at most \(Int(Self.longestTimeout)) seconds (got \(requestTimeout))")
        }
    }

    /// A day: no chat completion takes longer, and the timeout must fit the HTTP client's clock.
    static let longestTimeout = 86_400.0

    private func printEstimate(rows: [Item], task: EvalTask, prices: PriceTable?) {
        let (baseModel, judgeModel) = (task.baseModel, task.judgeModel)
        let estimate = CostEstimate(rows: rows, task: task)
        Console.out("estimate for \(rows.count) rows in \(mode) mode (prompt tokens from the prompts' sizes at about 4 characters a token;")
        Console.out("completion tokens assume \(task.labels == nil ? "twenty-word" : "one-word") answers; judge prompts assume such a base answer):")
        for stage in Stage.allCases {
            let t = estimate.tokens[stage] ?? TokenCount()
            let model = stage == .base ? baseModel : judgeModel
            var line = "  \(stage.rawValue) (\(TerminalText.sanitize(model))): \(rows.count) requests, ~\(t.prompt) prompt + ~\(t.completion) completion tokens"
            if let prices {
                line += prices.cost(t, model: model, batch: mode == .batch).map { ", ~" + String(format: "%.4f", $0) + " " + prices.currency }
                    ?? ", no price for this model in the table"
            }
            Console.out(line)
        }
        if let prices {
            let cost = CostBreakdown(tokens: estimate.tokens, models: [.base: baseModel, .judge: judgeModel], prices: prices, batch: mode == .batch)
            Console.out("  total: ~" + String(format: "%.4f", cost.total) + " " + prices.currency + (mode == .batch ? " (batch discount applied)" : ""))
        } else {
            Console.out("  pass --prices FILE for a cost estimate (see prices.example.json)")
        }
    }

    /// Hands the dataset's rows to `body` a chunk at a time, up to `--limit`. A bad line is an
    /// input error naming the file and line.
    private func readChunks(of reader: inout DatasetReader, size: Int, _ chosen: TaskChoice, _ body: ([Item]) throws -> Void) throws {
        var remaining = limit ?? Int.max
        while remaining > 0 {
            let chunk: [Item]
            do { chunk = try reader.next(min(size, remaining)) } catch let error as DatasetError {
                throw chosen.failure(error)
            }
            if chunk.isEmpty { return }
            try body(chunk)
            remaining -= chunk.count
        }
    }
}

/// What a running evaluation prints and writes, for `run` and `resume`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print plain progress lines instead of the dashboard (automatic when stdout is not a terminal).")
    var headless = false
    @Option(help: "Write the report as JSON to this file (whole or not at all).")
    var reportJSON: String?
}

/// Where runs are stored, for every command that reads or writes them.
struct StorageOptions: ParsableArguments {
    @Option(help: "Where runs are stored. Default: $JUDGETOP_HOME, else $XDG_DATA_HOME/judgetop, else ~/.local/share/judgetop.")
    var runsDir: String?

    var directory: URL { RunsDirectory.resolve(explicit: runsDir) }

    func open() throws -> RunStore {
        do { return try RunStore(directory: directory) } catch let error as StoreOpenError {
            throw CommandFailure.input(error.description)
        }
    }

    /// The run a person named: its whole id, or a prefix only one run's id begins with.
    func runID(_ given: String, in store: RunStore) throws -> String {
        let matches = try store.runIDs(startingWith: given)
        if matches.contains(given) { return given }
        let shown = TerminalText.sanitize(given)
        switch matches.count {
        case 1: return matches[0]
        case 0: throw CommandFailure.input("no run \(shown) in \(directory.path); `judgetop runs` lists them")
        default:
            throw CommandFailure.input("\(shown) begins \(matches.count) run ids (\(matches.prefix(5).joined(separator: ", "))\(matches.count > 5 ? ", …" : "")); give more of the id")
        }
    }

    /// Opens an existing store; a missing one is an input error, not an empty store created by accident.
    func openExisting() throws -> RunStore {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("judgetop.sqlite").path) else {
            throw CommandFailure.input("no runs in \(directory.path) yet (use --runs-dir or JUDGETOP_HOME to point elsewhere)")
        }
        return try open()
    }
}

/// Writes report.json whole or not at all: a temporary file renamed into place.
enum ReportFile {
    static func write(_ report: Report, to path: String) throws {
        try write(report.jsonData(), to: path)
    }

    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        do {
            try data.write(to: temporary)
            // rename(2) replaces the old report atomically; no reader ever sees half a file.
            guard rename(temporary.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CommandFailure.input("cannot write the report to \(path): \(error.localizedDescription)")
        }
    }
}
