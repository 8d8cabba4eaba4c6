import Foundation
import JudgeCore

/// A line of text in parts, each drawn in a style token.
struct StyledLine: Sendable, Equatable {
    var segments: [(text: String, token: StyleToken)]

    init(_ segments: [(String, StyleToken)] = []) { self.segments = segments.map { (text: $0.0, token: $0.1) } }

    static func == (a: StyledLine, b: StyledLine) -> Bool {
        a.segments.map(\.text) == b.segments.map(\.text) && a.segments.map(\.token) == b.segments.map(\.token)
    }

    var text: String { segments.map(\.text).joined() }
}

/// The report's charts drawn as terminal text: braille intervals (two dots a cell) and block
/// characters, or plain ASCII. The glyphs carry the meaning, so a monochrome theme loses nothing.
enum ChartText {
    static let nameWidth = 18

    /// The forest plot: one line per estimate, its interval and point on a shared axis, then the axis.
    static func forest(_ charts: ReportCharts, width: Int, glyphs: Glyphs) -> [StyledLine] {
        let plot = max(10, width - nameWidth - 23)
        let axis = charts.axis
        var lines = charts.forest.map { e -> StyledLine in
            let name = Painter.fit(e.name, nameWidth - 1, ellipsis: glyphs.ellipsis) + " "
            guard let value = e.value else {
                return StyledLine([(name, .normal), ("undefined: " + (e.note ?? "no data"), .muted)])
            }
            let drawn = glyphs.braille ? brailleInterval(value, e.interval, axis, width: plot)
                                       : asciiInterval(value, e.interval, axis, width: plot, truth: e.isTruth)
            let figures = " " + Format.value(value) + (e.interval.map { " " + Format.interval(($0.low, $0.high)) } ?? "")
            return StyledLine([(name, e.isTruth ? .ok : .normal), (drawn, e.isTruth ? .ok : .accent), (figures, e.isTruth ? .ok : .normal)])
        }
        lines.append(StyledLine([(String(repeating: " ", count: nameWidth), .normal), (ticks(axis, width: plot), .muted)]))
        return lines
    }

    /// Labels along the axis at the smallest even step (0.1, 0.2, 0.5 or 1) that leaves room for them.
    static func ticks(_ axis: Interval, width: Int) -> String {
        var line = Array(repeating: Character(" "), count: width + 4)
        let range = max(1e-9, axis.high - axis.low)
        let step = [0.1, 0.2, 0.5, 1].first { Double(width) * $0 / range >= 4 } ?? 1
        var tick = (axis.low / step).rounded(.up) * step
        while tick <= axis.high + 1e-9 {
            let column = column(tick, axis, cells: width)
            for (i, c) in String(format: "%.1f", tick).enumerated() { line[column + i] = c }
            tick += step
        }
        return String(line)
    }

    /// The cell a value falls in, on `cells` cells spanning the axis.
    static func column(_ v: Double, _ axis: Interval, cells: Int) -> Int {
        let f = (v - axis.low) / max(1e-9, axis.high - axis.low)
        return max(0, min(cells - 1, Int((f * Double(cells)).rounded(.down))))
    }

    /// An interval at half-cell resolution: a thin braille line through the middle dots from low to
    /// high, and the estimate as a full-height column of dots.
    static func brailleInterval(_ value: Double, _ interval: Interval?, _ axis: Interval, width: Int) -> String {
        let halves = width * 2
        var bits = Array(repeating: 0, count: width)
        let line = [0x06, 0x30]  // dots 2+3 (left column), 5+6 (right column)
        let mark = [0x47, 0xB8]  // dots 1+2+3+7, 4+5+6+8
        let low = column(interval?.low ?? value, axis, cells: halves), high = column(interval?.high ?? value, axis, cells: halves)
        for h in low...max(low, high) { bits[h / 2] |= line[h % 2] }
        let point = column(value, axis, cells: halves)
        bits[point / 2] |= mark[point % 2]
        return String(bits.map { $0 == 0 ? " " : Character(UnicodeScalar(0x2800 + $0)!) })
    }

    /// The same in whole cells of ASCII: `[---o---]`, the truth as `*`.
    static func asciiInterval(_ value: Double, _ interval: Interval?, _ axis: Interval, width: Int, truth: Bool = false) -> String {
        var cells = Array(repeating: Character(" "), count: width)
        if let interval {
            let low = column(interval.low, axis, cells: width), high = column(interval.high, axis, cells: width)
            for c in low...max(low, high) { cells[c] = "-" }
            cells[low] = "["
            cells[max(low, high)] = "]"
        }
        cells[column(value, axis, cells: width)] = truth ? "*" : "o"
        return String(cells)
    }

