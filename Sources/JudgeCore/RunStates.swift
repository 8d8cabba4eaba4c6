/// Where a run stands, as the store keeps it and reports show it.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// Created, or a process is working on it (or was, until it was killed).
    case running
    /// Stopped before the end by a signal or a closed dashboard; `resume` goes on.
    case interrupted
    /// Every request answered or out of attempts, and reported.
    case done
    /// Ended with requests unanswered (or an error); `resume` tries them again.
    case failed
    /// A person cancelled it; nothing more is sent unless they ask.
    case cancelled

    /// What `resume` picks up when no run is named.
    public var isResumable: Bool { self == .running || self == .interrupted || self == .failed }
    /// The engine has stopped on its own: the run is over unless someone reworks it.
    public var isFinished: Bool { self == .done || self == .failed }
}

/// How requests reach the provider.
public enum RunMode: String, Sendable, Codable, CaseIterable {
    /// The Files and Batches API: one JSONL file per batch, answered within the completion window.
    case batch
    /// Concurrent chat completions, for endpoints with no Batch API.
    case online
}

/// Which endpoint a run talks to.
public enum ProviderKind: String, Sendable, Codable, CaseIterable {
    /// judgetop's embedded simulator: simulated models, no key.
    case sim
    case kluster
    case openai
    /// Any OpenAI-compatible endpoint named by `--base-url`.
    case custom
}
