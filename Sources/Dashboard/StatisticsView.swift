import Foundation
import JudgeCore

/// The full-screen statistics view (`a`): the report's charts, then every figure as text, scrolled
/// with the movement keys.
enum StatisticsView {
    /// Lines of text that fit on one page at a screen height (inside the box, under the header).
    static func page(height: Int) -> Int { max(1, height - 4) }

    /// Every line of the view for a width: the same lines whatever the glyphs, so scrolling is the same.
    static func lines(_ report: Report?, width: Int, glyphs: Glyphs) -> [StyledLine] {
        guard let report else { return [StyledLine([("no answers yet", .muted)])] }
        let inner = max(10, width - 4)
        let charts = ReportCharts(report)
        let words = report.identity.vocabulary
        var lines: [StyledLine] = []
        if report.identity.simulated {
            lines.append(StyledLine([("SIMULATED models: these charts test the pipeline, not a model", .warn)]))
        }
        lines += heading("The base model's accuracy: estimates and 95% intervals")
        lines += ChartText.forest(charts, width: inner, glyphs: glyphs)
        if !charts.bars.isEmpty {
            lines += heading("Base accuracy per \(words.label), best first (strict, Wilson 95%)")
            lines += ChartText.bars(charts, width: inner, glyphs: glyphs)
            lines += ChartText.barLegend(charts, glyphs: glyphs)
        }
        for map in [charts.verdicts, charts.labels].compactMap({ $0 }) {
            lines += heading(map.title.prefix(1).uppercased() + map.title.dropFirst())
            lines += ChartText.heatMap(map, width: inner, glyphs: glyphs)
        }
        if charts.verdicts == nil, let why = report.identity.truthAbsence {
            lines.append(StyledLine([("The judge's verdicts against the truth: \(why)", .muted)]))
        }
        lines += heading("Every figure")
        for line in report.text().split(separator: "\n", omittingEmptySubsequences: false) {
            lines += wrapped(TerminalText.sanitize(String(line)), width: inner).map { StyledLine([($0, .normal)]) }
        }
        return lines
    }

    /// A section's title, after a blank line.
    static func heading(_ text: String) -> [StyledLine] { [StyledLine(), StyledLine([(text, .title)])] }

    /// A line cut at spaces to a width; what goes on is indented two more than the line.
    static func wrapped(_ line: String, width: Int) -> [String] {
        guard ScreenBuffer.width(of: line) > width else { return [line] }
        let leading = String(line.prefix { $0 == " " })
        let indent = String(repeating: " ", count: min(width / 2, leading.count + 2))
        var out: [String] = [], current = leading, start = leading
        for word in line.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current == start ? current + word : current + " " + word
            if ScreenBuffer.width(of: candidate) > width, current != start {
                out.append(current)
                (current, start) = (indent + word, indent)
            } else {
                current = candidate
            }
        }
        return out + [current]
    }

    /// The largest scroll that still fills the page.
    static func maximumScroll(_ s: ViewState) -> Int {
        max(0, lines(s.report, width: s.width, glyphs: .unicode).count - page(height: s.height))
    }

    static func draw(_ p: inout Painter, _ s: ViewState) {
        let r = Rect(x: 0, y: 1, width: s.width, height: s.height - 2)
        p.buffer.fill(x: r.x, y: r.y, width: r.width, height: r.height, style: p.theme[.normal])
        let all = lines(s.report, width: s.width, glyphs: p.glyphs)
        let pageLines = page(height: s.height)
        let top = min(s.statisticsScroll, max(0, all.count - pageLines))
        let shown = all.count > pageLines ? " \(top + 1)–\(min(all.count, top + pageLines)) of \(all.count)" : ""
        p.box(r, title: "Statistics\(shown)  (j/k scroll, Esc closes)")
        for (i, line) in all.dropFirst(top).prefix(pageLines).enumerated() {
            var x = r.x + 2
            for segment in line.segments {
                x += p.buffer.put(segment.text, x: x, y: r.y + 1 + i, maxWidth: max(0, r.x + r.width - 2 - x), style: p.theme[segment.token])
            }
        }
    }
}
