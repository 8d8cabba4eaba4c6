import ArgumentParser
import BatchAPI
import Foundation
import JudgeCore
import Pipeline
import Simulator

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
    @Flag(help: "Print plain progress lines instead of the dashboard (automatic when stdout is not a terminal).")
    var headless = false
    @Option(help: "Write the report as JSON to this file.")
    var reportJSON: String?
    @Option(help: "Where runs are stored. Default: $JUDGETOP_HOME, else $XDG_DATA_HOME/judgetop, else ~/.local/share/judgetop.")
    var runsDir: String?
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
    @Option(help: "Most requests in one batch file.")
    var batchMaxLines = 50_000
    @Option(help: "Largest batch file in bytes (kluster.ai: 100 MB, OpenAI: 200 MB).")
    var batchMaxBytes = 100_000_000

    func run() async throws {
        let rows = try loadRows()
        guard mode == "batch" else { throw CommandFailure.input("--mode \(mode) is not available yet; use --mode batch") }
        guard maxAttempts >= 1, batchMaxLines >= 1, batchMaxBytes >= 1024 else {
            throw CommandFailure.input("--max-attempts and --batch-max-lines must be at least 1, --batch-max-bytes at least 1024")
        }
        if let labeled, labeled < 0 { throw CommandFailure.input("--labeled must be 0 or more (got \(labeled))") }
        if let labeledFraction, !(0...1).contains(labeledFraction) {
            throw CommandFailure.input("--labeled-fraction must be between 0 and 1 (got \(labeledFraction))")
        }
        let choice = try ProviderChoice.resolve(provider: provider, baseURL: baseURL, apiKeyEnv: apiKeyEnv)
        let printer = HeadlessPrinter()

        var simulator: EmbeddedSimulator?
        let endpoint: String
        let key: String
        if choice.isSimulator {
            var options = SimulatorOptions()
            let simKey = "sim-" + UUID().uuidString
            options.requiredAPIKey = simKey
            simulator = try await EmbeddedSimulator.start(options: options)
            endpoint = simulator!.baseURL
            key = simKey
            Console.out("judgetop: no provider named and no API key set: using the embedded simulator at \(endpoint)")
            Console.out("judgetop: " + Report.simulatedNote)
        } else {
            endpoint = choice.baseURL!
            key = try choice.apiKey()
        }
        let client = ProviderClient(baseURL: endpoint, apiKey: key) { notice in
            printer.handle(.providerRetry(operation: notice.operation, attempt: notice.attempt,
                                          delaySeconds: notice.delaySeconds, reason: notice.error.description))
        }

        let code = await execute(rows: rows, choice: choice, endpoint: endpoint, key: key, client: client, printer: printer)
        await client.shutdown()
        await simulator?.stop()
        if let code { throw code }
    }

    /// Runs the evaluation; returns the failure to exit with, if any.
    private func execute(rows: [MovieRow], choice: ProviderChoice, endpoint: String, key: String,
                         client: ProviderClient, printer: HeadlessPrinter) async -> CommandFailure? {
        // First contact before anything is written: a wrong key or a dead URL costs nothing.
        let probe = ProviderClient(baseURL: endpoint, apiKey: key, retry: .quick, connectTimeout: 3, requestTimeout: 20)
        do {
            _ = try await probe.listBatches(limit: 1)
            await probe.shutdown()
        } catch {
            await probe.shutdown()
            return .run("\(error); nothing was started or stored")
        }

        let task = EvalTask(baseModel: baseModel, judgeModel: judgeModel)
        let config = RunConfig(provider: choice.name, baseURL: choice.isSimulator ? "embedded simulator" : endpoint,
                               apiKeyEnv: choice.apiKeyEnv, simulated: choice.isSimulator, task: task,
                               dataset: datasetName, limit: limit, maxAttempts: maxAttempts,
                               maxLinesPerBatch: batchMaxLines, maxBytesPerBatch: batchMaxBytes,
                               labelPlan: LabelPlan(count: labeled, fraction: labeledFraction, seed: labelSeed))
        let store: RunStore
        do {
            store = try RunStore(directory: RunsDirectory.resolve(explicit: runsDir))
            try store.createRun(config, rows: rows)
        } catch {
            return .input("cannot open the run store: \(error)")
        }
        let engine = Engine(config: config, store: store, client: client, emit: { printer.handle($0) })
        do {
            let report = try await engine.run()
            Console.out("")
            Console.out(report.text())
            if let reportJSON { try ReportFile.write(report, to: reportJSON) }
            Console.out("\nstored in \(store.path) as run \(config.runID)")
            return nil
        } catch let error as CommandFailure {
            return error
        } catch {
            return .run("run \(config.runID) failed: \(error)\nWhat was answered is stored in \(store.path).")
        }
    }

    private var datasetName: String { dataset ?? "bundled IMDB top-1000" }

    private func loadRows() throws -> [MovieRow] {
        if let limit, limit < 1 { throw CommandFailure.input("--limit must be at least 1 (got \(limit))") }
        do {
            let loaded = try dataset.map { try Dataset.load(contentsOf: URL(fileURLWithPath: $0)) } ?? Dataset.bundled()
            return limit.map { Array(loaded.rows.prefix($0)) } ?? loaded.rows
        } catch let error as DatasetError {
            throw CommandFailure.input(error.description)
        }
    }
}

/// Writes report.json whole or not at all: a temporary file renamed into place.
enum ReportFile {
    static func write(_ report: Report, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        do {
            try report.jsonData().write(to: temporary)
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            throw CommandFailure.input("cannot write the report to \(path): \(error.localizedDescription)")
        }
    }
}
