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
        var reader = try DatasetReader(contentsOf: url)
        return try reader.readAll()
    }

    /// Parses CSV text. Errors name `source` and the physical line of the offending record.
    public static func parse(text: String, source: String) throws -> Dataset {
        try parse(bytes: Array(text.utf8), source: source)
    }

    public static func parse<Bytes: ContiguousBytes>(bytes: Bytes, source: String) throws -> Dataset {
        var reader = try DatasetReader(bytes: bytes.withUnsafeBytes { Data($0) }, source: source)
        return try reader.readAll()
    }
}

/// Reads a dataset's rows a chunk at a time, in file order: a run stores each chunk as it is read,
/// so a million-row file is never held parsed whole (its file is mapped, not read into memory).
/// Opening it checks the file and its header; each row is checked as it is read.
public struct DatasetReader {
    public let source: String
    private let bytes: Data
    private var place = CSVRecords.Place()
    private let columns: Columns
    private var genreLists = GenreLists()
    /// Rows read so far; a row's index is its position in the file.
    public private(set) var rowsRead = 0

    public init(contentsOf url: URL) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError(file: path, line: nil, problem: "file not found", fix: "check the path given to --dataset")
        }
        var info = stat()
        let kind = stat(path, &info) == 0 ? info.st_mode & S_IFMT : 0  // symbolic links followed
        if kind == S_IFDIR {
            throw DatasetError(file: path, line: nil, problem: "is a directory", fix: "give the path of a CSV file inside it")
        }
        let data: Data
        do {
            // Mapped, not read in: only the pages being parsed need memory. A pipe (`--dataset <(…)`)
            // cannot be mapped, and is read whole, opened once: trying to map it first could take
            // its writer's bytes and leave the second open waiting for a writer forever.
            data = kind == S_IFREG ? try Data(contentsOf: url, options: .alwaysMapped) : try Self.readStream(url, source: path)
        } catch let error as DatasetError {
            throw error
        } catch {
            throw DatasetError(file: path, line: nil, problem: "cannot be read (\(error.localizedDescription))",
                               fix: "check the file's permissions")
        }
        try self.init(bytes: data, source: path)
    }

    /// No line of a dataset may be longer than this: a stream without line breaks (`/dev/zero`)
    /// would otherwise be read into memory without end.
    public static let longestLine = 16 << 20

    /// A pipe or device read to its end, a line at most `longestLine` bytes long.
    static func readStream(_ url: URL, source: String) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var data = Data()
        var lineStart = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            let offset = data.count
            data.append(chunk)
            if let last = chunk.lastIndex(of: 0x0A) { lineStart = offset + (last - chunk.startIndex) + 1 }
            if data.count - lineStart > longestLine {
                let lines = data.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                throw DatasetError(file: source, line: lines, problem: "has a line longer than \(longestLine >> 20) MiB",
                                   fix: "check that this is a CSV file; no row of one is that long")
            }
        }
        return data
    }

    public init(bytes: Data, source: String) throws {
        self.source = source
        self.bytes = bytes
        var place = CSVRecords.Place()
        columns = try bytes.withUnsafeBytes { raw in
            var records = CSVRecords(raw.assumingMemoryBound(to: UInt8.self))
            defer { place = records.place }
            return try Columns(reading: &records, source: source)
        }
        self.place = place
    }

    /// Up to `count` more rows; none at the end of the file.
    public mutating func next(_ count: Int) throws -> [MovieRow] {
        var rows: [MovieRow] = []
        var place = self.place
        defer { self.place = place }
        try bytes.withUnsafeBytes { raw in
            var records = CSVRecords(raw.assumingMemoryBound(to: UInt8.self), from: place)
            defer { place = records.place }
            while rows.count < count,
                  let row = try columns.row(from: &records, index: rowsRead + rows.count, source: source, genres: &genreLists) {
                rows.append(row)
            }
        }
        rowsRead += rows.count
        if rows.isEmpty, rowsRead == 0 {
            throw DatasetError(file: source, line: nil, problem: "has a header but no rows", fix: "add at least one row")
        }
        return rows
    }

    /// Every row left, as a dataset.
    public mutating func readAll() throws -> Dataset {
        var rows: [MovieRow] = []
        while case let chunk = try next(100_000), !chunk.isEmpty { rows += chunk }
        return Dataset(rows: rows, source: source)
    }

    /// Where the three columns judgetop reads are.
    private struct Columns {
        let count: Int
        let title: Int, overview: Int, genre: Int
        /// The first column too, so that a line with one field is told from a blank one.
        let read: [Bool]

        init(reading records: inout CSVRecords, source: String) throws {
            var header: [String] = []
            var headerLine = 1
            while header.isEmpty {
                headerLine = records.line
                guard let fields = try Self.next(&records, keeping: nil, source: source) else { break }
                if !Self.isBlank(fields) { header = fields.map { $0.trimmingCharacters(in: .whitespaces) } }
            }
            guard !header.isEmpty else {
                throw DatasetError(file: source, line: nil, problem: "is empty", fix: "give a CSV with a header line and at least one row")
            }
            let missing = Dataset.requiredColumns.filter { !header.contains($0) }
            guard missing.isEmpty else {
                throw DatasetError(file: source, line: headerLine,
                                   problem: "lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (header has: \(header.joined(separator: ", ")))",
                                   fix: "add the missing column or rename it; judgetop needs \(Dataset.requiredColumns.joined(separator: ", "))")
            }
            let wanted = [0] + ["Series_Title", "Overview", "Genre"].map { header.firstIndex(of: $0)! }
            count = header.count
            (title, overview, genre) = (wanted[1], wanted[2], wanted[3])
            read = header.indices.map(wanted.contains)
        }

        /// The next row, blank lines skipped; nil at the end.
        func row(from records: inout CSVRecords, index: Int, source: String, genres: inout GenreLists) throws -> MovieRow? {
            while true {
                let line = records.line
                guard let fields = try Self.next(&records, keeping: read, source: source) else { return nil }
                if Self.isBlank(fields) { continue }
                guard fields.count == count else {
                    throw DatasetError(file: source, line: line, problem: "has \(fields.count) fields where the header has \(count)",
                                       fix: "quote fields that contain commas, and check for a stray quote on or above this line")
                }
                return MovieRow(index: index, title: fields[title], overview: fields[overview], genres: genres.split(fields[genre]))
            }
        }

        private static func next(_ records: inout CSVRecords, keeping: [Bool]?, source: String) throws -> [String]? {
            let line = records.line
            do { return try records.next(keeping: keeping) } catch .unterminatedQuote {
                throw DatasetError(file: source, line: line, problem: "has a quoted field that never ends, starting on this line",
                                   fix: "a field that starts with a double quote must end with one; double any quote inside it")
            } catch .invalidUTF8 {
                throw DatasetError(file: source, line: line, problem: "is not valid UTF-8 text on this line", fix: "save the CSV as UTF-8")
            }
        }

        private static func isBlank(_ fields: [String]) -> Bool { fields.count == 1 && fields[0].allSatisfy(\.isWhitespace) }
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
