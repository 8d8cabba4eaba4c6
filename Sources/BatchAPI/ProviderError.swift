import Foundation
import JudgeCore

/// A failure talking to the provider, carrying what a person needs to act on it.
public enum ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The provider answered with an HTTP error (from the `{"error": {...}}` envelope when there is one).
    case http(status: Int, type: String?, code: String?, message: String, operation: String)
    /// No HTTP answer at all: refused, timed out, reset.
    case transport(message: String, operation: String)
    /// An answer that is not what the protocol promises.
    case malformed(message: String, operation: String)

    public var status: Int? {
        if case .http(let status, _, _, _, _) = self { return status }
        return nil
    }

    public var code: String? {
        if case .http(_, _, let code, _, _) = self { return code }
        return nil
    }

    /// 429 for lack of credit rather than pace: retrying cannot help.
    public var isQuotaExhausted: Bool { code == "insufficient_quota" }

    /// Worth another try: the request may succeed later unchanged.
    public var isRetryable: Bool {
        switch self {
        case .transport: return true
        case .malformed: return false
        case .http(let status, _, _, _, _):
            if status == 429 { return !isQuotaExhausted }
            return [408, 500, 502, 503, 504].contains(status)
        }
    }

    public var description: String {
        switch self {
        case .http(let status, _, let code, let message, let operation):
            let hint: String
            switch status {
            case 401: hint = " Check the API key: judgetop reads it from the environment variable named by --api-key-env."
            case 403: hint = " The key is not allowed to do this; check the key's project and permissions."
            case 404: hint = " The provider does not know this id or path; check --base-url."
            case 429 where isQuotaExhausted: hint = " The account is out of credit; add credit, then resume."
            default: hint = ""
            }
            let codePart = code.map { " [\($0)]" } ?? ""
            return "\(operation) failed: HTTP \(status)\(codePart): \(TerminalText.sanitize(message)).\(hint)"
        case .transport(let message, let operation):
            return "\(operation) failed: cannot reach the provider (\(TerminalText.sanitize(message))). Check --base-url and the network."
        case .malformed(let message, let operation):
            return "\(operation) failed: the provider's answer is not valid (\(TerminalText.sanitize(message)))."
        }
    }

    /// Reads the error envelope of a non-2xx answer; a body that is not JSON (a gateway's HTML page)
    /// is quoted briefly instead.
    static func fromResponse(status: Int, body: Data, operation: String) -> ProviderError {
        if let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: body), let inner = envelope.error {
            return .http(status: status, type: inner.type, code: inner.code,
                         message: inner.message ?? "no message", operation: operation)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return .http(status: status, type: nil, code: nil, message: text.isEmpty ? "empty body" : text, operation: operation)
    }
}
