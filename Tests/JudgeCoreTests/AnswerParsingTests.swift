import Testing
@testable import JudgeCore

@Suite struct AnswerParsingTests {
    @Test func baseAnswerStrictLenientAndUnparseable() {
        let exact = BaseAnswer(raw: "Drama")
        #expect(exact.strictLabel == "Drama" && exact.isCorrectStrict(truth: ["Crime", "Drama"]))

        let lower = BaseAnswer(raw: "drama.")
        #expect(lower.strictLabel == nil && lower.lenientLabel == "Drama")
        #expect(!lower.isCorrectStrict(truth: ["Drama"]) && lower.isCorrectLenient(truth: ["Drama"]))
        #expect(!lower.isUnparseable)

        #expect(BaseAnswer(raw: "Science Fiction").lenientLabel == "Sci-Fi")
        #expect(BaseAnswer(raw: "The genre of this movie is Drama").isUnparseable)
        #expect(BaseAnswer(raw: "").isUnparseable)
    }

    @Test func judgeAnswerIsThreeState() {
        #expect(JudgeAnswer(raw: "Drama,Correct").verdict == .correct)
        #expect(JudgeAnswer(raw: " sci-fi , INCORRECT \n").verdict == .incorrect)
        #expect(JudgeAnswer(raw: "Sci-Fi,Incorrect").genre == "Sci-Fi")
        #expect(JudgeAnswer(raw: "Drama - Correct").verdict == .unparseable)
        #expect(JudgeAnswer(raw: "Drama,Maybe").verdict == .unparseable)
        #expect(JudgeAnswer(raw: "Drama,Correct,Extra").verdict == .unparseable)
    }

    @Test func judgeGenreMatchesTruthStrictAndLenient() {
        let answer = JudgeAnswer(raw: "crime,Correct")
        #expect(!answer.genreIsCorrectStrict(truth: ["Crime"]))
        #expect(answer.genreIsCorrectLenient(truth: ["Crime"]))
    }

    @Test func promptsFollowTheTutorial() {
        let row = MovieRow(index: 3, title: "T", overview: "A heist goes wrong", genres: ["Crime"])
        let task = EvalTask()
        let base = task.basePrompt(for: row)
        #expect(base.model == "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo" && base.temperature == 0.5)
        #expect(base.user == "A heist goes wrong")
        #expect(base.system.contains(Genres.promptList))
        let judge = task.judgePrompt(for: row, baseAnswer: "Crime")
        #expect(judge.model == "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
        #expect(judge.user == "\nMovie Description: A heist goes wrong.\nAvailable Genres: \(Genres.promptList)\nBase model answer: \"Crime\"\n")
        #expect(judge.system.contains("Prediction,Evaluation"))
        #expect(Genres.all.count == 21)
    }

    /// Every label is found at its place, whatever its slot in the lookup table; near misses are not.
    @Test func genrePositionsFindExactlyTheLabels() {
        #expect(Genres.all.map { Genres.position(of: $0) } == Array(Genres.all.indices))
        for text in ["", "drama", "Dramas", "Musica", "Sci-fi", "War ", "A", "Film Noir", "Romance\u{0}", "Ψ"] {
            #expect(Genres.position(of: text) == nil, "\(text)")
        }
    }

    @Test func terminalTextNeutralisesEscapes() {
        let hostile = "Title\u{1B}]2;pwned\u{07}\u{1B}[2J\r\u{9B}31m\u{202E}end"
        let safe = TerminalText.sanitize(hostile)
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(safe.contains("␛]2;pwned"))
        #expect(TerminalText.sanitize("a\nb", keepNewlines: true) == "a\nb")
        // Plain printable ASCII comes back as it was; one control character anywhere does not.
        #expect(TerminalText.sanitize("Plain title, 42 ~!") == "Plain title, 42 ~!")
        #expect(TerminalText.sanitize("a\nb") == "a\u{240A}b")
        #expect(TerminalText.sanitize("del\u{7F}") == "del\u{2421}" && TerminalText.sanitize("a\tb") == "a b")
        #expect(TerminalText.sanitize("Amélie\u{1B}") == "Amélie␛")
    }
}
