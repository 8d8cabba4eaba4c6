import BatchAPI
import Pipeline

/// How the run controller reaches the provider: connected from the start (`run`, `resume`), or only
/// when something must be sent (`open`, which browses and labels with no key). Connecting takes the
/// run's lease too, so that one process sends for a run at a time; a failed attempt may be retried.
public actor ProviderLink {
    public struct Connected: Sendable {
        public let client: ProviderClient
        public let lease: RunLease
        /// The batches run in a simulator inside this process, which forgets them when it stops.
        public let embeddedSimulator: Bool

        public init(client: ProviderClient, lease: RunLease, embeddedSimulator: Bool) {
            self.client = client
            self.lease = lease
            self.embeddedSimulator = embeddedSimulator
        }
    }

    private var connected: Connected?
    private let connect: @Sendable () async throws -> Connected

    public init(_ connected: Connected) {
        self.connected = connected
        connect = { connected }
    }

    public init(connectingWhenNeeded connect: @escaping @Sendable () async throws -> Connected) {
        self.connect = connect
    }

    /// The connection, made now if there is none yet.
    public func get() async throws -> Connected {
        if let connected { return connected }
        let made = try await connect()
        connected = made
        return made
    }

    /// The connection if one was made: nil means nothing could have been sent.
    public var current: Connected? { connected }
}
