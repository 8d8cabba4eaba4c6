/// One dataset row as a task reads it: its name, the fields its prompts use and its truth.
public struct Item: Sendable, Equatable, Codable {
    /// 0-based position in the dataset; stable across runs of the same file.
    public let index: Int
    /// The task's title column, or "row N" (counted from 1) when the task names none.
    public let title: String
    /// The values of the task's prompt columns (`TaskSpec.promptColumns`), in that order.
    public let fields: [String]
    /// The true labels, in the dataset's order. Empty when the dataset carries no truth for the row.
    public let truth: [String]

    public init(index: Int, title: String, fields: [String], truth: [String]) {
        self.index = index
        self.title = title
        self.fields = fields
        self.truth = truth
    }

    /// An item of a task whose prompts read one column (the tutorial's overview).
    public init(index: Int, title: String, text: String, truth: [String]) {
        self.init(index: index, title: title, fields: [text], truth: truth)
    }

    /// The first prompt field: the whole of what a one-column task shows its models.
    public var text: String { fields.first ?? "" }

    /// The title of a dataset without a title column.
    public static func untitled(_ index: Int) -> String { "row \(index + 1)" }
}

/// Truth cells ("Crime, Drama") split into their labels, each distinct cell once: a dataset has few
/// distinct truth cells ("Crime, Drama" on thousands of rows), and splitting every row's cell was a
/// tenth of reading a CSV. Without a separator a cell is one label. Labels are trimmed, line breaks
/// inside one become spaces (the store keeps a row's labels one a line), and empty ones are dropped.
public struct TruthLists {
    private var known = TextMemo<[String]>()
    private let separator: UInt8?

    /// `separator`: one ASCII character, or nil.
    public init(separator: String?) {
        self.separator = separator.flatMap { $0.utf8.count == 1 ? $0.utf8.first : nil }
    }

    /// How the store joins a row's labels, and splits them again.
    public static var stored: TruthLists { TruthLists(separator: "\n") }
    public static func join(_ labels: [String]) -> String { labels.joined(separator: "\n") }

    public mutating func split(_ cell: String) -> [String] {
        let separator = self.separator
        return known.value(for: cell) { Self.split(cell: $0, separator: separator) }
    }

    private static func split(cell: String, separator: UInt8?) -> [String] {
        // Split and trimmed as bytes: Foundation's trimmingCharacters bridges through NSString, and
        // splitting by Character was most of the cost of reading a run's rows back.
        let parts = separator.map { s in cell.utf8.split(separator: s) } ?? [cell.utf8[...]]
        return parts.compactMap { part in
            var trimmed = part
            while let first = trimmed.first, first == 0x20 || first == 0x09 || first == 0x0A || first == 0x0D { trimmed = trimmed.dropFirst() }
            while let last = trimmed.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { trimmed = trimmed.dropLast() }
            guard !trimmed.isEmpty else { return nil }
            let label = String(Substring(trimmed))
            return label.contains(where: \.isNewline) ? label.split(whereSeparator: \.isNewline).joined(separator: " ") : label
        }
    }
}
