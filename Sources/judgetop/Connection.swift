import BatchAPI
import Foundation
import JudgeCore
import Pipeline
import Simulator

/// The provider a run talks to: the embedded simulator started for it, or a real endpoint.
final class Connection: Sendable {
    let client: ProviderClient
    let endpoint: String
    let simulator: EmbeddedSimulator?

    private init(client: ProviderClient, endpoint: String, simulator: EmbeddedSimulator?) {
        self.client = client
        self.endpoint = endpoint
        self.simulator = simulator
    }

    static let embeddedName = "embedded simulator"

    /// Opens a connection and makes one cheap call, so that a wrong key or a dead URL fails before
    /// anything is stored.
    static func open(baseURL: String?, apiKeyEnv: String?, provider: ProviderKind, requestTimeout: Double = 300,
                     connections: Int = 8, printer: HeadlessPrinter, simulated: [SimulatedTask] = []) async throws -> Connection {
        var simulator: EmbeddedSimulator?
        let endpoint: String
        let key: String
        if let baseURL {
            endpoint = baseURL
            key = try ProviderChoice(kind: provider, baseURL: baseURL, apiKeyEnv: apiKeyEnv).apiKey()
        } else {
            var options = SimulatorOptions()
            key = "sim-" + UUID().uuidString
            options.requiredAPIKey = key
            options.tasks = simulated
            do { simulator = try await EmbeddedSimulator.start(options: options) } catch {
                throw CommandFailure.run("\(error)")
            }
            endpoint = simulator!.baseURL
            Console.out("judgetop: using the embedded simulator at \(endpoint) (no provider named and no API key set)")
            Console.out("judgetop: " + Report.simulatedNote)
        }
        let probe = ProviderClient(baseURL: endpoint, apiKey: key, retry: .quick, connectTimeout: 3, requestTimeout: 20)
        do {
            _ = try await probe.listBatches(limit: 1)
            await probe.shutdown()
        } catch {
            await probe.shutdown()
            await simulator?.stop()
            throw CommandFailure.run("\(error); nothing was started or stored")
        }
        let client = ProviderClient(baseURL: endpoint, apiKey: key, requestTimeout: requestTimeout, connections: connections) { notice in
            printer.handle(.providerRetry(operation: notice.operation, attempt: notice.attempt,
                                          delaySeconds: notice.delaySeconds, reason: notice.error.description))
        }
        return Connection(client: client, endpoint: endpoint, simulator: simulator)
    }

    /// Reopens what a stored run used.
    /// `examples`: the run's first items, which an embedded simulator learns a task's cues from;
    /// read only when one is started for a task other than the tutorial.
    static func open(for config: RunConfig, apiKeyEnv: String?, printer: HeadlessPrinter,
                     examples: () throws -> [Item] = { [] }) async throws -> Connection {
        let embedded = config.simulated && config.baseURL == embeddedName
        return try await open(baseURL: embedded ? nil : config.baseURL, apiKeyEnv: apiKeyEnv ?? config.apiKeyEnv,
                              provider: config.provider, requestTimeout: config.requestTimeout,
                              connections: config.mode == .online ? config.concurrency : 8, printer: printer,
                              simulated: embedded ? try SimulatedTask.models(for: config.task, examples: examples) : [])
    }

    func close() async {
        await client.shutdown()
        await simulator?.stop()
    }
}
