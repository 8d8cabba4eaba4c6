import Synchronization

/// One chat request as the task defines it, before any wire format: the provider layer encodes it.
public struct ChatPrompt: Sendable, Equatable {
    public let model: String
    public let system: String
    /// The user's message in the pieces its template composes it of: a batch line escapes each
    /// piece into place, where joining them first made and copied each message once more.
    public let userParts: [String]
    public let temperature: Double

    public var user: String { userParts.count == 1 ? userParts[0] : userParts.joined() }

    public init(model: String, system: String, user: String, temperature: Double) {
        self.init(model: model, system: system, userParts: [user], temperature: temperature)
    }

    public init(model: String, system: String, userParts: [String], temperature: Double) {
        self.model = model
        self.system = system
        self.userParts = userParts
        self.temperature = temperature
    }

    public static func == (lhs: ChatPrompt, rhs: ChatPrompt) -> Bool {
        lhs.model == rhs.model && lhs.system == rhs.system && lhs.user == rhs.user && lhs.temperature == rhs.temperature
    }
}

/// The two stages of an evaluation.
public enum Stage: String, Sendable, Codable, CaseIterable {
    case base
    case judge
}

/// A task ready to run: its templates compiled, its verdict rule and label set built, and the
/// models a run uses (the task's, or the command line's instead).
public struct EvalTask: Sendable {
    public static let defaultBaseModel = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo"
    public static let defaultJudgeModel = "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo"

    public let spec: TaskSpec
    public var baseModel: String
    public var judgeModel: String
    public let scoring: Scoring
    /// The dataset columns the prompts read, in order of first use: an item's `fields`.
    public let promptColumns: [String]
    /// The names each template uses, by its key in the task file (`base.user`).
    public let templateVariables: [String: [String]]
    /// One property each, not a dictionary: looking one up hashed its key's name, twice a prompt.
    private let baseSystem, baseUser, judgeSystem, judgeUser: CompiledPrompt?

    /// The four templates by their key in the task file.
    public enum TemplateKey: String, CaseIterable, Sendable {
        case baseSystem = "base.system", baseUser = "base.user", judgeSystem = "judge.system", judgeUser = "judge.user"
        var isJudge: Bool { self == .judgeSystem || self == .judgeUser }
    }

    /// A task compiled once a process: a run's settings are read again and again (each report, each
    /// rerun), and each compile parses four templates and a regular expression.
    public static func compiled(_ spec: TaskSpec, baseModel: String, judgeModel: String) throws(TaskError) -> EvalTask {
        if let known = compiledTasks.withLock({ $0[spec] }) { return known.with(baseModel: baseModel, judgeModel: judgeModel) }
        let task = try EvalTask(spec: spec)
        compiledTasks.withLock { cache in
            if cache.count > 64 { cache.removeAll() }
            cache[spec] = task
        }
        return task.with(baseModel: baseModel, judgeModel: judgeModel)
    }

    private static let compiledTasks = Mutex<[TaskSpec: EvalTask]>([:])

    /// Compiles a task; errors name the key at fault (`TaskFile` adds the file and line).
    public init(spec: TaskSpec, baseModel: String? = nil, judgeModel: String? = nil) throws(TaskError) {
        self.spec = spec
        self.baseModel = baseModel ?? spec.base.model
        self.judgeModel = judgeModel ?? spec.judge.model
        var labelSet: LabelSet?
        if let labels = spec.labels {
            guard !labels.isEmpty else { throw TaskError(key: "labels", problem: "is empty; list the labels, or drop the key for free-text answers") }
            labelSet = LabelSet(labels, aliases: spec.aliases ?? [:])
        }
        let rule: VerdictRule
        do { rule = try VerdictRule(pattern: spec.verdict.pattern, correct: spec.verdict.correct, incorrect: spec.verdict.incorrect) } catch {
            throw Self.error(error)
        }
        scoring = Scoring(labels: labelSet, verdict: rule)
        var sources: [TemplateKey: String] = [.baseUser: spec.base.user, .judgeUser: spec.judge.user]
        sources[.baseSystem] = spec.base.system
        sources[.judgeSystem] = spec.judge.system
        var columns: [String] = []
        var parsed: [TemplateKey: PromptTemplate] = [:]
        for key in TemplateKey.allCases {
            guard let source = sources[key] else { continue }
            let template: PromptTemplate
            do { template = try PromptTemplate(source) } catch { throw TaskError(key: key.rawValue, problem: "is not a valid template: \(error)") }
            for name in template.variables {
                switch name {
                case TaskSpec.labelsName where labelSet == nil:
                    throw TaskError(key: key.rawValue, problem: "uses {{labels}}, but the task has no labels; add a labels list or drop {{labels}}")
                case TaskSpec.baseAnswerName where !key.isJudge:
                    throw TaskError(key: key.rawValue, problem: "uses {{base_answer}}, which only the judge's templates can see")
                case TaskSpec.labelsName, TaskSpec.baseAnswerName:
                    break
                default:
                    if !columns.contains(name) { columns.append(name) }
                }
            }
            parsed[key] = template
        }
        promptColumns = columns
        templateVariables = Dictionary(uniqueKeysWithValues: parsed.map { ($0.key.rawValue, $0.value.variables) })
        let labelsText = labelSet?.promptList ?? ""
        let compiled = parsed.mapValues { CompiledPrompt($0, columns: columns, labels: labelsText) }
        (baseSystem, baseUser) = (compiled[.baseSystem], compiled[.baseUser])
        (judgeSystem, judgeUser) = (compiled[.judgeSystem], compiled[.judgeUser])
    }