    /// Per-label accuracy as bars on 0–1: solid up to the interval's low end, darker shade up to the
    /// estimate, light shade up to the high end, with the majority baseline as a reference mark.
    static func bars(_ charts: ReportCharts, width: Int, glyphs: Glyphs) -> [StyledLine] {
        let labelWidth = 13, plot = max(10, width - labelWidth - 28)
        let reference = charts.majority?.accuracy.value.map { column($0, Interval(0, 1), cells: plot) }
        return charts.bars.map { bar in
            let p = bar.accuracy
            var segments: [(String, StyleToken)] = [(Painter.fit(bar.label, labelWidth - 1, ellipsis: glyphs.ellipsis) + " ", .normal)]
            for cell in 0..<plot {
                let centre = (Double(cell) + 0.5) / Double(plot)
                if cell == reference { segments.append((glyphs.reference, .warn)); continue }
                if let i = p.interval, centre <= i.low { segments.append((glyphs.shades[3], .barFilled)) }
                else if let v = p.value, centre <= v { segments.append((glyphs.shades[2], .barFilled)) }
                else if let i = p.interval, centre <= i.high { segments.append((glyphs.shades[0], .accent)) }
                else { segments.append((glyphs.barEmpty, .barEmpty)) }
            }
            let figures = " \(Format.value(p.value)) \(p.interval.map { String(format: "[%.2f, %.2f]", $0.low, $0.high) } ?? "") n=\(p.total)"
            return StyledLine(merged(segments) + [(figures, .normal)])
        }
    }

    /// What the bars' shades and mark mean: a line for each, so that both fit at 80 columns.
    static func barLegend(_ charts: ReportCharts, glyphs: Glyphs) -> [StyledLine] {
        var lines = [StyledLine([
            (glyphs.shades[3], .barFilled), (" to the interval's low end, ", .muted), (glyphs.shades[2], .barFilled), (" to the estimate, ", .muted),
            (glyphs.shades[0], .accent), (" to the high end", .muted),
        ])]
        if let m = charts.majority, let v = m.accuracy.value {
            lines.append(StyledLine([(glyphs.reference, .warn), (" the majority baseline: always \(m.label), \(Format.value(v))", .muted)]))
        }
        return lines
    }

    /// A heat map: each cell a shade by its share of the largest count, then the count.
    static func heatMap(_ map: ReportCharts.HeatMap, width: Int, glyphs: Glyphs) -> [StyledLine] {
        let columns = max(1, map.columns.count)
        let labelWidth = max(6, min(14, width - 6 * columns))
        let cell = max(6, min(12, (width - labelWidth) / columns))
        let shadeWidth = max(1, cell - 6)
        let top = Double(max(1, map.maximum))
        var lines = [StyledLine([(String(repeating: " ", count: labelWidth + 1) + map.columnTitle, .muted)])]
        lines.append(StyledLine([(Painter.fit(map.rowTitle, labelWidth, ellipsis: glyphs.ellipsis), .muted)]
            + map.columns.map { (" " + Painter.fit($0, cell - 1, ellipsis: glyphs.ellipsis), .title) }))
        for (r, name) in map.rows.enumerated() {
            var segments: [(String, StyleToken)] = [(Painter.fit(name, labelWidth, ellipsis: glyphs.ellipsis), .normal)]
            for n in map.cells[r] {
                let level = min(glyphs.shades.count - 1, max(0, Int((Double(n) / top * Double(glyphs.shades.count)).rounded(.up)) - 1))
                let count = Format.count(n)
                segments.append((" " + String(repeating: n == 0 ? " " : glyphs.shades[level], count: shadeWidth), .accent))
                segments.append((String(repeating: " ", count: max(0, cell - 1 - shadeWidth - count.count)) + count, n == 0 ? .muted : .normal))
            }
            lines.append(StyledLine(segments))
        }
        return lines
    }

    /// Rates as a row of bar heights, the highest the tallest; nothing measured yet gives blanks.
    static func sparkline(_ values: [Double], width: Int, glyphs: Glyphs) -> String {
        let shown = values.suffix(width)
        let top = shown.max() ?? 0
        let heights = shown.map { v -> String in
            top > 0 ? glyphs.spark[min(7, Int((v / top * 7).rounded()))] : glyphs.spark[0]
        }
        return String(repeating: " ", count: width - heights.count) + heights.joined()
    }

    /// Adjacent parts in one style become one.
    static func merged(_ segments: [(String, StyleToken)]) -> [(String, StyleToken)] {
        segments.reduce(into: []) { out, s in
            if let last = out.last, last.1 == s.1 { out[out.count - 1].0 += s.0 } else { out.append(s) }
        }
    }
}
