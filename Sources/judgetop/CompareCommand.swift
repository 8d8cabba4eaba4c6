import ArgumentParser
import Foundation
import JudgeCore
import Pipeline

/// `judgetop compare RUN_A RUN_B`: paired comparison of two runs on the same rows.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two runs on the same rows: paired difference and McNemar's test.")

    @Argument(help: "The first run (its id, or a prefix only one id begins with).") var runA: String
    @Argument(help: "The second run.") var runB: String
    @OptionGroup var storage: StorageOptions

    func run() throws {
        let store = try storage.openExisting()
        let runA = try storage.runID(self.runA, in: store), runB = try storage.runID(self.runB, in: store)
        let comparison: RunComparison
        guard let configA = try store.config(run: runA), let configB = try store.config(run: runB) else { throw StoreError.unknownRun(runA) }
        do {
            comparison = try RunComparison.compute(try store.outcomes(run: runA), try store.outcomes(run: runB),
                                                   scoring: (configA.task.scoring, configB.task.scoring))
        } catch let error as RunComparison.Mismatch {
            throw CommandFailure.input(error.description)
        }
        func f(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "  —  " }
        Console.out("A = \(runA), B = \(runB), \(comparison.rows) rows paired by index (95% Tango paired score intervals)")
        Console.out("metric               n      A      B    A−B  95% interval          b    c   McNemar χ²       p       exact p")
        for line in comparison.lines {
            let p = line.paired
            let interval = p.differenceInterval.map { String(format: "[%+.3f, %+.3f]", $0.low, $0.high) } ?? "—"
            let test = p.mcnemarScore.map { String(format: "%8.3f        %.4f", $0.chiSquare, $0.p) } ?? "       —        —     "
            Console.out(line.metric.padding(toLength: 18, withPad: " ", startingAt: 0)
                        + String(format: " %5d  ", p.n) + f(line.accuracyA) + "  " + f(line.accuracyB) + "  "
                        + (p.difference.map { String(format: "%+.3f", $0) } ?? "  —  ") + "  "
                        + interval.padding(toLength: 20, withPad: " ", startingAt: 0)
                        + String(format: " %4d %4d  ", p.b, p.c) + test + "  " + (p.exactP.map { String(format: "%.4f", $0) } ?? "—"))
        }
        Console.out("b: right in A only; c: right in B only. Rows where either run lacks the answer a line needs are left out of it.")
        Console.out("McNemar's score test is the one the interval inverts: it excludes 0 exactly when p < 0.05. The exact p is more conservative.")
        if comparison.lines.contains(where: { $0.paired.b + $0.paired.c == 0 }) {
            Console.out("McNemar's test is undefined where no pair is discordant (b = c = 0): the runs agree on every such row.")
        }
    }
}
