/// A terminal colour: the terminal's own default, or an index in the 256-colour palette.
public enum TerminalColor: Sendable, Equatable, Hashable {
    case standard
    case index(Int)

    /// The nearest of the 8 base colours, for terminals without 256 colours.
    public var downgradedTo8: TerminalColor {
        guard case .index(let i) = self, i >= 8 else { return self }
        if i < 16 { return .index(i - 8) }
        let (r, g, b): (Int, Int, Int)
        if i >= 232 {
            let level = (i - 232) * 10 + 8
            (r, g, b) = (level, level, level)
        } else {
            let c = i - 16
            let steps = [0, 95, 135, 175, 215, 255]
            (r, g, b) = (steps[c / 36], steps[(c / 6) % 6], steps[c % 6])
        }
        let bright = max(r, g, b)
        if bright < 70 { return .index(0) }
        // A channel counts when near the brightest: at half, a muted green (95,175,95) became white.
        let on = { (v: Int) in v * 4 >= bright * 3 }
        return .index((on(r) ? 1 : 0) | (on(g) ? 2 : 0) | (on(b) ? 4 : 0))
    }
}

/// How a cell looks.
public struct Style: Sendable, Equatable, Hashable {
    public var foreground: TerminalColor = .standard
    public var background: TerminalColor = .standard
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(foreground: TerminalColor = .standard, background: TerminalColor = .standard,
                bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()
}

/// The semantic parts of the screen a theme colours.
public enum StyleToken: String, Sendable, CaseIterable {
    case normal, border, title, header, selected, muted, accent, ok, fail, warn
    case barFilled = "bar.filled", barEmpty = "bar.empty"
    case disagree, simulated, help, input
    /// Text matching the search.
    case match
}
