import Testing
@testable import RunControl

/// The dashboard re-reads the store at most twice a second, and on big runs pauses four times as
/// long as a read took, so that it never takes a core from the run it watches.
@Suite struct RefreshPacingTests {
    @Test func pausesAtLeastHalfASecondAndFourTimesTheRead() {
        #expect(RunController.refreshPause(after: .milliseconds(10)) == .milliseconds(500))
        #expect(RunController.refreshPause(after: .milliseconds(300)) == .milliseconds(1200))
        #expect(RunController.refreshPause(after: .seconds(5)) == .seconds(20))
    }
}
