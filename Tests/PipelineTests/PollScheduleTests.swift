import Testing
@testable import Pipeline

@Suite struct PollScheduleTests {
    @Test func backsOffToTheMaximumAndSpeedsUpOnProgress() {
        var schedule = PollSchedule(initial: 0.1, maximum: 30, growth: 1.5)
        let delays = (0..<20).map { _ in schedule.next(progressed: false, jitter: 0) }
        #expect(delays[0] == 0.1 && delays[1] == 0.1 * 1.5 && delays.last == 30)
        _ = schedule.next(progressed: true, jitter: 0)
        #expect(schedule.next(progressed: false, jitter: 0) == 20)
    }

    @Test func neverWaitsMoreThanAQuarterOfTheBatchsAge() {
        var schedule = PollSchedule(initial: 0.1, maximum: 30, growth: 1.5)
        for _ in 0..<20 { _ = schedule.next(progressed: false, jitter: 0) }
        #expect(schedule.next(progressed: false, elapsed: 8, jitter: 0) == 2)
        #expect(schedule.next(progressed: false, elapsed: 0, jitter: 0) == 0.1)
        #expect(schedule.next(progressed: false, elapsed: 3600, jitter: 0) == 30)
    }

    @Test func aLongBatchThatMovesOnEveryPollIsNotPolledAtTheInitialRate() {
        var schedule = PollSchedule(initial: 0.05, maximum: 30, growth: 1.5)
        for _ in 0..<20 { _ = schedule.next(progressed: true, jitter: 0) }
        #expect(schedule.next(progressed: true, elapsed: 0.5, jitter: 0) == 0.05)
        #expect(schedule.next(progressed: true, elapsed: 60, jitter: 0) == 1.5)
        #expect(schedule.next(progressed: true, elapsed: 7200, jitter: 0) == 30)
        // An hour of such a batch, polled as the engine does: a few hundred polls.
        var elapsed = 0.0
        var polls = 0
        while elapsed < 3600 {
            elapsed += schedule.next(progressed: false, elapsed: elapsed, jitter: 0)
            _ = schedule.next(progressed: true, jitter: 0)
            polls += 1
        }
        #expect(polls > 100 && polls < 600)
    }
}
