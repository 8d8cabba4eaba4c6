/// Makes untrusted text (model answers, dataset fields, provider ids) safe to print: control
/// characters, escape sequences and bidi overrides become visible placeholders, so nothing a model
/// writes can move the cursor, clear the screen or retitle the terminal.
public enum TerminalText {
    public static func sanitize(_ text: String, keepNewlines: Bool = false) -> String {
        // Printable ASCII needs nothing: returned as is, without rebuilding the string a scalar at a
        // time (the dashboard sanitizes every row's texts).
        var text = text
        let plain = text.withUTF8 { bytes in bytes.allSatisfy { (0x20...0x7E).contains($0) || ($0 == 0x0A && keepNewlines) } }
        if plain { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where keepNewlines:
                out.append(scalar)
            case 0x09:
                out.append(" ")
            case 0x1B:
                out.append(contentsOf: "␛".unicodeScalars)
            case 0x7F:
                out.append("\u{2421}")  // ␡
            case 0x00...0x1F:
                out.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")  // ␀…␟ control pictures
            case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                out.append("?")  // C1 controls (8-bit CSI) and bidi overrides
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