    private static func error(_ problem: VerdictRule.Problem) -> TaskError {
        switch problem {
        case .invalidPattern(let why):
            TaskError(key: "judge.verdict.pattern", problem: "is not a valid regular expression: \(why)")
        case .noVerdictGroup:
            TaskError(key: "judge.verdict.pattern", problem: "has no group named verdict; mark the verdict word with (?<verdict>…)")
        case .noWords(let verdict):
            TaskError(key: "judge.verdict.\(verdict.rawValue)", problem: "lists no words; give at least one word that means \(verdict.rawValue)")
        case .wordInBoth(let word):
            TaskError(key: "judge.verdict.incorrect", problem: "lists \"\(word)\", which judge.verdict.correct lists too")
        }
    }

    /// The task's own models and temperatures, with other models in their place.
    public func with(baseModel: String, judgeModel: String) -> EvalTask {
        var task = self
        task.baseModel = baseModel
        task.judgeModel = judgeModel
        return task
    }

    public var labels: LabelSet? { scoring.labels }
    public var hasTruth: Bool { spec.dataset.truth != nil }

    public func basePrompt(for item: Item) -> ChatPrompt {
        ChatPrompt(model: baseModel, system: baseSystem?.text(item, baseAnswer: nil) ?? "",
                   userParts: baseUser?.render(item, baseAnswer: nil) ?? [], temperature: spec.base.temperature)
    }

    public func judgePrompt(for item: Item, baseAnswer: String) -> ChatPrompt {
        ChatPrompt(model: judgeModel, system: judgeSystem?.text(item, baseAnswer: baseAnswer) ?? "",
                   userParts: judgeUser?.render(item, baseAnswer: baseAnswer) ?? [], temperature: spec.judge.temperature)
    }
}

/// A template bound to a task's columns: plain templates render by joining pieces, others through
/// the library with every value by name. A class, so that rendering a row's prompt copies no tables.
final class CompiledPrompt: Sendable {
    private enum Slot: Sendable {
        case text(String), field(Int), baseAnswer
    }

    private let template: PromptTemplate
    private let slots: [Slot]?
    /// The whole text when it is the same on every row (a system prompt, most often): no row
    /// copies it (the tutorial's judge system prompt is 2 KB, sent with every row).
    private let constant: String?
    private let columns: [String]
    private let labels: String

    init(_ template: PromptTemplate, columns: [String], labels: String) {
        self.template = template
        self.columns = columns
        self.labels = labels
        // The label list is the same on every row: folded into the text around it.
        slots = template.pieces.map { pieces in
            var slots: [Slot] = []
            for piece in pieces {
                let slot: Slot = switch piece {
                case .text(let text): .text(text)
                case .variable(TaskSpec.labelsName): .text(labels)
                case .variable(TaskSpec.baseAnswerName): .baseAnswer
                case .variable(let name): .field(columns.firstIndex(of: name)!)
                }
                if case .text(let text) = slot, case .text(let before)? = slots.last {
                    slots[slots.count - 1] = .text(before + text)
                } else {
                    slots.append(slot)
                }
            }
            return slots
        }
        if let slots, slots.count <= 1 {
            if case .text(let text)? = slots.first { constant = text } else { constant = slots.isEmpty ? "" : nil }
        } else {
            constant = nil
        }
    }

    /// The whole message.
    func text(_ item: Item, baseAnswer: String?) -> String {
        if let constant { return constant }
        let parts = render(item, baseAnswer: baseAnswer)
        return parts.count == 1 ? parts[0] : parts.joined()
    }

    func render(_ item: Item, baseAnswer: String?) -> [String] {
        guard let slots else {
            var values = Dictionary(zip(columns, item.fields), uniquingKeysWith: { first, _ in first })
            values[TaskSpec.labelsName] = labels
            values[TaskSpec.baseAnswerName] = baseAnswer
            return [template.render(values)]
        }
        var parts: [String] = []
        parts.reserveCapacity(slots.count)
        for slot in slots {
            switch slot {
            case .text(let text): parts.append(text)
            case .field(let i): parts.append(i < item.fields.count ? item.fields[i] : "")
            case .baseAnswer: parts.append(baseAnswer ?? "")
            }
        }
        return parts
    }
}
