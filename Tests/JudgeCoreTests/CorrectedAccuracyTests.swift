import Foundation
import Testing
@testable import JudgeCore

/// statistics.md §2.4–2.7 worked example: 100 labelled (54/6/10/30), 900 unlabelled with 589 judged correct.
@Suite struct CorrectedAccuracyTests {
    let example = LabelledSample(y1j1: 54, y0j1: 10, y1j0: 6, y0j0: 30, unlabelled: 900, unlabelledJudgedCorrect: 589)

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    @Test func roganGladenGolden() {
        let rg = CorrectedAccuracy.roganGladen(example)
        #expect(close(rg.value, 0.622222) && close(rg.standardError, 0.059604))
        #expect(close(rg.interval?.low, 0.5054, 1e-4) && close(rg.interval?.high, 0.7390, 1e-4))
    }

    @Test func leeAdjustedIntervalGolden() {
        let lee = CorrectedAccuracy.leeAdjusted(example)
        #expect(close(lee.interval?.low, 0.4989, 1e-4) && close(lee.interval?.high, 0.7439, 1e-4))
        #expect(close(lee.standardError, 0.062486))
        #expect(close(lee.value, 0.626821))
    }

    @Test func ppiAndPPIPlusPlusGolden() {
        let ppi = CorrectedAccuracy.ppi(example)
        #expect(close(ppi.value, 0.614444) && close(ppi.standardError, 0.042840))
        #expect(close(ppi.interval?.low, 0.5305, 1e-4) && close(ppi.interval?.high, 0.6984, 1e-4))
        let (plus, lambda) = CorrectedAccuracy.ppiPlusPlus(example)
        #expect(close(lambda, 0.618999) && close(plus.value, 0.608941) && close(plus.standardError, 0.038050))
        #expect(close(plus.interval?.low, 0.5344, 1e-4) && close(plus.interval?.high, 0.6835, 1e-4))
        // 90%, as ppi_py's default alpha = 0.1 gives.
        let ninety = CorrectedAccuracy.ppiPlusPlus(example, z: 1.6448536269514722).estimate
        #expect(close(ninety.interval?.low, 0.5464, 1e-4) && close(ninety.interval?.high, 0.6715, 1e-4))
    }

    @Test func labelsOnlyAndNaiveGolden() {
        let labels = CorrectedAccuracy.labelsOnly(example)
        #expect(close(labels.value, 0.6) && close(labels.standardError, 0.048990))
        #expect(close(labels.interval?.low, 0.5020, 1e-4) && close(labels.interval?.high, 0.6906, 1e-4))
        let naive = CorrectedAccuracy.naive(example)
        #expect(close(naive.value, 0.653))
    }

    @Test func mcnemarAndPairedDifferenceGolden() throws {
        let comparison = PairedComparison(a: 500, b: 70, c: 45, n: 1000)
        let test = try #require(comparison.mcnemar)
        #expect(close(test.chiSquare, 5.008696) && close(test.p, 0.025220))
        #expect(close(comparison.exactP, 0.0248, 1e-4))
        #expect(close(comparison.difference, 0.025))
        // Tango's score interval, golden values from an independent scipy root-finding of the same statistic.
        #expect(close(comparison.differenceInterval?.low, 0.004043297, 1e-7) && close(comparison.differenceInterval?.high, 0.046482386, 1e-7))
        #expect(PairedComparison(a: 5, b: 0, c: 0, n: 10).mcnemar == nil)
    }

