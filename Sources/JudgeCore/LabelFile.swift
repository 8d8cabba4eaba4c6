import Foundation

/// People's labels as CSV, out and back in: `row,title,correct,source,labeller,labelled_at`, rows
/// counted from 1 as the dashboard shows them. A file read back needs only `row` and `correct`.
public enum LabelFile {
    public static let header = ["row", "title", "correct", "source", "labeller", "labelled_at"]

    /// Every label in the order given; cells neutralised as the items CSV's are (no live formula).
    public static func render(_ labels: [HumanLabel], titles: [Int: String]) -> String {
        let time = Date.ISO8601FormatStyle()
        let lines = [header.joined(separator: ",")] + labels.map { label in
            [String(label.row + 1), titles[label.row] ?? "", word(label.correct), label.origin, label.labeller, label.labelledAt.formatted(time)]
                .map(ItemsCSV.quoted).joined(separator: ",")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func word(_ correct: Bool?) -> String { correct.map { $0 ? "true" : "false" } ?? "skipped" }

    /// What `correct` may say, any case: true/false, yes/no, y/n, 1/0, correct/incorrect, or skipped.
    static func value(_ text: String) -> Bool?? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "y", "1", "correct": return .some(true)
        case "false", "no", "n", "0", "incorrect": return .some(false)
        case "skipped", "skip": return .some(nil)
        default: return nil
        }
    }

    /// Reads a file of labels for a run of `rows` items, whole or not at all: the first bad line
    /// stops it with its line and what is wrong. A `labeller` column names each row's labeller;
    /// otherwise `labeller` does.
    public static func read(_ data: Data, file: String, rows: Int, labeller: String, at time: Date = Date()) throws(TaskError) -> [HumanLabel] {
        func failure(_ line: Int?, _ problem: String) -> TaskError { TaskError(file: file, line: line, key: nil, problem: problem) }
        let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<[HumanLabel], TaskError> in
            var records = CSVRecords(raw.assumingMemoryBound(to: UInt8.self))
            do {
                guard let names = try records.next()?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
                    return .failure(failure(1, "is empty; it needs a header with the columns row and correct"))
                }
                guard let rowColumn = names.firstIndex(of: "row"), let correctColumn = names.firstIndex(of: "correct") else {
                    return .failure(failure(1, "has no \(names.contains("row") ? "correct" : "row") column; the header needs row and correct (found: \(names.joined(separator: ", ")))"))
                }
                let labellerColumn = names.firstIndex(of: "labeller")
                var labels: [HumanLabel] = [], seen = Set<String>()
                while true {
                    let line = records.line
                    guard let fields = try records.next() else { break }
                    if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
                    let cell = { (i: Int) in i < fields.count ? fields[i].trimmingCharacters(in: .whitespaces) : "" }
                    guard let row = Int(cell(rowColumn)), (1...rows).contains(row) else {
                        return .failure(failure(line, "row \"\(TerminalText.sanitize(cell(rowColumn)))\" is no row of this run (rows are 1 to \(rows))"))
                    }
                    guard let correct = value(cell(correctColumn)) else {
                        return .failure(failure(line, "correct \"\(TerminalText.sanitize(cell(correctColumn)))\" is not true/false, yes/no, 1/0 or skipped"))
                    }
                    let who = labellerColumn.map(cell).flatMap { $0.isEmpty ? nil : $0 } ?? labeller
                    guard seen.insert("\(row)\u{0}\(who)").inserted else {
                        return .failure(failure(line, "labels row \(row) a second time for \(TerminalText.sanitize(who)); keep one"))
                    }
                    labels.append(HumanLabel(row: row - 1, correct: correct, labeller: who, labelledAt: time,
                                             origin: "import " + URL(fileURLWithPath: file).lastPathComponent))
                }
                return .success(labels)
            } catch {
                return .failure(failure(records.line, (error as? CSVRecords.Problem) == .unterminatedQuote ? "has a quote that is never closed" : "is not UTF-8 text"))
            }
        }
        return try result.get()
    }
}
