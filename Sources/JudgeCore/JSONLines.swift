import Foundation

/// A JSONL dataset: one JSON object a line, read a line at a time from the file's bytes. Values
/// become text: strings as they are, numbers and booleans as written, null as empty; a list or
/// object in a column the task reads is an error naming the line.
struct JSONLines {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var place: CSVRecords.Place

    init(_ bytes: UnsafeBufferPointer<UInt8>, from place: CSVRecords.Place = .init()) {
        self.bytes = bytes
        self.place = place
    }

    static func isJSONLines(_ source: String) -> Bool {
        let lower = source.lowercased()
        return lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
    }

    /// The keys of the first object, in the file's order.
    static func firstKeys(_ data: Data, source: String) throws -> [String] {
        try data.withUnsafeBytes { raw in
            var lines = JSONLines(raw.assumingMemoryBound(to: UInt8.self))
            guard let (line, object) = try lines.nextObject(source: source) else {
                throw DatasetError(file: source, line: nil, problem: "is empty", fix: "give one JSON object a line")
            }
            return try Self.keys(of: object, line: line, source: source)
        }
    }

    /// The next item, blank lines skipped; nil at the end.
    mutating func next(index: Int, layout: DatasetLayout, source: String, truths: inout TruthLists) throws -> Item? {
        guard let (line, object) = try nextObject(source: source) else { return nil }
        let values = try Self.values(object, line: line, source: source)
        func value(_ key: String) throws -> String {
            guard let value = values[key] else {
                throw DatasetError(file: source, line: line, problem: "has no key \"\(key)\" on this line",
                                   fix: "give every line the keys the task reads: \(layout.columns.joined(separator: ", "))",
                                   missingColumns: [key])
            }
            return try value.text(key: key, line: line, source: source)
        }
        return Item(index: index, title: try layout.title.map(value) ?? Item.untitled(index),
                    fields: try layout.prompts.map(value), truth: try layout.truth.map { truths.split(try value($0)) } ?? [])
    }

    private mutating func nextObject(source: String) throws -> (line: Int, object: Data)? {
        while place.offset < bytes.count {
            let line = place.line
            let start = place.offset
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            place = CSVRecords.Place(offset: min(end + 1, bytes.count), line: line + 1)
            let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard text.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { continue }
            return (line, Data(text))
        }
        return nil
    }

    private static func keys(of object: Data, line: Int, source: String) throws -> [String] {
        // Dictionary order is not the file's: the keys in order of their first appearance in the text.
        let values = try Self.values(object, line: line, source: source)
        let text = String(decoding: object, as: UTF8.self)
        return values.keys.sorted { (text.range(of: "\"\($0)\"")?.lowerBound ?? text.endIndex) < (text.range(of: "\"\($1)\"")?.lowerBound ?? text.endIndex) }
    }

    private static func values(_ object: Data, line: Int, source: String) throws -> [String: Scalar] {
        do { return try JSONDecoder().decode([String: Scalar].self, from: object) } catch {
            throw DatasetError(file: source, line: line, problem: "is not a JSON object on this line (\(reason(error)))",
                               fix: "write one JSON object a line, such as {\"text\": \"…\", \"label\": \"…\"}")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0.localizedDescription)" }) ?? context.debugDescription
        }
        if case DecodingError.typeMismatch = error { return "not an object" }
        return "\(error)"
    }

    /// A JSON value as a dataset cell.
    enum Scalar: Decodable {
        case text(String)
        case nested

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() { self = .text(""); return }
            if let bool = try? value.decode(Bool.self) { self = .text(String(bool)); return }
            if let int = try? value.decode(Int.self) { self = .text(String(int)); return }
            if let number = try? value.decode(Double.self) { self = .text(String(number)); return }
            if let text = try? value.decode(String.self) { self = .text(text); return }
            self = .nested
        }

        func text(key: String, line: Int, source: String) throws -> String {
            guard case .text(let text) = self else {
                throw DatasetError(file: source, line: line, problem: "has a list or object under \"\(key)\"",
                                   fix: "give the task's columns plain values (text, numbers)")
            }
            return text
        }
    }
}
