import Foundation

extension UnsafeBufferPointer<UInt8> {
    /// Where `pattern` first occurs at or after `start`: the simulator's substring searches, on bytes
    /// (Foundation's `range(of:)` was a tenth of its time).
    func firstRange(of pattern: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Range<Int>? {
        guard let first = pattern.first, count >= pattern.count, let base = baseAddress, let needle = pattern.baseAddress else { return nil }
        var i = start
        while i <= count - pattern.count {
            if self[i] == first, memcmp(base + i, needle, pattern.count) == 0 { return i..<i + pattern.count }
            i += 1
        }
        return nil
    }
}
