import BatchAPI
import JudgeCore

/// Why a run stopped, said so a person can act.
public enum EngineError: Error, CustomStringConvertible {
    /// The provider rejected a batch's input file; nothing is resubmitted blindly.
    case validationFailed(stage: Stage, batchID: String, problems: [String])
    case provider(ProviderError)
    /// The account is out of credit: retrying cannot help.
    case quotaExhausted(ProviderError)

    public var description: String {
        switch self {
        case .validationFailed(let stage, let batchID, let problems):
            let shown = problems.prefix(20).map { "  " + $0 }.joined(separator: "\n")
            let more = problems.count > 20 ? "\n  … and \(problems.count - 20) more" : ""
            return """
                the provider rejected the \(stage.rawValue) input file of batch \(TerminalText.sanitize(batchID)) at validation:
                \(shown)\(more)
                Nothing was resubmitted. Fix the cause (model name, request format) and start a new run.
                """
        case .provider(let error):
            return error.description
        case .quotaExhausted(let error):
            return "\(error.description)\nThe run stopped instead of retrying; what was answered is stored. Add credit, then `judgetop resume`."
        }
    }
}
