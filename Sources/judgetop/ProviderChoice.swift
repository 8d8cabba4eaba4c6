import ArgumentParser
import Foundation
import JudgeCore
import Simulator

/// Which endpoint a run talks to, and how it gets its key.
struct ProviderChoice {
    let kind: ProviderKind
    let baseURL: String?
    let apiKeyEnv: String?

    var isSimulator: Bool { baseURL == nil }

    static let kluster = (url: "https://api.kluster.ai/v1", env: "KLUSTER_API_KEY")
    static let openai = (url: "https://api.openai.com/v1", env: "OPENAI_API_KEY")

    /// `--provider` wins; then `--base-url`; then a key in the environment picks kluster.ai or
    /// OpenAI; with none of these, the embedded simulator.
    static func resolve(provider: ProviderKind?, baseURL: String?, apiKeyEnv: String?,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ProviderChoice {
        func has(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty }
        switch provider {
        case .sim:
            return ProviderChoice(kind: .sim, baseURL: nil, apiKeyEnv: nil)
        case .kluster:
            return ProviderChoice(kind: .kluster, baseURL: baseURL ?? kluster.url, apiKeyEnv: apiKeyEnv ?? kluster.env)
        case .openai:
            return ProviderChoice(kind: .openai, baseURL: baseURL ?? openai.url, apiKeyEnv: apiKeyEnv ?? openai.env)
        case .custom, nil:
            if let baseURL { return ProviderChoice(kind: .custom, baseURL: baseURL, apiKeyEnv: apiKeyEnv) }
            if provider == .custom { throw CommandFailure.input("--provider custom needs --base-url to say where the endpoint is") }
            if let apiKeyEnv { throw CommandFailure.input("--api-key-env \(apiKeyEnv) needs --provider or --base-url to say where the key goes") }
            if has(kluster.env) { return ProviderChoice(kind: .kluster, baseURL: kluster.url, apiKeyEnv: kluster.env) }
            if has(openai.env) { return ProviderChoice(kind: .openai, baseURL: openai.url, apiKeyEnv: openai.env) }
            return ProviderChoice(kind: .sim, baseURL: nil, apiKeyEnv: nil)
        }
    }

    /// The key from the environment. A custom endpoint without `--api-key-env` gets a placeholder,
    /// as local servers (vLLM, llama.cpp) accept any key.
    func apiKey(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let apiKeyEnv else { return "no-key" }
        guard let key = environment[apiKeyEnv], !key.isEmpty else {
            throw CommandFailure.input("the environment variable \(apiKeyEnv) is not set; export your \(kind.rawValue) API key in it (judgetop never stores the key)")
        }
        // Checked before any request, and never echoed: `export K=$(cat key.txt)` keeps a Windows
        // line ending, which an HTTP header cannot carry.
        if let bad = key.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
            let what = bad == "\r" || bad == "\n" ? "a line break" : bad == "\t" ? "a tab" : "a control character"
            throw CommandFailure.input("the key in $\(apiKeyEnv) contains \(what); remove it (for example `export \(apiKeyEnv)=$(tr -d '\\r\\n' < key.txt)`)")
        }
        if key.first == " " || key.last == " " {
            throw CommandFailure.input("the key in $\(apiKeyEnv) begins or ends with a space; remove it")
        }
        return key
    }
}

extension ProviderKind: ExpressibleByArgument {
    /// Any casing; `simulator` names the simulator too.
    public init?(argument: String) {
        let name = argument.lowercased()
        self.init(rawValue: name == "simulator" ? "sim" : name)
    }
}

extension RunMode: ExpressibleByArgument {}
