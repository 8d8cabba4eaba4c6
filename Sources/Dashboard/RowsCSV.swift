import JudgeCore

/// The rows in view as CSV (`e`): every shown field, the answers, the verdict, the marks and the
/// last errors, rows counted from 1; cells neutralised as every export's are.
public enum RowsCSV {
    public static func render(_ rows: [RowView], columns: TaskColumns) -> String {
        var header = ["row", "title"] + columns.fields
        if let truth = columns.truth { header.append(truth.lowercased()) }
        header += ["base_answer", "judge_answer", "verdict", "disagrees_with_truth", "marked_wrong", "mark_note", "base_error", "judge_error"]
        let lines = rows.map { row -> String in
            var cells = [String(row.index + 1), row.title] + row.fields
            if columns.truth != nil { cells.append(row.truth) }
            cells += [row.baseAnswer ?? "", row.judgeAnswer ?? "", row.verdict?.rawValue ?? "", String(row.disagrees),
                      String(row.mark != nil), row.mark ?? "", row.baseRequest.error ?? "", row.judgeRequest.error ?? ""]
            return cells.map(ItemsCSV.quoted).joined(separator: ",")
        }
        return ([header.map(ItemsCSV.quoted).joined(separator: ",")] + lines).joined(separator: "\n") + "\n"
    }
}
