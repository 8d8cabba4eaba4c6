import Foundation

/// Genre cue words, indexed for scoring an overview: a single-word cue matches a word it begins,
/// a multi-word cue matches the words in sequence. Scoring looks each word's prefixes up instead of
/// testing every cue against every word (the simulator's largest cost at a million rows).
struct CueTable: Sendable {
    /// Single-word cue → the genres listing it (once per listing).
    private let singles: [String: [String]]
    private let longestSingle: Int
    /// Multi-word cues, as " cue words " to find in " the overview's words ".
    private let phrases: [(genre: String, pattern: [UInt8])]

    init(_ cues: [String: [String]]) {
        var singles: [String: [String]] = [:]
        var phrases: [(String, [UInt8])] = []
        for (genre, list) in cues {
            for cue in list {
                if cue.contains(" ") { phrases.append((genre, Array(" \(cue) ".utf8))) } else { singles[cue, default: []].append(genre) }
            }
        }
        self.singles = singles
        longestSingle = singles.keys.map(\.count).max() ?? 0
        self.phrases = phrases
    }

    /// How many cues of each genre the overview has; each cue counts once.
    func scores(_ overview: String) -> [String: Int] {
        let words = overview.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "-" })
        var matched: Set<String> = []
        for word in words {
            var prefix = ""
            for character in word.prefix(longestSingle) {
                prefix.append(character)
                if singles[prefix] != nil { matched.insert(prefix) }
            }
        }
        var scores: [String: Int] = [:]
        for cue in matched { for genre in singles[cue]! { scores[genre, default: 0] += 1 } }
        if !phrases.isEmpty {
            let text = Array((" " + words.joined(separator: " ") + " ").utf8)
            for phrase in phrases where Self.contains(text, phrase.pattern) { scores[phrase.genre, default: 0] += 1 }
        }
        return scores
    }


    private static func contains(_ text: [UInt8], _ pattern: [UInt8]) -> Bool {
        guard let first = pattern.first, text.count >= pattern.count else { return false }
        var i = 0
        let last = text.count - pattern.count
        while i <= last {
            if text[i] == first, text[i..<i + pattern.count].elementsEqual(pattern) { return true }
            i += 1
        }
        return false
    }
}
