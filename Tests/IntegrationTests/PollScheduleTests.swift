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
}
