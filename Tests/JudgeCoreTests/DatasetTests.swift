import Foundation
import Testing
@testable import JudgeCore

@Suite struct DatasetTests {
    @Test func bundledDatasetLoadsAllRowsInOrder() throws {
        let dataset = try Dataset.bundled()
        #expect(dataset.rows.count == 1000)
        #expect(dataset.rows[0].title == "The Shawshank Redemption")
        #expect(dataset.rows[1].truth == ["Crime", "Drama"])
        #expect(dataset.rows[2].truth == ["Action", "Crime", "Drama"])
        #expect(dataset.rows.map(\.index) == Array(0..<1000))
    }

    @Test func quotedCommasNewlinesAndUTF8() throws {
        let csv = """
            Series_Title,Extra,Overview,Genre
            "Amélie — 千と千尋","x, y","A woman, in Paris.\nShe helps.","Comedy, Romance"
            Plain,z,Simple overview,Drama

            """
        let dataset = try Dataset.parse(text: csv, source: "t.csv")
        #expect(dataset.rows.count == 2)
        #expect(dataset.rows[0].title == "Amélie — 千と千尋")
        #expect(dataset.rows[0].text == "A woman, in Paris.\nShe helps.")
        #expect(dataset.rows[0].truth == ["Comedy", "Romance"])
        #expect(dataset.rows[1].index == 1)
    }

    @Test func missingColumnNamesFileAndColumn() {
        let error = #expect(throws: DatasetError.self) {
            try Dataset.parse(text: "Series_Title,Genre\nA,Drama\n", source: "movies.csv")
        }
        #expect(error?.file == "movies.csv")
        #expect(error?.line == 1)
        #expect(error?.description.contains("Overview") == true)
    }

    @Test func emptyAndHeaderOnlyFilesAreRejected() {
        #expect(throws: DatasetError.self) { try Dataset.parse(text: "  \n", source: "empty.csv") }
        let headerOnly = #expect(throws: DatasetError.self) {
            try Dataset.parse(text: "Series_Title,Overview,Genre\n", source: "h.csv")
        }
        #expect(headerOnly?.description.contains("no rows") == true)
    }

    @Test func wrongFieldCountNamesThePhysicalLine() {
        // The first record spans two physical lines, so the bad record starts on line 4.
        let csv = "Series_Title,Overview,Genre\n\"A\",\"two\nlines\",Drama\nB,unquoted, comma,Drama\n"
        let error = #expect(throws: DatasetError.self) { try Dataset.parse(text: csv, source: "bad.csv") }
        #expect(error?.line == 4)
        #expect(error?.description.contains("bad.csv:4") == true)
    }

    @Test func crlfByteOrderMarkAndDoubledQuotes() throws {
        let csv = "\u{FEFF}Series_Title,Overview,Genre\r\n\"Say \"\"hi\"\"\",\"a\r\nb\",Drama\r\nX,,\r\n"
        let dataset = try Dataset.parse(text: csv, source: "crlf.csv")
        #expect(dataset.rows.map(\.title) == ["Say \"hi\"", "X"])
        #expect(dataset.rows[0].text == "a\r\nb" && dataset.rows[0].truth == ["Drama"])
        #expect(dataset.rows[1].text == "" && dataset.rows[1].truth.isEmpty)
    }

    /// A quoted field closed right before its separator is read in place; one with text after its
    /// closing quote keeps that text as written; a quoted last field may end the file.
    @Test func quotedFieldsClosedBeforeTheSeparatorOrNot() throws {
        let csv = "Series_Title,Overview,Genre\n\"A\"x,\"b\",\"Drama\"\r\n\"é\",\"two\nlines\",\"War\""
        let dataset = try Dataset.parse(text: csv, source: "q.csv")
        #expect(dataset.rows.map(\.title) == ["Ax", "é"])
        #expect(dataset.rows.map(\.text) == ["b", "two\nlines"])
        #expect(dataset.rows.map(\.truth) == [["Drama"], ["War"]])
        let late = #expect(throws: DatasetError.self) { try Dataset.parse(text: csv + "\nC,c\n", source: "q.csv") }
        #expect(late?.line == 5, "the quoted line break counts")
    }

    /// Read a chunk at a time, a file gives the same rows, indices and error lines as read whole:
    /// quoted line breaks, blank lines and CRLF across the chunks' edges.
    @Test func chunksReadTheSameRowsAsTheWholeFile() throws {
        let csv = "\u{FEFF}Series_Title,Overview,Genre\r\nA,\"one\ntwo\",Drama\r\n\r\nB,b,\"War, Drama\"\nC,\"say \"\"hi\"\"\",Comedy\n\nD,d,Crime\nE,e,\n"
        let all = try Dataset.parse(text: csv, source: "c.csv").rows
        for size in [1, 2, 3, 10] {
            var reader = try DatasetReader(bytes: Data(csv.utf8), source: "c.csv")
            var rows: [Item] = []
            while case let chunk = try reader.next(size), !chunk.isEmpty {
                #expect(chunk.count <= size)
                rows += chunk
            }
            #expect(rows == all && rows.map(\.index) == Array(0..<5), "chunks of \(size)")
        }
        var reader = try DatasetReader(bytes: Data((csv + "F,\"open,Drama\n").utf8), source: "c.csv")
        _ = try reader.next(4)
        #expect(try reader.next(1).map(\.title) == ["E"])
        let late = #expect(throws: DatasetError.self) { try reader.next(1) }
        let whole = #expect(throws: DatasetError.self) { try Dataset.parse(text: csv + "F,\"open,Drama\n", source: "c.csv") }
        #expect(late?.line == 10 && late == whole)
    }

    /// A pipe (`--dataset <(head -n 100 big.csv)`) cannot be mapped: it is read whole instead.
    @Test func aPipeIsReadLikeAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-\(UUID().uuidString).csv").path
        #expect(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let csv = "Series_Title,Overview,Genre\nA,a,Drama\nB,b,War\n"
        let writer = Thread { FileHandle(forWritingAtPath: path)?.write(Data(csv.utf8)) }
        writer.start()
        let dataset = try Dataset.load(contentsOf: URL(fileURLWithPath: path))
        #expect(dataset.rows.map(\.title) == ["A", "B"])
    }

    @Test func unterminatedQuoteAndBadUTF8NameTheirLine() {
        let open = #expect(throws: DatasetError.self) {
            try Dataset.parse(text: "Series_Title,Overview,Genre\nA,b,Drama\nB,\"never closed,Drama\nC,d,Drama\n", source: "q.csv")
        }
        #expect(open?.line == 3 && open?.description.contains("never ends") == true)
        var bytes = Array("Series_Title,Overview,Genre\nA,b,Drama\nB,".utf8)
        bytes += [0xC3, 0x28] + Array(",Drama\n".utf8)
        let invalid = #expect(throws: DatasetError.self) { try Dataset.parse(bytes: bytes, source: "u.csv") }
        #expect(invalid?.line == 3 && invalid?.description.contains("UTF-8") == true)
        // A column judgetop does not read is still checked, quoted or not; a one-field line is no blank line.
        for field in [[0xC3, 0x28], Array("\"x".utf8) + [0xFF] + Array("\"".utf8)] {
            let unread = Array("Series_Title,Director,Overview,Genre\nA,d,b,Drama\nB,".utf8) + field + Array(",c,Drama\n".utf8)
            let error = #expect(throws: DatasetError.self) { try Dataset.parse(bytes: unread, source: "d.csv") }
            #expect(error?.line == 3 && error?.description.contains("UTF-8") == true)
        }
        let short = #expect(throws: DatasetError.self) {
            try Dataset.parse(text: "Director,Series_Title,Overview,Genre\nd,A,b,Drama\nlonely\n", source: "s.csv")
        }
        #expect(short?.line == 3 && short?.description.contains("1 fields") == true)
    }

    @Test func missingFileIsAClearError() {
        let error = #expect(throws: DatasetError.self) {
            try Dataset.load(contentsOf: URL(fileURLWithPath: "/nonexistent/movies.csv"))
        }
        #expect(error?.description.contains("/nonexistent/movies.csv") == true)
        #expect(error?.description.contains("not found") == true)
    }
}

