import Foundation

/// Exact multinomial draws, so that a bootstrap over items whose statistic depends only on cell counts
/// (a confusion matrix) costs the same for 1,000 items as for 1,000,000: a resample is one draw of the
/// cell counts instead of N draws of items.
enum Multinomial {
    /// Counts of `total` items drawn with replacement from cells weighted by `weights`, many times for
    /// one set of weights: the largest cells first, so that the many small cells of a genre matrix
    /// are drawn from what little is left (cheap inversions).
    struct Sampler {
        let weights: [Int]
        private let order: [Int]

        init(weights: [Int]) {
            self.weights = weights
            order = weights.indices.filter { weights[$0] > 0 }.sorted { weights[$0] > weights[$1] }
        }

        func draw<G: RandomNumberGenerator>(total: Int, using generator: inout G) -> [Int] {
            var counts = [Int](repeating: 0, count: weights.count)
            var remainingItems = total
            var remainingWeight = weights.reduce(0, +)
            for cell in order where remainingItems > 0 {
                let weight = weights[cell]
                let drawn = weight >= remainingWeight
                    ? remainingItems
                    : binomial(remainingItems, Double(weight) / Double(remainingWeight), using: &generator)
                counts[cell] = drawn
                remainingItems -= drawn
                remainingWeight -= weight
            }
            return counts
        }
    }

    /// Binomial(n, p), exact: by inversion for small means, else by Hörmann's transformed rejection
    /// with squeeze (BTRS, 1993), which takes about one pair of uniforms whatever n is.
    static func binomial<G: RandomNumberGenerator>(_ n: Int, _ p: Double, using generator: inout G) -> Int {
        let small = min(p, 1 - p)
        guard Double(n) * small >= 10 else { return inversion(n, p, using: &generator) }
        let drawn = transformedRejection(n, small, using: &generator)
        return p > 0.5 ? n - drawn : drawn
    }

    /// BTRS for p ≤ 0.5 and n·p ≥ 10.
    private static func transformedRejection<G: RandomNumberGenerator>(_ n: Int, _ p: Double, using generator: inout G) -> Int {
        let q = 1 - p, count = Double(n)
        let spread = (count * p * q).squareRoot()
        let b = 1.15 + 2.53 * spread, a = -0.0873 + 0.0248 * b + 0.01 * p, c = count * p + 0.5
        let squeeze = 0.92 - 4.2 / b, alpha = (2.83 + 5.1 / b) * spread, oddsLog = log(p / q)
        let mode = (Double(n + 1) * p).rounded(.down)
        let modeLog = lgamma(mode + 1) + lgamma(count - mode + 1)
        while true {
            let u = Double.random(in: 0..<1, using: &generator) - 0.5
            let v = Double.random(in: 0..<1, using: &generator)
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + c).rounded(.down)
            guard k >= 0, k <= count else { continue }
            if us >= 0.07, v <= squeeze { return Int(k) }
            // Accept when v, rescaled to the hat, falls under the binomial's log-density at k.
            let hat = log(v * alpha / (a / (us * us) + b))
            if hat <= modeLog - lgamma(k + 1) - lgamma(count - k + 1) + (k - mode) * oddsLog { return Int(k) }
        }
    }

    /// Binomial(n, p) by inverting its distribution function with one uniform (Kachitvichyanukul and
    /// Schmeiser's BINV): exact, O(n·min(p, 1 − p)) steps, so only for small means.
    static func inversion<G: RandomNumberGenerator>(_ n: Int, _ p: Double, using generator: inout G) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        let small = min(p, 1 - p)
        let ratio = small / (1 - small), scale = Double(n + 1) * ratio
        var mass = pow(1 - small, Double(n))  // P(X = 0)
        var u = Double.random(in: 0..<1, using: &generator)
        var x = 0
        while u >= mass, x < n {
            u -= mass
            x += 1
            mass *= scale / Double(x) - ratio
        }
        return p > 0.5 ? n - x : x
    }
}

extension Stats {
    /// Percentile bootstrap interval of a statistic of cell counts (a confusion matrix, flattened),
    /// resampling the items behind the counts; fixed seed, resamples where it is undefined skipped.
    public static func bootstrap(counts: [Int], resamples: Int = 1000, seed: UInt64 = 12345,
                                 statistic: ([Int]) -> Double?) -> Interval? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        var generator = SeededGenerator(seed: seed)
        let sampler = Multinomial.Sampler(weights: counts)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        for _ in 0..<resamples {
            if let v = statistic(sampler.draw(total: total, using: &generator)), v.isFinite { values.append(v) }
        }
        return percentileInterval(values, resamples: resamples)
    }

    static func percentileInterval(_ unsorted: [Double], resamples: Int) -> Interval? {
        guard unsorted.count >= resamples / 2, !unsorted.isEmpty else { return nil }
        let values = unsorted.sorted()
        func quantile(_ q: Double) -> Double { values[min(values.count - 1, max(0, Int((q * Double(values.count - 1)).rounded())))] }
        return Interval(quantile(0.025), quantile(0.975))
    }
}
