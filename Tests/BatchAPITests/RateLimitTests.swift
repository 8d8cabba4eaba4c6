import Testing
@testable import BatchAPI

@Suite struct RateLimitTests {
    @Test func goDurationsParse() {
        #expect(GoDuration.seconds("6m0s") == 360)
        #expect(GoDuration.seconds("21s") == 21)
        #expect(GoDuration.seconds("41ms") == 0.041)
        #expect(abs(GoDuration.seconds("2s81ms")! - 2.081) < 1e-9)
        #expect(abs(GoDuration.seconds("5h50m30ms")! - (5 * 3600 + 50 * 60 + 0.03)) < 1e-9)
        #expect(GoDuration.seconds("1.5s") == 1.5)
        #expect(GoDuration.seconds("soon") == nil && GoDuration.seconds("") == nil && GoDuration.seconds("5") == nil)
    }
}
