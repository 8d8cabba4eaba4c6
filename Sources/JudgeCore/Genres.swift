/// The label set of the worked example: the 21 IMDB genres the tutorial offers the models. The
/// bundled `imdb-genres` task lists the same labels and aliases (a test holds them equal); the
/// simulator's tutorial models and the benchmarks use them from here.
public enum Genres {
    public static let all: [String] = [
        "Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Drama", "Family",
        "Fantasy", "Film-Noir", "History", "Horror", "Music", "Musical", "Mystery", "Romance",
        "Sci-Fi", "Sport", "Thriller", "War", "Western",
    ]

    /// Common spellings a model uses for a label the set spells otherwise.
    public static let aliases: [String: String] = [
        "scifi": "Sci-Fi", "science fiction": "Sci-Fi", "sciencefiction": "Sci-Fi",
        "film noir": "Film-Noir", "noir": "Film-Noir", "biopic": "Biography",
    ]

    public static let labelSet = LabelSet(all, aliases: aliases)

    /// The list as the tutorial's prompts spell it.
    public static var promptList: String { labelSet.promptList }
}
