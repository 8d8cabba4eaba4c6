import Foundation
import JudgeCore
@testable import Simulator
import Testing

/// The simulator answers any task: from the requests alone, in the task's own formats.
@Suite struct SimulatedTaskTests {
    private func items(_ task: EvalTask) throws -> [Item] {
        var reader = try DatasetReader(contentsOf: URL(fileURLWithPath: task.spec.dataset.path), layout: DatasetLayout(task: task))
        return try reader.readAll().rows
    }

    /// What the simulated models answer a task's requests, as a run would send them.
    private func answers(_ task: EvalTask, _ items: [Item]) -> [(item: Item, base: String, judge: String)] {
        let simulated = [SimulatedTask(task: task, examples: items)]
        return items.map { item in
            let base = task.basePrompt(for: item), answer = SimulatedModels.answer(model: base.model, system: base.system, user: base.user, tasks: simulated)
            let judge = task.judgePrompt(for: item, baseAnswer: answer)
            return (item, answer, SimulatedModels.answer(model: judge.model, system: judge.system, user: judge.user, tasks: simulated))
        }
    }

    @Test func aLabelTaskGetsAnInformativeButImperfectModelAndAJudgeInItsFormat() throws {
        let task = try #require(TaskFile.bundled(named: "imdb-certificate")).task
        let rows = answers(task, try items(task))
        let withTruth = rows.filter { !$0.item.truth.isEmpty }
        let right = withTruth.count { $0.item.truth.contains($0.base) }
        let majority = Dictionary(grouping: withTruth, by: { $0.item.truth[0] }).values.map(\.count).max() ?? 0
        #expect(right > majority && right < withTruth.count * 9 / 10, "right \(right) of \(withTruth.count), majority \(majority)")
        #expect(rows.contains { !(task.labels?.contains($0.base) ?? true) }, "some answers slip out of the label set")
        let read = rows.map { task.scoring.judge($0.judge) }
        #expect(read.count { $0.verdict == .unparseable } == 0, "\(rows.first { task.scoring.judge($0.judge).verdict == .unparseable }?.judge ?? "")")
        #expect(read.contains { $0.verdict == .correct } && read.contains { $0.verdict == .incorrect })
        #expect(read.allSatisfy { $0.label.map { task.labels?.contains($0) == true } ?? false }, "the judge names a label of its own")
    }

    @Test func aFreeTextTaskGetsExtractiveAnswersAndAFallibleJudge() throws {
        let task = try #require(TaskFile.bundled(named: "movie-loglines")).task
        let rows = answers(task, Array(try items(task).prefix(300)))
        #expect(rows.allSatisfy { $0.base.hasSuffix(".") && $0.base.split(separator: " ").count <= 30 })
        let verdicts = rows.map { task.scoring.judge($0.judge).verdict }
        #expect(!verdicts.contains(.unparseable))
        let twisted = rows.filter { $0.base.contains("secret twin") }
        #expect(!twisted.isEmpty && twisted.count < rows.count / 3)
        // The judge catches most unfaithful answers but not every one, and wrongs some faithful ones.
        let caught = twisted.count { task.scoring.judge($0.judge).verdict == .incorrect }
        #expect(caught > twisted.count / 2)
        let faithfulRejected = rows.filter { !$0.base.contains("secret twin") }.count { task.scoring.judge($0.judge).verdict == .incorrect }
        #expect(faithfulRejected > 0 || caught < twisted.count, "the judge is sometimes wrong")
    }

    @Test func verdictsAreWrittenFromTheTasksOwnPattern() throws {
        let cases: [(pattern: String, label: String?, expected: String)] = [
            ("^(?<label>[^,]*),(?<verdict>[^,]*)$", "Drama", "Drama,Correct"),
            ("Certificate:\\s*(?<label>[^;\\n]+?)\\s*;\\s*Verdict:\\s*(?<verdict>\\w+)", "PG-13", "Certificate: PG-13 ; Verdict: Correct"),
            ("(?i)\\b(?<verdict>unfaithful|faithful)\\b", nil, "Correct"),
        ]
        for (pattern, label, expected) in cases {
            #expect(VerdictWriter.instance(of: pattern, values: ["label": label ?? "", "verdict": "Correct"]) == expected)
        }
        let rule = try VerdictRule(pattern: "(?i)verdict=(?<verdict>yes|no)", correct: ["yes"], incorrect: ["no"])
        let written = VerdictWriter.write(rule, label: nil, word: "no", verdict: .incorrect)
        #expect(rule.read(written).verdict == .incorrect, "\(written)")
    }

    @Test func theTutorialKeepsItsHandMadeModels() throws {
        let certificate = try #require(TaskFile.bundled(named: "imdb-certificate")).task
        let tutorial = EvalTask.tutorial()
        let item = try #require(try Dataset.bundled().rows.first)
        let prompt = tutorial.basePrompt(for: item)
        #expect(SimulatedModels.answer(model: prompt.model, system: prompt.system, user: prompt.user,
                                       tasks: [SimulatedTask(task: certificate)])
            == SimulatedModels.baseAnswer(overview: item.text, model: prompt.model))
    }
}
