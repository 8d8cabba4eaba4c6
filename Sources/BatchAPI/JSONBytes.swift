import Foundation

/// JSON read and written straight from and to UTF-8 bytes, for the lines of batch files: a run of a
/// million rows writes and reads two million of them, and Foundation's Codable coders spent 8 to 9 µs
/// on each (a quarter of a 20,000-row run's CPU); these take 1 to 3.4 (`judgetop-bench`).

/// A parsed JSON value. Objects keep their members in order; lookups are linear, which is fastest
/// for the handful of keys a chat completion has.
public enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var int: Int? { if case .number(let n) = self, let i = Int(exactly: n.rounded()) { i } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// Parses one JSON document (RFC 8259); trailing whitespace is allowed, anything else is not.
    /// With `keeping`, objects hold only the members so named, at any depth; the others are checked
    /// and skipped, never built.
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes, keeping: JSONKeys? = nil) throws(JSONSyntaxError) -> JSONValue {
        let parsed = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONSyntaxError) in try parseWhole(buffer, keeping: keeping) }
        }
        if let parsed { return try parsed.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try parseWhole(buffer, keeping: keeping) }
    }

    private static func parseWhole(_ buffer: UnsafeBufferPointer<UInt8>, keeping: JSONKeys?) throws(JSONSyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: buffer, keeping: keeping)
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.position == buffer.count else { throw reader.error("unexpected text after the value") }
        return value
    }
}

/// The member names a reader wants from a document. A batch output line has some 25 members and
/// judgetop reads 8: building and freeing the rest was most of the cost of reading one.
public struct JSONKeys: Sendable {
    /// The names by their length: a member name is compared with the few names as long as it (a
    /// `memcmp` with every name was a fifth of parsing an output line).
    private let namesByLength: [[(bytes: [UInt8], name: String)]]

    public init(_ names: [String]) {
        var byLength = [[(bytes: [UInt8], name: String)]](repeating: [], count: (names.map(\.utf8.count).max() ?? 0) + 1)
        for name in Set(names) { byLength[name.utf8.count].append((Array(name.utf8), name)) }
        namesByLength = byLength
    }

    /// The kept name spelled by these bytes, or nil. Compared byte by byte: names are a few bytes
    /// long, shorter than the call to `memcmp` was (and a loop of our own, as the generic
    /// `elementsEqual` was at times left a call of its own, a third of parsing a line).
    func name(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count < namesByLength.count else { return nil }
        for candidate in namesByLength[bytes.count] where Self.equal(candidate.bytes, bytes) { return candidate.name }
        return nil
    }

    /// Whether two byte strings of the same length are equal.
    @inline(__always)
    private static func equal(_ name: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        name.withUnsafeBufferPointer { name in
            var i = 0
            while i < name.count, name[i] == bytes[i] { i += 1 }
            return i == name.count
        }
    }
}

public struct JSONSyntaxError: Error, CustomStringConvertible {
    public let offset: Int
    public let problem: String
    public var description: String { "\(problem) at byte \(offset)" }
}

struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let keeping: JSONKeys?
    var position = 0

    func error(_ problem: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, problem: problem) }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < 512 else { throw error("nested too deeply") }
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        members.reserveCapacity(8)  // one allocation for the usual handful of members, not three
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try memberName()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            if let key { members.append((key, try value(depth: depth + 1))) } else { try skipValue(depth: depth + 1) }
            skipWhitespace()
            if try endOrComma(UInt8(ascii: "}")) { return .object(members) }
        }
    }

    /// The name of the member starting here, or nil for one that `keeping` leaves out.
    mutating func memberName() throws(JSONSyntaxError) -> String? {
        guard let keeping else { return try string() }
        let start = position
        if try !skipString() { return keeping.name(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(position - 1)])) }
        position = start
        return Array(try string().utf8).withUnsafeBufferPointer { keeping.name($0) }
    }

    /// Checks the value starting here and moves past it, building nothing.
    mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        guard depth < 512 else { throw error("nested too deeply") }
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let end = bytes[position] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == end { position += 1; return }
            while true {
                if end == UInt8(ascii: "}") {
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                    try skipString()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if try endOrComma(end) { return }
            }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    /// Moves past the string starting here, checking its escapes; true when it had any.
    @discardableResult
    private mutating func skipString() throws(JSONSyntaxError) -> Bool {
        var escaped = false
        var end = quoteOrBackslash(from: position + 1)
        while end < bytes.count {
            position = end + 1
            if bytes[end] == UInt8(ascii: "\"") { return escaped }
            escaped = true
            var scratch: [UInt8] = []
            try escape(into: &scratch)
            end = quoteOrBackslash(from: position)
        }
        position = bytes.count
        throw error("unterminated string")
    }

    /// The first quote or backslash at or after `start`, or `bytes.count`: where a string ends or
    /// has an escape.
    @inline(__always)
    private func quoteOrBackslash(from start: Int) -> Int { JSONSpecials.firstQuoteOrBackslash(in: bytes, from: start) }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            if try endOrComma(UInt8(ascii: "]")) { return .array(elements) }
        }
    }

    @inline(__always)
    mutating func endOrComma(_ end: UInt8) throws(JSONSyntaxError) -> Bool {
        guard position < bytes.count else { throw error("unexpected end") }
        let byte = bytes[position]
        position += 1
        if byte == end { return true }
        guard byte == UInt8(ascii: ",") else { position -= 1; throw error("expected , or \(Character(Unicode.Scalar(end)))") }
        return false
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(JSONSyntaxError) {
        guard position < bytes.count, bytes[position] == byte else { throw error("expected \(Character(Unicode.Scalar(byte)))") }
        position += 1
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              memcmp(bytes.baseAddress! + position, word.utf8Start, count) == 0 else { throw error("invalid literal") }
        position += count
    }

    private mutating func number() throws(JSONSyntaxError) -> Double {
        let start = position
        var integer = 0, plain = true
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1; plain = false }
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= 0x30, byte <= 0x39 {
                if plain, integer < Int.max / 10 - 9 { integer = integer * 10 + Int(byte - 0x30) } else { plain = false }
            } else if byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                plain = false
            } else {
                break
            }
            position += 1
        }
        guard position > start else { throw error("unexpected character") }
        if plain { return Double(integer) }
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)) else {
            throw error("invalid number")
        }
        return value
    }

    /// A string's content; the common case, no escapes, is one copy of its bytes.
    mutating func string() throws(JSONSyntaxError) -> String {
        let start = position + 1
        var end = quoteOrBackslash(from: start)
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            position = end + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        // Escapes: copy the plain runs between them whole (a byte at a time was most of the cost of
        // a long system prompt full of newlines).
        var scratch = Array(bytes[start..<end])
        while end < bytes.count {
            position = end + 1
            if bytes[end] == UInt8(ascii: "\"") { return String(decoding: scratch, as: UTF8.self) }
            try escape(into: &scratch)
            end = quoteOrBackslash(from: position)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<end]))
        }
        position = bytes.count
        throw error("unterminated string")
    }

    private mutating func escape(into scratch: inout [UInt8]) throws(JSONSyntaxError) {
        guard position < bytes.count else { throw error("unterminated string") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar), position + 6 <= bytes.count,
               bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                let mark = position
                position += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = mark
                }
            }
            scratch.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
        default: throw error("invalid escape")
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
