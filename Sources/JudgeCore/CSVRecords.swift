import Foundation

/// RFC 4180 records read straight from UTF-8 bytes: quoted fields with commas, doubled quotes and line
/// breaks, LF or CRLF line ends, a leading byte-order mark. Written by hand because SwiftCSV, which
/// judgetop used first, took 75 ns a byte (0.3 s for 20,000 rows, most of a run's start-up).
struct CSVRecords {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next record starts, and on which physical line (1-based): all a reader needs to stop
    /// and carry on later over the same bytes.
    struct Place { var offset = 0, line = 1 }
    private(set) var place: Place
    var line: Int { place.line }
    private var position: Int {
        get { place.offset }
        set { place.offset = newValue }
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, from place: Place = Place()) {
        self.bytes = bytes
        self.place = place
        if place.offset == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    enum Problem: Error { case unterminatedQuote, invalidUTF8 }

    /// The next record's fields, or nil at the end. Fields are whole strings, quotes removed. With
    /// `keeping`, fields at positions it marks false (or beyond it) come back empty: checked, not
    /// built (a dataset has a dozen columns and judgetop reads three).
    mutating func next(keeping: [Bool]? = nil) throws(Problem) -> [String]? {
        guard position < bytes.count else { return nil }
        var fields: [String] = []
        while true {
            let wanted = keeping.map { fields.count < $0.count && $0[fields.count] } ?? true
            fields.append(try field(wanted: wanted))
            guard position < bytes.count else { return fields }
            let separator = bytes[position]
            position += 1
            if separator == UInt8(ascii: "\n") {
                place.line += 1
                return fields
            }
        }
    }

    /// One field; leaves `position` on the comma or line end after it (or at the end of the bytes).
    private mutating func field(wanted: Bool) throws(Problem) -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: ","), bytes[position] != UInt8(ascii: "\n") { position += 1 }
            var end = position
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return try text(UnsafeBufferPointer(rebasing: bytes[start..<end]), wanted: wanted)
        }
        position += 1
        if let text = try plainQuotedField(wanted: wanted) { return text }
        var content: [UInt8] = []
        var runStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\n") { place.line += 1 }
            if byte == UInt8(ascii: "\"") {
                content.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                position += 1
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    // Closing quote; text up to the separator (a stray character or CR) is kept as written.
                    let rest = position
                    while position < bytes.count, bytes[position] != UInt8(ascii: ","), bytes[position] != UInt8(ascii: "\n") { position += 1 }
                    var end = position
                    if end > rest, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    content.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[rest..<end]))
                    return try content.withUnsafeBufferPointer { bytes throws(Problem) in try text(bytes, wanted: wanted) }
                }
                runStart = position
            }
            position += 1
        }
        throw .unterminatedQuote
    }

    /// A quoted field (`position` just past its opening quote) with no doubled quote, closed right
    /// before its separator, as most are: its text read in place, the closing quote found by
    /// `memchr`. Nil, with `position` unmoved, for any other; the byte loop reads those.
    private mutating func plainQuotedField(wanted: Bool) throws(Problem) -> String? {
        let start = position
        guard let base = bytes.baseAddress,
              let found = memchr(base + start, Int32(UInt8(ascii: "\"")), bytes.count - start) else { return nil }
        let quote = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        let after = quote + 1
        guard after == bytes.count || bytes[after] == UInt8(ascii: ",") || bytes[after] == UInt8(ascii: "\n")
                || (bytes[after] == UInt8(ascii: "\r") && after + 1 < bytes.count && bytes[after + 1] == UInt8(ascii: "\n")) else { return nil }
        let inside = UnsafeBufferPointer(rebasing: bytes[start..<quote])
        if memchr(base + start, Int32(UInt8(ascii: "\n")), inside.count) != nil {
            place.line += inside.count(where: { $0 == UInt8(ascii: "\n") })
        }
        position = bytes[after...].first == UInt8(ascii: "\r") ? after + 1 : after
        return try text(inside, wanted: wanted)
    }

    /// The field's text, checked as UTF-8; empty when not `wanted` (ASCII needs no further check).
    /// ASCII, the usual case, is decoded without the generic validating initialiser, which looked up
    /// type metadata at every call (a tenth of reading a dataset).
    private func text(_ bytes: UnsafeBufferPointer<UInt8>, wanted: Bool) throws(Problem) -> String {
        if Self.isASCII(bytes) { return wanted ? String(decoding: bytes, as: UTF8.self) : "" }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        return wanted ? text : ""
    }

    /// Whether every byte is below 0x80, tested eight at a time.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            offset += 8
        }
        while offset < bytes.count {
            if bytes[offset] >= 0x80 { return false }
            offset += 1
        }
        return true
    }
}
