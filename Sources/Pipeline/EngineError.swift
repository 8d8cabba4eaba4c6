import BatchAPI
import JudgeCore

/// Why a run stopped, said so a person can act.
public enum EngineError: Error, CustomStringConvertible {
    /// The provider rejected a batch's input file; nothing is resubmitted blindly.
    case validationFailed(stage: Stage, batchID: String, problems: [String])
    case provider(ProviderError)
    /// The account is out of credit: retrying cannot help.
    case quotaExhausted(ProviderError)
    /// The server does not serve a model the run names; `offered` is what its `/v1/models` lists
    /// (nil when it has no such list).
    case modelNotFound(model: String, offered: [String]?, detail: String)

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
        case .modelNotFound(let model, let offered, let detail):
            let safe = { (text: String) in TerminalText.sanitize(text) }
            let names = offered.map { $0.isEmpty ? "its /v1/models lists none" : "it offers: " + $0.prefix(30).map(safe).joined(separator: ", ") }
                ?? "it has no /v1/models to say which it offers"
            return """
                the server does not serve the model \(safe(model)) (\(safe(detail))); \(names).
                Pass the name it uses with --base-model or --judge-model and start a new run.
                """
        }
    }
}
