import JudgeCore

/// Reads the values back out of a message a plain template rendered: each literal piece is found in
/// order, and what lies between is the value of the variable there. How the simulator, which sees
/// only requests, finds an item's fields and the base answer in any task's messages.
struct TemplateReader: Sendable {
    private let pieces: [PromptTemplate.Piece]

    init?(_ template: PromptTemplate) {
        guard let pieces = template.pieces else { return nil }
        self.pieces = pieces
    }

    /// The variables' values, or nil when the message does not have the template's shape.
    func read(_ message: String) -> [String: String]? {
        var values: [String: String] = [:]
        var rest = Substring(message)
        var pending: String?
        for (offset, piece) in pieces.enumerated() {
            switch piece {
            case .variable(let name):
                pending = name
            case .text(let text):
                // The last literal closes the message; any other is searched for from here.
                let found = offset == pieces.count - 1
                    ? (rest.hasSuffix(text) ? rest.index(rest.endIndex, offsetBy: -text.count)..<rest.endIndex : nil)
                    : rest.range(of: text)
                guard let found, pending != nil || found.lowerBound == rest.startIndex else { return nil }
                if let name = pending { values[name] = String(rest[..<found.lowerBound]) }
                pending = nil
                rest = rest[found.upperBound...]
            }
        }
        if let name = pending { values[name] = String(rest) } else if !rest.isEmpty { return nil }
        return values
    }
}
