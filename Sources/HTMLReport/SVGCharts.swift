import Foundation
import JudgeCore
import Plot

/// The report's charts as inline SVG, drawn from the same `ReportCharts` as the dashboard. Colours
/// come from the page's style sheet (classes), so dark mode and print restyle them.
enum SVGCharts {
    typealias SVGNode = Node<HTML.BodyContext>

    static let width = 720.0
    static let nameWidth = 170.0
    static let figuresWidth = 170.0
    static let rowHeight = 24.0

    /// The forest plot: each estimate's 95% interval and point on one axis, the truth as a diamond.
    static func forest(_ charts: ReportCharts) -> SVGNode {
        let plotWidth = width - nameWidth - figuresWidth
        let axis = charts.axis
        let x = { (v: Double) in nameWidth + (v - axis.low) / max(1e-9, axis.high - axis.low) * plotWidth }
        let height = Double(charts.forest.count) * rowHeight + 30
        var nodes: [SVGNode] = []
        var tick = axis.low
        while tick <= axis.high + 1e-9 {
            nodes.append(line(x(tick), 4, x(tick), height - 26, "grid"))
            nodes.append(text(x(tick), height - 8, String(format: "%.1f", tick), anchor: "middle", "tick"))
            tick += 0.1
        }
        for (i, e) in charts.forest.enumerated() {
            let y = Double(i) * rowHeight + rowHeight / 2 + 4
            nodes.append(text(nameWidth - 8, y + 4, e.name, anchor: "end", e.isTruth ? "truth label" : "label"))
            guard let value = e.value else {
                nodes.append(text(nameWidth + 4, y + 4, "undefined: " + (e.note ?? "no data"), anchor: "start", "note"))
                continue
            }
            if let i = e.interval {
                nodes.append(line(x(i.low), y, x(i.high), y, "interval"))
                nodes.append(line(x(i.low), y - 5, x(i.low), y + 5, "interval"))
                nodes.append(line(x(i.high), y - 5, x(i.high), y + 5, "interval"))
            }
            nodes.append(e.isTruth ? diamond(x(value), y) : circle(x(value), y, 4.5, "point"))
            let figures = String(format: "%.3f", value) + (e.interval.map { String(format: "  [%.3f, %.3f]", $0.low, $0.high) } ?? "")
            nodes.append(text(width - figuresWidth + 8, y + 4, figures, anchor: "start", "figure"))
        }
        return svg(height: height, title: "Accuracy estimates with 95% intervals", nodes)
    }

