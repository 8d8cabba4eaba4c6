import BatchAPI

/// Checks a request body the way OpenAI does before answering it: the model is one the simulator
/// serves, and every message has a known role and content. The same check answers a chat or
/// responses call with 400 or 404, and fails a batch line with the same error in the error file.
struct RequestCheck {
    let models: [String]?

    struct Problem: Error, Equatable {
        let status: Int
        let error: ErrorEnvelope.Detail
    }

    static let roles = ["system", "assistant", "user", "tool", "function", "developer"]

    func problem(model: String?, messages: [ChatRequest.Message]?, messagesName: String = "messages") -> Problem? {
        guard let model, !model.isEmpty else { return missing("model") }
        if let models, !models.contains(model) {
            return Problem(status: 404, error: .init(message: "The model `\(model)` does not exist or you do not have access to it.",
                                                     type: "invalid_request_error", param: "model", code: "model_not_found"))
        }
        guard let messages, !messages.isEmpty else { return missing(messagesName) }
        for (i, message) in messages.enumerated() {
            guard let role = message.role else { return missing("\(messagesName)[\(i)].role") }
            guard Self.roles.contains(role) else {
                return Problem(status: 400, error: .init(message: Self.invalidValue(role, supported: Self.roles),
                                                         type: "invalid_request_error", param: "\(messagesName)[\(i)].role", code: "invalid_value"))
            }
            guard message.hasContent || role == "assistant" else { return missing("\(messagesName)[\(i)].content") }
        }
        return nil
    }

    /// OpenAI's words for a value outside a set: `Invalid value: 'x'. Supported values are: 'a', 'b' and 'c'.`
    static func invalidValue(_ value: String, supported: [String]) -> String {
        let quoted = supported.map { "'\($0)'" }
        let listed = quoted.count > 1 ? quoted.dropLast().joined(separator: ", ") + " and " + quoted.last! : quoted.joined()
        return "Invalid value: '\(value)'. Supported values are: \(listed)."
    }

    private func missing(_ param: String) -> Problem {
        Problem(status: 400, error: .init(message: "Missing required parameter: '\(param)'.", type: "invalid_request_error",
                                          param: param, code: "missing_required_parameter"))
    }
}
