/// A problem with a task, phrased for the person who has to fix it: the file, the line and the
/// key, as `tickets.yaml:14: judge.verdict.pattern has no group named verdict`.
public struct TaskError: Error, CustomStringConvertible, Equatable {
    public var file: String?
    public var line: Int?
    /// The key's path in the task file (`judge.verdict.pattern`); nil for the file as a whole.
    public var key: String?
    public var problem: String

    public init(file: String? = nil, line: Int? = nil, key: String?, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        let place = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        let subject = key.map { "\($0) " } ?? ""
        return (place.isEmpty ? "task: " : "\(place): ") + subject + problem
    }
}
