import Foundation
import JudgeCore

/// The labelling screen (`L`): one item of the seeded sample at a time, its fields and the base
/// answer, the judge's verdict hidden until `v`, and the estimates from people's labels so far.
enum LabellingView {
    static func draw(_ p: inout Painter, _ s: ViewState) {
        let r = Rect(x: 0, y: 1, width: s.width, height: s.height - 2)
        p.buffer.fill(x: r.x, y: r.y, width: r.width, height: r.height, style: p.theme[.normal])
        let queue = s.review.queue
        guard !queue.isEmpty, let row = s.rows.first(where: { $0.index == queue[min(s.labelPosition, queue.count - 1)] }) else {
            p.box(r, title: "Labelling")
            p.text("nothing to label yet", r.x + 2, r.y + 1, width: r.width - 4, .muted)
            return
        }
        let given = queue.compactMap { s.review.labels[$0] }  // the sample's labels: a verdict, or nil for a skip
        let done = given.count { $0 != nil }, skipped = given.count { $0 == nil }
        p.box(r, title: "Is the base answer correct? Item \(s.labelPosition + 1) of \(queue.count) of the seeded sample (\(done) labelled, \(skipped) skipped)")
        let inner = r.width - 4
        // What the person decides on first; the item's fields fill the room that is left.
        let label = s.review.labels[row.index]
        var head: [(String, StyleToken)] = [("Row \(row.index + 1): \(row.title)", .title),
                                            ("base answer: \(row.baseAnswer.map { "\"\($0)\"" } ?? "none")", .title)]
        if s.verdictShown {
            head.append(("judge: \(row.verdict?.rawValue ?? "none")\(row.judgeLabel.isEmpty ? "" : ", \(row.judgeLabel)")  (\"\(row.judgeAnswer ?? "")\")", .warn))
        } else {
            head.append(("judge's verdict: hidden, so as not to lead you (v shows it)", .muted))
        }
        head.append(("your label: " + (label.map { $0.map { $0 ? "correct" : "incorrect" } ?? "skipped" } ?? "none yet"), label == nil ? .muted : .ok))
        // The truth stays hidden too: people's labels are measured against it.
        var body: [(String, StyleToken)] = []
        for (name, value) in zip(s.columns.fields, row.fields) { body.append(("\(name): \(value)", .normal)) }
        let estimates = progressLines(s.review.progress, skipped: skipped, compact: r.height < 20)
        let wrap = { (lines: [(String, StyleToken)]) in lines.flatMap { text, token in Painter.wrap(text, width: inner, lines: 8).map { ($0, token) } } }
        let room = max(0, r.height - 2 - estimates.count - 1)
        let shown = Array((wrap(head) + [("", .normal)] + wrap(body)).prefix(room))
        for (i, (text, token)) in shown.enumerated() { p.text(text, r.x + 2, r.y + 1 + i, width: inner, token) }
        for (i, (text, token)) in estimates.enumerated() {
            p.text(text, r.x + 2, r.y + r.height - 1 - estimates.count + i, width: inner, token)
        }
    }

    /// The estimates from people's labels, recomputed after each label, and what more labels would buy.
    static func progressLines(_ progress: LabelProgress?, skipped: Int, compact: Bool) -> [(String, StyleToken)] {
        guard let progress else { return [("estimates appear as labels come in", .muted)] }
        func line(_ name: String, _ e: AccuracyEstimate) -> String {
            name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + (e.value.map { Format.value($0) + " " + Format.interval(e.interval.map { ($0.low, $0.high) }) } ?? "waits: \(e.undefinedReason ?? "")")
        }
        let c = progress.counts
        var lines: [(String, StyleToken)] = [("From people's labels (\(c.labelled) of \(c.planned) planned, 95% intervals):", .title),
                                             (line("PPI++", progress.ppiPlusPlus), .accent), (line("labels only", progress.labelsOnly), .normal)]
        if !compact {
            lines += [(line("Rogan–Gladen", progress.roganGladen), .normal), (line("  Lee et al.", progress.lee), .normal),
                      (line("PPI", progress.ppi), .normal)]
        }
        switch progress.moreLabelsForTarget {
        case .some(0): lines.append((String(format: "PPI++ is within ±%.2f", LabelProgress.target), .ok))
        case .some(let more): lines.append((String(format: "about %d more labels would bring PPI++ within ±%.2f", more, LabelProgress.target), .muted))
        case nil: lines.append(("PPI++ waits for more labels", .muted))
        }
        if skipped > 0 { lines.append(("\(skipped) skipped: skipping can bias the sample", .warn)) }
        return lines
    }
}
