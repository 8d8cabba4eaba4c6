import Testing
@testable import JudgeCore

@Suite struct AnswerParsingTests {
    @Test func baseAnswerStrictLenientAndUnparseable() {
        let exact = Scoring.tutorial.base("Drama")
        #expect(exact.strictLabel == "Drama" && exact.isCorrectStrict(truth: ["Crime", "Drama"]))

        let lower = Scoring.tutorial.base("drama.")
        #expect(lower.strictLabel == nil && lower.lenientLabel == "Drama")
        #expect(!lower.isCorrectStrict(truth: ["Drama"]) && lower.isCorrectLenient(truth: ["Drama"]))
        #expect(!lower.isUnparseable)

        #expect(Scoring.tutorial.base("Science Fiction").lenientLabel == "Sci-Fi")
        #expect(Scoring.tutorial.base("The genre of this movie is Drama").isUnparseable)
        #expect(Scoring.tutorial.base("").isUnparseable)
    }

    @Test func judgeAnswerIsThreeState() {
        #expect(Scoring.tutorial.judge("Drama,Correct").verdict == .correct)
        #expect(Scoring.tutorial.judge(" sci-fi , INCORRECT \n").verdict == .incorrect)
        #expect(Scoring.tutorial.judge("Sci-Fi,Incorrect").label == "Sci-Fi")
        #expect(Scoring.tutorial.judge("Drama - Correct").verdict == .unparseable)
        #expect(Scoring.tutorial.judge("Drama,Maybe").verdict == .unparseable)
        #expect(Scoring.tutorial.judge("Drama,Correct,Extra").verdict == .unparseable)
    }

    @Test func judgeGenreMatchesTruthStrictAndLenient() {
        let answer = Scoring.tutorial.judge("crime,Correct")
        #expect(!answer.labelIsCorrectStrict(truth: ["Crime"]))
        #expect(answer.labelIsCorrectLenient(truth: ["Crime"]))
    }

    @Test func promptsFollowTheTutorial() {
        let row = Item(index: 3, title: "T", text: "A heist goes wrong", truth: ["Crime"])
        let task = EvalTask.tutorial()
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
        #expect(Genres.all.map { Genres.labelSet.position(of: $0) } == Array(Genres.all.indices))
        for text in ["", "drama", "Dramas", "Musica", "Sci-fi", "War ", "A", "Film Noir", "Romance\u{0}", "Ψ"] {
            #expect(Genres.labelSet.position(of: text) == nil, "\(text)")
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
