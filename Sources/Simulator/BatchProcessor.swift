import Foundation

/// Moves one batch through its lifecycle (batch-api.md §5): validating, in_progress with live
/// counts, finalizing, completed; or cancelling to cancelled, or expired, with partial results.
/// Validating and answering run here, off the state actor, so that batches proceed in parallel.
enum BatchProcessor {
    static func drive(_ id: String, state: SimulatorState) async {
        let options = state.options
        await pause(options.seconds(options.validationSeconds))
        if let input = await state.validationInput(id) {
            let result = InputValidator.validate(input.bytes, endpoint: input.endpoint, check: RequestCheck(models: options.models))
            await state.accept(id, lines: result.lines, issues: result.issues)
        }
        // Paced by the batch's age, so that rates under one a tick (20 a second) hold too; never more
        // than a tick's worth at once, so that a batch stalled by a busy machine still spends its time
        // in progress (where tests and dashboards watch it) rather than finishing in one burst. At its
        // deadline, the lines due before it are answered, then it expires: a machine too busy to run
        // the ticks changes when the answers are written, not how many there are.
        let tick = 0.05
        let started = Date()
        let expires = await state.expiry(id) ?? .distantFuture
        var answered = 0
        while true {
            let now = Date()
            let late = now >= expires
            let dueByNow = Int(options.requestsPerSecond * min(now, expires).timeIntervalSince(started)) - answered
            let due = options.instant ? 5_000 : late ? dueByNow : min(dueByNow, Int((options.requestsPerSecond * tick).rounded(.up)))
            if due > 0 {
                guard let work = await state.take(id, count: due) else { break }
                await state.deliver(id, work.outputLines())
                answered += due
            } else if late {
                await state.expire(id)
                break
            }
            if options.instant { await Task.yield() } else { await pause(tick) }
        }
        switch await state.status(id) {
        case .finalizing?: await pause(options.seconds(options.finalizeSeconds))
        case .cancelling?: await pause(options.seconds(options.cancelSeconds))
        default: break
        }
        await state.finish(id)
    }

    private static func pause(_ seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(for: .seconds(seconds))
    }
}
