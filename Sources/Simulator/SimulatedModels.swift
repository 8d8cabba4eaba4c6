import Foundation
import JudgeCore

/// The simulator's "models": deterministic keyword heuristics, not language models. A small model
/// sees a few cue words per genre and sometimes formats its answer badly; a stronger judge sees more
/// cues and answers `Genre,Correct|Incorrect`. Answers depend only on the request text, so a retry
/// gets the same answer and tests can compute the expected numbers independently.
public enum SimulatedModels {
    /// Answers one chat request the way the matching simulated model would: a task's own, when the
    /// request is one of its, else the tutorial's.
    public static func answer(model: String, system: String, user: String, tasks: [SimulatedTask] = []) -> String {
        for task in tasks { if let answer = task.answer(system: system, user: user) { return answer } }
        if let judged = parseJudgeMessage(user) {
            return judgeAnswer(overview: judged.overview, baseAnswer: judged.baseAnswer)
        }
        return baseAnswer(overview: user, model: model)
    }

    /// The small model's answer for an overview. Each model name slips on different rows.
    public static func baseAnswer(overview: String, model: String = EvalTask.defaultBaseModel) -> String {
        let genre = best(smallTable.scores(overview))
        // A few answers break the format, as small models do: lowercase, a trailing period, a sentence.
        switch StableHash.fnv1a("format:" + model + ":" + overview) % 100 {
        case 0..<3: return genre.lowercased()
        case 3..<5: return genre + "."
        case 5: return "The genre of this movie is \(genre)"
        default: return genre
        }
    }

    /// The judge's `Prediction,Evaluation` for an overview and the base answer it is shown.
    public static func judgeAnswer(overview: String, baseAnswer: String) -> String {
        let scores = largeTable.scores(overview)
        // The judge leaves Drama, the commonest genre, only on two cues or more.
        let own = best(scores, minimum: 2)
        let wellFormed = Genres.all.contains(baseAnswer)
        let baseScore = priority.firstIndex(of: baseAnswer).map { scores[$0] } ?? 0
        let plausible = baseAnswer == own || baseAnswer == "Drama" || baseScore >= 2
        let evaluation = wellFormed && plausible ? "Correct" : "Incorrect"
        // One answer in two hundred ignores the requested format.
        if StableHash.fnv1a("judge-format:" + overview) % 200 == 0 { return "\(own) - \(evaluation)" }
        return "\(own),\(evaluation)"
    }

    /// The names `GET /v1/models` lists when `--models` does not restrict them (any name is served):
    /// the tutorial's and those of the tasks it simulates.
    public static func defaultNames(tasks: [SimulatedTask] = []) -> [String] {
        var names = [EvalTask.defaultBaseModel, EvalTask.defaultJudgeModel]
        for task in tasks { for name in [task.task.baseModel, task.task.judgeModel] where !names.contains(name) { names.append(name) } }
        return names
    }

    /// Rough token counts: about four characters a token, as for English text.
    public static func tokens(_ texts: [String]) -> Int {
        max(1, texts.reduce(0) { $0 + $1.utf8.count } / 4)
    }

    /// Pulls the overview and the quoted base answer out of the judge's user message.
    static func parseJudgeMessage(_ user: String) -> (overview: String, baseAnswer: String)? {
        var user = user
        return user.withUTF8 { bytes -> (String, String)? in
            func find(_ text: StaticString, from start: Int = 0) -> Range<Int>? {
                bytes.firstRange(of: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), from: start)
            }
            guard let answerStart = find("Base model answer: \"")?.upperBound, let description = find("Movie Description: "),
                  let genres = find(".\nAvailable Genres:", from: description.upperBound) else { return nil }
            var answerEnd = bytes.count
            if let closing = bytes[answerStart...].lastIndex(of: UInt8(ascii: "\"")) { answerEnd = closing }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[description.upperBound..<genres.lowerBound]), as: UTF8.self),
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[answerStart..<answerEnd]), as: UTF8.self))
        }
    }

    // MARK: Cues

    /// Tie-break and fallback order: genres by how often the IMDB top-1000 carries them.
    static let priority = ["Drama", "Comedy", "Crime", "Adventure", "Action", "Thriller", "Romance", "Biography",
                           "Mystery", "Animation", "Sci-Fi", "Fantasy", "History", "Family", "War", "Music",
                           "Horror", "Western", "Film-Noir", "Sport", "Musical"]

    static let largeCues: [String: [String]] = [
        "Action": ["fight", "battle", "mission", "assassin", "agent", "rescue", "gun", "warrior", "hero", "revenge", "explos"],
        "Adventure": ["journey", "quest", "adventure", "treasure", "expedition", "island", "voyage", "explor", "jungle"],
        "Animation": ["animated", "toy", "cartoon", "creature", "monster"],
        "Biography": ["true story", "life of", "biography", "real-life", "the story of", "based on"],
        "Comedy": ["comedy", "hilarious", "funny", "misadventure", "eccentric", "quirky", "wacky", "comic"],
        "Crime": ["crime", "criminal", "gangster", "mob", "heist", "murder", "police", "detective", "cop", "robber", "drug", "mafia", "prison"],
        "Drama": ["struggle", "relationship", "father", "mother", "grief", "life"],
        "Family": ["children", "kid", "boy", "girl", "dog"],
        "Fantasy": ["magic", "wizard", "dragon", "fairy", "kingdom", "spirit", "witch"],
        "Film-Noir": ["noir", "femme fatale", "private eye"],
        "History": ["historical", "century", "empire", "king", "queen", "revolution"],
        "Horror": ["horror", "haunt", "demon", "ghost", "zombie", "vampire", "terrif", "possess", "evil"],
        "Music": ["musician", "band", "singer", "music", "song", "rock"],
        "Musical": ["musical", "dance"],
        "Mystery": ["mystery", "mysterious", "disappear", "investigat", "secret", "clue"],
        "Romance": ["love", "romance", "romantic", "marry", "marriage", "affair", "wedding"],
        "Sci-Fi": ["alien", "space", "planet", "future", "scientist", "robot", "time travel", "galaxy", "android"],
        "Sport": ["boxer", "boxing", "football", "baseball", "coach", "team", "championship", "athlete"],
        "Thriller": ["thriller", "killer", "kidnap", "conspiracy", "hunt", "stalk", "danger"],
        "War": ["war", "army", "nazi", "soldier", "battlefield", "vietnam"],
        "Western": ["cowboy", "outlaw", "sheriff", "bounty", "gunslinger", "frontier", "west"],
    ]

    /// The small model notices only the first few cues of each genre, and none for Drama (its fallback).
    static let smallCues: [String: [String]] = largeCues.mapValues { Array($0.prefix(3)) }.filter { $0.key != "Drama" }
    static let largeTable = CueTable(largeCues, genres: priority)
    static let smallTable = CueTable(smallCues, genres: priority)

    /// The highest-scoring genre with at least `minimum` cues; ties go to the more common genre, else Drama.
    /// `scores` are in `priority` order.
    static func best(_ scores: [Int], minimum: Int = 1) -> String {
        var winner = "Drama"
        var top = minimum - 1
        for (genre, score) in zip(priority, scores) where score > top {
            winner = genre
            top = score
        }
        return winner
    }

}
