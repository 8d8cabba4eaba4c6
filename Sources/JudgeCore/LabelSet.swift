/// The labels a task's answers are read onto, in the task's order, and the other spellings a model
/// may use for them.
public struct LabelSet: Sendable, Equatable {
    public let all: [String]
    /// Folded spelling (`fold`) to label, the labels' own among them.
    private let byFoldedName: [String: String]
    private let positions: [String: Int]

    /// `aliases`: other spellings and the label each means.
    public init(_ labels: [String], aliases: [String: String] = [:]) {
        all = labels
        positions = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var map: [String: String] = [:]
        for label in labels where map[Self.fold(label)] == nil { map[Self.fold(label)] = label }
        for (spelling, label) in aliases.sorted(by: { $0.key < $1.key }) { map[Self.fold(spelling)] = label }
        byFoldedName = map
    }

    /// The list as prompts spell it (`{{labels}}`).
    public var promptList: String { all.joined(separator: ", ") }

    /// A label's position in `all`, or nil for any other text.
    public func position(of label: String) -> Int? { positions[label] }

    public func contains(_ text: String) -> Bool { positions[text] != nil }

    /// Maps free text onto the label set the lenient way: trimmed, case-folded, quotes and trailing
    /// punctuation removed. Nil when the text names no label.
    public func lenientMatch(_ text: String) -> String? { byFoldedName[Self.fold(text)] }

    /// Trimmed of spaces, quotes and punctuation at both ends, and lowercased.
    public static func fold(_ text: String) -> String {
        // A switch, not a Set: hashing each character was a third of a million-row report's time.
        func trimmed(_ c: Character) -> Bool {
            switch c {
            case " ", "\t", "\n", "\r", "\"", "'", "`", ".", ",", ";", ":", "!", "?", "*": true
            default: false
            }
        }
        var s = Substring(text)
        while let c = s.first, trimmed(c) { s = s.dropFirst() }
        while let c = s.last, trimmed(c) { s = s.dropLast() }
        return s.lowercased()
    }
}
