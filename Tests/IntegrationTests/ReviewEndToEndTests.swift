import Foundation
import TestSupport
import Testing

/// Review and label through the real binary: a finished run without truth opened in tmux, ten
/// items labelled, a verdict marked and the marked rows exported, the run left as it was; then
/// the labels exported, re-imported as a second person, and a bad file refused.
@Suite(.serialized) struct ReviewEndToEndTests {
    typealias Pane = DashboardEndToEndTests.Pane

    /// `f` presses from all to marked: disagreements, base wrong, judge wrong, unparseable, failed, marked.
    enum RowFilterCount { static let beforeMarked = 6 }

    @Test(.enabled(if: DashboardEndToEndTests.tmux != nil, "skipped: needs tmux (apt-get install tmux)"))
    func openLabelMarkExportAndImport() async throws {
        let home = temporaryDirectory(), runs = home.appendingPathComponent("runs").path
        let run = try await Executable.judgetop(["run", "--headless", "--task", "movie-loglines", "--limit", "100", "--runs-dir", runs], home: home)
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(run.stdout.split(separator: "\n").last?.split(separator: " ").last.map(String.init))

        let pane = try Pane(tmux: DashboardEndToEndTests.tmux!, command: "\(Executable.judgetop) open \(id.prefix(17)) --runs-dir \(runs)", home: home)
        defer { pane.stop() }
        let opened = try await pane.wait("the stored run") { $0.contains("Items 1/100") && $0.contains("no truth in this dataset") }
        #expect(opened.contains("SIMULATED") && opened.contains(id) && opened.contains("Batches: 0 live of 2") && opened.contains("stored"))

        try pane.keys("L")
        let first = try await pane.wait("the labelling screen") { $0.contains("Item 1 of 10 of the seeded sample") }
        #expect(first.contains("judge's verdict: hidden") && first.contains("labels only   waits"))
        for i in 0..<10 {
            try pane.keys(i % 3 == 0 ? "n" : "y")
            _ = try await pane.wait("label \(i + 1) taken") { $0.contains("(\(i + 1) labelled, 0 skipped)") }
        }
        let labelled = try await pane.wait("the estimates from ten labels") { $0.contains("(10 of 10 planned") }
        let labelsOnly = try #require(labelled.split(separator: "\n").first { $0.contains("labels only") })
        #expect(labelsOnly.contains("0.600 ["), "six of ten labelled correct: \(labelsOnly)")
        let ppi = try #require(labelled.split(separator: "\n").first { $0.contains("PPI++  ") })
        #expect(!ppi.contains("waits"), "\(ppi)")

        try pane.keys("Escape")
        _ = try await pane.wait("the table") { $0.contains("Items 1/100") }
        try pane.keys("x")
        _ = try await pane.wait("the note prompt") { $0.contains("note (optional)") }
        try pane.keys("-l", "invented plot")
        try pane.keys("Enter")
        _ = try await pane.wait("the mark counted") { $0.contains("judge errors marked: 1") }
        for _ in 0..<RowFilterCount.beforeMarked { try pane.keys("f") }
        _ = try await pane.wait("the marked filter") { $0.contains("(marked)") && $0.contains("Items 1/1") }
        try pane.keys("e")
        let exported = try await pane.wait("the export") { $0.contains("exported 1 rows to") }
        let folder = home.appendingPathComponent("runs/exports")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1 && files[0].hasPrefix("\(id)-marked-") && exported.contains("exported 1 rows"))
        let csv = try String(contentsOf: folder.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 2 && csv.contains(",true,invented plot,"))

        try pane.keys("q")
        let closed = try await pane.wait("judgetop to exit") { $0.contains("TERMINAL-CHECKED") }
        #expect(closed.contains("run \(id): done, unchanged by browsing") && closed.contains("EXIT=0"))
        let listing = try await Executable.judgetop(["runs", "--runs-dir", runs], home: home)
        #expect(listing.stdout.contains("\(id)  done"))

        let json = try await Executable.judgetop(["report", id, "--format", "json", "--runs-dir", runs], home: home)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let labels = try #require(report["labels"] as? [String: Any])
        #expect(labels["human"] as? Int == 10 && labels["planned"] as? Int == 10 && labels["source"] as? String == "human")
        #expect(labels["judge_errors_marked"] as? Int == 1 && labels["skipped"] as? Int == 0)
        let corrected = try #require(report["corrected_accuracy"] as? [String: Any])
        #expect(corrected["labelled"] as? Int == 10)

        // Out to a spreadsheet and back as a second person, who disagrees on two items.
        let exportedLabels = try await Executable.judgetop(["labels", "export", id, "--runs-dir", runs], home: home)
        var lines = exportedLabels.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "row,title,correct,source,labeller,labelled_at" && lines.count == 11)
        #expect(lines.dropFirst().allSatisfy { $0.contains(",dashboard,") })
        lines = [lines[0].replacingOccurrences(of: ",labeller,", with: ",who,")] + lines.dropFirst().enumerated().map { i, line in
            i < 2 ? line.replacingOccurrences(of: ",true,", with: ",FLIP,").replacingOccurrences(of: ",false,", with: ",true,")
                .replacingOccurrences(of: ",FLIP,", with: ",false,") : line
        }
        let file = home.appendingPathComponent("bob.csv")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let imported = try await Executable.judgetop(["labels", "import", id, file.path, "--runs-dir", runs], home: home)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 10 labels by bob") && imported.stdout.contains("on 10 items: agreement 0.800"), "\(imported.stdout)")

        // A bad file is refused with its line, and nothing of it is stored.
        try "row,correct\n3,yes\n999,no\n".write(to: file, atomically: true, encoding: .utf8)
        let refused = try await Executable.judgetop(["labels", "import", id, file.path, "--runs-dir", runs], home: home)
        #expect(refused.status == 2 && refused.stderr.contains("bob.csv:3: row \"999\" is no row of this run (rows are 1 to 100)"), "\(refused.stderr)")
        let after = try await Executable.judgetop(["labels", "export", id, "--runs-dir", runs], home: home)
        #expect(after.stdout.split(separator: "\n").count == 21)
    }
}
