import Foundation

/// Exact multinomial draws, so that a bootstrap over items whose statistic depends only on cell counts
/// (a confusion matrix) costs the same for 1,000 items as for 1,000,000: a resample is one draw of the
/// cell counts instead of N draws of items.
enum Multinomial {
    /// Counts of `total` items drawn with replacement from cells weighted by `weights`.
    static func draw<G: RandomNumberGenerator>(total: Int, weights: [Int], using generator: inout G) -> [Int] {
        var counts = [Int](repeating: 0, count: weights.count)
        var remainingItems = total
        var remainingWeight = weights.reduce(0, +)
        for (cell, weight) in weights.enumerated() where weight > 0 && remainingItems > 0 {
            let drawn = weight >= remainingWeight
                ? remainingItems
                : binomial(remainingItems, Double(weight) / Double(remainingWeight), using: &generator)
            counts[cell] = drawn
            remainingItems -= drawn
            remainingWeight -= weight
        }
        return counts
    }

    /// Binomial(n, p) by Knuth's order-statistic splitting (TAOCP 3.4.1): the middle order statistic of
    /// n uniforms is Beta(a, b); the uniforms below p fall on one side of it. Exact, O(log n) per draw.
    static func binomial<G: RandomNumberGenerator>(_ n: Int, _ p: Double, using generator: inout G) -> Int {
        var n = n, p = p, found = 0
        while n > 16 {
            let a = 1 + n / 2, b = n + 1 - a
            let x = beta(Double(a), Double(b), using: &generator)
            if x >= p {
                n = a - 1
                p /= x
            } else {
                found += a
                n = b - 1
                p = (p - x) / (1 - x)
            }
        }
        for _ in 0..<n where Double.random(in: 0..<1, using: &generator) < p { found += 1 }
        return found
    }

    private static func beta<G: RandomNumberGenerator>(_ a: Double, _ b: Double, using generator: inout G) -> Double {
        let x = gamma(a, using: &generator)
        return x / (x + gamma(b, using: &generator))
    }

    /// Gamma(shape ≥ 1) by Marsaglia and Tsang's squeeze method.
    private static func gamma<G: RandomNumberGenerator>(_ shape: Double, using generator: inout G) -> Double {
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal(using: &generator)
            let t = 1 + c * x
            guard t > 0 else { continue }
            let v = t * t * t
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    private static func normal<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
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
        var values: [Double] = []
        values.reserveCapacity(resamples)
        for _ in 0..<resamples {
            if let v = statistic(Multinomial.draw(total: total, weights: counts, using: &generator)), v.isFinite { values.append(v) }
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
