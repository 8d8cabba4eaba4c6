import Foundation
import Testing
@testable import JudgeCore

/// People's labels feed the corrected estimates exactly as the truth on the same items would.
@Suite struct HumanLabelsTests {
    static let identity = RunIdentity(runID: "r", provider: .sim, baseURL: "u", baseModel: "b", judgeModel: "j", mode: .batch,
                                      dataset: "d", simulated: true, status: .done)

    /// 300 movies: base right on two in three, the judge right on four in five; one verdict unparseable.
    static func outcomes() throws -> [RowOutcome] {
        Array(try Dataset.bundled().rows.prefix(300)).map { row in
            let right = row.index % 3 != 0
            let says = row.index % 5 == 0 ? !right : right
            return RowOutcome(row: row, baseAnswer: right ? row.truth[0] : "Western",
                              judgeAnswer: row.index == 7 ? "no idea" : "\(row.truth[0]),\(says ? "Correct" : "Incorrect")")
        }
    }

    static let plan = LabelPlan(count: 40, seed: 7)

    /// A person who labels every planned item as the truth has it gives the truth's estimates, to the digit.
    @Test func peoplesLabelsEqualToTheTruthGiveTheTruthsEstimates() throws {
        let outcomes = try Self.outcomes()
        let queue = LabelQueue.rows(outcomes, scoring: .tutorial, plan: Self.plan)
        #expect(queue.count == 40 && !queue.contains(7), "the unparseable verdict is not in the population")
        var reader = AnswerReader(.tutorial)
        let byRow = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.row.index, $0) })
        let labels = queue.map { row in
            HumanLabel(row: row, correct: reader.base(byRow[row]!.baseAnswer!).isCorrectStrict(truth: byRow[row]!.row.truth), labeller: "ann")
        }
        let truth = Report(identity: Self.identity, outcomes: outcomes, tokens: [:], labels: Self.plan)
        let people = Report(identity: Self.identity, outcomes: outcomes, tokens: [:], labels: Self.plan, human: HumanLabels(labels), source: .human)
        #expect(people.trust.source == .human && truth.trust.source == .truth)
        #expect(people.trust.sample == truth.trust.sample)
        #expect(people.trust.estimates == truth.trust.estimates)
        #expect(people.trust.labelledRows == truth.trust.labelledRows && people.trust.labelledRows == queue.sorted())
        #expect(people.trust.humanVsTruth == JudgeConfusion(tp: people.trust.humanVsTruth.tp, fp: 0, fn: 0, tn: people.trust.humanVsTruth.tn))
        #expect(people.document.labels.humanVsTruth?.agreement == 1)
    }

    /// Skips stay unlabelled and are counted; a label outside the sample is kept and never used;
    /// the latest label of an item counts.
    @Test func skipsAndLabelsOutsideTheSampleAreCountedNotUsed() throws {
        let outcomes = try Self.outcomes()
        let queue = LabelQueue.rows(outcomes, scoring: .tutorial, plan: Self.plan)
        let outside = try #require((0..<300).first { !queue.contains($0) && $0 != 7 })
        var labels = queue.prefix(10).map { HumanLabel(row: $0, correct: true, labeller: "ann") }
        labels.append(HumanLabel(row: queue[0], correct: false, labeller: "bob"))  // later: counts
        labels.append(HumanLabel(row: queue[10], correct: nil, labeller: "ann"))
        labels.append(HumanLabel(row: outside, correct: true, labeller: "ann"))
        let report = Report(identity: Self.identity, outcomes: outcomes, tokens: [:], labels: Self.plan, human: HumanLabels(labels), source: .human)
        let t = report.trust
        #expect(t.labels == LabelCounts(planned: 40, labelled: 10, skipped: 1, outside: 1))
        #expect(t.sample.labelled == 10 && t.sample.y0j1 + t.sample.y0j0 == 1, "bob's later label of the first item counts")
        #expect(t.sample.unlabelled == t.population - 10 && !t.labelledRows.contains(outside))
        let text = report.text()
        #expect(text.contains("10 of 299 items labelled by people"))
        #expect(text.contains("people's labels: 10 of the 40 planned, 1 skipped (skipping can bias the sample), 1 outside the sample"))
        let document = report.document.labels
        #expect(document.planned == 40 && document.human == 10 && document.skipped == 1 && document.outsideSample == 1 && document.source == .human)
    }

    /// Without truth, people's labels are the only way to the estimates, and the default source.
    @Test func withoutTruthPeoplesLabelsAreTheDefault() throws {
        let outcomes = try Self.outcomes().map {
            RowOutcome(row: Item(index: $0.row.index, title: $0.row.title, fields: $0.row.fields, truth: []), baseAnswer: $0.baseAnswer,
                       judgeAnswer: $0.judgeAnswer)
        }
        var identity = Self.identity
        identity.hasTruth = false
        let empty = Report(identity: identity, outcomes: outcomes, tokens: [:], labels: Self.plan)
        #expect(empty.trust.source == .human && empty.trust.labelsOnly.value == nil && empty.trust.ppiPlusPlus.value == nil)
        let queue = LabelQueue.rows(outcomes, scoring: .tutorial, plan: Self.plan)
        let labels = queue.prefix(20).enumerated().map { HumanLabel(row: $1, correct: $0 % 4 != 0, labeller: "ann") }
        let report = Report(identity: identity, outcomes: outcomes, tokens: [:], labels: Self.plan, human: HumanLabels(labels), judgeErrorsMarked: 3)
        #expect(report.trust.labelsOnly.value == 15.0 / 20.0)
        #expect(report.trust.ppiPlusPlus.value != nil && report.trust.humanVsTruth.total == 0)
        #expect(report.text().contains("judge errors marked while browsing: 3 (chosen by people, not a random sample: never used in the estimates)"))
        #expect(report.document.labels.judgeErrorsMarked == 3 && report.document.labels.humanVsTruth == nil)
    }

    /// The draw stops once the sample is drawn, and draws what the whole seeded shuffle would: the
    /// subsets of runs stored before it are unchanged.
    @Test func theDrawIsTheWholeShufflesPrefix() {
        for (population, seed, count) in [(1000, LabelPlan.defaultSeed, 100), (37, 5, 37), (2, 9, 1), (1, 1, 1), (0, 1, 0), (996, 20_240_601, 100)] {
            var all = Array(0..<population)
            var generator = SeededGenerator(seed: seed)
            all.shuffle(using: &generator)
            #expect(LabelPlan(count: count, seed: seed).drawOrder(population: population) == Array(all.prefix(count)), "\(population) \(seed)")
        }
    }

    /// A prefix of the draw order is itself the start of the sample: labelling in queue order labels a uniform subset.
    @Test func theQueueIsTheSampleInDrawOrder() {
        let plan = LabelPlan(count: 10, seed: 3)
        let order = plan.drawOrder(population: 100)
        #expect(order.count == 10 && Set(order) == plan.labelledPositions(population: 100))
        #expect(LabelPlan(count: 20, seed: 3).drawOrder(population: 100).prefix(10).elementsEqual(order), "more planned labels extend the same order")
    }
}
