import JudgeCore

/// Writes a judge's answer in a task's own format, knowing only its verdict rule: the pattern read
/// backwards (its groups filled in, its other syntax reduced to one plain instance), else the
/// first of some common formats the rule reads as meant.
enum VerdictWriter {
    static func write(_ rule: VerdictRule, label: String?, word: String, verdict: Verdict) -> String {
        let shown = label ?? "None"
        // The word as the task lists it, then in the other casings a pattern may insist on.
        var words: [String] = []
        for form in [word, word.capitalized, word.uppercased(), word.lowercased()] where !words.contains(form) { words.append(form) }
        let candidates = words.flatMap { word in
            [instance(of: rule.pattern, values: ["label": shown, "verdict": word]),
             "\(shown),\(word)", "\(shown), \(word)", word, "\(shown)\n\(word)", "Label: \(shown)\nVerdict: \(word)",
             "Answer: \(shown); Verdict: \(word)", "\(word): \(shown)"]
        }
        return rule.firstFitting(candidates, label: label, verdict: verdict) ?? word
    }

    /// One text the pattern matches: named groups replaced by `values`, `\s` by a space, classes by
    /// their first character, anchors, quantifiers and other alternatives dropped. Good enough for
    /// the patterns tasks write; the caller checks the result.
    static func instance(of pattern: String, values: [String: String]) -> String {
        var out = ""
        var chars = Array(pattern)[...]
        var depth = 0
        while let c = chars.popFirst() {
            switch c {
            case "(":
                if chars.starts(with: "?<"), !chars.dropFirst(2).starts(with: "="), !chars.dropFirst(2).starts(with: "!"),
                   let close = chars.firstIndex(of: ">") {
                    let name = String(chars[chars.index(chars.startIndex, offsetBy: 2)..<close])
                    chars = chars[chars.index(after: close)...]
                    skipGroup(&chars)
                    out += values[name] ?? ""
                } else if chars.first == "?" {
                    // (?i), (?:…): flags dropped, a non-capturing group's content kept.
                    if let end = chars.firstIndex(where: { $0 == ")" || $0 == ":" }) {
                        if chars[end] == ")" { chars = chars[chars.index(after: end)...] } else { chars = chars[chars.index(after: end)...]; depth += 1 }
                    }
                } else {
                    depth += 1
                }
            case ")": depth = max(0, depth - 1)
            case "|": skipAlternatives(&chars, depth: &depth)
            case "^", "$", "*", "+", "?": break
            case "{": while let d = chars.popFirst(), d != "}" {}
            case ".": out += "x"
            case "[":
                var first: Character?
                let negated = chars.first == "^"
                while let d = chars.popFirst(), d != "]" { if first == nil, d != "^" { first = d == "\\" ? chars.popFirst() : d } }
                out += negated ? " " : String(first ?? " ")
            case "\\":
                guard let e = chars.popFirst() else { break }
                switch e {
                case "s": out += " "
                case "w": out += "x"
                case "d": out += "0"
                case "b", "A", "z", "Z", "B": break
                default: out.append(e)
                }
            default: out.append(c)
            }
        }
        return out
    }

    /// Past the `)` that closes the group just opened.
    private static func skipGroup(_ chars: inout ArraySlice<Character>) {
        var depth = 1
        while let c = chars.popFirst() {
            if c == "\\" { _ = chars.popFirst() } else if c == "(" { depth += 1 } else if c == ")" { depth -= 1; if depth == 0 { return } }
        }
    }

    /// Past the other alternatives of the current group (to its `)`, or to the end at top level).
    private static func skipAlternatives(_ chars: inout ArraySlice<Character>, depth: inout Int) {
        var level = 0
        while let c = chars.first {
            if c == "\\" { chars = chars.dropFirst(2); continue }
            if c == "(" { level += 1 } else if c == ")" {
                if level == 0 { return }
                level -= 1
            }
            chars = chars.dropFirst()
        }
    }
}
