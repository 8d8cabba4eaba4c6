import Foundation
import Testing
@testable import JudgeCore

/// A known true accuracy and a judge of known TPR/TNR, over many seeded trials: the 95% intervals
/// must cover the truth about 95% of the time (statistics.md §2.4–2.5).
@Suite struct CoverageSimulationTests {
    @Test func intervalsCoverTheTruthNinetyFivePercentOfTheTime() {
        let trials = 4000, labelled = 300, unlabelled = 2700
        let theta = 0.62, tpr = 0.90, tnr = 0.75
        var generator = SeededGenerator(seed: 2026)
        func draw(_ p: Double) -> Bool { Double(generator.next() >> 11) / Double(1 << 53) < p }
        var covered = ["labels_only": 0, "rogan_gladen": 0, "rogan_gladen_lee": 0, "ppi": 0, "ppi_plus_plus": 0]
        var widths = covered.mapValues { _ in 0.0 }
        for _ in 0..<trials {
            var s = LabelledSample()
            for _ in 0..<labelled {
                let y = draw(theta)
                let j = y ? draw(tpr) : !draw(tnr)
                switch (y, j) {
                case (true, true): s.y1j1 += 1
                case (false, true): s.y0j1 += 1
                case (true, false): s.y1j0 += 1
                case (false, false): s.y0j0 += 1
                }
            }
            s.unlabelled = unlabelled
            for _ in 0..<unlabelled {
                let y = draw(theta)
                if y ? draw(tpr) : !draw(tnr) { s.unlabelledJudgedCorrect += 1 }
            }
            for estimate in [CorrectedAccuracy.labelsOnly(s), CorrectedAccuracy.roganGladen(s), CorrectedAccuracy.leeAdjusted(s),
                             CorrectedAccuracy.ppi(s), CorrectedAccuracy.ppiPlusPlus(s).estimate] {
                guard let interval = estimate.interval else { continue }
                if interval.low <= theta && theta <= interval.high { covered[estimate.method, default: 0] += 1 }
                widths[estimate.method, default: 0] += interval.width
            }
        }
        for method in covered.keys.sorted() {
            let coverage = Double(covered[method]!) / Double(trials)
            print(String(format: "coverage %@: %.4f, mean width %.4f (%d trials, %d labelled, %d unlabelled)",
                         method, coverage, widths[method]! / Double(trials), trials, labelled, unlabelled))
        }
        for method in ["labels_only", "rogan_gladen", "ppi_plus_plus"] {
            let coverage = Double(covered[method]!) / Double(trials)
            #expect((0.94...0.96).contains(coverage), "\(method) covered \(coverage)")
        }
        #expect(widths["ppi_plus_plus"]! < widths["labels_only"]!)
    }
}