/// JSONL datasets: one object a line, values as text, errors with the line.
@Suite struct JSONLinesDatasetTests {
    let layout = DatasetLayout(title: "id", truth: nil, truthSeparator: nil, prompts: ["question", "n"])

    @Test func objectsBecomeItemsWithTheirValuesAsText() throws {
        let text = """
            {"id": "q1", "question": "Why <b>?", "n": 3, "extra": [1, 2]}

            {"n": 2.5, "question": "And \\"then\\"?", "id": "q2", "flag": true}
            {"id": null, "question": "third", "n": false}
            """
        let rows = try Dataset.parse(text: text, source: "qs.jsonl", layout: layout).rows
        #expect(rows.map(\.title) == ["q1", "q2", ""])
        #expect(rows.map(\.fields) == [["Why <b>?", "3"], ["And \"then\"?", "2.5"], ["third", "false"]])
        #expect(rows.map(\.index) == [0, 1, 2] && rows.allSatisfy { $0.truth.isEmpty })
    }

    @Test func mistakesNameTheirLine() {
        let missing = #expect(throws: DatasetError.self) {
            try Dataset.parse(text: "{\"id\": \"a\", \"question\": \"q\", \"n\": 1}\n{\"id\": \"b\", \"n\": 1}\n", source: "qs.jsonl", layout: layout)
        }
        #expect(missing?.line == 2 && missing?.missingColumns == ["question"], "\(String(describing: missing))")
        let broken = #expect(throws: DatasetError.self) {
            try Dataset.parse(text: "{\"id\": \"a\", \"question\": \"q\", \"n\": 1}\n{\"id\": \"b\",\n", source: "qs.jsonl", layout: layout)
        }
        #expect(broken?.line == 2 && broken?.problem.contains("not a JSON object") == true)
        let nested = #expect(throws: DatasetError.self) {
            try Dataset.parse(text: "{\"id\": \"a\", \"question\": {\"x\": 1}, \"n\": 1}\n", source: "qs.jsonl", layout: layout)
        }
        #expect(nested?.line == 1 && nested?.problem.contains("list or object") == true)
        let header = #expect(throws: DatasetError.self) {
            try Dataset.parse(text: "{\"id\": \"a\", \"n\": 1}\n", source: "qs.jsonl", layout: layout)
        }
        #expect(header?.missingColumns == ["question"])
    }

    @Test func truthCellsSplitOnTheTasksSeparator() throws {
        let layout = DatasetLayout(title: nil, truth: "tags", truthSeparator: "|", prompts: ["text"])
        let rows = try Dataset.parse(text: "text,tags\nhello,a| b |\nworld,\n", source: "t.csv", layout: layout).rows
        #expect(rows.map(\.truth) == [["a", "b"], []])
        #expect(rows.map(\.title) == ["row 1", "row 2"], "no title column: the row number, from 1")
    }
}
