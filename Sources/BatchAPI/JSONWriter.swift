import Foundation

/// Writes JSON strings as UTF-8, escaping what RFC 8259 requires and nothing else.
public enum JSONWriter {
    public static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        appendEscaped(text, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Writes the pieces as one JSON string.
    public static func appendString(_ pieces: [String], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for piece in pieces { appendEscaped(piece, to: &output) }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            while case let i = JSONSpecials.first(in: bytes, from: runStart), i < bytes.count {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                runStart = i + 1
                let byte = bytes[i]
                if let letter = shortEscape(byte) {
                    // Byte by byte: a two-byte array literal was an allocation per escape, six to a judge line.
                    output.append(UInt8(ascii: "\\"))
                    output.append(letter)
                } else {
                    let hex = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }

    /// The letter after the backslash for a byte with a two-character escape; nil for the other
    /// control characters, written \u00XX.
    private static func shortEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        default: nil
        }
    }

    /// How many bytes `appendString` writes for `text`, quotes included.
    public static func escapedLength(_ text: String) -> Int {
        2 + escapedLengthUnquoted(text)
    }

    public static func escapedLength(_ pieces: [String]) -> Int {
        pieces.reduce(2) { $0 + escapedLengthUnquoted($1) }
    }

    private static func escapedLengthUnquoted(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var length = bytes.count
            var i = 0
            while case let special = JSONSpecials.first(in: bytes, from: i), special < bytes.count {
                length += shortEscape(bytes[special]) == nil ? 5 : 1
                i = special + 1
            }
            return length
        }
    }

    public static func append(_ raw: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: raw.utf8Start, count: raw.utf8CodeUnitCount))
    }
}

/// Finds the bytes a JSON string cannot hold as they are (a quote, a backslash, a control
/// character), eight at a time: text is mostly plain, and a byte-by-byte scan was most of the cost of
/// writing and measuring the lines of a batch file.
enum JSONSpecials {
    /// The position of the first such byte at or after `start`, or `bytes.count`.
    @inline(__always)
    static func first(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        if let base = bytes.baseAddress {
            while i + 8 <= bytes.count, !hasSpecial(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8 }
        }
        while i < bytes.count, !isSpecial(bytes[i]) { i += 1 }
        return i
    }

    @inline(__always)
    private static func isSpecial(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }

    /// The position of the first quote or backslash at or after `start`, or `bytes.count`: where a
    /// string being read ends or has an escape (control characters are read as they are). Eight bytes
    /// at a time: a byte at a time took eight instructions a byte, and strings are most of an output
    /// line. The flags are exact for the lowest match (a borrow runs only upward), so the lowest
    /// flagged byte of a word is the first.
    @inline(__always)
    static func firstQuoteOrBackslash(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        if let base = bytes.baseAddress {
            while i + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let flagged = below(word ^ (ones &* 0x22), 1) | below(word ^ (ones &* 0x5C), 1)
                if flagged != 0 { return i + flagged.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
        return i
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of the word is special: control characters by the bytes below 0x20, quotes
    /// and backslashes as zero bytes after an xor.
    @inline(__always)
    private static func hasSpecial(_ word: UInt64) -> Bool {
        below(word, 0x20) | below(word ^ (ones &* 0x22), 1) | below(word ^ (ones &* 0x5C), 1) != 0
    }

    /// The classic has-a-byte-less-than test: the high bit set in bytes of `word` below `limit` (at
    /// most 0x80). The lowest flagged byte is always one; above it a borrow may flag others too.
    @inline(__always)
    private static func below(_ word: UInt64, _ limit: UInt64) -> UInt64 { (word &- ones &* limit) & ~word & highs }
}
