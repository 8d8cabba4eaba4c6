import Foundation
import Yams

/// Walks a task file's YAML into a `TaskSpec`, checking each key's type and noting its line.
/// Unknown keys are errors: a misspelt optional key would otherwise be silently ignored.
struct NodeReader {
    let file: String
    private(set) var lines: [String: Int] = [:]

    init(file: String) {
        self.file = file
    }

    mutating func task(_ root: Node, directory: URL) throws(TaskError) -> TaskSpec {
        let top = try mapping(root, key: nil, known: ["name", "description", "dataset", "labels", "aliases", "base", "judge", "sample"])
        let name = try string(top, "name", required: true)!
        let description = try string(top, "description")
        let data = try mapping(require(top, "dataset"), key: "dataset", known: ["path", "title", "truth", "truth_separator"])
        var path = try string(data, "path", in: "dataset", required: true)!
        if !path.hasPrefix("/") { path = directory.appendingPathComponent(path).standardizedFileURL.path }
        let separator = try string(data, "truth_separator", in: "dataset")
        if let separator, separator.utf8.count != 1 {
            throw error("dataset.truth_separator", "must be one character (got \"\(separator)\")")
        }
        let dataset = DatasetSpec(path: path, title: try string(data, "title", in: "dataset"),
                                  truth: try string(data, "truth", in: "dataset"), truthSeparator: separator)
        let labels = try strings(top, "labels")
        if let labels, let repeated = labels.first(where: { label in labels.filter { $0 == label }.count > 1 }) {
            throw error("labels", "lists \"\(repeated)\" twice")
        }
        var aliases: [String: String]?
        if let node = top["aliases"] {
            let map = try mapping(node, key: "aliases", known: nil)
            var read: [String: String] = [:]
            for (spelling, label) in map {
                guard let label = label.string, labels?.contains(label) == true else {
                    throw error("aliases", "maps \"\(spelling)\" to \"\(label.string ?? "?")\", which is not one of the labels")
                }
                read[spelling] = label
            }
            aliases = read
        }
        let base = try prompt(top, "base", verdict: false)
        let judge = try prompt(top, "judge", verdict: true)
        return TaskSpec(name: name, description: description, dataset: dataset, labels: labels, aliases: aliases,
                        base: base.prompt, judge: judge.prompt, verdict: judge.verdict!, sample: try sample(top))
    }

    /// `sample: {count: 200, seed: 7}` or `{fraction: 0.05}`: the items people label.
    private mutating func sample(_ top: [String: Node]) throws(TaskError) -> LabelPlan? {
        guard let node = top["sample"] else { return nil }
        let map = try mapping(node, key: "sample", known: ["count", "fraction", "seed"])
        var plan = LabelPlan()
        if let count = map["count"] {
            guard let value = count.int, value >= 0 else { throw error("sample.count", "must be a whole number of items, 0 or more") }
            plan.count = value
        }
        if let fraction = map["fraction"] {
            guard let value = fraction.float, (0...1).contains(value) else { throw error("sample.fraction", "must be a share from 0 to 1") }
            plan.fraction = value
        }
        if plan.count != nil && plan.fraction != nil { throw error("sample", "gives both count and fraction; keep one") }
        if let seed = map["seed"] {
            guard let value = seed.int, value >= 0 else { throw error("sample.seed", "must be a whole number, 0 or more") }
            plan.seed = UInt64(value)
        }
        return plan
    }

    private mutating func prompt(_ top: [String: Node], _ stage: String, verdict: Bool) throws(TaskError) -> (prompt: PromptSpec, verdict: VerdictSpec?) {
        let known = ["model", "temperature", "system", "user"] + (verdict ? ["verdict"] : [])
        let map = try mapping(require(top, stage), key: stage, known: known)
        let model = try string(map, "model", in: stage) ?? (stage == "base" ? EvalTask.defaultBaseModel : EvalTask.defaultJudgeModel)
        var temperature = PromptSpec.defaultTemperature
        if let node = map["temperature"] {
            note("\(stage).temperature", node)
            guard let value = node.float, (0...2).contains(value) else { throw error("\(stage).temperature", "must be a number from 0 to 2") }
            temperature = value
        }
        let prompt = PromptSpec(model: model, temperature: temperature, system: try string(map, "system", in: stage),
                                user: try string(map, "user", in: stage, required: true)!)
        guard verdict else { return (prompt, nil) }
        let rule = try mapping(require(map, "verdict", in: stage), key: "judge.verdict", known: ["pattern", "correct", "incorrect"])
        let spec = VerdictSpec(pattern: try string(rule, "pattern", in: "judge.verdict", required: true)!,
                               correct: try strings(rule, "correct", in: "judge.verdict") ?? [],
                               incorrect: try strings(rule, "incorrect", in: "judge.verdict") ?? [])
        return (prompt, spec)
    }

    // MARK: Typed reads

    private func error(_ key: String?, _ problem: String) -> TaskError {
        TaskError(file: file, line: key.flatMap { lines[$0] }, key: key, problem: problem)
    }

    private mutating func note(_ key: String, _ node: Node) {
        if let line = node.mark?.line { lines[key] = line }
    }

    private func path(_ key: String, in parent: String?) -> String { parent.map { "\($0).\(key)" } ?? key }

    private mutating func mapping(_ node: Node, key: String?, known: [String]?) throws(TaskError) -> [String: Node] {
        guard let map = node.mapping else {
            throw TaskError(file: file, line: node.mark?.line, key: key, problem: key == nil ? "must be a mapping of keys (name:, dataset:, base:, judge:)" : "must be a mapping of keys")
        }
        var result: [String: Node] = [:]
        for (name, value) in map {
            guard let text = name.string else { continue }
            if let known, !known.contains(text) {
                throw TaskError(file: file, line: name.mark?.line, key: path(text, in: key),
                                problem: "is not a key judgetop knows here (known: \(known.joined(separator: ", ")))")
            }
            result[text] = value
            note(path(text, in: key), value)
        }
        return result
    }

    private mutating func require(_ map: [String: Node], _ key: String, in parent: String? = nil) throws(TaskError) -> Node {
        guard let node = map[key] else {
            let line = parent.flatMap { lines[$0] }
            throw TaskError(file: file, line: line, key: path(key, in: parent), problem: "is required")
        }
        return node
    }

    private mutating func string(_ map: [String: Node], _ key: String, in parent: String? = nil, required: Bool = false) throws(TaskError) -> String? {
        guard let node = map[key] else {
            if required { _ = try require(map, key, in: parent) }
            return nil
        }
        guard node.scalar != nil, let text = node.string else { throw error(path(key, in: parent), "must be text") }
        if required, text.allSatisfy(\.isWhitespace) { throw error(path(key, in: parent), "is empty") }
        return text
    }

    private mutating func strings(_ map: [String: Node], _ key: String, in parent: String? = nil) throws(TaskError) -> [String]? {
        guard let node = map[key] else { return nil }
        guard let list = node.sequence else { throw error(path(key, in: parent), "must be a list, e.g. [a, b]") }
        return try list.map { item throws(TaskError) in
            guard item.scalar != nil, let text = item.string, !text.isEmpty else { throw error(path(key, in: parent), "must list text only") }
            return text
        }
    }
}
