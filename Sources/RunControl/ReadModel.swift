import Dashboard
import JudgeCore
import Pipeline

/// What the dashboard shows of a run, read from the store: every row as the table shows it, the
/// run's report, and which judges the verdicts come from.
public struct ReadModel: Sendable {
    public let rows: [RowView]
    public let report: Report
    /// The judge model, or the models and how many verdicts each gave after a re-judge.
    public let judges: String
    /// People's labels, the labelling queue and the estimates from the labels so far.
    public let review: ReviewData

    public static func read(run: String, in store: RunStore) throws -> ReadModel {
        guard let config = try store.config(run: run) else { throw StoreError.unknownRun(run) }
        let outcomes = try store.outcomes(run: run)
        let states = try store.requestStates(run: run)
        let history = try store.previousJudgements(run: run)
        let labels = HumanLabels(try store.labels(run: run))
        let marks = try store.marks(run: run)
        let notes = Dictionary(uniqueKeysWithValues: marks.map { ($0.row, $0.note) })
        var reader = AnswerReader(config.task.scoring)
        let rows = outcomes.map {
            RowView(outcome: $0, states: states, previousJudgements: history[$0.row.index] ?? [], maxAttempts: config.maxAttempts, reader: &reader,
                    mark: notes.isEmpty ? nil : notes[$0.row.index].map { TerminalText.sanitize($0) })
        }

        let shown = try store.judgesShown(run: run)
        let judges = shown.count > 1 ? shown.map { "\($0.model) (\($0.verdicts))" }.joined(separator: " + ")
            : shown.first?.model ?? config.judgeModel
        let report = try Engine.report(store: store, runID: run, outcomes: outcomes, human: labels.all, marks: marks.count)
        // The report has drawn people's sample already: the queue and the estimates come from it.
        let people = report.trust.people
        let review = ReviewData(queue: people.queue, labels: labels.latest, progress: LabelProgress(people))
        return ReadModel(rows: rows, report: report, judges: judges, review: review)
    }
}
