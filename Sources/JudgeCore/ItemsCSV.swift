/// One CSV row per item: title, truth, both answers and the verdicts. Safe to open in a
/// spreadsheet: a cell that would start a formula is prefixed with a quote, and control characters
/// become visible placeholders. A yes/no cell is empty when it is unknown (no answer, an unparseable
/// verdict, no truth), by the same rule as the report's denominators.
public enum ItemsCSV {
    /// The columns, in the task's words (`true_genres` in the tutorial, `true_labels` elsewhere).
    public static func header(_ words: Vocabulary = Vocabulary(task: TaskSpec.defaultName)) -> [String] {
        ["index", "title", "true_\(words.label)s", "base_answer", "base_correct_strict", "base_correct_lenient",
         "judge_answer", "judge_\(words.label)", "judge_verdict", "judge_\(words.label)_correct", "judge_disagrees_with_truth",
         "in_labelled_subset"]
    }

    /// `labelled`: the rows of the corrected estimates' labelled subset (`TrustAnalysis.labelledRows`);
    /// the column is empty for rows outside their population (no base answer, verdict or truth).
    public static func render(_ outcomes: [RowOutcome], labelled: Set<Int> = [], scoring: Scoring = .tutorial,
                              words: Vocabulary = Vocabulary(task: TaskSpec.defaultName)) -> String {
        var lines = [header(words).joined(separator: ",")]
        lines.reserveCapacity(outcomes.count + 1)
        func cell(_ known: Bool, _ value: @autoclosure () -> Bool) -> String { known ? String(value()) : "" }
        for o in outcomes {
            let truth = o.row.truth
            let base = o.baseAnswer.map(scoring.base)
            let judge = o.judgeAnswer.map(scoring.judge)
            let verdict = judge.flatMap { $0.verdict == .unparseable ? nil : $0.verdict }
            let hasTruth = !truth.isEmpty, scored = scoring.labels != nil
            let baseCorrect = base.map { $0.isCorrectStrict(truth: truth) } ?? false
            let inPopulation = hasTruth && scored && base != nil && verdict != nil
            let cells: [String] = [
                String(o.row.index), o.row.title, truth.joined(separator: ", "), o.baseAnswer ?? "",
                cell(hasTruth && scored && base != nil, baseCorrect), cell(hasTruth && scored && base != nil, base!.isCorrectLenient(truth: truth)),
                o.judgeAnswer ?? "", judge?.label ?? "", judge?.verdict.rawValue ?? "",
                cell(hasTruth && verdict != nil && scoring.verdict.hasLabel, judge!.labelIsCorrectStrict(truth: truth)),
                cell(inPopulation, (verdict == .correct) != baseCorrect),
                cell(inPopulation, labelled.contains(o.row.index)),
            ]
            lines.append(cells.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting, after neutralising formulas (OWASP: cells starting = + - @ tab or CR).
    public static func quoted(_ raw: String) -> String {
        var text = TerminalText.sanitize(raw, keepNewlines: true)
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) || raw.first == "\t" || raw.first == "\r" {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
