import JudgeCore
import Plot

/// Untrusted text (titles, answers, model names) as HTML. Plot's own escaping lets an entity such as
/// `&lt;` through unchanged, so a title written `&lt;3` would show as `<3`; here every `&` is
/// escaped first, quotes too, and control characters become visible symbols as in the terminal.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in TerminalText.sanitize(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension Node {
    /// Text from a run or a dataset, escaped.
    static func safe(_ text: String) -> Node { .raw(HTMLText.escape(text)) }
}
