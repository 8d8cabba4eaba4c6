import Foundation

/// A two-sided interval, or the reason there is none.
public struct Interval: Sendable, Equatable, Codable {
    public let low: Double
    public let high: Double

    public init(_ low: Double, _ high: Double) {
        self.low = low
        self.high = high
    }

    public var width: Double { high - low }
}

/// A number that may be undefined, with the reason said instead of a made-up value.
public enum Estimate: Sendable, Equatable {
    case value(Double)
    case undefined(String)

    public var value: Double? {
        if case .value(let v) = self { return v }
        return nil
    }
}

/// How an interval was computed, as report.json and the printed reports name it.
public enum IntervalMethod {
    public static let wilson = "wilson_score"
    public static let bootstrap = "bootstrap_percentile"
    public static let normal = "normal_delta_method"
    public static let lee = "lee_adjusted_rogan_gladen"
    public static let tango = "tango_paired_score"
}

public enum Stats {
    /// z for a two-sided 95% interval: Φ⁻¹(0.975).
    public static let z95 = 1.959963984540054

    /// Wilson score interval for k successes out of n (statistics.md §2.3). Nil when n = 0.
    public static func wilson(successes k: Int, total n: Int, z: Double = z95) -> Interval? {
        guard n > 0 else { return nil }
        let nn = Double(n)
        let p = Double(k) / nn
        let z2 = z * z
        let denominator = 1 + z2 / nn
        let centre = (p + z2 / (2 * nn)) / denominator
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / denominator
        return Interval(max(0, centre - half), min(1, centre + half))
    }

    /// Cohen's kappa from a square confusion matrix (rows = one rater, columns = the other).
    /// Undefined when chance agreement is total (p_e = 1) or the matrix is empty.
    public static func cohenKappa(_ matrix: [[Int]]) -> Estimate {
        cohenKappa(cells: matrix.flatMap { $0 }, size: matrix.count)
    }

    /// The same from the matrix's cells, row after row (`size` × `size`): a bootstrap draws them
    /// flat, and building the rows again for each of its 1,000 resamples cost more than the statistic.
    public static func cohenKappa(cells: [Int], size k: Int) -> Estimate {
        var rowSums = [Int](repeating: 0, count: k), columnSums = rowSums
        var total = 0, agreed = 0
        for i in 0..<k {
            for j in 0..<k {
                let count = cells[i * k + j]
                rowSums[i] += count
                columnSums[j] += count
            }
            total += rowSums[i]
            agreed += cells[i * k + i]
        }
        let n = Double(total)
        guard n > 0 else { return .undefined("no rows to compare") }
        var expected = 0.0
        for i in 0..<k { expected += Double(rowSums[i]) * Double(columnSums[i]) }
        let po = Double(agreed) / n
        let pe = expected / (n * n)
        guard pe < 1 - 1e-12 else { return .undefined("both raters give a single answer, so chance agreement is total") }
        return .value((po - pe) / (1 - pe))
    }
}
