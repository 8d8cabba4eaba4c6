import ArgumentParser
import Foundation
import JudgeCore
import Pipeline

/// `judgetop run`: one evaluation, end to end.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run an evaluation (the default command).")

    @Option(help: "sim, kluster or openai. Default: kluster or openai when their key is set, else the embedded simulator.")
    var provider: String?
    @Option(help: "Any OpenAI-compatible base URL, e.g. http://localhost:8000/v1.")
    var baseURL: String?
    @Option(help: "Name of the environment variable holding the API key (never the key itself).")
    var apiKeyEnv: String?
    @Option(help: "The model under evaluation.")
    var baseModel = EvalTask.defaultBaseModel
    @Option(help: "The judge model.")
    var judgeModel = EvalTask.defaultJudgeModel
    @Option(help: "batch (Files + Batches API).")
    var mode = "batch"
    @Option(help: "A CSV with the columns Series_Title, Overview and Genre. Default: the bundled IMDB top-1000.")
    var dataset: String?
    @Option(help: "Evaluate only the first N rows.")
    var limit: Int?
    @Flag(help: "Print plain progress lines (the only front end so far; automatic when stdout is not a terminal).")
    var headless = false
    @Option(help: "Write the report as JSON to this file.")
    var reportJSON: String?
    @OptionGroup var storage: StorageOptions
    @Option(help: "Dashboard theme name (from themes/).")
    var theme: String?
    @Option(help: "How many items may use their truth for the corrected accuracy estimates (a seeded random subset).")
    var labeled: Int?
    @Option(help: "The same as a share of the items (default 0.1 when the dataset has truth).")
    var labeledFraction: Double?
    @Option(help: "Seed of the labelled subset.")
    var labelSeed: UInt64 = LabelPlan.defaultSeed
    @Option(help: "Attempts per request before it counts as failed.")
    var maxAttempts = 3
    @Option(help: "Rows per batch; the judge batch of a chunk starts as soon as its base answers are in.")
    var chunkSize = 10_000
    @Option(help: "Most requests in one batch file (OpenAI: 50,000).")
    var batchMaxLines = 50_000
    @Option(help: "Largest batch file in bytes (kluster.ai: 100 MB, OpenAI: 200 MB).")
    var batchMaxBytes = 100_000_000
    @Flag(help: "Start a new run even when an unfinished run has the same settings.")
    var new = false

    func run() async throws {
        try validateNumbers()
        guard mode == "batch" else { throw CommandFailure.input("--mode \(mode) is not available yet; use --mode batch") }
        let rows = try loadRows()
        let choice = try ProviderChoice.resolve(provider: provider, baseURL: baseURL, apiKeyEnv: apiKeyEnv)
        let task = EvalTask(baseModel: baseModel, judgeModel: judgeModel)
        var config = RunConfig(provider: choice.name, baseURL: choice.baseURL ?? Connection.embeddedName,
                               apiKeyEnv: choice.apiKeyEnv, simulated: choice.isSimulator, task: task,
                               dataset: dataset ?? "bundled IMDB top-1000", limit: limit, maxAttempts: maxAttempts,
                               maxLinesPerBatch: batchMaxLines, maxBytesPerBatch: batchMaxBytes, chunkSize: chunkSize,
                               labelPlan: LabelPlan(count: labeled, fraction: labeledFraction, seed: labelSeed))
        let directory = storage.directory
        if !new, FileManager.default.fileExists(atPath: directory.appendingPathComponent("judgetop.sqlite").path) {
            let existing = try storage.open()
            if let unfinished = try existing.listRuns().first(where: { ["running", "interrupted"].contains($0.status) && $0.config.sameSettings(as: config) }) {
                throw CommandFailure.input("""
                    run \(unfinished.config.runID) has these settings and is unfinished (\(unfinished.status)).
                    `judgetop resume \(unfinished.config.runID)` continues it without paying twice; pass --new to start over anyway.
                    """)
            }
        }
        let printer = HeadlessPrinter()
        let connection = try await Connection.open(baseURL: choice.baseURL, apiKeyEnv: choice.apiKeyEnv,
                                                   providerName: choice.name, printer: printer)
        let store: RunStore
        do {
            store = try storage.open()
            config.createdAt = Date()
            try store.createRun(config, rows: rows)
        } catch {
            await connection.close()
            throw CommandFailure.input("cannot write the run store in \(directory.path): \(error)")
        }
        try await Session(store: store, config: config, connection: connection, printer: printer, reportJSON: reportJSON).execute()
    }

    private func validateNumbers() throws {
        if let limit, limit < 1 { throw CommandFailure.input("--limit must be at least 1 (got \(limit))") }
        if let labeled, labeled < 0 { throw CommandFailure.input("--labeled must be 0 or more (got \(labeled))") }
        if let labeledFraction, !(0...1).contains(labeledFraction) {
            throw CommandFailure.input("--labeled-fraction must be between 0 and 1 (got \(labeledFraction))")
        }
        guard maxAttempts >= 1, chunkSize >= 1, batchMaxLines >= 1, batchMaxBytes >= 1024 else {
            throw CommandFailure.input("--max-attempts, --chunk-size and --batch-max-lines must be at least 1, --batch-max-bytes at least 1024")
        }
    }

    private func loadRows() throws -> [MovieRow] {
        do {
            let loaded = try dataset.map { try Dataset.load(contentsOf: URL(fileURLWithPath: $0)) } ?? Dataset.bundled()
            return limit.map { Array(loaded.rows.prefix($0)) } ?? loaded.rows
        } catch let error as DatasetError {
            throw CommandFailure.input(error.description)
        }
    }
}

/// Where runs are stored, for every command that reads or writes them.
struct StorageOptions: ParsableArguments {
    @Option(help: "Where runs are stored. Default: $JUDGETOP_HOME, else $XDG_DATA_HOME/judgetop, else ~/.local/share/judgetop.")
    var runsDir: String?

    var directory: URL { RunsDirectory.resolve(explicit: runsDir) }

    func open() throws -> RunStore { try RunStore(directory: directory) }

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
