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
        let tick = 0.05
        let perTick = options.instant ? 5_000 : max(1, Int(options.requestsPerSecond * tick))
        while let work = await state.take(id, count: perTick) {
            await state.deliver(id, work.outputLines())
            if options.instant { await Task.yield() } else { await pause(tick) }
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
