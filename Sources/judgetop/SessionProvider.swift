import Dashboard
import Foundation
import JudgeCore
import Pipeline
import RunControl
import Simulator
import Synchronization

/// The provider side of a dashboard session: connected from the start (`run`, `resume`), or when
/// something must first be sent (`open`), when it takes the run's lease and then connects, so that a
/// missing key or a run owned elsewhere says why and changes nothing. Closed once, at the end.
final class SessionProvider: Sendable {
    let link: ProviderLink
    private let opened: Opened

    /// The connection and lease once made: filled by the link, emptied by `close`.
    private final class Opened: Sendable {
        let value = Mutex<(connection: Connection, lease: RunLease)?>(nil)
    }

    private init(link: ProviderLink, opened: Opened) {
        self.link = link
        self.opened = opened
    }

    static func connected(_ connection: Connection, lease: RunLease) -> SessionProvider {
        let opened = Opened()
        opened.value.withLock { $0 = (connection, lease) }
        return SessionProvider(link: ProviderLink(.init(client: connection.client, lease: lease, embeddedSimulator: connection.simulator != nil)),
                               opened: opened)
    }

    static func whenNeeded(config: RunConfig, store: RunStore, printer: HeadlessPrinter, inbox: DashboardInbox) -> SessionProvider {
        let opened = Opened()
        let run = config.runID
        let link = ProviderLink(connectingWhenNeeded: {
            let lease = try FrontEnd.claim(run, in: store)
            let connection: Connection
            do {
                connection = try await Connection.open(for: config, apiKeyEnv: nil, printer: printer) {
                    try store.rows(run: run, indices: Array(0..<min(SimulatedTask.examplesRead, try store.rowCount(run: run))))
                }
            } catch {
                lease.release()
                throw error
            }
            lease.keepAlive { inbox.post(.event(.warning(LeaseError.lost(run: run).description))) }
            opened.value.withLock { $0 = (connection, lease) }
            return .init(client: connection.client, lease: lease, embeddedSimulator: connection.simulator != nil)
        })
        return SessionProvider(link: link, opened: opened)
    }

    /// The connection, if one was made: without one, nothing was sent.
    var connection: Connection? { opened.value.withLock { $0?.connection } }

    func close() async {
        guard let (connection, lease) = opened.value.withLock({ value in defer { value = nil }; return value }) else { return }
        await connection.close()
        lease.release()
    }
}
