import JudgeCore
import Plot

/// A table cell: text from the run, a right-aligned figure, or a verdict coloured by its meaning.
enum Cell {
    case text(String)
    case number(String)
    case verdict(Verdict)
}

extension HTMLReport {
    static func section(_ id: String, _ title: String, _ nodes: [Node<HTML.BodyContext>]) -> Node<HTML.BodyContext> {
        .section(.id(id), .h2(.safe(title)), .group(nodes))
    }

    static func figure(_ chart: Node<HTML.BodyContext>, _ caption: String) -> Node<HTML.BodyContext> {
        .element(named: "figure", nodes: [chart, .element(named: "figcaption", nodes: [.safe(caption)])])
    }

    static func table(_ header: [String], _ rows: [[Cell]]) -> Node<HTML.BodyContext> {
        .table(
            .thead(.tr(.forEach(header) { .th(.safe($0)) })),
            .tbody(.forEach(rows) { row in .tr(.forEach(row) { cell($0) }) })
        )
    }

    static func keyValueTable(_ rows: [(String, String)]) -> Node<HTML.BodyContext> {
        .table(.tbody(.forEach(rows) { key, value in .tr(.th(.safe(key)), .td(.safe(value))) }))
    }

    static func cell(_ c: Cell) -> Node<HTML.TableRowContext> {
        switch c {
        case .text(let s): return .td(.safe(s))
        case .number(let s): return .td(.class("num"), .safe(s))
        case .verdict(let v): return .td(.class("verdict-\(v.rawValue)"), .safe(v.rawValue))
        }
    }
}
