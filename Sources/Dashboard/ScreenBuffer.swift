import CWidth
import Foundation

/// One screen cell: a grapheme (empty for the right half of a wide glyph) and its style.
public struct Cell: Sendable, Equatable {
    public var text: String
    public var style: Style

    public var isContinuation: Bool { text.isEmpty }
}

/// The frame being drawn: a grid of cells the backend only has to copy to the terminal.
public struct ScreenBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(text: " ", style: style), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell { cells[y * width + x] }

    /// Columns a grapheme takes, as libc (and so ncurses) counts them.
    public static func columns(_ grapheme: Character) -> Int {
        guard let first = grapheme.unicodeScalars.first else { return 0 }
        let w = Int(jt_wcwidth(first.value))
        return w < 0 ? 1 : w
    }

    /// Writes text from (x, y), clipped to `maxWidth` columns; a wide glyph that would straddle the
    /// edge becomes a space. Text is sanitised by the caller. Returns the columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, maxWidth: Int? = nil, style: Style) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width - x))
        var column = x
        for grapheme in text {
            let w = Self.columns(grapheme)
            if w == 0 { continue }
            if column + w > limit {
                if column < limit, column >= 0 { set(column, y, " ", style) }
                break
            }
            if column >= 0 {
                set(column, y, String(grapheme), style)
                if w == 2 { set(column + 1, y, "", style) }
            }
            column += w
        }
        return column - x
    }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style, text: String = " ") {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { set(column, row, text, style) }
        }
    }

    /// Restyles cells without changing their text (a selection bar).
    public mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + w) { cells[y * width + column].style = style }
    }

    mutating func set(_ x: Int, _ y: Int, _ text: String, _ style: Style) {
        cells[y * width + x] = Cell(text: text, style: style)
    }

    /// The frame as plain text, trailing spaces trimmed: what snapshot tests compare.
    public var text: String {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// Width of a string in columns.
    public static func width(of text: String) -> Int { text.reduce(0) { $0 + columns($1) } }
}

extension ScreenBuffer {
    /// For a terminal without UTF-8: letters lose their accents, a few symbols become their ASCII
    /// look-alikes (κ → k, – → -), and anything else becomes `?`, so nothing shows as mojibake.
    public mutating func foldToASCII() {
        for y in 0..<height {
            for x in 0..<width where !self[x, y].text.allSatisfy(\.isASCII) {
                let cell = self[x, y]
                set(x, y, Self.ascii(cell.text), cell.style)
                // A wide glyph's right half becomes a space of its own.
                if x + 1 < width, self[x + 1, y].isContinuation { set(x + 1, y, " ", cell.style) }
            }
        }
    }

    static let lookAlikes: [Character: String] = ["κ": "k", "λ": "l", "–": "-", "—": "-", "…": "~", "×": "x", "±": "+-", "’": "'", "“": "\"", "”": "\"", "≠": "!", "▏": "|"]

    static func ascii(_ text: String) -> String {
        if let first = text.first, let known = lookAlikes[first] { return String(known.prefix(1)) }
        let folded = text.folding(options: [.diacriticInsensitive], locale: nil)
        return folded.count == 1 && folded.allSatisfy(\.isASCII) ? folded : "?"
    }
}
