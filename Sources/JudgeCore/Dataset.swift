import Foundation
import SwiftCSV

/// A loaded evaluation dataset: its rows in file order and where it came from.
public struct Dataset: Sendable {
    public static let requiredColumns = ["Series_Title", "Overview", "Genre"]

    public let rows: [MovieRow]
    /// A human name for the source: the file path, or "bundled IMDB top-1000".
    public let source: String

    public init(rows: [MovieRow], source: String) {
        self.rows = rows
        self.source = source
    }

    /// The IMDB top-1000 dataset shipped with judgetop.
    public static var bundledURL: URL {
        guard let url = Bundle.module.url(forResource: "imdb_top_1000", withExtension: "csv") else {
            fatalError("the bundled dataset is missing from the JudgeCore resources")
        }
        return url
    }

    public static func bundled() throws -> Dataset {
        var dataset = try load(contentsOf: bundledURL)
        dataset = Dataset(rows: dataset.rows, source: "bundled IMDB top-1000")
        return dataset
    }

    /// Loads a CSV with the columns `Series_Title`, `Overview` and `Genre` (other columns are ignored).
    public static func load(contentsOf url: URL) throws -> Dataset {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError(file: path, line: nil, problem: "file not found", fix: "check the path given to --dataset")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DatasetError(file: path, line: nil, problem: "cannot be read (\(error.localizedDescription))",
                               fix: "check the file's permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DatasetError(file: path, line: nil, problem: "is not valid UTF-8 text", fix: "save the CSV as UTF-8")
        }
        return try parse(text: text, source: path)
    }

    /// Parses CSV text. Errors name `source` and the physical line of the offending record.
    public static func parse(text: String, source: String) throws -> Dataset {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DatasetError(file: source, line: nil, problem: "is empty",
                               fix: "give a CSV with a header line and at least one row")
        }
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
        } catch {
            throw DatasetError(file: source, line: 1, problem: "header line cannot be parsed (\(error))",
                               fix: "check the quoting of the header line")
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw DatasetError(file: source, line: 1,
                               problem: "lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (header has: \(header.joined(separator: ", ")))",
                               fix: "add the missing column or rename it; judgetop needs \(requiredColumns.joined(separator: ", "))")
        }
        let titleAt = header.firstIndex(of: "Series_Title")!
        let overviewAt = header.firstIndex(of: "Overview")!
        let genreAt = header.firstIndex(of: "Genre")!

        var rows: [MovieRow] = []
        var line = 2 + newlineCount(in: csv.header)
        var shapeError: DatasetError?
        do {
            try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { (fields: [String]) in
                guard shapeError == nil else { return }
                defer { line += 1 + fields.reduce(0) { $0 + newlineCount(in: $1) } }
                if fields.count == 1, fields[0].trimmingCharacters(in: .whitespaces).isEmpty { return }
                guard fields.count == header.count else {
                    shapeError = DatasetError(file: source, line: line,
                                              problem: "has \(fields.count) fields where the header has \(header.count)",
                                              fix: "quote fields that contain commas, and check for a stray quote on or above this line")
                    return
                }
                rows.append(MovieRow(index: rows.count, title: fields[titleAt], overview: fields[overviewAt],
                                     genres: MovieRow.splitGenres(fields[genreAt])))
            }
        } catch {
            throw DatasetError(file: source, line: line, problem: "has malformed quoting at or after this line (\(error))",
                               fix: "a field that starts with a double quote must end with one; double any quote inside it")
        }
        if let shapeError { throw shapeError }
        guard !rows.isEmpty else {
            throw DatasetError(file: source, line: nil, problem: "has a header but no rows", fix: "add at least one row")
        }
        return Dataset(rows: rows, source: source)
    }

    private static func newlineCount(in strings: [String]) -> Int {
        strings.reduce(0) { $0 + newlineCount(in: $1) }
    }

    private static func newlineCount(in string: String) -> Int {
        string.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }
}

/// A problem with a dataset file, phrased for the person who has to fix it.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let problem: String
    public let fix: String

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "dataset \(place) \(problem). Fix: \(fix)."
    }
}
