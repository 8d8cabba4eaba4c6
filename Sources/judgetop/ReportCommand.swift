import ArgumentParser
import Foundation
import HTMLReport
import JudgeCore
import Pipeline

/// `judgetop report RUN_ID`: a finished or partial run's report from the store.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print a run's report from the store.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, md, json, csv, html }

    @Argument(help: "The run (its id, or a prefix only one id begins with).") var runID: String
    @Option(help: "text, md, json (the report.json shape), csv (one row per item) or html (one self-contained page with charts).")
    var format: Format = .text
    @Option(name: [.short, .long], help: "Write the report to this file (whole or not at all) instead of standard output.")
    var output: String?
    @Option(help: "Which labels feed the corrected estimates: truth or human (people's). Default: the run's choice.")
    var labels: LabelSource?
    @OptionGroup var storage: StorageOptions

    func run() throws {
        let store = try storage.openExisting()
        let runID = try storage.runID(self.runID, in: store)
        let data = Data(try render(store: store, runID: runID).utf8)
        if let output {
            try ReportFile.write(data, to: output)
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    func render(store: RunStore, runID: String) throws -> String {
        guard let config = try store.config(run: runID) else { throw StoreError.unknownRun(runID) }
        let source = try checkedSource(labels, spec: config.spec)
        func report(_ outcomes: [RowOutcome]? = nil) throws -> Report {
            try Engine.report(store: store, runID: runID, outcomes: outcomes, labels: source)
        }
        switch format {
        case .csv:
            // The labelled subset as the report computes it now, so that its estimates can be checked row by row.
            let outcomes = try store.outcomes(run: runID)
            let labelled = Set(try report(outcomes).trust.labelledRows)
            return ItemsCSV.render(outcomes, labelled: labelled, scoring: config.task.scoring, words: config.vocabulary)
        case .html:
            let outcomes = try store.outcomes(run: runID)
            return HTMLReport.render(try report(outcomes), review: ReviewItems(outcomes, scoring: config.task.scoring))
        // Text for a terminal goes through the one sanitiser, as everything judgetop prints does.
        case .json: return printable(String(decoding: try report().jsonData(), as: UTF8.self))
        case .md: return printable(try report().markdown())
        case .text: return printable(try report().text())
        }
    }

    private func printable(_ text: String) -> String {
        TerminalText.sanitize(text, keepNewlines: true) + "\n"
    }
}
