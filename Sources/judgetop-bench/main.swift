import BatchAPI
import Dashboard
import Foundation
import JudgeCore
import Pipeline
import RunControl

// In-process benchmarks of judgetop's hot paths, each timed several times; prints one line per figure:
// median, min and max. Benchmarks/run.sh puts these lines into its table.
//   judgetop-bench [--runs N] [--quick]
// --quick shrinks every size a hundredfold (the test suite's smoke test uses it); --only TEXT times
// only the figures whose label contains TEXT (for profiling one of them).
let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
let runs = arguments.firstIndex(of: "--runs").flatMap { arguments.index(after: $0) < arguments.endIndex ? Int(arguments[arguments.index(after: $0)]) : nil } ?? 5
let only = arguments.firstIndex(of: "--only").flatMap { arguments.index(after: $0) < arguments.endIndex ? arguments[arguments.index(after: $0)] : nil }
let lines = quick ? 1_000 : 100_000
let movies = try Dataset.bundled().rows
let task = EvalTask.tutorial()

func row(_ i: Int) -> Item {
    let movie = movies[i % movies.count]
    return Item(index: i, title: "\(movie.title) (copy \(i / movies.count))", fields: movie.fields, truth: movie.truth)
}

func padded(_ text: String) -> String { text + String(repeating: " ", count: max(0, 52 - text.count)) }

