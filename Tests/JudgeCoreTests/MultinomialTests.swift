import Foundation
import Testing
@testable import JudgeCore

/// The count-based bootstrap draws exact binomials; its intervals must match the item bootstrap's.
struct MultinomialTests {
    @Test(arguments: [(12, 0.3), (40, 0.97), (100_000, 0.000_05), (1_000, 0.62), (250_000, 0.013)])
    func binomialHasTheRightMeanAndVariance(n: Int, p: Double) {
        var generator = SeededGenerator(seed: 9)
        let draws = (0..<20_000).map { _ in Double(Multinomial.binomial(n, p, using: &generator)) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
        let expectedVariance = Double(n) * p * (1 - p)
        #expect(abs(mean - Double(n) * p) < 4 * (expectedVariance / Double(draws.count)).squareRoot())
        #expect(abs(variance / expectedVariance - 1) < 0.05)
        #expect(draws.allSatisfy { $0 >= 0 && $0 <= Double(n) })
    }

    /// The whole distribution, not just two moments: a chi-square test against the exact pmf, on the
    /// rejection sampler (n·p ≥ 10) both ways round.
    @Test(arguments: [(60, 0.35), (60, 0.8), (2_000, 0.01)])
    func binomialFollowsTheExactDistribution(n: Int, p: Double) {
        var generator = SeededGenerator(seed: 17)
        let draws = 100_000
        var observed = [Int](repeating: 0, count: n + 1)
        for _ in 0..<draws { observed[Multinomial.binomial(n, p, using: &generator)] += 1 }
        func logPMF(_ k: Int) -> Double {
            let ways: Double = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
            return ways + Double(k) * log(p) + Double(n - k) * log(1 - p)
        }
        var chiSquare = 0.0, cells = 0
        for k in 0...n {
            let expected = Double(draws) * exp(logPMF(k))
            guard expected >= 5 else { continue }
            chiSquare += pow(Double(observed[k]) - expected, 2) / expected
            cells += 1
        }
        // Far above the 99.9% point of chi-square with cells - 1 degrees of freedom means a wrong shape.
        #expect(cells > 10)
        let bound: Double = Double(cells) + 4 * Double(2 * cells).squareRoot() + 10
        #expect(chiSquare < bound)
    }

    @Test func multinomialKeepsTheTotalAndEmptyCellsStayEmpty() {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let counts = Multinomial.Sampler(weights: [540, 0, 60, 100, 300]).draw(total: 5_000, using: &generator)
            #expect(counts.reduce(0, +) == 5_000 && counts[1] == 0)
        }
    }

    @Test func countBootstrapMatchesTheItemBootstrapForKappa() throws {
        let cells = [540, 100, 60, 300]  // tp, fn, fp, tn
        let items = cells.enumerated().flatMap { cell, count in Array(repeating: cell, count: count) }
        func kappa(_ c: [Int]) -> Double? { JudgeConfusion(tp: c[0], fp: c[2], fn: c[1], tn: c[3]).kappa.value }
        let byCounts = try #require(Stats.bootstrap(counts: cells, resamples: 2000) { kappa($0) })
        let byItems = try #require(Stats.bootstrap(items, resamples: 2000) { sample in
            kappa((0..<4).map { cell in sample.filter { $0 == cell }.count })
        })
        #expect(abs(byCounts.low - byItems.low) < 0.01 && abs(byCounts.high - byItems.high) < 0.01)
        #expect(byCounts.high - byCounts.low > 0.05)
    }
}
