import Foundation

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
        return try parse(bytes: data, source: path)
    }

    /// Parses CSV text. Errors name `source` and the physical line of the offending record.
    public static func parse(text: String, source: String) throws -> Dataset {
        try parse(bytes: Array(text.utf8), source: source)
    }

    public static func parse<Bytes: ContiguousBytes>(bytes: Bytes, source: String) throws -> Dataset {
        try bytes.withUnsafeBytes { raw in try parse(records: CSVRecords(raw.assumingMemoryBound(to: UInt8.self)), source: source) }
    }

    private static func parse(records: CSVRecords, source: String) throws -> Dataset {
        var records = records
        func next(keeping: [Bool]? = nil) throws -> [String]? {
            let line = records.line
            do { return try records.next(keeping: keeping) } catch .unterminatedQuote {
                throw DatasetError(file: source, line: line, problem: "has a quoted field that never ends, starting on this line",
                                   fix: "a field that starts with a double quote must end with one; double any quote inside it")
            } catch .invalidUTF8 {
                throw DatasetError(file: source, line: line, problem: "is not valid UTF-8 text on this line", fix: "save the CSV as UTF-8")
            }
        }
        func isBlank(_ fields: [String]) -> Bool { fields.count == 1 && fields[0].allSatisfy(\.isWhitespace) }
        var header: [String] = []
        var headerLine = 1
        while header.isEmpty {
            headerLine = records.line
            guard let fields = try next() else { break }
            if !isBlank(fields) { header = fields.map { $0.trimmingCharacters(in: .whitespaces) } }
        }
        guard !header.isEmpty else {
            throw DatasetError(file: source, line: nil, problem: "is empty",
                               fix: "give a CSV with a header line and at least one row")
        }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw DatasetError(file: source, line: headerLine,
                               problem: "lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (header has: \(header.joined(separator: ", ")))",
                               fix: "add the missing column or rename it; judgetop needs \(requiredColumns.joined(separator: ", "))")
        }
        let titleAt = header.firstIndex(of: "Series_Title")!
        let overviewAt = header.firstIndex(of: "Overview")!
        let genreAt = header.firstIndex(of: "Genre")!

        // The first column too, so that a line with one field is told from a blank one.
        let read = header.indices.map { [0, titleAt, overviewAt, genreAt].contains($0) }
        var rows: [MovieRow] = []
        while true {
            let line = records.line
            guard let fields = try next(keeping: read) else { break }
            if isBlank(fields) { continue }
            guard fields.count == header.count else {
                throw DatasetError(file: source, line: line,
                                   problem: "has \(fields.count) fields where the header has \(header.count)",
                                   fix: "quote fields that contain commas, and check for a stray quote on or above this line")
            }
            rows.append(MovieRow(index: rows.count, title: fields[titleAt], overview: fields[overviewAt],
                                 genres: MovieRow.splitGenres(fields[genreAt])))
        }
        guard !rows.isEmpty else {
            throw DatasetError(file: source, line: nil, problem: "has a header but no rows", fix: "add at least one row")
        }
        return Dataset(rows: rows, source: source)
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
