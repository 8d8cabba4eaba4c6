import Foundation

/// Moves one batch through its lifecycle (batch-api.md §5): validating, in_progress with live
/// counts, finalizing, completed; or cancelling to cancelled, or expired, with partial results.
enum BatchProcessor {
    static func drive(_ id: String, state: SimulatorState) async {
        let options = state.options
        await pause(options.seconds(options.validationSeconds))
        await state.validate(id)
        let tick = 0.05
        let perTick = options.instant ? 5_000 : max(1, Int(options.requestsPerSecond * tick))
        while await state.run(id, count: perTick) {
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