func milliseconds(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

/// Times `body` `count` times (after one warm-up), each on a fresh `prepare()` that is not timed, and
/// prints median, min and max.
func report<State>(_ label: String, unit: String = "ms", count: Int = runs, prepare: () throws -> State,
                   _ body: (State) throws -> Void) rethrows {
    guard only.map({ label.contains($0) }) ?? true else { return }
    try body(try prepare())
    var times: [Double] = []
    for _ in 0..<count {
        let state = try prepare()
        times.append(milliseconds(try ContinuousClock().measure { try body(state) }))
    }
    times.sort()
    print(padded(label) + String(format: " %10.3f %10.3f %10.3f  ", times[times.count / 2], times[0], times[times.count - 1]) + unit)
}

func report(_ label: String, unit: String = "ms", count: Int = runs, _ body: () throws -> Void) rethrows {
    try report(label, unit: unit, count: count, prepare: {}, { _ in try body() })
}

print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; in-process; median, min, max of \(runs) runs after a warm-up")
print(padded("figure") + " " + ["median", "min", "max"].map { String(repeating: " ", count: 10 - $0.count) + $0 }.joined(separator: " "))

// JSONL request lines, built as the engine builds a batch file: the judge's are the long ones (a 2 KB
// system prompt each).
let rows = (0..<lines).map(row)
/// Bytes built, printed at the end so that no timed work is optimised away.
var built = 0
/// Counts a file, then makes its pieces as an upload takes them.
func send(_ file: BatchFile) -> Int {
    var pieces = file.streamed.pieces()
    var sent = 0
    while let piece = pieces.next() { sent += piece.readableBytes }
    return sent + file.byteCount
}
report("build \(lines) base request lines (JSONL)") { built += send(BatchFile(rows, stage: .base) { task.basePrompt(for: $0) }) }
report("build \(lines) judge request lines (JSONL)") {
    built += send(BatchFile(rows, stage: .judge) { task.judgePrompt(for: $0, baseAnswer: "Drama") })
}

// Output lines as providers write them.
func outputLine(_ i: Int, stage: String, content: String) -> [UInt8] {
    Array(#"""
    {"id":"batch_req_\#(i)","custom_id":"\#(stage)-\#(i)","response":{"status_code":200,"request_id":"req_\#(i)","body":{"id":"chatcmpl-\#(i)","object":"chat.completion","created":1764374400,"model":"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo","choices":[{"index":0,"message":{"role":"assistant","content":"\#(content)","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":136,"completion_tokens":1,"total_tokens":137}}},"error":null}
    """#.utf8)
}
let outputs = (0..<lines).map { outputLine($0, stage: "base", content: "Drama") }
let parsed = try outputs.map { try BatchOutput.parse($0) }
try report("parse \(lines) output lines") { built += try outputs.map { try BatchOutput.parse($0) }.count }

// Storing a batch's answers: one SQLite transaction, as the engine does it.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("judgetop-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: folder) }
var stored = 0
func freshRun(rows stored: [Item]? = nil) throws -> (RunStore, RunConfig) {
    try? FileManager.default.removeItem(at: folder)
    let store = try RunStore(directory: folder)
    let config = RunConfig(provider: .sim, baseURL: "http://localhost", apiKeyEnv: nil, simulated: true, task: task,
                           dataset: "bench", limit: nil)
    if let stored { try store.createRun(config, rows: stored) }
    return (store, config)
}
/// A batch's lines in the order a provider may send them: any order (the simulator's default, seeded).
func providerOrder(_ indices: [Int]) -> [Int] {
    var generator = SeededGenerator(seed: UInt64(indices.first ?? 0))
    return indices.shuffled(using: &generator)
}
// Batches of 10,000 requests, one transaction each, as in a run.
let batchSize = min(10_000, lines)
let limits = PlanLimits(maxAttempts: 3, chunkSize: batchSize)
try report("store \(lines) dataset rows with their base batches (SQLite)", prepare: { try freshRun() }) { store, config in
    try store.createRun(config, rows: rows, planning: limits)
}
// The planner (retries, resumed runs): every pending request of a stage.
try report("plan \(lines) pending requests into batches of \(batchSize) (SQLite)", prepare: { try freshRun(rows: rows) }) { store, config in
    _ = try store.plan(run: config.runID, stage: .base, maxAttempts: 3, chunkSize: batchSize)
}
try report("store \(lines) answers, a transaction per \(batchSize), judge batches planned (SQLite)",
           prepare: { () -> (RunStore, RunConfig, [Submission]) in
    let (store, config) = try freshRun()
    try store.createRun(config, rows: rows, planning: limits)
    return (store, config, try store.liveSubmissions(run: config.runID))
}) { store, config, submissions in
    stored = 0
    for submission in submissions {
        stored += try store.storeResults(run: config.runID, submission: submission, lines: providerOrder(submission.indices).map { parsed[$0] },
                                         model: config.baseModel, judgeLimits: limits).stored
    }
}
guard stored == lines || only != nil else { fatalError("stored \(stored) answers of \(lines)") }

// A live run's dashboard refresh: every stored row with its answers, read and made into table rows,
// and the report (paced to at most a fifth of a core, so this bounds how often a large run refreshes).
let judged = try (0..<lines).map { try BatchOutput.parse(outputLine($0, stage: "judge", content: $0 % 4 == 0 ? "Comedy,Incorrect" : "Drama,Correct")) }
try report("dashboard refresh from the store, \(lines) rows (rows, report, judges)", prepare: { () -> (RunStore, RunConfig) in
    let (store, config) = try freshRun()
    try store.createRun(config, rows: rows, planning: limits)
    for submission in try store.liveSubmissions(run: config.runID) {
        for judge in try store.storeResults(run: config.runID, submission: submission, lines: submission.indices.map { parsed[$0] },
                                            model: config.baseModel, judgeLimits: limits).judgeBatches {
            _ = try store.storeResults(run: config.runID, submission: judge, lines: judge.indices.map { judged[$0] }, model: config.judgeModel)
        }
    }
    return (store, config)
}) { store, config in built += try ReadModel.read(run: config.runID, in: store).rows.count }

// Reading a dataset file.
var csv = "Series_Title,Overview,Genre\n"
for r in rows { csv += "\"\(r.title.replacingOccurrences(of: "\"", with: "\"\""))\",\"\(r.text.replacingOccurrences(of: "\"", with: "\"\""))\",\"\(r.truth.joined(separator: ", "))\"\n" }
let csvBytes = Array(csv.utf8)
try report("read \(lines) dataset rows (CSV)") { built += try Dataset.parse(bytes: csvBytes, source: "bench.csv").rows.count }

// The report: every metric, the judge's trust and its bootstraps, over every row (the dashboard
// recomputes it at each refresh of a live run). Answers vary like a real run's: a wrong base answer
// every third row, a judge that disagrees with the truth every fifth.
let outcomes = (0..<lines).map { i -> RowOutcome in
    let movie = movies[i % movies.count]
    let base = i % 3 == 0 ? Genres.all[i % Genres.all.count] : movie.truth.first ?? "Drama"
    let verdict = (movie.truth.contains(base) != (i % 5 == 0)) ? "Correct" : "Incorrect"
    return RowOutcome(row: row(i), baseAnswer: base, judgeAnswer: "\(movie.truth.first ?? "Drama"),\(verdict)")
}
let identity = RunIdentity(runID: "bench", provider: .sim, baseURL: "http://localhost", baseModel: task.baseModel,
                           judgeModel: task.judgeModel, mode: .batch, dataset: "bench", simulated: true, status: .done)
report("report on \(lines) rows (metrics, judge trust, bootstraps)") {
    built += Report(identity: identity, outcomes: outcomes, tokens: [:]).metrics.rows
}

// Dashboard frames: only the visible rows are drawn, so a frame should not grow with the row count.
for count in quick ? [1_000, 10_000] : [1_000, 1_000_000] {
    let views = (0..<count).map { i -> RowView in
        let movie = movies[i % movies.count]
        return RowView(outcome: RowOutcome(row: row(i), baseAnswer: movie.truth.first, judgeAnswer: "Drama,\(i % 3 == 0 ? "Incorrect" : "Correct")"))
    }
    var state = ViewState()
    _ = reduce(&state, .resize(width: 140, height: 45))
    report("load \(count) rows into the dashboard") { var copy = state; _ = reduce(&copy, .rows(views, nil)) }
    _ = reduce(&state, .rows(views, nil))
    var step = 0
    report("dashboard key + frame 140×45, \(count) rows", count: 200) {
        step += 1
        _ = reduce(&state, .key(step % 20 == 0 ? .pageDown : .down))
        _ = Renderer.render(state, theme: Theme.fallback)
    }
}
FileHandle.standardError.write(Data("(\(built) bytes and rows built in all)\n".utf8))
