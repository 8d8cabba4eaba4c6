import Foundation
import JudgeCore
import Simulator

/// The task a command runs: `--task` (a file or a bundled name; the tutorial without it), its
/// dataset (`--dataset` instead of the task's), and the models the command line puts in its place.
/// Every check happens here, before anything is stored; each failure is an input error naming the
/// file, line and key.
struct TaskChoice {
    let loaded: LoadedTask
    /// The task with the run's models.
    let task: EvalTask
    let datasetURL: URL
    /// The dataset is the task file's own (no --dataset): its errors point at `dataset.path` too.
    private let datasetFromTask: Bool

    init(task name: String?, dataset: String?, baseModel: String?, judgeModel: String?) throws {
        let loaded: LoadedTask
        if let name {
            do { loaded = try TaskFile.resolve(name) } catch { throw CommandFailure.input(error.description) }
        } else {
            loaded = TaskFile.tutorial
        }
        self.loaded = loaded
        datasetURL = URL(fileURLWithPath: dataset ?? loaded.spec.dataset.path)
        datasetFromTask = dataset == nil && name != nil
        // The run stores its task as run: with the dataset it reads and the models it asks. It
        // compiled above, and a path cannot make it fail.
        var spec = loaded.spec
        spec.dataset.path = datasetURL.standardizedFileURL.path
        task = try! EvalTask.compiled(spec, baseModel: baseModel ?? loaded.task.baseModel, judgeModel: judgeModel ?? loaded.task.judgeModel)
    }

    /// The dataset as a person reads its name: the bundled files by what they are, any other by path.
    var datasetName: String {
        if datasetURL.standardizedFileURL.path == Dataset.bundledURL.standardizedFileURL.path { return "bundled IMDB top-1000" }
        if datasetURL.deletingLastPathComponent().standardizedFileURL.path == TaskFile.bundledFolder.standardizedFileURL.path {
            return "bundled " + datasetURL.lastPathComponent
        }
        return datasetURL.path
    }

    /// The dataset with its file and header checked; its rows are read later, a chunk at a time.
    func openDataset() throws -> DatasetReader {
        do { return try DatasetReader(contentsOf: datasetURL, layout: DatasetLayout(task: task)) } catch let error as DatasetError {
            throw failure(error)
        }
    }

    /// A dataset error as the person should read it: at the task key naming a missing column.
    func failure(_ error: DatasetError) -> CommandFailure {
        if let located = loaded.columnError(error) { return .input(located.description) }
        // A file that cannot be opened at all: the task file's line that names it.
        if datasetFromTask, error.line == nil {
            return .input(loaded.error("dataset.path", "names a file that cannot be used: \(error.description)").description)
        }
        return .input(error.description)
    }

    /// The simulated models for this task, learned from its first items (none for the tutorial,
    /// whose simulated models are the hand-made ones).
    func simulated() throws -> [SimulatedTask] {
        try SimulatedTask.models(for: task) {
            var reader = try openDataset()
            do { return try reader.next(SimulatedTask.examplesRead) } catch let error as DatasetError { throw failure(error) }
        }
    }
}
