import Foundation

extension Report {
    /// The report as Markdown: every number of report.json, in tables a person can paste.
    public func markdown() -> String {
        let m = metrics, t = trust, words = identity.vocabulary
        let safe: (String) -> String = { TerminalText.sanitize($0).replacingOccurrences(of: "|", with: "\\|") }
        func n(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "undefined" }
        func i(_ v: Interval?) -> String { v.map { String(format: "[%.3f, %.3f]", $0.low, $0.high) } ?? "—" }
        var out: [String] = ["# judgetop report: run \(safe(identity.runID))", ""]
        if identity.simulated { out += ["> **\(Self.simulatedNote)**", ""] }
        out += ["| | |", "|---|---|",
                "| status | \(identity.status.rawValue) |", "| provider | \(identity.provider.rawValue) (\(safe(identity.baseURL))) |",
                "| base model | \(safe(identity.baseModel))\(identity.simulated ? " (simulated)" : "") |",
                "| judge model | \(safe(identity.judgeModel))\(identity.simulated ? " (simulated)" : "") |",
                "| task | \(safe(identity.task))\(identity.truthAbsence.map { "; \($0)" } ?? "") |",
                "| dataset | \(safe(identity.dataset)), \(m.rows) rows |",
                "| answered | base \(m.baseAnswered), judge \(m.judgeAnswered); failed \(m.failed); unparseable verdicts \(m.judgeUnparseable) |",
                "| base answers outside the label set | \(m.baseOutsideLabels) (\(m.baseUnparseable) naming no label even read leniently), counted as wrong |",
                "| tokens | prompt \(totalTokens.prompt), completion \(totalTokens.completion) |", ""]
        out += ["## Accuracy (strict match, Wilson 95% intervals)", "", "| metric | value | 95% interval | n |", "|---|---|---|---|"]
        for (key, label, p) in accuracies {
            out.append("| \(label) | \(p.value == nil ? missing(key) : n(p.value)) | \(i(p.interval)) | \(p.total) |")
        }
        out += ["", "## The judge's verdicts against the truth", "",
                "Label: base answer correct vs truth; prediction: the judge's verdict. tp \(m.confusion.tp), fp \(m.confusion.fp), fn \(m.confusion.fn), tn \(m.confusion.tn). (\(words.label.capitalized) kappa measures the judge's own \(words.label) instead.)", "",
                "| metric | value | 95% interval | method |", "|---|---|---|---|"]
        for (key, r) in t.ratedJudgeMetrics(words) {
            out.append("| \(key.replacingOccurrences(of: "_", with: " ")) | \(r.value.map { String(format: "%.3f", $0) } ?? "undefined: \(r.undefinedReason ?? "")") | \(r.intervalNote.map { "none: \($0)" } ?? i(r.interval)) | \(ReportText.shortMethod(r.intervalMethod)) |")
        }
        out += ["", "## Accuracy without ground truth", "",
                "\(t.sample.labelled) of \(t.population) items labelled \(t.source == .human ? "by people" : "by the truth") (seeded uniform subset, seed \(t.plan.seed)); \(t.sample.unlabelled) judged only.", "",
                "| method | estimate | 95% interval | interval method |", "|---|---|---|---|"]
        for e in t.estimates {
            let name = TrustAnalysis.methodNames[e.method] ?? e.method
            out.append("| \(name)\(e.method == "ppi_plus_plus" ? t.ppiLambda.map { String(format: " (λ = %.3f)", $0) } ?? "" : "") | \(e.value.map { String(format: "%.3f", $0) } ?? "undefined: \(e.undefinedReason ?? "")") | \(i(e.interval)) | \(ReportText.shortMethod(e.intervalMethod)) |")
        }
        if let truth = t.trueAccuracy { out += ["", "The truth on all \(t.population) items, known here because the dataset has it: \(n(truth))."] }
        let people = ReportText.peopleLines(t, marked: judgeErrorsMarked)
        if !people.isEmpty { out += [""] + people.map { $0.prefix(1).uppercased() + $0.dropFirst() + "." } }
        out += ["", "Assumptions:"] + TrustAnalysis.assumptions(words).map { "- \($0)" }
        out += ["", "## Baselines", "", "majority \(n(m.majorityBaseline.value)) (always \(m.majorityLabel ?? "—")), prior-matching \(n(t.priorMatchingBaseline)), uniform \(n(t.uniformBaseline)).",
                "", "## Accuracy on the \(words.item)s tagged with each \(words.label)", "",
                "A \(words.item) may carry several \(words.label)s. Base: over those with a base answer; judge's own \(words.label): over those with a parseable verdict.", "",
                "| \(words.label) | \(words.item)s | base accuracy | n | judge's \(words.label) accuracy | n | base answers naming it |", "|---|---|---|---|---|---|---|"]
        for g in t.perLabel where g.rows > 0 || g.basePredicted > 0 {
            out.append("| \(safe(g.label)) | \(g.rows) | \(n(g.baseAccuracy.value)) | \(g.baseAnswered) | \(n(g.judgeAccuracy.value)) | \(g.judgeAnswered) | \(g.basePredicted) |")
        }
        let used = t.baseConfusionLabels.indices.filter { c in t.baseConfusion.contains { $0[c] > 0 } }
        out += ["", "## Base model confusion (rows: true \(words.label); columns: base answer)", "",
                "| | " + used.map { t.baseConfusionLabels[$0] }.joined(separator: " | ") + " |",
                "|---|" + used.map { _ in "---" }.joined(separator: "|") + "|"]
        for (r, row) in t.baseConfusion.enumerated() where row.contains(where: { $0 > 0 }) {
            out.append("| \(t.baseConfusionLabels[r]) | " + used.map { String(row[$0]) }.joined(separator: " | ") + " |")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
