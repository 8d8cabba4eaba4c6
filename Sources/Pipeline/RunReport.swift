import Foundation
import JudgeCore

extension Engine {
    /// The report of a run as the store has it now (finished or partial); `outcomes` when the caller
    /// has just read them.
    /// `labels`: which labels feed the corrected estimates, if not the run's own choice; `human` and
    /// `marks`: people's labels and marks, when the caller has read them already.
    public static func report(store: RunStore, runID: String, outcomes: [RowOutcome]? = nil, labels source: LabelSource? = nil,
                              human: [HumanLabel]? = nil, marks: Int? = nil) throws -> Report {
        guard let config = try store.config(run: runID), let status = try store.status(run: runID) else { throw StoreError.unknownRun(runID) }
        let spec = config.spec
        let identity = RunIdentity(runID: runID, provider: config.provider, baseURL: config.baseURL,
                                   baseModel: config.baseModel, judgeModel: config.judgeModel, mode: config.mode,
                                   dataset: config.dataset, simulated: config.simulated,
                                   status: status, task: spec.name, hasTruth: spec.dataset.truth != nil, hasLabels: spec.labels != nil)
        let charges = try store.charges(run: runID)
        var report = Report(identity: identity, outcomes: try outcomes ?? store.outcomes(run: runID, text: false),
                            tokens: RunStore.tokensByStage(charges), labels: config.labelPlan, scoring: config.task.scoring,
                            human: HumanLabels(try human ?? store.labels(run: runID)), source: source ?? config.labelSource,
                            judgeErrorsMarked: try marks ?? store.marks(run: runID).count)
        report.cost = config.prices.map { CostBreakdown(charges: charges, prices: $0, batch: config.mode == .batch) }
        return report
    }
}
