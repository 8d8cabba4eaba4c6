/// One dataset row: what the models see (overview) and the truth they are measured against (genres).
public struct MovieRow: Sendable, Equatable, Codable {
    /// 0-based position in the dataset; stable across runs of the same file.
    public let index: Int
    public let title: String
    public let overview: String
    /// True genres, in the dataset's order. Empty when the dataset carries no truth for the row.
    public let genres: [String]

    public init(index: Int, title: String, overview: String, genres: [String]) {
        self.index = index
        self.title = title
        self.overview = overview
        self.genres = genres
    }
}

/// The dataset's `Genre` cells ("Crime, Drama") split into their genres, each distinct cell once: a
/// dataset has few distinct genre lists ("Crime, Drama" on thousands of rows), and splitting every
/// row's cell was a tenth of reading a CSV.
public struct GenreLists {
    private var known = TextMemo<[String]>()

    public init() {}

    public mutating func split(_ cell: String) -> [String] { known.value(for: cell, Self.split(cell:)) }

    private static func split(cell: String) -> [String] {
        // Split and trimmed as bytes: Foundation's trimmingCharacters bridges through NSString, and
        // splitting by Character was most of the cost of reading a run's rows back.
        cell.utf8.split(separator: UInt8(ascii: ",")).compactMap { part in
            var trimmed = part
            while let first = trimmed.first, first == 0x20 || first == 0x09 { trimmed = trimmed.dropFirst() }
            while let last = trimmed.last, last == 0x20 || last == 0x09 { trimmed = trimmed.dropLast() }
            return trimmed.isEmpty ? nil : String(Substring(trimmed))
        }
    }
}

import Foundation
