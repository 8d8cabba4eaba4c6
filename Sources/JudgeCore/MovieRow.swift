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

    /// Splits the dataset's `Genre` cell ("Crime, Drama") into its genres.
    public static func splitGenres(_ cell: String) -> [String] {
        cell.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

import Foundation
