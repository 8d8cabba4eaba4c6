/// One CSV row per item: title, truth, both answers and the verdicts. Safe to open in a
/// spreadsheet: a cell that would start a formula is prefixed with a quote, and control characters
/// become visible placeholders.
public enum ItemsCSV {
    public static let header = ["index", "title", "true_genres", "base_answer", "base_correct_strict", "base_correct_lenient",
                                "judge_answer", "judge_genre", "judge_verdict", "judge_genre_correct", "judge_disagrees_with_truth"]

    public static func render(_ outcomes: [RowOutcome]) -> String {
        var lines = [header.joined(separator: ",")]
        lines.reserveCapacity(outcomes.count + 1)
        for o in outcomes {
            let truth = o.row.genres
            let base = o.baseAnswer.map(BaseAnswer.init(raw:))
            let judge = o.judgeAnswer.map(JudgeAnswer.init(raw:))
            let baseCorrect = base.map { $0.isCorrectStrict(truth: truth) }
            var disagrees = ""
            if let baseCorrect, let verdict = judge?.verdict, verdict != .unparseable {
                disagrees = String((verdict == .correct) != baseCorrect)
            }
            let cells: [String] = [
                String(o.row.index), o.row.title, truth.joined(separator: ", "), o.baseAnswer ?? "",
                baseCorrect.map(String.init) ?? "", base.map { String($0.isCorrectLenient(truth: truth)) } ?? "",
                o.judgeAnswer ?? "", judge?.genre ?? "", judge?.verdict.rawValue ?? "",
                judge.map { String($0.genreIsCorrectStrict(truth: truth)) } ?? "", disagrees,
            ]
            lines.append(cells.map(cell).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting, after neutralising formulas (OWASP: cells starting = + - @ tab or CR).
    static func cell(_ raw: String) -> String {
        var text = TerminalText.sanitize(raw, keepNewlines: true)
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) || raw.first == "\t" || raw.first == "\r" {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
