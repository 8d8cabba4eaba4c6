import BatchAPI
import Foundation
import JudgeCore
import NIOCore
import Simulator

/// A simulator on a loopback port and a client that talks to it, torn down after use.
public struct SimHarness: Sendable {
    public let simulator: EmbeddedSimulator
    public let client: ProviderClient
    public static let key = "test-key"

    public static func start(_ configure: (inout SimulatorOptions) -> Void = { _ in }) async throws -> SimHarness {
        var options = SimulatorOptions.fast
        options.requiredAPIKey = key
        configure(&options)
        let simulator = try await EmbeddedSimulator.start(options: options)
        // As many connections as the online tests keep requests in flight (the CLI matches its pool
        // to --concurrency): with 8, requests queued for a connection timed out on a busy machine.
        let client = ProviderClient(baseURL: simulator.baseURL, apiKey: key,
                                    retry: RetryPolicy(maxAttempts: 8, baseDelay: 0.02, maxDelay: 0.2), connections: 64)
        return SimHarness(simulator: simulator, client: client)
    }

    public func stop() async {
        await client.shutdown()
        await simulator.stop()
    }

    /// Uploads JSONL text and creates a batch on it.
    public func submit(_ jsonl: String, metadata: [String: String] = [:]) async throws -> Batch {
        let file = try await client.uploadFile(ByteBuffer(string: jsonl), filename: "in.jsonl")
        return try await client.createBatch(inputFileID: file.id, metadata: metadata)
    }

    public func waitUntilTerminal(_ id: String, timeout: Double = 30) async throws -> Batch {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let batch = try await client.retrieveBatch(id: id)
            if batch.status.isTerminal { return batch }
            guard Date() < deadline else { throw TestFailure("batch \(id) still \(batch.status.name) after \(timeout) s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    public func lines(of fileID: String?) async throws -> [OutputLine] {
        guard let fileID else { return [] }
        var lines: [OutputLine] = []
        try await client.streamFileLines(id: fileID) { lines.append(try BatchOutput.parse($0)) }
        return lines
    }
}

public struct TestFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Valid batch input lines asking the simulated base model about the first `count` movies.
public func baseRequests(_ count: Int, prefix: String = "base-") throws -> String {
    let rows = try Dataset.bundled().rows.prefix(count)
    let task = EvalTask.tutorial()
    return try rows.map { String(decoding: try BatchInput.line(customID: "\(prefix)\($0.index)", prompt: task.basePrompt(for: $0)), as: UTF8.self) }
        .joined()
}

public func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("judgetop-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body`, then awaits `stop` whether `body` returned or threw: a simulator stopped from a
/// detached task (`defer` cannot await) outlived its test and held threads the next tests needed.
public func stopAfter<T>(_ stop: () async -> Void, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await stop()
        return result
    } catch {
        await stop()
        throw error
    }
}

/// Waits until `condition` holds, checking every 20 ms, for at most `timeout` seconds: tests wait
/// on what they can observe, never for a fixed time that a busy machine overruns.
public func waitFor(_ what: String, timeout: Double = 30, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("waited \(timeout) s for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
