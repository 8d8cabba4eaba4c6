import Mustache

/// A prompt as a task writes it: a Mustache template (swift-mustache), rendered as plain text
/// without HTML escaping. The names it uses are found by rendering it once against a probe, so
/// that a task can be checked against its dataset before anything is sent.
public struct PromptTemplate: Sendable {
    public let source: String
    /// The top-level names the template looks up, each once, in order of first use.
    public let variables: [String]
    private let template: MustacheTemplate
    /// The template as literal text and plain variables, when it is nothing more (no sections,
    /// partials or lambdas): rendered by joining pieces, where the library renders one row in
    /// some 6 µs, a third of what a run spends on a row (docs/performance.md).
    public let pieces: [Piece]?

    public enum Piece: Sendable, Equatable {
        case text(String)
        case variable(String)
    }

    /// A template that does not parse: where and why, counted from the template's first line.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let reason: String
        public var description: String { "line \(line), column \(column) of the template: \(reason)" }
    }

    public init(_ source: String) throws(Problem) {
        self.source = source
        do {
            // The pragma turns HTML escaping off; on a line of its own, it and its line break vanish.
            template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}\n" + source)
        } catch let error as MustacheTemplate.ParserError {
            throw Problem(line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber,
                          reason: "\(error.error)")
        } catch {
            throw Problem(line: 1, column: 1, reason: "\(error)")
        }
        let probe = Probe()
        let rendered = template.render(probe)
        variables = probe.names
        pieces = Self.pieces(of: rendered, names: probe.names, source: source)
    }

    /// Rendered with `values` (a name missing from it renders as nothing).
    public func render(_ values: [String: String]) -> String {
        template.render(values)
    }

    /// Records the names looked up, answering each with a marker that shows where its value goes.
    private final class Probe: MustacheParent {
        var names: [String] = []
        func child(named name: String) -> Any? {
            if !names.contains(name) { names.append(name) }
            return PromptTemplate.marker(names.firstIndex(of: name)!)
        }
    }

    static func marker(_ slot: Int) -> String { "\u{E000}\(slot)\u{E001}" }

    /// The probe's output cut at its markers, or nil when the template does more than substitute
    /// (a section, partial, transform or delimiter change; a marker character in the text itself).
    private static func pieces(of rendered: String, names: [String], source: String) -> [Piece]? {
        let (open, close): (Unicode.Scalar, Unicode.Scalar) = ("\u{E000}", "\u{E001}")
        guard !source.unicodeScalars.contains(where: { $0 == open || $0 == close }), !hasLogicTags(source) else { return nil }
        // Cut by scalars: a marker is never part of a larger character, and walking characters cost
        // more than the rest of compiling a task.
        var pieces: [Piece] = []
        var rest = Substring(rendered).unicodeScalars
        while let start = rest.firstIndex(of: open) {
            guard let end = rest[start...].firstIndex(of: close),
                  let slot = Int(String(rest[rest.index(after: start)..<end])), names.indices.contains(slot) else { return nil }
            if start > rest.startIndex { pieces.append(.text(String(rest[..<start]))) }
            pieces.append(.variable(names[slot]))
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }

    /// Any tag but a variable or comment: `{{#`, `{{^`, `{{/`, `{{>`, `{{<`, `{{$`, `{{=`, or a
    /// transform `name(…)`.
    private static func hasLogicTags(_ source: String) -> Bool {
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            let inside = rest[open.upperBound...].drop { $0 == " " || $0 == "{" || $0 == "&" }
            if let first = inside.first, "#^/><$=".contains(first) { return true }
            let tag = inside.prefix { $0 != "}" }
            if tag.contains("(") { return true }
            rest = rest[open.upperBound...]
        }
        return false
    }
}
