import Dashboard
import Foundation
import JudgeCore
import Pipeline

/// The dashboard on a terminal, plain lines otherwise: one engine either way.
struct FrontEnd {
    let output: OutputOptions
    /// The theme `--theme` named, loaded once here so that a broken file fails before anything starts.
    let theme: (name: String, theme: Theme)?
    let inbox: DashboardInbox?
    let printer: HeadlessPrinter

    init(output: OutputOptions, theme: String?, runsDirectory: URL) throws {
        self.output = output
        // A broken theme is an input error before anything starts, whichever front end runs.
        if let theme {
            do { self.theme = (theme, try Theme.load(theme)) } catch { throw CommandFailure.input("\(error)") }
        } else {
            self.theme = nil
        }
        if !output.headless && DashboardSession.available {
            let inbox = DashboardInbox()
            self.inbox = inbox
            printer = DashboardSession.printer(runsDirectory: runsDirectory, inbox: inbox)
        } else {
            inbox = nil
            printer = HeadlessPrinter()
        }
    }

    func run(store: RunStore, config: RunConfig, connection: Connection, lease: RunLease) async throws {
        if let inbox {
            lease.keepAlive { inbox.post(.event(.warning(LeaseError.lost(run: config.runID).description))) }
            try await DashboardSession(store: store, runID: config.runID, provider: .connected(connection, lease: lease), inbox: inbox, log: printer,
                                       reportJSON: output.reportJSON).run(theme: theme)
        } else {
            try await Session(store: store, config: config, connection: connection, printer: printer, reportJSON: output.reportJSON,
                              lease: lease).execute()
        }
    }

    /// Makes this process the run's one owner, or fails with exit 2 naming the process that is.
    static func claim(_ runID: String, in store: RunStore) throws -> RunLease {
        do {
            let lease = try RunLease.claim(run: runID, in: store)
            if let stale = lease.takenFrom {
                Console.error("judgetop: taking run \(runID) over from \(TerminalText.sanitize(stale.described())), which is gone")
            }
            return lease
        } catch let error as LeaseError {
            throw CommandFailure.input(TerminalText.sanitize(error.description))
        }
    }
}
