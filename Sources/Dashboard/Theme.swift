import Foundation

/// Colours for every semantic token. A theme file lists `token = value` lines (and `#` comment
/// lines); tokens it leaves out
/// come from the default theme. A value is any of `bold dim reverse underline`, a colour
/// (`default`, 0–255, `#rrggbb`, or black red green yellow blue magenta cyan white), and
/// `on <colour>` for the background: `title = bold 75`, `header = bold 252 on 236`.
public struct Theme: Sendable, Equatable {
    public let name: String
    private var styles: [StyleToken: Style]

    public subscript(token: StyleToken) -> Style { styles[token] ?? .plain }

    init(name: String, styles: [StyleToken: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The themes shipped in `themes/`, in the order `t` cycles through them.
    public static let shippedNames = ["dark", "light", "high-contrast", "mono"]

    /// The built-in default, used for every token a theme leaves out.
    public static var fallback: Theme {
        (try? parse(Self.shippedText("dark") ?? "", name: "dark", file: "themes/dark.theme", base: nil)) ?? Theme(name: "dark", styles: [:])
    }

    static func shippedText(_ name: String) -> String? {
        Bundle.module.url(forResource: "themes/\(name)", withExtension: "theme").flatMap { try? String(contentsOf: $0, encoding: .utf8) }
    }

    /// Loads a theme by name (shipped, or `$XDG_CONFIG_HOME/judgetop/themes/NAME.theme`) or by path.
    public static func load(_ nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme")
        if looksLikePath {
            guard let text = try? String(contentsOfFile: nameOrPath, encoding: .utf8) else {
                throw ThemeError(file: nameOrPath, line: nil, problem: "cannot be read")
            }
            return try parse(text, name: URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent, file: nameOrPath)
        }
        let config = environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        let user = config.appendingPathComponent("judgetop/themes/\(nameOrPath).theme").path
        if let text = try? String(contentsOfFile: user, encoding: .utf8) { return try parse(text, name: nameOrPath, file: user) }
        if let text = shippedText(nameOrPath) { return try parse(text, name: nameOrPath, file: "themes/\(nameOrPath).theme") }
        throw ThemeError(file: "themes/\(nameOrPath).theme", line: nil,
                         problem: "does not exist; shipped themes: \(shippedNames.joined(separator: ", ")), or give a path to a .theme file")
    }

    /// Parses theme text; an error names the file and line and says what is wrong.
    public static func parse(_ text: String, name: String, file: String, base: Theme? = Theme.fallback) throws -> Theme {
        var styles: [StyleToken: Style] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Comments are whole lines: `#` inside a value is a colour (#rrggbb).
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw ThemeError(file: file, line: offset + 1, problem: "is not `token = value`")
            }
            guard let token = StyleToken(rawValue: parts[0]) else {
                throw ThemeError(file: file, line: offset + 1,
                                 problem: "names an unknown token '\(parts[0])'; tokens: \(StyleToken.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            do { styles[token] = try parseStyle(parts[1]) } catch let problem as ValueProblem {
                throw ThemeError(file: file, line: offset + 1, problem: problem.message)
            }
        }
        var merged = base?.styles ?? [:]
        merged.merge(styles) { $1 }
        return Theme(name: name, styles: merged)
    }

    struct ValueProblem: Error { let message: String }

    static func parseStyle(_ value: String) throws -> Style {
        var style = Style()
        var words = value.lowercased().split(separator: " ").map(String.init)[...]
        var background = false
        while let word = words.popFirst() {
            switch word {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "reverse": style.reverse = true
            case "underline": style.underline = true
            case "on": background = true
            default:
                let color = try parseColor(word)
                if background { style.background = color } else { style.foreground = color }
            }
        }
        return style
    }

    static let names = ["black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7]

    static func parseColor(_ word: String) throws -> TerminalColor {
        if word == "default" { return .standard }
        if let index = names[word] { return .index(index) }
        if let index = Int(word), (0...255).contains(index) { return .index(index) }
        if word.hasPrefix("#"), word.count == 7, let rgb = Int(word.dropFirst(), radix: 16) {
            // Nearest entry of the xterm 6×6×6 cube.
            let steps = [0, 95, 135, 175, 215, 255]
            func level(_ v: Int) -> Int { steps.indices.min { abs(steps[$0] - v) < abs(steps[$1] - v) } ?? 0 }
            return .index(16 + 36 * level(rgb >> 16) + 6 * level((rgb >> 8) & 0xFF) + level(rgb & 0xFF))
        }
        throw ValueProblem(message: "has '\(word)', which is no colour or attribute (use default, 0-255, #rrggbb, a colour name, bold, dim, reverse, underline, on)")
    }

    /// The same theme for a terminal with only 8 colours.
    public func downgradedTo8Colors() -> Theme {
        Theme(name: name, styles: styles.mapValues { s in
            var d = s
            d.foreground = s.foreground.downgradedTo8
            d.background = s.background.downgradedTo8
            return d
        })
    }
}

public struct ThemeError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let problem: String

    public var description: String { "theme \(file)\(line.map { ":\($0)" } ?? "") \(problem)" }
}
