import ArgumentParser
import JudgeCore

extension LabelSource: ExpressibleByArgument {}

/// `--labels truth` needs truth the task can score answers against; said before anything starts.
func checkedSource(_ source: LabelSource?, spec: TaskSpec) throws -> LabelSource? {
    guard source == .truth, spec.dataset.truth == nil || spec.labels == nil else { return source }
    let why = spec.dataset.truth == nil ? "its dataset names no truth column" : "its answers are free text"
    throw CommandFailure.input("--labels truth: task \(spec.name) has no truth to label the sample with (\(why)); use --labels human")
}
