import Testing
@testable import JudgeCore

/// Golden values from docs/statistics.md §2.9.
@Suite struct StatisticsTests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    @Test func wilsonGoldenValues() throws {
        let a = try #require(Stats.wilson(successes: 620, total: 1000))
        #expect(close(a.low, 0.589511) && close(a.high, 0.649571))
        let b = try #require(Stats.wilson(successes: 17, total: 20))
        #expect(close(b.low, 0.639581) && close(b.high, 0.947631))
        let all = try #require(Stats.wilson(successes: 20, total: 20))
        #expect(close(all.low, 0.8389, 1e-4) && all.high == 1)
        let none = try #require(Stats.wilson(successes: 0, total: 20))
        #expect(none.low == 0 && close(none.high, 0.1611, 1e-4))
        #expect(Stats.wilson(successes: 0, total: 0) == nil)
    }

    @Test func confusionGoldenValues() {
        let c = JudgeConfusion(tp: 558, fp: 95, fn: 62, tn: 285)
        #expect(close(c.tpr.value, 0.9) && close(c.tnr.value, 0.75))
        #expect(close(c.agreement.value, 0.843) && close(c.balancedAccuracy.value, 0.825))
        #expect(close(c.precisionOfIncorrectFlag.value, 285.0 / 347.0))
        #expect(close(c.kappa.value, 0.661112))
    }

    @Test func multiClassKappaGolden() {
        #expect(close(Stats.cohenKappa([[40, 5, 5], [4, 25, 1], [2, 3, 15]]).value, 0.682035))
    }

    @Test func degenerateJudgeHasZeroOrUndefinedKappa() {
        // Always says "correct": agrees 62% of the time, kappa 0.
        let always = JudgeConfusion(tp: 620, fp: 380, fn: 0, tn: 0)
        #expect(close(always.kappa.value, 0))
        #expect(always.tnr.value == 0)
        // Both raters constant: chance agreement is total, kappa undefined.
        if case .undefined = JudgeConfusion(tp: 10).kappa {} else { Issue.record("kappa should be undefined") }
        if case .undefined = JudgeConfusion().tpr {} else { Issue.record("TPR without positives should be undefined") }
    }
}
