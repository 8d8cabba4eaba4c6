import JudgeCore

/// Cue words per label, learned from example items: the words found most often in a label's items
/// and rarely in others', and each label's own name. A keyword classifier trained on the data it
/// is tried on: informative, and imperfect, as a small model is.
struct LabelCues: Sendable {
    let labels: [String]
    /// The commonest label among the examples (the first label without examples): the answer when
    /// no cue is found.
    let fallback: String
    private let cues: [String: [Int]]

    init(labels set: LabelSet, examples: [Item], perLabel: Int) {
        labels = set.all
        var labelCount = [Int](repeating: 0, count: labels.count)
        var withWord: [String: Int] = [:]
        var withWordAndLabel: [String: [Int: Int]] = [:]
        let usable = examples.prefix(SimulatedTask.examplesRead).filter { !$0.truth.isEmpty }
        for item in usable {
            let positions = item.truth.compactMap(set.position)
            for p in positions { labelCount[p] += 1 }
            for word in Set(Self.words(item.fields.joined(separator: " "))) {
                withWord[word, default: 0] += 1
                for p in positions { withWordAndLabel[word, default: [:]][p, default: 0] += 1 }
            }
        }
        var cues: [String: [Int]] = [:]
        for (p, label) in labels.enumerated() {
            for word in Self.words(label) where word.count >= 3 { cues[word, default: []].append(p) }
            // Words in at least three of the label's items, at least half of whose items carry it.
            let ranked = withWordAndLabel.compactMap { word, counts -> (String, Int)? in
                guard let n = counts[p], n >= 3, let all = withWord[word], n * 2 >= all, all * 5 < max(usable.count, 1) * 2 else { return nil }
                return (word, n)
            }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            for (word, _) in ranked.prefix(perLabel) where !(cues[word]?.contains(p) ?? false) { cues[word, default: []].append(p) }
        }
        self.cues = cues
        let top = labelCount.indices.max { (labelCount[$0], $1) < (labelCount[$1], $0) } ?? 0
        fallback = labels.isEmpty ? "" : labels[labelCount.allSatisfy { $0 == 0 } ? 0 : top]
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    private func scores(_ text: String) -> [Int] {
        var scores = [Int](repeating: 0, count: labels.count)
        for word in Set(Self.words(text)) { for p in cues[word] ?? [] { scores[p] += 1 } }
        return scores
    }

    func score(_ text: String, of label: String) -> Int {
        labels.firstIndex(of: label).map { scores(text)[$0] } ?? 0
    }

    /// The label with the most cues (at least `minimum`), ties to the earlier label; else the fallback.
    func best(_ text: String, minimum: Int = 1) -> String {
        var winner = fallback
        var top = minimum - 1
        for (label, score) in zip(labels, scores(text)) where score > top {
            winner = label
            top = score
        }
        return winner
    }
}
