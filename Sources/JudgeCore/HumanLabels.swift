import Foundation

/// A person's judgement of one base answer: correct, incorrect, or skipped (nil).
public struct HumanLabel: Sendable, Equatable {
    /// The item, 0-based as stored (people see it counted from 1).
    public let row: Int
    public let correct: Bool?
    public let labeller: String
    public let labelledAt: Date
    /// Where it was given: `dashboard`, or `import <file>`.
    public let origin: String

    public init(row: Int, correct: Bool?, labeller: String, labelledAt: Date = Date(), origin: String = "dashboard") {
        self.row = row
        self.correct = correct
        self.labeller = labeller
        self.labelledAt = labelledAt
        self.origin = origin
    }
}

/// Which labels feed the corrected estimates: the dataset's truth, or people's labels.
public enum LabelSource: String, Sendable, Codable, CaseIterable {
    case truth, human

    /// Truth when the dataset has it, people's labels otherwise.
    public static func standard(hasTruth: Bool) -> LabelSource { hasTruth ? .truth : .human }
}

/// The labels of a run, in the order they were given: the latest of an item counts, whoever gave it.
public struct HumanLabels: Sendable, Equatable {
    public let all: [HumanLabel]
    /// Row → its latest label (nil inside: skipped).
    public let latest: [Int: Bool?]

    public init(_ labels: [HumanLabel] = []) {
        all = labels
        var latest: [Int: Bool?] = [:]
        for label in labels { latest[label.row] = .some(label.correct) }
        self.latest = latest
    }

    public var isEmpty: Bool { all.isEmpty }
}

/// The items a person labels, in the order they are asked: the run's seeded sample of the items
/// with a base answer and a verdict saying correct or incorrect, in the seed's draw order. The same
/// rule (`EstimationSample.people`) decides the population the estimates use with people's labels.
public enum LabelQueue {
    /// The rows to label, first to last.
    public static func rows(_ outcomes: [RowOutcome], scoring: Scoring, plan: LabelPlan) -> [Int] {
        EstimationSample.people(outcomes, scoring: scoring, plan: plan, labels: HumanLabels()).queue
    }
}

/// How two people agree on the items both labelled correct or incorrect (each one's latest label).
public struct PeopleAgreement: Sendable, Equatable {
    public let first: String, second: String
    public let confusion: JudgeConfusion

    /// Every pair of people with an item in common, in name order.
    public static func pairs(_ labels: HumanLabels) -> [PeopleAgreement] {
        var byPerson: [String: [Int: Bool]] = [:]
        for label in labels.all {
            byPerson[label.labeller, default: [:]][label.row] = label.correct
            if label.correct == nil { byPerson[label.labeller]?[label.row] = nil }
        }
        let people = byPerson.keys.sorted()
        var out: [PeopleAgreement] = []
        for (i, a) in people.enumerated() {
            for b in people[(i + 1)...] {
                var c = JudgeConfusion()
                for (row, sayA) in byPerson[a]! { if let sayB = byPerson[b]![row] { c.add(truthCorrect: sayA, judgeSaysCorrect: sayB) } }
                if c.total > 0 { out.append(PeopleAgreement(first: a, second: b, confusion: c)) }
            }
        }
        return out
    }
}
