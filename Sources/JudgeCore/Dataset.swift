import Foundation

/// Which of a dataset's columns a task reads: the title, the prompts' columns and the truth.
public struct DatasetLayout: Sendable, Equatable {
    public var title: String?
    public var truth: String?
    public var truthSeparator: String?
    /// The prompts' columns, in the order of an item's `fields`.
    public var prompts: [String]

    public init(title: String?, truth: String?, truthSeparator: String?, prompts: [String]) {
        self.title = title
        self.truth = truth
        self.truthSeparator = truthSeparator
        self.prompts = prompts
    }

    public init(task: EvalTask) {
        let d = task.spec.dataset
        self.init(title: d.title, truth: d.truth, truthSeparator: d.truthSeparator, prompts: task.promptColumns)
    }

    /// The tutorial's: Series_Title, Overview and Genre.
    public static var tutorial: DatasetLayout { DatasetLayout(task: TaskFile.tutorial.task) }

    /// Every column read, each once.
    public var columns: [String] {
        var all: [String] = []
        for name in [title].compactMap({ $0 }) + prompts + [truth].compactMap({ $0 }) where !all.contains(name) { all.append(name) }
        return all
    }
}

/// A loaded evaluation dataset: its items in file order and where it came from.
public struct Dataset: Sendable {
    public let rows: [Item]
    /// A human name for the source: the file path, or "bundled IMDB top-1000".
    public let source: String

    public init(rows: [Item], source: String) {
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

    /// The bundled IMDB top-1000 as the tutorial reads it.
    public static func bundled() throws -> Dataset {
        let dataset = try load(contentsOf: bundledURL)
        return Dataset(rows: dataset.rows, source: "bundled IMDB top-1000")
    }

    public static func load(contentsOf url: URL, layout: DatasetLayout = .tutorial) throws -> Dataset {
        var reader = try DatasetReader(contentsOf: url, layout: layout)
        return try reader.readAll()
    }

    /// Parses CSV text (JSONL when `source` ends in .jsonl). Errors name `source` and the physical
    /// line of the offending record.
    public static func parse(text: String, source: String, layout: DatasetLayout = .tutorial) throws -> Dataset {
        try parse(bytes: Array(text.utf8), source: source, layout: layout)
    }

    public static func parse<Bytes: ContiguousBytes>(bytes: Bytes, source: String, layout: DatasetLayout = .tutorial) throws -> Dataset {
        var reader = try DatasetReader(bytes: bytes.withUnsafeBytes { Data($0) }, source: source, layout: layout)
        return try reader.readAll()
    }
}

/// Reads a dataset's items a chunk at a time, in file order: a run stores each chunk as it is read,
/// so a million-row file is never held parsed whole (its file is mapped, not read into memory).
/// Opening it checks the file and its header (CSV) or first object (JSONL); each row is checked as
/// it is read.
public struct DatasetReader {
    public let source: String
    public let layout: DatasetLayout
    /// The columns the file has: a CSV's header, or the keys of a JSONL file's first object.
    public let header: [String]
    private let bytes: Data
    private var place = CSVRecords.Place()
    private let format: Format
    private var truths: TruthLists
    /// Rows read so far; a row's index is its position in the file.
    public private(set) var rowsRead = 0

    private enum Format {
        case csv(CSVColumns)
        case jsonl
    }

    public init(contentsOf url: URL, layout: DatasetLayout = .tutorial) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError(file: path, line: nil, problem: "file not found", fix: "check the path given to --dataset or in the task file")
        }
        var info = stat()
        let kind = stat(path, &info) == 0 ? info.st_mode & S_IFMT : 0  // symbolic links followed
        if kind == S_IFDIR {
            throw DatasetError(file: path, line: nil, problem: "is a directory", fix: "give the path of a CSV or JSONL file inside it")
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
        try self.init(bytes: data, source: path, layout: layout)
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

    public init(bytes: Data, source: String, layout: DatasetLayout = .tutorial) throws {
        self.source = source
        self.bytes = bytes
        self.layout = layout
        truths = TruthLists(separator: layout.truthSeparator)
        if JSONLines.isJSONLines(source) {
            format = .jsonl
            header = try JSONLines.firstKeys(bytes, source: source)
            try Self.checkColumns(layout, header: header, source: source, line: 1)
            return
        }
        var place = CSVRecords.Place()
        let columns = try bytes.withUnsafeBytes { raw in
            var records = CSVRecords(raw.assumingMemoryBound(to: UInt8.self))
            defer { place = records.place }
            return try CSVColumns(reading: &records, source: source, layout: layout)
        }
        self.place = place
        header = columns.header
        format = .csv(columns)
    }

    /// Every column the task reads is in the file, or an error listing those missing.
    static func checkColumns(_ layout: DatasetLayout, header: [String], source: String, line: Int) throws {
        let missing = layout.columns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw DatasetError(file: source, line: line,
                               problem: "lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (it has: \(header.joined(separator: ", ")))",
                               fix: "add the missing column or rename it; the task reads \(layout.columns.joined(separator: ", "))",
                               missingColumns: missing)
        }
    }

