import Foundation
import JudgeCore
import Testing

/// Task files: read key by key, every mistake reported with the file, the line and the key.
@Suite struct TaskFileTests {
    static let valid = """
        name: ticket-routing
        description: route support tickets
        dataset:
          path: tickets.csv
          title: ticket_id
          truth: team
        labels: [billing, shipping, technical]
        base:
          system: "Route the ticket to one team: {{labels}}."
          user: "{{body}}"
        judge:
          model: big-judge
          temperature: 0
          user: |
            Ticket: {{body}}
            Proposed team: "{{base_answer}}"
          verdict:
            pattern: '^\\s*(?<label>[A-Za-z]+)\\s*,\\s*(?<verdict>[A-Za-z]+)\\s*$'
            correct: [correct]
            incorrect: [incorrect]
        """

    private func parse(_ text: String) throws(TaskError) -> LoadedTask {
        try TaskFile.parse(text, file: "tickets.yaml", directory: URL(fileURLWithPath: "/data"))
    }

    /// The error a broken variant of the valid file gives.
    private func error(replacing old: String, with new: String) -> TaskError? {
        #expect(Self.valid.contains(old), "the test's edit must apply")
        do { _ = try parse(Self.valid.replacingOccurrences(of: old, with: new)) } catch { return error }
        return nil
    }

    @Test func aValidFileReadsWithEveryKey() throws {
        let loaded = try parse(Self.valid)
        let spec = loaded.spec
        #expect(spec.name == "ticket-routing" && spec.description == "route support tickets")
        #expect(spec.dataset == DatasetSpec(path: "/data/tickets.csv", title: "ticket_id", truth: "team"))
        #expect(spec.labels == ["billing", "shipping", "technical"])
        #expect(spec.base.model == EvalTask.defaultBaseModel && spec.base.temperature == 0.5, "defaults where the file is silent")
        #expect(spec.judge.model == "big-judge" && spec.judge.temperature == 0)
        #expect(loaded.task.promptColumns == ["body"])
        let item = Item(index: 0, title: "T-1", text: "My parcel <b>never</b> came & I'm \"upset\"", truth: ["shipping"])
        let base = loaded.task.basePrompt(for: item)
        #expect(base.system == "Route the ticket to one team: billing, shipping, technical.")
        #expect(base.user == "My parcel <b>never</b> came & I'm \"upset\"", "no HTML escaping")
        #expect(loaded.task.judgePrompt(for: item, baseAnswer: "billing").user
            == "Ticket: My parcel <b>never</b> came & I'm \"upset\"\nProposed team: \"billing\"\n")
        let read = loaded.task.scoring.judge(" shipping , Incorrect ")
        #expect(read.label == "shipping" && read.verdict == .incorrect)
    }

    @Test func eachMistakeNamesFileLineAndKey() {
        let cases: [(old: String, new: String, expected: String)] = [
            ("(?<verdict>", "(?<answer>", "tickets.yaml:18: judge.verdict.pattern has no group named verdict"),
            ("(?<verdict>[A-Za-z]+)", "(?<verdict>[A-Za-z]+", "tickets.yaml:18: judge.verdict.pattern is not a valid regular expression"),
            ("labels: [billing, shipping, technical]", "labels: []", "tickets.yaml:7: labels is empty"),
            ("labels: [billing, shipping, technical]", "labels: [billing, billing]", "tickets.yaml:7: labels lists \"billing\" twice"),
            ("  user: \"{{body}}\"", "  usr: \"{{body}}\"", "tickets.yaml:10: base.usr is not a key judgetop knows here"),
            ("  user: \"{{body}}\"\n", "", "tickets.yaml:9: base.user is required"),
            ("    correct: [correct]", "    correct: []", "tickets.yaml:19: judge.verdict.correct lists no words"),
            ("    incorrect: [incorrect]", "    incorrect: [Correct]", "tickets.yaml:20: judge.verdict.incorrect lists \"Correct\""),
            ("  temperature: 0", "  temperature: hot", "tickets.yaml:13: judge.temperature must be a number from 0 to 2"),
            ("Proposed team:", "{{#labels}}Proposed team:", "tickets.yaml:14: judge.user is not a valid template"),
            ("  user: \"{{body}}\"", "  user: \"{{body}} {{base_answer}}\"", "tickets.yaml:10: base.user uses {{base_answer}}"),
            ("name: ticket-routing", "name: [a", "tickets.yaml:2: is not valid YAML"),
        ]
        for (old, new, expected) in cases {
            let error = error(replacing: old, with: new)
            #expect(error?.description.hasPrefix(expected) == true, "\(expected) — got: \(error?.description ?? "no error")")
        }
    }

    @Test func labelsInATemplateNeedALabelSet() {
        let error = error(replacing: "labels: [billing, shipping, technical]\n", with: "")
        #expect(error?.description.hasPrefix("tickets.yaml:8: base.system uses {{labels}}, but the task has no labels") == true,
                "\(error?.description ?? "")")
    }

    /// A template naming a column the dataset lacks: the error points at the key that names it.
    @Test func aMissingColumnIsReportedAtTheKeyNamingIt() throws {
        let loaded = try parse(Self.valid.replacingOccurrences(of: "Ticket: {{body}}", with: "Ticket: {{subject}}"))
        let csv = Data("ticket_id,body,team\nT-1,hello,billing\n".utf8)
        let failure = #expect(throws: DatasetError.self) {
            try DatasetReader(bytes: csv, source: "tickets.csv", layout: DatasetLayout(task: loaded.task))
        }
        let located = try #require(failure.flatMap(loaded.columnError))
        #expect(located.description.hasPrefix("tickets.yaml:14: judge.user names the column subject, but the dataset tickets.csv lacks the column subject"),
                "\(located.description)")
    }

    @Test func everyBundledTaskLoadsAndRendersItsFirstItem() throws {
        let bundled = TaskFile.bundled()
        #expect(bundled.map(\.spec.name) == ["imdb-certificate", "imdb-genres", "movie-loglines"])
        for loaded in bundled {
            var reader = try DatasetReader(contentsOf: URL(fileURLWithPath: loaded.spec.dataset.path), layout: DatasetLayout(task: loaded.task))
            let items = try reader.readAll().rows
            #expect(items.count == 1000, "\(loaded.spec.name)")
            let first = try #require(items.first)
            #expect(!loaded.task.basePrompt(for: first).user.isEmpty && !first.title.hasPrefix("row "))
            #expect(loaded.task.judgePrompt(for: first, baseAnswer: "ANSWER").user.contains("ANSWER"))
            #expect(items.contains { !$0.truth.isEmpty } == (loaded.spec.dataset.truth != nil))
        }
        #expect(TaskFile.bundled(named: "imdb-certificate")?.spec.labels?.contains("PG-13") == true)
        #expect(TaskFile.bundled(named: "movie-loglines")?.spec.labels == nil, "the free-text task")
    }
}
