import ArgumentParser
import Dashboard
import Foundation
import Pipeline

/// `judgetop open [RUN_ID]`: the dashboard on any stored run, to browse, label and mark. Nothing is
/// sent and no key is needed until a rerun, re-judge or cancel asks for it.
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the dashboard on a stored run (finished, interrupted or cancelled) to browse, label and mark it.")

    @Argument(help: "The run (its id, or a prefix only one id begins with). Default: the most recent run.")
    var runID: String?
    @Option(help: "Dashboard theme (see `judgetop run --help`).")
    var theme: String?
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let store = try storage.openExisting()
        guard let run = try runID.map({ try storage.runID($0, in: store) }) ?? store.listRuns().first?.config.runID else {
            throw CommandFailure.input("no run in \(storage.directory.path) yet; `judgetop run` starts one")
        }
        guard let config = try store.config(run: run) else { throw StoreError.unknownRun(run) }
        let frontEnd = try FrontEnd(output: try OutputOptions.parse([]), theme: theme, runsDirectory: storage.directory)
        guard let inbox = frontEnd.inbox else {
            throw CommandFailure.input("`judgetop open` needs a terminal; `judgetop report \(run)` prints the run's report")
        }
        let provider = SessionProvider.whenNeeded(config: config, store: store, printer: frontEnd.printer, inbox: inbox)
        try await DashboardSession(store: store, runID: run, provider: provider, inbox: inbox, log: frontEnd.printer, reportJSON: nil,
                                   browsing: true).run(theme: frontEnd.theme)
    }
}
