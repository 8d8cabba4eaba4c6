import ArgumentParser
import Foundation
import JudgeCore

/// `judgetop tasks`: the bundled tasks, with what each is.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "List the bundled tasks (run one with --task NAME).")

    func run() throws {
        for loaded in TaskFile.bundled() {
            let spec = loaded.spec
            let kind = spec.labels.map { "\($0.count) labels" } ?? "free text"
            let truth = spec.dataset.truth.map { "truth: \($0)" } ?? "no truth"
            let mark = spec.name == TaskSpec.defaultName ? " (default)" : ""
            Console.out("\(spec.name)\(mark): \(kind), \(truth)")
            if let description = spec.description { Console.out("    \(TerminalText.sanitize(description))") }
        }
        Console.out("Each is a task file under \(TaskFile.bundledFolder.path); docs/tasks.md describes the format.")
    }
}

/// `judgetop task check FILE`.
struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "task", abstract: "Work with task files.",
                                                    subcommands: [TaskCheckCommand.self])
}

/// Checks a task and every row of its dataset, and shows the first item's prompts as they will be sent.
struct TaskCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check",
                                                    abstract: "Check a task file and its dataset; print the first item's rendered prompts.")

    @Argument(help: "A task file, or a bundled task's name.") var task: String
    @Option(help: "A CSV or JSONL file instead of the task's dataset.") var dataset: String?

    func run() throws {
        let chosen = try TaskChoice(task: task, dataset: dataset, baseModel: nil, judgeModel: nil)
        var reader = try chosen.openDataset()
        var first: Item?
        var rows = 0, withTruth = 0
        do {
            while case let chunk = try reader.next(10_000), !chunk.isEmpty {
                first = first ?? chunk.first
                rows += chunk.count
                withTruth += chunk.count { !$0.truth.isEmpty }
            }
        } catch let error as DatasetError {
            throw chosen.failure(error)
        }
        let spec = chosen.task.spec
        let safe = { (text: String) in TerminalText.sanitize(text, keepNewlines: true) }
        Console.out("task \(safe(spec.name)): ok")
        Console.out("dataset \(safe(chosen.datasetName)): \(rows) rows" + (spec.dataset.truth == nil ? ", no truth" : ", \(withTruth) with truth"))
        Console.out("prompts read: \(chosen.task.promptColumns.joined(separator: ", "))")
        Console.out(spec.labels.map { "labels (\($0.count)): \($0.joined(separator: ", "))" } ?? "free-text answers (no labels)")
        guard let first else { return }
        let base = chosen.task.basePrompt(for: first)
        let judge = chosen.task.judgePrompt(for: first, baseAnswer: "<base answer>")
        for (name, prompt) in [("base", base), ("judge", judge)] {
            Console.out("\n--- \(name) prompt for \(safe(first.title)) (\(prompt.model), temperature \(prompt.temperature))")
            if !prompt.system.isEmpty { Console.out("[system]\n" + safe(prompt.system)) }
            Console.out("[user]\n" + safe(prompt.user))
        }
    }
}
