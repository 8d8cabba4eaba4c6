import ArgumentParser
import Foundation
import JudgeCore
import Pipeline

/// `judgetop report RUN_ID`: a finished or partial run's report from the store.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print a run's report from the store.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, md, json, csv }

    @Argument(help: "The run (its id, or a prefix only one id begins with).") var runID: String
    @Option(help: "text, md, json (the report.json shape) or csv (one row per item).") var format: Format = .text
    @OptionGroup var storage: StorageOptions

    func run() throws {
        let store = try storage.openExisting()
        let runID = try storage.runID(self.runID, in: store)
        switch format {
        case .csv:
            // The labelled subset as the report computes it now, so that its estimates can be checked row by row.
            let outcomes = try store.outcomes(run: runID)
            let labelled = Set(try Engine.report(store: store, runID: runID, outcomes: outcomes).trust.labelledRows)
            guard let config = try store.config(run: runID) else { throw StoreError.unknownRun(runID) }
            let csv = ItemsCSV.render(outcomes, labelled: labelled, scoring: config.task.scoring, words: config.vocabulary)
            FileHandle.standardOutput.write(Data(csv.utf8))
        case .json: Console.out(String(decoding: try Engine.report(store: store, runID: runID).jsonData(), as: UTF8.self))
        case .md: Console.out(try Engine.report(store: store, runID: runID).markdown())
        case .text: Console.out(try Engine.report(store: store, runID: runID).text())
        }
    }
}
