import Foundation

/// Moves one batch through its lifecycle (batch-api.md §5): validating, in_progress with live
/// counts, finalizing, completed; or cancelling to cancelled, or expired, with partial results.
/// Validating and answering run here, off the state actor, so that batches proceed in parallel.
enum BatchProcessor {
    static func drive(_ id: String, state: SimulatorState) async {
        let options = state.options
        await pause(options.seconds(options.validationSeconds))
        if let input = await state.validationInput(id) {
            let result = InputValidator.validate(input)
            await state.accept(id, lines: result.lines, issues: result.issues)
        }
        // Paced by the batch's age, not a count a tick: rates under one a tick (20 a second) hold too,
        // and a simulator stalled by a busy machine catches up instead of falling behind.
        let started = ContinuousClock.now
        var answered = 0
        while true {
            let due = options.instant ? 5_000 : Int(options.requestsPerSecond * ((ContinuousClock.now - started) / .seconds(1))) - answered
            if due > 0 {
                guard let work = await state.take(id, count: due) else { break }
                await state.deliver(id, work.outputLines())
                answered += due
            }
            if options.instant { await Task.yield() } else { await pause(0.05) }
        }
        switch await state.status(id) {
        case "finalizing": await pause(options.seconds(options.finalizeSeconds))
        case "cancelling": await pause(options.seconds(options.cancelSeconds))
        default: break
        }
        await state.finish(id)
    }

    private static func pause(_ seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(for: .seconds(seconds))
    }
}
