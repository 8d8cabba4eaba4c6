import JudgeCore

/// Simulated models for any task but the tutorial (which keeps `SimulatedModels`' hand-made cues).
/// Deterministic keyword heuristics, not language models: for a label task, a small model that
/// knows a few cue words per label and slips on the format now and then, and a judge that knows
/// more cues and answers in the task's verdict format; for a free-text task, an extractive answer
/// that sometimes adds what the text does not say, and a judge that is sometimes wrong.
public struct SimulatedTask: Sendable {
    public let task: EvalTask
    private let baseUser: TemplateReader?
    private let judgeUser: TemplateReader?
    private let judgeSystem: String?
    private let smallCues: LabelCues?
    private let largeCues: LabelCues?

    /// `examples`: items whose truth the cue words are learned from (none: the labels' own names).
    public init(task: EvalTask, examples: [Item] = []) {
        self.task = task
        let plain = Item(index: 0, title: "", fields: task.promptColumns.map { _ in "" }, truth: [])
        baseUser = (try? PromptTemplate(task.spec.base.user)).flatMap(TemplateReader.init)
        judgeUser = (try? PromptTemplate(task.spec.judge.user)).flatMap(TemplateReader.init)
        // A system prompt that reads no column is the same on every request: it tells the stages apart.
        let system = task.judgePrompt(for: plain, baseAnswer: "").system
        judgeSystem = system == task.basePrompt(for: plain).system ? nil : system
        smallCues = task.labels.map { LabelCues(labels: $0, examples: examples, perLabel: 6) }
        largeCues = task.labels.map { LabelCues(labels: $0, examples: examples, perLabel: 30) }
    }

    /// How many of a task's first items its cue words are learned from.
    public static let examplesRead = 5_000

    /// The simulated models a run of `task` needs: none for the tutorial, which the hand-made models
    /// answer; else the task's own, learned from `examples` (read only then).
    public static func models(for task: EvalTask, examples: () throws -> [Item]) rethrows -> [SimulatedTask] {
        guard task.spec.name != TaskSpec.defaultName else { return [] }
        return [SimulatedTask(task: task, examples: try examples())]
    }

    /// The answer to a request of this task, or nil when the request is not one of its.
    func answer(system: String, user: String) -> String? {
        if judgeSystem.map({ $0 == system }) ?? true, let values = judgeUser?.read(user), let base = values[TaskSpec.baseAnswerName] {
            return judgeAnswer(text: text(values), baseAnswer: base)
        }
        if judgeSystem != system, let values = baseUser?.read(user) { return baseAnswer(text: text(values)) }
        return nil
    }

    /// The item's text as the prompts show it: its columns' values, in the task's order.
    private func text(_ values: [String: String]) -> String {
        task.promptColumns.compactMap { values[$0] }.joined(separator: "\n")
    }

    func baseAnswer(text: String) -> String {
        let hash = StableHash.fnv1a("format:" + task.baseModel + ":" + text) % 100
        guard let cues = smallCues else { return Logline.base(text, hash: hash) }
        let label = cues.best(text)
        switch hash {
        case 0..<3: return label.lowercased()
        case 3..<5: return label + "."
        case 5: return "The answer is \(label)"
        default: return label
        }
    }

    func judgeAnswer(text: String, baseAnswer: String) -> String {
        let rule = task.scoring.verdict
        let verdict: Verdict
        var own: String?
        if let cues = largeCues, let labels = task.labels {
            let label = cues.best(text, minimum: 2)
            own = label
            let plausible = baseAnswer == label || cues.score(text, of: baseAnswer) >= 2
            verdict = labels.contains(baseAnswer) && plausible ? .correct : .incorrect
        } else {
            verdict = Logline.faithful(baseAnswer, to: text) != (StableHash.fnv1a("judge-slip:" + text) % 12 == 0) ? .correct : .incorrect
            if rule.hasLabel { own = Logline.base(text, hash: 50) }
        }
        let word = verdict == .correct ? rule.correct[0] : rule.incorrect[0]
        return VerdictWriter.write(rule, label: own, word: word, verdict: verdict)
    }
}

/// Free-text answers: a logline is the overview's first sentence, cut to twenty words; one in six
/// adds a twist the text never mentions. Faithful means every longer word of it is in the text.
enum Logline {
    static func base(_ text: String, hash: UInt64) -> String {
        let body = text.split(separator: "\n").map(String.init).max(by: { $0.count < $1.count }) ?? text
        let sentence = body.split(separator: ".", maxSplits: 1).first.map(String.init) ?? body
        var words = sentence.split(separator: " ").prefix(20).joined(separator: " ")
        if hash % 6 == 0 { words += ", until a secret twin returns from the dead" }
        return words + "."
    }

    static func faithful(_ answer: String, to text: String) -> Bool {
        let known = Set(words(text))
        return words(answer).allSatisfy { $0.count < 4 || known.contains($0) }
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
    }
}
