import ArgumentParser
import Dispatch
import Foundation
import JudgeCore
import Simulator

/// `judgetop serve-sim`: the simulator as a standalone OpenAI-compatible server.
struct ServeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-sim",
        abstract: "Serve the simulated OpenAI-compatible Files, Batches, Chat, Responses and Models API on loopback.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "Port (0 picks a free one).") var port = 8089
    @Flag(help: "Complete batches as fast as possible.") var instant = false
    @Flag(help: "Keep output lines in input order (real providers do not promise it).") var keepOrder = false
    @Option(parsing: .unconditional, help: "Seconds a batch spends validating.") var validationSeconds = 1.0
    @Option(parsing: .unconditional, help: "Requests answered per second per batch.") var requestsPerSecond = 100.0
    @Option(parsing: .unconditional, help: "Real seconds before an unfinished batch expires.") var expireAfter = 86_400.0
    @Option(parsing: .unconditional, help: "Share of batch lines that fail once with HTTP 500.") var failRate = 0.0
    @Option(parsing: .unconditional, help: "Share of batch output lines written cut short (invalid JSON), once per request.") var malformedRate = 0.0
    @Option(parsing: .unconditional, help: "The first download of each result file breaks off after this many bytes.") var cutDownloadsAfter: Int?
    @Flag(help: "Report absurd request counts (Int.max completed, negative failed).") var absurdCounts = false
    @Option(parsing: .unconditional, help: "Share of API calls answered 429 with Retry-After.") var rate429 = 0.0
    @Option(parsing: .unconditional, help: "Share of API calls answered 5xx.") var rate5xx = 0.0
    @Option(parsing: .unconditional, help: "Chat completions: milliseconds each answer takes.") var latencyMs = 0.0
    @Option(parsing: .unconditional, help: "Chat completions: requests per second allowed (token bucket); beyond it 429 with Retry-After.") var chatRps: Double?
    @Option(parsing: .unconditional, help: "Chat completions: answer this many, then 429 insufficient_quota for every call.") var quota: Int?
    @Option(help: "Accept only this API key (others get 401).") var apiKey: String?
    @Option(help: "Whose documented behaviour to follow where they differ: openai (completion window 24h only) or kluster (24h, 48h, 72h).")
    var flavor = SimulatorFlavor.kluster
    @Option(help: "Comma-separated model names to serve (listed by /v1/models); other names fail with model_not_found. Default: any name.")
    var models: String?
    @Flag(help: "Write each output line's body as a string holding the JSON, as llama-stack's batch server does.") var stringBodies = false
    @Option(help: "A task (file or bundled name) whose requests get simulated models of their own, learned from its dataset; repeatable. Other requests get the tutorial's.")
    var task: [String] = []
    @Option(parsing: .unconditional, help: "Seed of the fault and shuffle randomness.") var seed: UInt64 = 42

    func run() async throws {
        guard requestsPerSecond > 0, requestsPerSecond.isFinite else {
            throw CommandFailure.input("--requests-per-second must be above 0 and finite (got \(requestsPerSecond)): batches would never finish")
        }
        for (name, value, range) in [("validation-seconds", validationSeconds, 0...86_400.0), ("expire-after", expireAfter, 0...31_536_000.0),
                                     ("latency-ms", latencyMs, 0...3_600_000.0), ("fail-rate", failRate, 0...1.0),
                                     ("malformed-rate", malformedRate, 0...1.0), ("rate429", rate429, 0...1.0), ("rate5xx", rate5xx, 0...1.0),
                                     ("chat-rps", chatRps ?? 1, 0.001...1_000_000.0)] where !range.contains(value) {
            throw CommandFailure.input("--\(name) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
        }
        for (name, value) in [("cut-downloads-after", cutDownloadsAfter), ("quota", quota)] {
            if let value, value < 0 { throw CommandFailure.input("--\(name) must be 0 or more (got \(value))") }
        }
        var options = SimulatorOptions()
        options.instant = instant
        options.keepOutputOrder = keepOrder
        options.validationSeconds = validationSeconds
        options.requestsPerSecond = requestsPerSecond
        options.expireAfterSeconds = expireAfter
        options.lineFailureRate = failRate
        options.malformedLineRate = malformedRate
        options.cutDownloadsAfterBytes = cutDownloadsAfter
        options.absurdCounts = absurdCounts
        options.http429Rate = rate429
        options.http5xxRate = rate5xx
        options.requiredAPIKey = apiKey
        options.chatLatencyMs = latencyMs
        options.chatRequestsPerSecond = chatRps
        options.chatQuota = quota
        options.seed = seed
        options.flavor = flavor
        options.models = models.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        options.stringBodies = stringBodies
        options.tasks = try task.flatMap { try TaskChoice(task: $0, dataset: nil, baseModel: nil, judgeModel: nil).simulated() }
        if options.models?.isEmpty == true { throw CommandFailure.input("--models names no model (got '\(models ?? "")')") }
        let simulator: EmbeddedSimulator
        do { simulator = try await EmbeddedSimulator.start(options: options, host: host, port: port) } catch {
            throw CommandFailure.run("\(error)")
        }
        Console.out("judgetop simulator listening on \(simulator.baseURL)")
        Console.out(Report.simulatedNote)
        let signals = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { Task { await simulator.stop() } }
            source.resume()
            return source
        }
        try await simulator.wait()
        signals.forEach { $0.cancel() }
        Console.out("judgetop simulator stopped")
    }
}

extension SimulatorFlavor: ExpressibleByArgument {}
