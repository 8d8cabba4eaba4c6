/// What a function gave for each distinct text, so that texts that repeat over a run's rows (genre
/// cells, answers) are worked on once. Holds at most `limit` texts: when every text differs, it costs
/// memory no more than it saves time.
struct TextMemo<Value> {
    private var known: [String: Value] = [:]
    private let limit = 10_000

    mutating func value(for text: String, _ make: (String) -> Value) -> Value {
        if let value = known[text] { return value }
        let value = make(text)
        if known.count < limit { known[text] = value }
        return value
    }
}
