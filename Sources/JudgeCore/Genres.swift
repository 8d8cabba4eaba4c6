/// The label set of the worked example: the 21 IMDB genres the tutorial offers the models.
public enum Genres {
    public static let all: [String] = [
        "Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Drama", "Family",
        "Fantasy", "Film-Noir", "History", "Horror", "Music", "Musical", "Mystery", "Romance",
        "Sci-Fi", "Sport", "Thriller", "War", "Western",
    ]

    /// The list as the tutorial's prompts spell it.
    public static let promptList: String = all.joined(separator: ", ")

    /// A label's position in `all`, or nil for any other text.
    public static func position(of genre: String) -> Int? { positions[genre] }

    private static let positions: [String: Int] =
        Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })

    private static let byFoldedName: [String: String] = {
        var map: [String: String] = [:]
        for genre in all { map[fold(genre)] = genre }
        // Common spellings a model uses for a label the set spells otherwise.
        map["scifi"] = "Sci-Fi"
        map["science fiction"] = "Sci-Fi"
        map["sciencefiction"] = "Sci-Fi"
        map["film noir"] = "Film-Noir"
        map["noir"] = "Film-Noir"
        map["biopic"] = "Biography"
        return map
    }()

    /// Maps free text onto the label set the lenient way: trimmed, case-folded, quotes and trailing
    /// punctuation removed. Nil when the text names no genre.
    public static func lenientMatch(_ text: String) -> String? {
        byFoldedName[fold(text)]
    }

    static func fold(_ text: String) -> String {
        // A switch, not a Set: hashing each character was a third of a million-row report's time.
        func trimmed(_ c: Character) -> Bool {
            switch c {
            case " ", "\t", "\n", "\r", "\"", "'", "`", ".", ",", ";", ":", "!", "?", "*": true
            default: false
            }
        }
        var s = Substring(text)
        while let c = s.first, trimmed(c) { s = s.dropFirst() }
        while let c = s.last, trimmed(c) { s = s.dropLast() }
        return s.lowercased()
    }
}
