/// Genre cue words, indexed for scoring an overview: a single-word cue matches a word it begins,
/// a multi-word cue matches the words in sequence. Single cues live in a byte trie, so scoring walks
/// each word once instead of hashing every prefix (the simulator's largest cost per line).
struct CueTable: Sendable {
    /// The genres scores are counted for, in this order.
    let genres: [String]
    /// Trie of the single-word cues over `symbol`s: `children[node * 27 + symbol]` is the next node,
    /// 0 for none (the root is node 0, never a child).
    private let children: [Int32]
    /// Per node: the single cue ending there, or -1.
    private let cueAtNode: [Int32]
    /// Per single cue: the genres listing it (once per listing), as indices into `genres`.
    private let cueGenres: [[Int]]
    /// The single cues as text, for the general path.
    private let singles: [String: Int]
    private let longestSingle: Int
    /// Multi-word cues, as " cue words " to find in " the overview's words ".
    private let phrases: [(genre: Int, pattern: [UInt8])]

    init(_ cues: [String: [String]], genres: [String]) {
        self.genres = genres
        var children = [Int32](repeating: 0, count: Self.symbols)
        var cueAtNode: [Int32] = [-1]
        var cueGenres: [[Int]] = []
        var singles: [String: Int] = [:]
        var phrases: [(Int, [UInt8])] = []
        for (genre, list) in cues.sorted(by: { $0.key < $1.key }) {
            guard let g = genres.firstIndex(of: genre) else { preconditionFailure("cue genre \(genre) is not listed") }
            for cue in list {
                if cue.contains(" ") {
                    phrases.append((g, Array(" \(cue) ".utf8)))
                    continue
                }
                let index: Int
                if let known = singles[cue] {
                    index = known
                } else {
                    index = cueGenres.count
                    singles[cue] = index
                    cueGenres.append([])
                    var node = 0
                    for byte in cue.utf8 {
                        guard let symbol = Self.symbol(byte) else { preconditionFailure("cue \(cue) is not lowercase ASCII") }
                        let slot = node * Self.symbols + symbol
                        if children[slot] == 0 {
                            children[slot] = Int32(cueAtNode.count)
                            cueAtNode.append(-1)
                            children.append(contentsOf: repeatElement(0, count: Self.symbols))
                        }
                        node = Int(children[slot])
                    }
                    cueAtNode[node] = Int32(index)
                }
                cueGenres[index].append(g)
            }
        }
        self.children = children
        self.cueAtNode = cueAtNode
        self.cueGenres = cueGenres
        self.singles = singles
        longestSingle = singles.keys.map(\.count).max() ?? 0
        self.phrases = phrases
    }

    /// How many cues of each genre (in `genres` order) the overview has; each cue counts once.
    func scores(_ overview: String) -> [Int] {
        var overview = overview
        return overview.withUTF8 { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? asciiScores(bytes) : characterScores(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The general path, for any Unicode text: words are runs of letters and hyphens.
    func characterScores(_ overview: String) -> [Int] {
        let words = overview.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "-" })
        var matched = Set<Int>()
        for word in words {
            var prefix = ""
            for character in word.prefix(longestSingle) {
                prefix.append(character)
                if let cue = singles[prefix] { matched.insert(cue) }
            }
        }
        return count(matched: matched.sorted(), text: Array((" " + words.joined(separator: " ") + " ").utf8))
    }

    /// The same rules on ASCII bytes: letters and hyphens make words, anything else separates them.
    private func asciiScores(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var matched: [Int] = []
        var text: [UInt8] = [0x20]  // " word word " for the phrases
        text.reserveCapacity(bytes.count + 2)
        var node = 0
        var depth = 0
        var inWord = false
        for raw in bytes {
            let byte = raw &- 0x41 < 26 ? raw | 0x20 : raw  // ASCII lowercase
            guard let symbol = Self.symbol(byte) else {
                if inWord { text.append(0x20) }
                inWord = false
                continue
            }
            if !inWord { node = 0; depth = 0; inWord = true }
            text.append(byte)
            guard node >= 0, depth < longestSingle else { continue }
            let next = Int(children[node * Self.symbols + symbol])
            depth += 1
            guard next != 0 else { node = -1; continue }
            node = next
            if cueAtNode[node] >= 0 { matched.append(Int(cueAtNode[node])) }
        }
        if inWord { text.append(0x20) }
        if text.count == 1 { text.append(0x20) }  // no words: "  ", as the general path joins them
        return count(matched: matched, text: text)
    }

    /// Word bytes: a–z are 0–25, the hyphen 26; anything else separates words.
    private static let symbols = 27
    private static func symbol(_ byte: UInt8) -> Int? {
        if byte &- 0x61 < 26 { return Int(byte &- 0x61) }
        return byte == UInt8(ascii: "-") ? 26 : nil
    }

    private func count(matched: [Int], text: [UInt8]) -> [Int] {
        var scores = [Int](repeating: 0, count: genres.count)
        var seen = [Bool](repeating: false, count: cueGenres.count)
        for cue in matched where !seen[cue] {
            seen[cue] = true
            for genre in cueGenres[cue] { scores[genre] += 1 }
        }
        for phrase in phrases where Self.contains(text, phrase.pattern) { scores[phrase.genre] += 1 }
        return scores
    }

    private static func contains(_ text: [UInt8], _ pattern: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { t in pattern.withUnsafeBufferPointer { t.firstRange(of: $0) != nil } }
    }
}
