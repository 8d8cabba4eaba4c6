import Foundation

/// Two systems judged on the same items: discordant pairs, the paired difference and McNemar's test
/// (statistics.md §2.7).
public struct PairedComparison: Sendable, Equatable {
    /// Items A got right and B wrong, and the other way round.
    public let b: Int
    public let c: Int
    /// Items compared (both had an answer).
    public let n: Int

    public init(b: Int, c: Int, n: Int) {
        self.b = b
        self.c = c
        self.n = n
    }

    /// A − B in accuracy.
    public var difference: Double? { n > 0 ? Double(b - c) / Double(n) : nil }

    public var differenceInterval: Interval? {
        guard let d = difference else { return nil }
        let nn = Double(n)
        let se = max(0, Double(b + c) / nn - d * d).squareRoot() / nn.squareRoot()
        return Interval(d - Stats.z95 * se, d + Stats.z95 * se)
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
