/// One CSV row per item: title, truth, both answers and the verdicts. Safe to open in a
/// spreadsheet: a cell that would start a formula is prefixed with a quote, and control characters
/// become visible placeholders. A yes/no cell is empty when it is unknown (no answer, an unparseable
/// verdict, no truth), by the same rule as the report's denominators.
public enum ItemsCSV {
    public static let header = ["index", "title", "true_genres", "base_answer", "base_correct_strict", "base_correct_lenient",
                                "judge_answer", "judge_genre", "judge_verdict", "judge_genre_correct", "judge_disagrees_with_truth",
                                "in_labelled_subset"]

    /// `labelled`: the rows of the corrected estimates' labelled subset (`TrustAnalysis.labelledRows`);
    /// the column is empty for rows outside their population (no base answer, verdict or truth).
    public static func render(_ outcomes: [RowOutcome], labelled: Set<Int> = []) -> String {
        var lines = [header.joined(separator: ",")]
        lines.reserveCapacity(outcomes.count + 1)
        func cell(_ known: Bool, _ value: @autoclosure () -> Bool) -> String { known ? String(value()) : "" }
        for o in outcomes {
            let truth = o.row.genres
            let base = o.baseAnswer.map(BaseAnswer.init(raw:))
            let judge = o.judgeAnswer.map(JudgeAnswer.init(raw:))
            let verdict = judge.flatMap { $0.verdict == .unparseable ? nil : $0.verdict }
            let hasTruth = !truth.isEmpty
            let baseCorrect = base.map { $0.isCorrectStrict(truth: truth) } ?? false
            let inPopulation = hasTruth && base != nil && verdict != nil
            let cells: [String] = [
                String(o.row.index), o.row.title, truth.joined(separator: ", "), o.baseAnswer ?? "",
                cell(hasTruth && base != nil, baseCorrect), cell(hasTruth && base != nil, base!.isCorrectLenient(truth: truth)),
                o.judgeAnswer ?? "", judge?.genre ?? "", judge?.verdict.rawValue ?? "",
                cell(hasTruth && verdict != nil, judge!.genreIsCorrectStrict(truth: truth)),
                cell(inPopulation, (verdict == .correct) != baseCorrect),
                cell(inPopulation, labelled.contains(o.row.index)),
            ]
            lines.append(cells.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting, after neutralising formulas (OWASP: cells starting = + - @ tab or CR).
    static func quoted(_ raw: String) -> String {
        var text = TerminalText.sanitize(raw, keepNewlines: true)
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) || raw.first == "\t" || raw.first == "\r" {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
