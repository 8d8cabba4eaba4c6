import Foundation

/// Exponential backoff with jitter, honouring the server's Retry-After (batch-api.md §9.3).
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// A Retry-After longer than this is not waited out: the call fails instead.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 6, baseDelay: Double = 0.5, maxDelay: Double = 30, maxRetryAfter: Double = 120) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public static let standard = RetryPolicy()
    /// For a first contact, where a person waits on the answer.
    public static let quick = RetryPolicy(maxAttempts: 2, baseDelay: 0.5, maxDelay: 2)

    /// Seconds to wait before retry number `retry` (1-based), or nil to give up.
    public func delay(beforeRetry retry: Int, retryAfter: Double?, random: Double = Double.random(in: 0..<1)) -> Double? {
        guard retry < maxAttempts else { return nil }
        if let retryAfter, retryAfter > 0 {
            return retryAfter <= maxRetryAfter ? retryAfter : nil
        }
        let exponential = min(maxDelay, baseDelay * pow(2, Double(retry - 1)))
        return exponential * (1 - 0.25 * random)
    }

    /// Retry-After in seconds from `retry-after-ms`, or `retry-after` as seconds or an HTTP date.
    public static func retryAfter(headerValue: (String) -> String?) -> Double? {
        if let ms = headerValue("retry-after-ms"), let v = Double(ms.trimmingCharacters(in: .whitespaces)) { return v / 1000 }
        guard let raw = headerValue("retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(raw) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: raw) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }
}
