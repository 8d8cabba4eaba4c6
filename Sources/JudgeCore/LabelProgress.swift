/// The estimates from people's labels as they come in, and about how many more labels would bring
/// PPI++ within the target: what the labelling screen shows after every label.
public struct LabelProgress: Sendable, Equatable {
    public let counts: LabelCounts
    public let labelsOnly, roganGladen, lee, ppi, ppiPlusPlus: AccuracyEstimate

    /// The half-width PPI++'s interval is brought within.
    public static let target = 0.05

    public init(_ outcomes: [RowOutcome], scoring: Scoring, plan: LabelPlan, labels: HumanLabels) {
        self.init(EstimationSample.people(outcomes, scoring: scoring, plan: plan, labels: labels))
    }

    /// From people's sample as a report computed it.
    public init(_ people: EstimationSample) {
        counts = people.counts
        labelsOnly = CorrectedAccuracy.labelsOnly(people.sample)
        roganGladen = CorrectedAccuracy.roganGladen(people.sample)
        lee = CorrectedAccuracy.leeAdjusted(people.sample)
        ppi = CorrectedAccuracy.ppi(people.sample)
        ppiPlusPlus = CorrectedAccuracy.ppiPlusPlus(people.sample).estimate
    }

    /// About how many more labels bring PPI++ within ±`target`: its half-width shrinks as 1/√n while
    /// the unlabelled items far outnumber the labelled, so n labels at half-width h need
    /// n·(h/target)². Nil until PPI++ has an interval; 0 once it is within.
    public var moreLabelsForTarget: Int? {
        guard let interval = ppiPlusPlus.interval, counts.labelled > 0 else { return nil }
        let half = (interval.high - interval.low) / 2
        guard half > Self.target else { return 0 }
        let needed = Double(counts.labelled) * (half / Self.target) * (half / Self.target)
        return Int(needed.rounded(.up)) - counts.labelled
    }
}