    /// The interval and the test it is shown with never contradict each other: the Wald interval
    /// excluded 0 where McNemar's p was 0.06; Tango's excludes 0 exactly when the score test's p < 0.05.
    @Test func thePairedIntervalAgreesWithTheScoreTest() throws {
        let disputed = PairedComparison(a: 500, b: 20, c: 9, n: 1000)
        #expect(close(disputed.differenceInterval?.low, 0.000476069, 1e-7) && close(disputed.differenceInterval?.high, 0.022705164, 1e-7))
        #expect(close(disputed.mcnemarScore?.p, 0.041087225, 1e-7))
        var checked = 0
        for n in [20, 200, 1000] {
            for b in 0...30 {
                for c in 0...30 where b + c > 0 && b + c <= n {
                    let pair = PairedComparison(a: 0, b: b, c: c, n: n)
                    let interval = try #require(pair.differenceInterval)
                    let p = try #require(pair.mcnemarScore?.p)
                    if abs(p - 0.05) > 1e-6 { #expect((interval.low > 0 || interval.high < 0) == (p < 0.05), "b \(b) c \(c) n \(n)") }
                    checked += 1
                }
            }
        }
        #expect(checked > 2_000)
        // No discordant pair: no test, but still an interval with a width around 0.
        let agreed = try #require(PairedComparison(a: 600, b: 0, c: 0, n: 1000).differenceInterval)
        #expect(close(agreed.low, -0.003826758, 1e-7) && close(agreed.high, 0.003826758, 1e-7))
    }

    @Test func degenerateCasesAreUndefinedNotNumbers() {
        // Youden index ≤ 0: a judge no better than chance.
        let chance = LabelledSample(y1j1: 5, y0j1: 5, y1j0: 5, y0j0: 5, unlabelled: 100, unlabelledJudgedCorrect: 50)
        #expect(CorrectedAccuracy.roganGladen(chance).value == nil)
        #expect(CorrectedAccuracy.roganGladen(chance).undefinedReason?.contains("Youden") == true)
        // No labels: PPI must refuse.
        let unlabelled = LabelledSample(unlabelled: 100, unlabelledJudgedCorrect: 60)
        #expect(CorrectedAccuracy.ppi(unlabelled).value == nil && CorrectedAccuracy.ppi(unlabelled).undefinedReason != nil)
        #expect(CorrectedAccuracy.ppiPlusPlus(unlabelled).estimate.value == nil)
        #expect(CorrectedAccuracy.labelsOnly(unlabelled).value == nil)
        // Every verdict the same: the judge carries no information.
        let constant = LabelledSample(y1j1: 60, y0j1: 40, unlabelled: 900, unlabelledJudgedCorrect: 900)
        #expect(CorrectedAccuracy.ppiPlusPlus(constant).estimate.undefinedReason?.contains("same") == true)
        // Lee et al.'s pseudo-counts do not rescue a judge no better than chance.
        #expect(CorrectedAccuracy.leeAdjusted(chance).value == nil && CorrectedAccuracy.leeAdjusted(chance).undefinedReason?.contains("Youden") == true)
        // One label says nothing of the judge's error; four all-correct labels with verdicts that
        // never vary give an interval of no width.
        let one = LabelledSample(y1j1: 1, unlabelled: 50, unlabelledJudgedCorrect: 30)
        #expect(CorrectedAccuracy.ppiPlusPlus(one).estimate.undefinedReason?.contains("at least two") == true)
        #expect(CorrectedAccuracy.ppi(one).value == nil)
        let flat = LabelledSample(y1j1: 4, unlabelled: 40, unlabelledJudgedCorrect: 40)
        #expect(CorrectedAccuracy.ppi(flat).value == nil && CorrectedAccuracy.ppi(flat).undefinedReason?.contains("no width") == true)
        // p̂ < 1 − Sp: clipped to 0, not negative.
        let low = LabelledSample(y1j1: 50, y0j1: 10, y1j0: 10, y0j0: 30, unlabelled: 100, unlabelledJudgedCorrect: 5)
        #expect(CorrectedAccuracy.roganGladen(low).value == 0)
    }

    @Test func bootstrapAgreesWithWilsonOnAProportion() throws {
        let items = Array(repeating: true, count: 620) + Array(repeating: false, count: 380)
        let interval = try #require(Stats.bootstrap(items, resamples: 2000) { s in Double(s.filter { $0 }.count) / Double(s.count) })
        let wilson = try #require(Stats.wilson(successes: 620, total: 1000))
        #expect(abs(interval.low - wilson.low) < 0.005 && abs(interval.high - wilson.high) < 0.005)
    }

    @Test func labelPlanIsSeededAndSized() {
        let plan = LabelPlan(fraction: 0.1, seed: 7)
        #expect(plan.size(of: 1000) == 100 && plan.labelledPositions(population: 1000).count == 100)
        #expect(plan.labelledPositions(population: 1000) == LabelPlan(fraction: 0.1, seed: 7).labelledPositions(population: 1000))
        #expect(plan.labelledPositions(population: 1000) != LabelPlan(fraction: 0.1, seed: 8).labelledPositions(population: 1000))
        #expect(LabelPlan(count: 5000).size(of: 1000) == 1000)
        #expect(LabelPlan().size(of: 995) == 100)
    }
}
