import Foundation
import NIOHTTP1

/// What the provider said about its rate limits with an answer (batch-api.md §9.1).
public struct RateLimitHint: Sendable, Equatable {
    public var remainingRequests: Int?
    /// Seconds until the request limit resets.
    public var resetRequests: Double?
    /// Seconds the provider asked to wait (Retry-After), when it did.
    public var retryAfter: Double?

    public init(remainingRequests: Int? = nil, resetRequests: Double? = nil, retryAfter: Double? = nil) {
        self.remainingRequests = remainingRequests
        self.resetRequests = resetRequests
        self.retryAfter = retryAfter
    }

    init(headers: HTTPHeaders) {
        remainingRequests = headers.first(name: "x-ratelimit-remaining-requests").flatMap { Int($0) }
        resetRequests = headers.first(name: "x-ratelimit-reset-requests").flatMap(GoDuration.seconds)
        retryAfter = RetryPolicy.retryAfter { headers.first(name: $0) }
    }
}

/// Go's duration format as OpenAI sends it: "6m0s", "21s", "41ms", "2s81ms", "1h2m".
public enum GoDuration {
    public static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000_001), ("µs", 0.000_001), ("ns", 1e-9), ("h", 3600), ("m", 60), ("s", 1)]
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return total
    }
}

/// One chat completion's outcome, for drivers that pace themselves.
public struct ChatAnswer: Sendable {
    public let result: RequestResult
    public let hint: RateLimitHint
}

/// A chat call that failed, with the provider's pacing hints.
public struct ChatFailure: Error, Sendable {
    public let error: ProviderError
    public let hint: RateLimitHint
}