    /// Per-label accuracy: bars with Wilson whiskers, best first, and the majority baseline as a dashed line.
    static func bars(_ charts: ReportCharts) -> SVGNode {
        let plotWidth = width - nameWidth - figuresWidth
        let x = { (v: Double) in nameWidth + v * plotWidth }
        let height = Double(charts.bars.count) * rowHeight + 30
        var nodes: [SVGNode] = []
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            nodes.append(line(x(tick), 4, x(tick), height - 26, "grid"))
            nodes.append(text(x(tick), height - 8, String(format: "%.1f", tick), anchor: "middle", "tick"))
        }
        for (i, bar) in charts.bars.enumerated() {
            let y = Double(i) * rowHeight + 4
            nodes.append(text(nameWidth - 8, y + rowHeight / 2 + 4, bar.label, anchor: "end", "label"))
            guard let v = bar.accuracy.value else { continue }
            nodes.append(rect(x(0), y + 5, x(v) - x(0), rowHeight - 10, "bar"))
            if let ci = bar.accuracy.interval {
                let mid = y + rowHeight / 2
                nodes.append(line(x(ci.low), mid, x(ci.high), mid, "whisker"))
                nodes.append(line(x(ci.low), mid - 4, x(ci.low), mid + 4, "whisker"))
                nodes.append(line(x(ci.high), mid - 4, x(ci.high), mid + 4, "whisker"))
            }
            nodes.append(text(width - figuresWidth + 8, y + rowHeight / 2 + 4,
                              String(format: "%.3f", v) + "  n=\(bar.accuracy.total)", anchor: "start", "figure"))
        }
        if let m = charts.majority, let v = m.accuracy.value {
            nodes.append(line(x(v), 0, x(v), height - 26, "reference"))
            nodes.append(text(x(v) + 4, height - 20, "always \(m.label) \(String(format: "%.3f", v))", anchor: "start", "reference-label"))
        }
        return svg(height: height, title: "Accuracy per label with 95% intervals", nodes)
    }

    /// A heat map: each cell shaded by its share of the largest count, with the count written in.
    static func heatMap(_ map: ReportCharts.HeatMap) -> SVGNode {
        let labelWidth = 150.0, top = 56.0
        let cell = min(64, (width - labelWidth) / Double(max(1, map.columns.count)))
        let height = top + Double(map.rows.count) * 30 + 8
        let maximum = Double(max(1, map.maximum))
        var nodes: [SVGNode] = [text(labelWidth, 14, map.columnTitle, anchor: "start", "axis-title"),
                                text(labelWidth - 8, top - 8, map.rowTitle, anchor: "end", "axis-title")]
        for (c, name) in map.columns.enumerated() {
            nodes.append(text(labelWidth + (Double(c) + 0.5) * cell, top - 8, name, anchor: "middle", "column", clip: Int(cell / 7)))
        }
        for (r, name) in map.rows.enumerated() {
            let y = top + Double(r) * 30
            nodes.append(text(labelWidth - 8, y + 19, name, anchor: "end", "label"))
            for (c, n) in map.cells[r].enumerated() {
                let share = Double(n) / maximum
                nodes.append(rect(labelWidth + Double(c) * cell, y, cell - 2, 28, "cell", opacity: n == 0 ? 0.04 : 0.12 + 0.88 * share))
                nodes.append(text(labelWidth + (Double(c) + 0.5) * cell, y + 19, "\(n)", anchor: "middle", share > 0.55 ? "count strong" : "count"))
            }
        }
        return svg(height: height, title: map.title, nodes)
    }

    // MARK: Elements

    static func svg(height: Double, title: String, _ nodes: [SVGNode]) -> SVGNode {
        .element(named: "svg", nodes: [
            .attribute(named: "xmlns", value: "http://www.w3.org/2000/svg"),
            .attribute(named: "viewBox", value: "0 0 \(number(width)) \(number(height))"),
            .attribute(named: "role", value: "img"),
            .attribute(named: "class", value: "chart"),
            .element(named: "title", nodes: [.safe(title)]),
        ] + nodes)
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ cls: String) -> SVGNode {
        .element(named: "line", nodes: [attribute("x1", x1), attribute("y1", y1), attribute("x2", x2), attribute("y2", y2),
                                        .attribute(named: "class", value: cls)])
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ cls: String, opacity: Double? = nil) -> SVGNode {
        .element(named: "rect", nodes: [attribute("x", x), attribute("y", y), attribute("width", max(0, w)), attribute("height", max(0, h)),
                                        .attribute(named: "class", value: cls)] + (opacity.map { [.attribute(named: "fill-opacity", value: String(format: "%.2f", $0))] } ?? []))
    }

    static func circle(_ cx: Double, _ cy: Double, _ r: Double, _ cls: String) -> SVGNode {
        .element(named: "circle", nodes: [attribute("cx", cx), attribute("cy", cy), attribute("r", r), .attribute(named: "class", value: cls)])
    }

    static func diamond(_ cx: Double, _ cy: Double) -> SVGNode {
        let points = [(cx, cy - 6), (cx + 6, cy), (cx, cy + 6), (cx - 6, cy)].map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ")
        return .element(named: "polygon", nodes: [.attribute(named: "points", value: points), .attribute(named: "class", value: "truth")])
    }

    /// Text in a chart, escaped; cut to `clip` characters when given.
    static func text(_ x: Double, _ y: Double, _ string: String, anchor: String, _ cls: String, clip: Int? = nil) -> SVGNode {
        let shown = clip.map { string.count > $0 ? String(string.prefix(max(1, $0 - 1))) + "…" : string } ?? string
        return .element(named: "text", nodes: [attribute("x", x), attribute("y", y), .attribute(named: "text-anchor", value: anchor),
                                               .attribute(named: "class", value: cls), .safe(shown)])
    }

    static func attribute(_ name: String, _ value: Double) -> SVGNode { .attribute(named: name, value: number(value)) }

    static func number(_ v: Double) -> String { String(format: "%.1f", v.isFinite ? v : 0) }
}
