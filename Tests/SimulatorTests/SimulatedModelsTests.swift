import JudgeCore
import Testing
@testable import Simulator

/// The simulated models' scoring: the byte-level path for ASCII text must give exactly the answers of
/// the general Unicode path, or a faster simulator would silently change every expected figure.
@Suite struct SimulatedModelsTests {
    static let tables = [SimulatedModels.smallTable, SimulatedModels.largeTable]

    @Test func asciiScoringMatchesTheGeneralPathOnEveryBundledOverview() throws {
        var compared = 0
        for row in try Dataset.bundled().rows where row.text.utf8.allSatisfy({ $0 < 0x80 }) {
            for table in Self.tables {
                #expect(table.scores(row.text) == table.characterScores(row.text), "\(row.title)")
                compared += 1
            }
        }
        #expect(compared > 1_800)  // nearly all of the 1,000 overviews are ASCII
    }

    @Test(arguments: [
        "", "   ", "...", "A MURDER mystery!", "time  travel", "time-travel agents", "real-life boxer",
        "murderers' gun-fight", "The Story Of a king", "life of\na queen", "explosions42 fighting", "x-",
        "-war- zombies", "true story.", "spacecraft, spacemen; aliens", "based on   the story of love",
    ])
    func asciiScoringMatchesTheGeneralPathOnEdgeCases(text: String) {
        for table in Self.tables { #expect(table.scores(text) == table.characterScores(text)) }
    }

    @Test func cuesCountOncePerListingWhateverTheirCase() {
        let scores = SimulatedModels.largeTable.scores("GHOST ghost Ghosts; a haunted house, time travel")
        let genre = { SimulatedModels.priority.firstIndex(of: $0)! }
        #expect(scores[genre("Horror")] == 2)  // "ghost" once however often, "haunt" once
        #expect(scores[genre("Sci-Fi")] == 1)  // the phrase "time travel"
        #expect(scores.reduce(0, +) == 3)
    }

    @Test func judgeMessageGivesBackTheOverviewAndTheQuotedAnswer() throws {
        let row = try #require(try Dataset.bundled().rows.first)
        let prompt = EvalTask.tutorial().judgePrompt(for: row, baseAnswer: "Sci-Fi")
        let parsed = try #require(SimulatedModels.parseJudgeMessage(prompt.user))
        #expect(parsed.overview == row.text)
        #expect(parsed.baseAnswer == "Sci-Fi")
        #expect(SimulatedModels.parseJudgeMessage("no judge message here") == nil)
    }
}
