import Foundation
import Yams

/// A task file read and checked (docs/tasks.md): the task, compiled, and the line of each key so
/// that a later check (the dataset's columns) can point at the line to fix.
public struct LoadedTask: Sendable {
    public let task: EvalTask
    /// The task file as given, for messages.
    public let file: String
    /// The line of each key path (`base.user`).
    public let lines: [String: Int]

    public var spec: TaskSpec { task.spec }

    /// A dataset that lacks a column the task reads, as an error at the key that names the column.
    public func columnError(_ error: DatasetError) -> TaskError? {
        guard let column = error.missingColumns.first else { return nil }
        let d = spec.dataset
        let key = column == d.title ? "dataset.title" : column == d.truth ? "dataset.truth"
            : EvalTask.TemplateKey.allCases.map(\.rawValue).first { task.templateVariables[$0]?.contains(column) == true }
        var problem = "names the column \(column), but the dataset \(error.file) \(error.problem)"
        if let line = error.line, JSONLines.isJSONLines(error.file) { problem += " on line \(line)" }
        return self.error(key, problem)
    }

    /// An error at a key of this file.
    public func error(_ key: String?, _ problem: String) -> TaskError {
        TaskError(file: file, line: key.flatMap { lines[$0] }, key: key, problem: problem)
    }
}

/// Reads task files with Yams, key by key, so that every error names its line.
public enum TaskFile {
    public static func load(path: String) throws(TaskError) -> LoadedTask {
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw TaskError(file: path, key: nil, problem: exists ? "cannot be read as UTF-8 text (\(error.localizedDescription))"
                                                                  : "does not exist; give a task file's path, or the name of a bundled task (`judgetop tasks`)")
        }
        return try parse(text, file: path, directory: url.deletingLastPathComponent())
    }

    /// `directory`: what a relative dataset path is relative to (the task file's folder).
    public static func parse(_ text: String, file: String, directory: URL) throws(TaskError) -> LoadedTask {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw TaskError(file: file, key: nil, problem: "is empty; see docs/tasks.md for the format") }
            root = node
        } catch let error as TaskError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw TaskError(file: file, key: nil, problem: "is not valid YAML: \(error)")
        }
        var reader = NodeReader(file: file)
        let spec = try reader.task(root, directory: directory)
        do {
            return LoadedTask(task: try EvalTask.compiled(spec, baseModel: spec.base.model, judgeModel: spec.judge.model),
                              file: file, lines: reader.lines)
        } catch {
            var located = error
            located.file = file
            located.line = error.key.flatMap { reader.lines[$0] }
            throw located
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> TaskError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return TaskError(file: file, line: mark.line, key: nil, problem: "is not valid YAML at column \(mark.column): \(detail)")
        default:
            return TaskError(file: file, key: nil, problem: "is not valid YAML: \(error)")
        }
    }

    // MARK: Bundled tasks

    /// The tasks shipped with judgetop, by name, in name order.
    public static func bundled() -> [LoadedTask] {
        let folder = bundledFolder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap { name in
            try? load(path: folder.appendingPathComponent(name).path)
        }
    }

    /// A bundled task by name (`imdb-genres`), or nil.
    public static func bundled(named name: String) -> LoadedTask? {
        let url = bundledFolder.appendingPathComponent(name + ".yaml")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try? load(path: url.path)
    }

    public static var bundledFolder: URL {
        guard let url = Bundle.module.url(forResource: "tasks", withExtension: nil) else {
            fatalError("the bundled tasks are missing from the JudgeCore resources")
        }
        return url
    }

    /// A task file's path, or a bundled task's name.
    public static func resolve(_ given: String) throws(TaskError) -> LoadedTask {
        if !given.contains("/"), !given.hasSuffix(".yaml"), !given.hasSuffix(".yml"), let task = bundled(named: given) { return task }
        return try load(path: given)
    }

    /// The tutorial: what runs when no task is named, and what a run stored before tasks existed was.
    public static let tutorial: LoadedTask = {
        guard let task = bundled(named: TaskSpec.defaultName) else { fatalError("the bundled task \(TaskSpec.defaultName) does not load") }
        return task
    }()
}

extension EvalTask {
    /// The tutorial, with these models.
    public static func tutorial(baseModel: String = defaultBaseModel, judgeModel: String = defaultJudgeModel) -> EvalTask {
        TaskFile.tutorial.task.with(baseModel: baseModel, judgeModel: judgeModel)
    }
}
