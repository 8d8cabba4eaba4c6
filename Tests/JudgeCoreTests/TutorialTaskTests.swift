import Foundation
import JudgeCore
import Testing

/// The tutorial as a task file: its prompts must be the ones judgetop sent before tasks existed,
/// byte for byte, so that its runs, numbers and costs do not move. The expected text below is a
/// copy of the prompts as they were written in code until then.
@Suite struct TutorialTaskTests {
    static let genres = "Action, Adventure, Animation, Biography, Comedy, Crime, Drama, Family, Fantasy, Film-Noir, History, Horror, Music, Musical, Mystery, Romance, Sci-Fi, Sport, Thriller, War, Western"

    static let baseSystemPrompt = """

    You are a helpful assistant who classifies movie genres based on the provided description. Choose one of the following options:
    \(Self.genres).
    Provide your response as a single word with the matching genre. Don't include punctuation.

    """

    static let judgeSystemPrompt = """

    You will receive a movie description, a list of possible genres, and a predicted movie genre made by another LLM (base model).
    Your task is to evaluate whether the predicted genre is ‘correct’ or ‘incorrect’ based on the following steps and requirements.
    Steps to Follow:
    1. Carefully read the movie description.
    2. Determine your own classification of the genre for the movie. Do not rely on the base model answer since it may be incorrect.
    3. Do not rely on individual words to identify the genre; read the whole description to identify the genre.
    4. Read the base model answer (enclosed in double quotes) and evaluate if it is correct by following the Evaluation Criteria below.
    5. Provide your evaluation as 'correct' or 'incorrect'.
    Evaluation Criteria:
    - If the base model answer (enclosed in double quotes) does not align with the movie description, the evaluation should be ‘incorrect’.
    - The first letter of the base model answer (enclosed in double quotes) must be capitalized (e.g., Drama). If it has any other capitalization, the evaluation should be ‘incorrect’.
    - All other letters in the base model answer (enclosed in double quotes) must be lowercase. Otherwise, the evaluation should be ‘incorrect’.
    - If the base model answer consists of multiple words, the evaluation should be ‘incorrect’.
    - If the base model answer includes punctuation, spaces, or additional characters, the evaluation should be ‘incorrect’.
    - If the base model answer (enclosed in double quotes) is not one of the provided genres, the evaluation should be ‘incorrect’.
    - If it is not listed, the evaluation should be ‘incorrect’.
    Output Rules:
    - Provide your genre prediction and evaluation without additional text, punctuation, or explanation.
    - The output must be: the genre prediction and the evaluation. The first letter uppercase and all other letters lowercase.
    Final Answer Format:
    Prediction,Evaluation
    Example:
    Drama,Correct

    """

    @Test func promptsAreTheTutorialsByteForByte() throws {
        let task = EvalTask.tutorial()
        for item in try Dataset.bundled().rows.prefix(50) {
            let base = task.basePrompt(for: item)
            #expect(base.system == Self.baseSystemPrompt)
            #expect(base.user == item.text)
            #expect(base.model == "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo" && base.temperature == 0.5)
            let judge = task.judgePrompt(for: item, baseAnswer: "Drama")
            #expect(judge.system == Self.judgeSystemPrompt)
            #expect(judge.user == "\nMovie Description: \(item.text).\nAvailable Genres: \(Self.genres)\nBase model answer: \"Drama\"\n")
            #expect(judge.model == "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo" && judge.temperature == 0.5)
        }
    }

    @Test func theTaskFileListsTheGenresAndTheirSpellings() {
        let task = EvalTask.tutorial()
        #expect(task.labels == Genres.labelSet)
        #expect(task.spec.aliases == Genres.aliases)
        #expect(task.promptColumns == ["Overview"])
        #expect(task.spec.dataset.title == "Series_Title" && task.spec.dataset.truth == "Genre")
    }

    /// The verdict rule reads every answer the way the code before tasks did: exactly one comma,
    /// the genre trimmed before it, the verdict folded after it.
    @Test func verdictRuleReadsAsTheOldParserDid() {
        func legacy(_ raw: String) -> (String?, Verdict) {
            let parts = raw.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return (nil, .unparseable) }
            let genre = parts[0].trimmingCharacters(in: .whitespacesAndNewlines)
            switch LabelSet.fold(String(parts[1])) {
            case "correct": return (genre.isEmpty ? nil : genre, .correct)
            case "incorrect": return (genre.isEmpty ? nil : genre, .incorrect)
            default: return (genre.isEmpty ? nil : genre, .unparseable)
            }
        }
        let answers = ["Drama,Correct", " drama , correct. ", "Drama,Correct,Extra", "Drama", ",Correct", "Drama,\"Incorrect\"",
                       "Sci-Fi,INCORRECT\n", "Drama - Correct", "", ",", "Drama,", "Film-Noir,\tIncorrect!", "Comedy\n,Correct",
                       "Drama,Maybe", "Crime,In correct", "Drama,correct\r\n", "**Drama**,**Correct**"]
        let rule = Scoring.tutorial
        for answer in answers {
            let read = rule.judge(answer)
            let old = legacy(answer)
            #expect(read.verdict == old.1, "\(answer.debugDescription)")
            if old.1 != .unparseable { #expect(read.label == old.0, "\(answer.debugDescription)") }
        }
    }
}