    /// Up to `count` more items; none at the end of the file.
    public mutating func next(_ count: Int) throws -> [Item] {
        var rows: [Item] = []
        var place = self.place
        defer { self.place = place }
        let (layout, source, first) = (self.layout, self.source, rowsRead)
        try bytes.withUnsafeBytes { raw in
            switch format {
            case .csv(let columns):
                var records = CSVRecords(raw.assumingMemoryBound(to: UInt8.self), from: place)
                defer { place = records.place }
                while rows.count < count,
                      let row = try columns.row(from: &records, index: first + rows.count, source: source, truths: &truths) {
                    rows.append(row)
                }
            case .jsonl:
                var lines = JSONLines(raw.assumingMemoryBound(to: UInt8.self), from: place)
                defer { place = lines.place }
                while rows.count < count,
                      let row = try lines.next(index: first + rows.count, layout: layout, source: source, truths: &truths) {
                    rows.append(row)
                }
            }
        }
        rowsRead += rows.count
        if rows.isEmpty, rowsRead == 0 {
            throw DatasetError(file: source, line: nil, problem: "has no rows", fix: "add at least one row")
        }
        return rows
    }

    /// Every row left, as a dataset.
    public mutating func readAll() throws -> Dataset {
        var rows: [Item] = []
        while case let chunk = try next(100_000), !chunk.isEmpty { rows += chunk }
        return Dataset(rows: rows, source: source)
    }
}

/// Where the columns a task reads are in a CSV.
private struct CSVColumns {
    let header: [String]
    let count: Int
    let title: Int?, truth: Int?
    let prompts: [Int]
    /// The first column too, so that a line with one field is told from a blank one.
    let read: [Bool]

    init(reading records: inout CSVRecords, source: String, layout: DatasetLayout) throws {
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
        try DatasetReader.checkColumns(layout, header: header, source: source, line: headerLine)
        self.header = header
        count = header.count
        title = layout.title.map { header.firstIndex(of: $0)! }
        truth = layout.truth.map { header.firstIndex(of: $0)! }
        prompts = layout.prompts.map { header.firstIndex(of: $0)! }
        let wanted = [0] + [title, truth].compactMap { $0 } + prompts
        read = header.indices.map(wanted.contains)
    }

    /// The next row, blank lines skipped; nil at the end.
    func row(from records: inout CSVRecords, index: Int, source: String, truths: inout TruthLists) throws -> Item? {
        while true {
            let line = records.line
            guard let fields = try Self.next(&records, keeping: read, source: source) else { return nil }
            if Self.isBlank(fields) { continue }
            guard fields.count == count else {
                throw DatasetError(file: source, line: line, problem: "has \(fields.count) fields where the header has \(count)",
                                   fix: "quote fields that contain commas, and check for a stray quote on or above this line")
            }
            return Item(index: index, title: title.map { fields[$0] } ?? Item.untitled(index), fields: prompts.map { fields[$0] },
                        truth: truth.map { truths.split(fields[$0]) } ?? [])
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

/// A problem with a dataset file, phrased for the person who has to fix it.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let problem: String
    public let fix: String
    /// The columns the task reads that the file lacks, when that is the problem.
    public let missingColumns: [String]

    public init(file: String, line: Int?, problem: String, fix: String, missingColumns: [String] = []) {
        self.file = file
        self.line = line
        self.problem = problem
        self.fix = fix
        self.missingColumns = missingColumns
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "dataset \(place) \(problem). Fix: \(fix)."
    }
}
