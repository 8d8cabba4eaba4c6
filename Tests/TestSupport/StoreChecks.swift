import Foundation
import Pipeline
import Testing

/// Every run in the store keeps the store's invariants (`RunStore.invariantViolations`): the end
/// of every durability, fault and online test.
public func expectConsistent(_ store: RunStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
    for run in try store.listRuns() {
        #expect(try store.invariantViolations(run: run.config.runID) == [], "run \(run.config.runID)", sourceLocation: sourceLocation)
    }
}

/// The same, for the store in a runs folder a judgetop process used.
public func expectConsistent(runs: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try expectConsistent(try RunStore(directory: runs), sourceLocation: sourceLocation)
}
