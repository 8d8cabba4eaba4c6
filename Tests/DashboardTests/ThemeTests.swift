import Foundation
import Testing
@testable import Dashboard

@Suite struct ThemeTests {
    @Test func shippedThemesLoadAndDiffer() throws {
        let themes = try Theme.shippedNames.map { try Theme.load($0, environment: [:]) }
        #expect(themes.count == 4)
        #expect(themes[0][.fail] != themes[1][.fail])
        #expect(themes[3][.fail].foreground == .standard && themes[3][.selected].reverse)
    }

    @Test func partialThemesFallBackToTheDefault() throws {
        let theme = try Theme.parse("# only one token\nfail = bold #ff0000\n", name: "mine", file: "mine.theme")
        #expect(theme[.fail] == Style(foreground: .index(196), bold: true))
        #expect(theme[.ok] == Theme.fallback[.ok])
    }

    @Test func brokenThemesNameTheFileAndLine() {
        let unknown = #expect(throws: ThemeError.self) { try Theme.parse("ok = 71\nsparkle = 3\n", name: "x", file: "x.theme") }
        #expect(unknown?.line == 2 && unknown?.description.contains("x.theme:2") == true && unknown?.description.contains("sparkle") == true)
        let badColour = #expect(throws: ThemeError.self) { try Theme.parse("\n\nok = 300\n", name: "x", file: "x.theme") }
        #expect(badColour?.line == 3 && badColour?.description.contains("300") == true)
        let noEquals = #expect(throws: ThemeError.self) { try Theme.parse("ok 71\n", name: "x", file: "x.theme") }
        #expect(noEquals?.line == 1)
        #expect(throws: ThemeError.self) { try Theme.load("no-such-theme", environment: [:]) }
    }

    @Test func userThemesLoadFromTheConfigFolderAndPaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("judgetop/themes"), withIntermediateDirectories: true)
        try "ok = 21\n".write(to: dir.appendingPathComponent("judgetop/themes/ocean.theme"), atomically: true, encoding: .utf8)
        #expect(try Theme.load("ocean", environment: ["XDG_CONFIG_HOME": dir.path])[.ok].foreground == .index(21))
        #expect(try Theme.load(dir.appendingPathComponent("judgetop/themes/ocean.theme").path)[.ok].foreground == .index(21))
    }

    @Test func colorsDowngradeToEight() {
        #expect(TerminalColor.index(196).downgradedTo8 == .index(1))   // red
        #expect(TerminalColor.index(46).downgradedTo8 == .index(2))    // green
        #expect(TerminalColor.index(21).downgradedTo8 == .index(4))    // blue
        #expect(TerminalColor.index(236).downgradedTo8 == .index(0))   // dark grey → black
        #expect(TerminalColor.index(255).downgradedTo8 == .index(7))   // near white
        #expect(TerminalColor.index(9).downgradedTo8 == .index(1))
        #expect(TerminalColor.standard.downgradedTo8 == .standard)
        let downgraded = Theme.fallback.downgradedTo8Colors()
        for token in StyleToken.allCases {
            if case .index(let i) = downgraded[token].foreground { #expect(i < 8) }
        }
    }
}
