import Foundation

/// Drawing helpers over a screen buffer, with a theme and a glyph set.
struct Painter {
    var buffer: ScreenBuffer
    let theme: Theme
    let glyphs: Glyphs

    mutating func text(_ s: String, _ x: Int, _ y: Int, width: Int, _ token: StyleToken = .normal) {
        buffer.put(s, x: x, y: y, maxWidth: width, style: theme[token])
    }

    /// Text cut to a width with an ellipsis, padded to fill it.
    static func fit(_ s: String, _ width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        if ScreenBuffer.width(of: s) <= width { return s + String(repeating: " ", count: width - ScreenBuffer.width(of: s)) }
        var out = "", used = 0
        for c in s {
            let w = ScreenBuffer.columns(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return out + ellipsis + String(repeating: " ", count: max(0, width - 1 - used))
    }

    mutating func box(_ r: Rect, title: String) {
        guard r.width >= 2, r.height >= 2 else { return }
        let style = theme[.border]
        let inner = r.width - 2
        buffer.put(glyphs.topLeft + String(repeating: glyphs.horizontal, count: inner) + glyphs.topRight, x: r.x, y: r.y, style: style)
        for y in (r.y + 1)..<(r.y + r.height - 1) {
            buffer.put(glyphs.vertical, x: r.x, y: y, style: style)
            buffer.fill(x: r.x + 1, y: y, width: inner, height: 1, style: theme[.normal])
            buffer.put(glyphs.vertical, x: r.x + r.width - 1, y: y, style: style)
        }
        buffer.put(glyphs.bottomLeft + String(repeating: glyphs.horizontal, count: inner) + glyphs.bottomRight,
                   x: r.x, y: r.y + r.height - 1, style: style)
        buffer.put(" \(title) ", x: r.x + 2, y: r.y, maxWidth: max(0, r.width - 4), style: theme[.title])
    }

    /// A bar with ⅛-cell resolution where the glyphs allow it.
    mutating func bar(_ fraction: Double, _ x: Int, _ y: Int, width: Int) {
        guard width > 0 else { return }
        let f = max(0, min(1, fraction.isFinite ? fraction : 0))
        let eighths = Int((f * Double(width) * 8).rounded(.down))
        let full = eighths / 8
        var filled = String(repeating: glyphs.barFull, count: full)
        if full < width, !glyphs.barEighths.isEmpty, eighths % 8 > 0 { filled += glyphs.barEighths[eighths % 8] }
        let filledWidth = ScreenBuffer.width(of: filled)
        buffer.put(filled, x: x, y: y, maxWidth: width, style: theme[.barFilled])
        buffer.put(String(repeating: glyphs.barEmpty, count: max(0, width - filledWidth)), x: x + filledWidth, y: y,
                   maxWidth: width - filledWidth, style: theme[.barEmpty])
    }

    /// Wraps text to a width, at most `lines` lines.
    static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if ScreenBuffer.width(of: candidate) <= width {
                line = candidate
            } else {
                if !line.isEmpty { out.append(line) }
                line = String(word)
            }
            if out.count == lines { break }
        }
        if !line.isEmpty, out.count < lines { out.append(line) }
        return Array(out.prefix(lines))
    }
}

enum Format {
    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    static func count(_ n: Int) -> String {
        n >= 10_000_000 ? "\(n / 1_000_000)M" : n >= 10_000 ? "\(n / 1000)k" : "\(n)"
    }

    static func value(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "  —  " }

    static func interval(_ i: (low: Double, high: Double)?) -> String {
        i.map { String(format: "[%.3f, %.3f]", $0.low, $0.high) } ?? ""
    }
}

extension Painter {
    /// The selected row: plain cells take the selection's style; cells coloured by meaning keep
    /// their colour and gain the selection's attributes, so a wrong answer stays red under the bar.
    mutating func select(x: Int, y: Int, width: Int) {
        let selection = theme[.selected], plain = [theme[.normal], theme[.muted]]
        for column in x..<min(buffer.width, x + width) {
            let cell = buffer[column, y].style
            guard !plain.contains(cell) else {
                buffer.restyle(x: column, y: y, width: 1, style: selection)
                continue
            }
            var kept = cell
            kept.reverse = kept.reverse || selection.reverse
            kept.bold = kept.bold || selection.bold
            if selection.background != .standard { kept.background = selection.background }
            buffer.restyle(x: column, y: y, width: 1, style: kept)
        }
    }

    /// Marks every occurrence of the search text (any case) on a line in the `match` style.
    mutating func highlight(_ query: String, x: Int, y: Int, width: Int) {
        let needle = Array(query.lowercased())
        guard !needle.isEmpty else { return }
        let columns = Array(x..<min(buffer.width, x + width)).filter { !buffer[$0, y].isContinuation }
        let text = columns.map { Character(buffer[$0, y].text.lowercased()) }
        var start = 0
        while start + needle.count <= text.count {
            if Array(text[start..<(start + needle.count)]) == needle {
                let from = columns[start], to = columns[start + needle.count - 1]
                buffer.restyle(x: from, y: y, width: to - from + ScreenBuffer.width(of: buffer[to, y].text), style: theme[.match])
                start += needle.count
            } else {
                start += 1
            }
        }
    }
}
