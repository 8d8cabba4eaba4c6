/// How far the labelling got: the planned sample, the items in it labelled correct or incorrect,
/// those skipped, and labels given outside it (stored and exported, never used).
public struct LabelCounts: Sendable, Equatable {
    public var planned = 0, labelled = 0, skipped = 0, outside = 0

    public init(planned: Int = 0, labelled: Int = 0, skipped: Int = 0, outside: Int = 0) {
        (self.planned, self.labelled, self.skipped, self.outside) = (planned, labelled, skipped, outside)
    }
}

/// The items the corrected estimates read and which of them are labelled: by the dataset's truth on
/// the run's seeded sample, or by people on the same kind of sample, drawn in the same order.
public struct EstimationSample: Sendable, Equatable {
    public let source: LabelSource
    public let population: Int
    public let sample: LabelledSample
    /// The labelled rows, in row order.
    public let labelledRows: [Int]
    public let counts: LabelCounts
    /// The sample's rows in the seed's draw order: the labelling queue (people's samples only).
    public let queue: [Int]

    /// Every item of the sample labelled by its truth.
    static func truth(pairs: [(y: Bool, j: Bool)], rows: [Int], plan: LabelPlan) -> EstimationSample {
        let planned = plan.labelledPositions(population: pairs.count)
        return EstimationSample(source: .truth, judged: pairs.map(\.j), labels: pairs.map(\.y), rows: rows, planned: planned,
                                counts: LabelCounts(planned: planned.count, labelled: planned.count), queue: [])  // the truth labels all it plans
    }

    /// The sample's items labelled by people so far: their latest label of each; a skip leaves an
    /// item unlabelled. The population is every item a person can label, truth or not: one with a
    /// base answer and a verdict saying correct or incorrect.
    static func people(_ outcomes: [RowOutcome], scoring: Scoring, plan: LabelPlan, labels: HumanLabels) -> EstimationSample {
        var reader = AnswerReader(scoring)
        var rows: [Int] = [], judged: [Bool] = []
        rows.reserveCapacity(outcomes.count)
        judged.reserveCapacity(outcomes.count)
        for outcome in outcomes where outcome.baseAnswer != nil {
            guard let raw = outcome.judgeAnswer else { continue }
            let verdict = reader.judge(raw).verdict
            guard verdict != .unparseable else { continue }
            rows.append(outcome.row.index)
            judged.append(verdict == .correct)
        }
        let order = plan.drawOrder(population: rows.count)
        var counts = LabelCounts(planned: order.count)
        if !labels.isEmpty {
            let inSample = Set(order.map { rows[$0] })
            for (row, label) in labels.latest {
                if !inSample.contains(row) { counts.outside += 1 } else if label == nil { counts.skipped += 1 } else { counts.labelled += 1 }
            }
        }
        let given = labels.isEmpty ? [Bool?](repeating: nil, count: rows.count) : rows.map { labels.latest[$0] ?? nil }
        let planned = Set(order.filter { given[$0] != nil })
        return EstimationSample(source: .human, judged: judged, labels: given.map { $0 ?? false }, rows: rows, planned: planned, counts: counts,
                                queue: order.map { rows[$0] })
    }

    private init(source: LabelSource, judged: [Bool], labels: [Bool], rows: [Int], planned: Set<Int>, counts: LabelCounts, queue: [Int]) {
        var sample = LabelledSample()
        for position in judged.indices {
            let (y, j) = (labels[position], judged[position])
            guard planned.contains(position) else {
                sample.unlabelled += 1
                if j { sample.unlabelledJudgedCorrect += 1 }
                continue
            }
            switch (y, j) {
            case (true, true): sample.y1j1 += 1
            case (false, true): sample.y0j1 += 1
            case (true, false): sample.y1j0 += 1
            case (false, false): sample.y0j0 += 1
            }
        }
        self.source = source
        population = judged.count
        self.sample = sample
        labelledRows = planned.map { rows[$0] }.sorted()
        self.counts = counts
        self.queue = queue
    }
}
