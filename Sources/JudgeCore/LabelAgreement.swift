/// How often the judge's own genre is one of a movie's true genres, chance-corrected the same way.
///
/// Observed agreement counts a match when the judge's genre is any of the movie's genres. Chance
/// agreement must use that same rule, or kappa is inflated: a judge naming genre k at random
/// matches a random movie with probability s_k, the share of movies tagged with k (not the share
/// whose first genre is k). So p_e = Σ_k q_k·s_k, with q_k the share of verdicts naming k, and
/// κ = (p_o − p_e) / (1 − p_e). Items are kept as counts of (judged genre, true genre set) cells,
/// so that a bootstrap draws counts, not items.
public struct LabelAgreement: Sendable, Equatable {
    /// One cell: the judged label (nil when it names none) and the sorted true labels.
    private struct Cell: Hashable, Sendable {
        let judged: Int?
        let truth: [Int]
    }

    private var cells: [Cell] = []
    private var index: [Cell: Int] = [:]
    public private(set) var counts: [Int] = []
    private var labelCount = 0

    public init() {}

    /// One item: the judge's genre as a label position (nil: none), and the truth's label positions.
    public mutating func add(judged: Int?, truth: [Int]) {
        let cell = Cell(judged: judged, truth: truth.sorted())
        labelCount = max(labelCount, (truth.max() ?? -1) + 1, (judged ?? -1) + 1)
        if let at = index[cell] {
            counts[at] += 1
        } else {
            index[cell] = cells.count
            cells.append(cell)
            counts.append(1)
        }
    }

    /// Kappa over these counts of the cells (the observed ones, or a resample's).
    public func kappa(counts: [Int]) -> Estimate {
        var judged = [Int](repeating: 0, count: labelCount), tagged = judged
        var total = 0, agreed = 0
        for (cell, count) in zip(cells, counts) where count > 0 {
            total += count
            if let j = cell.judged {
                judged[j] += count
                if cell.truth.contains(j) { agreed += count }
            }
            for t in cell.truth { tagged[t] += count }
        }
        guard total > 0 else { return .undefined("no verdicts with truth") }
        let n = Double(total)
        let po = Double(agreed) / n
        let pe = zip(judged, tagged).reduce(0.0) { $0 + Double($1.0) / n * Double($1.1) / n }
        guard pe < 1 - 1e-12 else { return .undefined("chance agreement is total: the judge names one genre every movie has") }
        return .value((po - pe) / (1 - pe))
    }
}
