import ArgumentParser
import Foundation
import JudgeCore
import Pipeline

/// `judgetop labels export|import`: people's labels out to a spreadsheet and back, or from another annotator.
struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "labels", abstract: "Export or import people's labels of a run.",
                                                    subcommands: [LabelsExportCommand.self, LabelsImportCommand.self])

    /// Who labels here: `$USER`, else `$LOGNAME`, else "someone".
    static func person(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        [environment["USER"], environment["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty } ?? "someone"
    }
}

struct LabelsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export",
                                                    abstract: "Print a run's labels as CSV: row,title,correct,source,labeller,labelled_at (rows from 1).")

    @Argument(help: "The run (its id, or a prefix only one id begins with).") var runID: String
    @OptionGroup var storage: StorageOptions

    func run() throws {
        let store = try storage.openExisting()
        let runID = try storage.runID(self.runID, in: store)
        let labels = try store.labels(run: runID)
        let titles = Dictionary(uniqueKeysWithValues: try store.rows(run: runID, indices: Array(Set(labels.map(\.row))).sorted()).map { ($0.index, $0.title) })
        let csv = LabelFile.render(labels, titles: titles)
        FileHandle.standardOutput.write(Data(csv.utf8))
    }
}

struct LabelsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add labels from a CSV with the columns row and correct (true/false, yes/no, 1/0 or skipped), and a labeller column if several people labelled.")

    @Argument(help: "The run (its id, or a prefix only one id begins with).") var runID: String
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "Who labelled, for rows without a labeller column. Default: the file's name.") var labeller: String?
    @OptionGroup var storage: StorageOptions

    func run() throws {
        let store = try storage.openExisting()
        let runID = try storage.runID(self.runID, in: store)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure.input("cannot read \(file); give the path of a CSV file with the columns row and correct")
        }
        let name = labeller ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let labels: [HumanLabel]
        do { labels = try LabelFile.read(data, file: file, rows: try store.rowCount(run: runID), labeller: name) } catch {
            throw CommandFailure.input("\(error); nothing was imported")
        }
        try store.addLabels(run: runID, labels)
        let all = HumanLabels(try store.labels(run: runID))
        let report = try Engine.report(store: store, runID: runID, labels: .human, human: all.all)
        let sample = Set(report.trust.people.queue)
        let people = Set(labels.map(\.labeller)).sorted().joined(separator: ", ")
        Console.out("imported \(labels.count) labels by \(people) into run \(runID); \(labels.count { !sample.contains($0.row) }) fall outside the run's sample and are kept, not used")
        for pair in PeopleAgreement.pairs(all) {
            let c = pair.confusion
            Console.out("\(pair.first) and \(pair.second) on \(c.total) items: agreement \(ReportText.number(c.agreement.value)), Cohen's kappa \(ReportText.number(c.kappa.value))")
        }
        Console.out("the estimates from people's labels now (\(report.trust.sample.labelled) labelled of \(report.trust.labels.planned) planned):")
        for e in report.trust.estimates where e.method != "naive" { Console.out(ReportText.estimateLine(e, lambda: report.trust.ppiLambda)) }
    }
}
