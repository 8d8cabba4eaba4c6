import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The simulator as a running server on loopback: started in-process by `judgetop run` when no
/// provider is named, by `judgetop serve-sim`, and by the tests.
public final class EmbeddedSimulator: Sendable {
    public let host: String
    public let port: Int
    private let state: SimulatorState
    private let group: ServiceGroup
    private let runTask: Task<Void, Error>

    public var baseURL: String { "http://\(host):\(port)/v1" }

    private init(host: String, port: Int, state: SimulatorState, group: ServiceGroup, runTask: Task<Void, Error>) {
        self.host = host
        self.port = port
        self.state = state
        self.group = group
        self.runTask = runTask
    }

    /// Starts the server and returns once it listens. Port 0 picks a free port.
    public static func start(options: SimulatorOptions = SimulatorOptions(), host: String = "127.0.0.1", port: Int = 0,
                             logger: Logger = Logger(label: "judgetop.simulator", factory: { _ in SwiftLogNoOpLogHandler() }))
        async throws -> EmbeddedSimulator {
        let state = SimulatorState(options: options)
        let router = Router()
        router.add(middleware: SimulatorMiddleware(state: state))
        SimulatorRoutes(state: state).register(on: router)

        let bound = Mutex<Int?>(nil)
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "judgetop-sim"),
                              onServerRunning: { channel in
                                  let port = channel.localAddress?.port ?? 0
                                  bound.withLock { $0 = port }
                                  readyContinuation.yield(port)
                                  readyContinuation.finish()
                              }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let runTask = Task {
            defer { readyContinuation.finish() }
            try await group.run()
        }
        var iterator = ready.makeAsyncIterator()
        guard let actualPort = await iterator.next() else {
            _ = try await runTask.value
            throw SimulatorError.couldNotStart("\(host):\(port)")
        }
        return EmbeddedSimulator(host: host, port: actualPort, state: state, group: group, runTask: runTask)
    }

    /// What has been answered so far: the evidence tests use that nothing was answered twice.
    public func stats() async -> SimulatorStats { await state.snapshotStats() }

    /// Another tool's batches on the same account, created now (they fail at once: their input
    /// file does not exist), so that a client's batch lookup must read past them.
    public func addForeignBatches(_ count: Int) async {
        for n in 0..<count {
            let batch = await state.createBatch(inputFileID: "file-missing", endpoint: "/v1/chat/completions", completionWindow: "24h", metadata: ["other_tool": String(n)])
            await BatchProcessor.drive(batch.id, state: state)
        }
    }

    /// Stops gracefully and waits until the server is down.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runTask.value
    }

    /// Runs until the server stops (for `serve-sim`, which stops on SIGINT/SIGTERM).
    public func wait() async throws { try await runTask.value }
}

public enum SimulatorError: Error, CustomStringConvertible {
    case couldNotStart(String)

    public var description: String {
        switch self {
        case .couldNotStart(let address): return "the simulator could not listen on \(address) (is the port in use?)"
        }
    }
}
