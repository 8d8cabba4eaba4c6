import Foundation

/// Two systems judged on the same items: discordant pairs, the paired difference and McNemar's test
/// (docs/statistics.md).
public struct PairedComparison: Sendable, Equatable {
    /// Items both got right.
    public let a: Int
    /// Items A got right and B wrong, and the other way round.
    public let b: Int
    public let c: Int
    /// Items compared (both had an answer).
    public let n: Int

    public init(a: Int, b: Int, c: Int, n: Int) {
        self.a = a
        self.b = b
        self.c = c
        self.n = n
    }

    /// A − B in accuracy.
    public var difference: Double? { n > 0 ? Double(b - c) / Double(n) : nil }

    /// Tango's score interval for a paired difference (1998): every difference δ that the score
    /// test Z(δ) does not reject. At δ = 0 that test is McNemar's (uncorrected), so the interval
    /// excludes 0 exactly when `mcnemarScore` says p < 0.05: the Wald interval it replaces excluded
    /// 0 at a McNemar p of 0.061. It keeps a width when no pair is discordant.
    public var differenceInterval: Interval? {
        guard n > 0, let d = difference else { return nil }
        let z = Stats.z95
        // Z falls as δ rises: the bounds are where it crosses ±z, found by bisection.
        func solve(_ target: Double, from low: Double, to high: Double) -> Double {
            var (low, high) = (low, high)
            for _ in 0..<200 {
                let mid = (low + high) / 2
                if tangoZ(mid) > target { low = mid } else { high = mid }
            }
            return (low + high) / 2
        }
        return Interval(solve(z, from: -1, to: d), solve(-z, from: d, to: 1))
    }

    /// Tango's score statistic for H0: difference = δ, with the restricted maximum-likelihood share
    /// of (A wrong, B right) pairs under that hypothesis.
    func tangoZ(_ delta: Double) -> Double {
        let nn = Double(n), bb = Double(b), cc = Double(c)
        let qa = 2 * nn, qb = -bb - cc + (2 * nn - bb + cc) * delta, qc = -cc * delta * (1 - delta)
        let restricted = ((qb * qb - 4 * qa * qc).squareRoot() - qb) / (2 * qa)
        let variance = nn * (2 * restricted + delta * (1 - delta))
        let numerator = bb - cc - nn * delta
        guard variance > 0 else { return numerator > 0 ? .infinity : numerator < 0 ? -.infinity : 0 }
        return numerator / variance.squareRoot()
    }

    /// McNemar's score test (no continuity correction): the test `differenceInterval` inverts, so
    /// the two never disagree. Undefined without discordant pairs.
    public var mcnemarScore: (chiSquare: Double, p: Double)? {
        guard b + c > 0 else { return nil }
        let chi = pow(Double(b - c), 2) / Double(b + c)
        return (chi, erfc((chi / 2).squareRoot()))
    }

    /// McNemar's χ² with continuity correction and its p-value; undefined without discordant pairs.
    public var mcnemar: (chiSquare: Double, p: Double)? {
        guard b + c > 0 else { return nil }
        let chi = pow(Double(abs(b - c)) - 1, 2) / Double(b + c)
        return (chi, erfc((chi / 2).squareRoot()))
    }

    /// Exact two-sided binomial p-value of McNemar's test.
    public var exactP: Double? {
        guard b + c > 0 else { return nil }
        let total = b + c, k = min(b, c)
        var tail = 0.0
        for i in 0...k { tail += exp(Stats.logChoose(total, i) - Double(total) * log(2)) }
        return min(1, 2 * tail)
    }
}

extension Stats {
    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }

    /// Percentile bootstrap interval of a statistic over resampled items, with a fixed seed so a
    /// report is reproducible. Resamples where the statistic is undefined are skipped.
    public static func bootstrap<Item>(_ items: [Item], resamples: Int = 1000, seed: UInt64 = 12345,
                                       statistic: ([Item]) -> Double?) -> Interval? {
        guard !items.isEmpty else { return nil }
        var generator = SeededGenerator(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        var sample = items
        for _ in 0..<resamples {
            for i in sample.indices { sample[i] = items[Int(generator.next() % UInt64(items.count))] }
            if let v = statistic(sample), v.isFinite { values.append(v) }
        }
        return percentileInterval(values, resamples: resamples)
    }
}
