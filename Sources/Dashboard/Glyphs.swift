/// Box and bar characters: Unicode on UTF-8 terminals, plain ASCII elsewhere.
public struct Glyphs: Sendable, Equatable {
    public let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String
    public let barFull, barEmpty: String
    /// Partial blocks for ⅛-cell resolution (index 1…7); ASCII has none.
    public let barEighths: [String]
    public let selection, disagree, ellipsis, ok, fail, running: String
    /// Charts: braille dots for intervals at half a cell (ASCII draws whole cells), shades from
    /// light to full for heat maps and bars, and the eight heights of a sparkline.
    public let braille: Bool
    public let shades: [String]
    public let spark: [String]
    public let reference: String
    /// A row whose verdict a person marked wrong.
    public let mark: String
    /// A live batch's turning spinner, and the sorted column's direction.
    public let spinner: [String]
    public let ascending, descending: String

    public static let unicode = Glyphs(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
                                       barFull: "█", barEmpty: "·", barEighths: ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"],
                                       selection: "▶", disagree: "≠", ellipsis: "…", ok: "✔", fail: "✗", running: "⠿",
                                       braille: true, shades: ["░", "▒", "▓", "█"], spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
                                       reference: "┃", mark: "✎", spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
                                       ascending: "▲", descending: "▼")
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
                                     barFull: "#", barEmpty: ".", barEighths: [], selection: ">", disagree: "!",
                                     ellipsis: "~", ok: "v", fail: "x", running: "*",
                                     braille: false, shades: [":", "+", "=", "#"], spark: ["_", "_", ".", ".", "-", "-", "^", "^"],
                                     reference: "|", mark: "x", spinner: ["|", "/", "-", "\\"], ascending: "^", descending: "v")
}
