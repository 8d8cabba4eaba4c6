/// One JSON document read member by member, for a caller that wants a few values from it without
/// the tree `JSONValue.parse` builds: building and freeing each batch output line's seven small
/// objects was half the cost of reading it. Everything passed over is checked as `parse` checks it.
/// Each member or element it announces must be read once (`value`, `skipValue`, or entered).
public struct JSONCursor {
    private var reader: JSONReader
    /// Just after `{` or `[`: the next member or element has no comma before it.
    private var entered = false
    /// How many objects and arrays are open (values inside are checked as deeply as `parse` checks).
    private var depth = 0

    /// `keeping`: the member names `nextMember` announces; others are checked and skipped.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, keeping: JSONKeys) {
        reader = JSONReader(bytes: bytes, keeping: keeping)
    }

    /// Enters the object that is the next value, or returns false (reading nothing) when the next
    /// value is not an object.
    public mutating func enterObject() -> Bool { enter(UInt8(ascii: "{")) }

    /// Enters the array that is the next value, or returns false when it is not an array.
    public mutating func enterArray() -> Bool { enter(UInt8(ascii: "[")) }

    private mutating func enter(_ opening: UInt8) -> Bool {
        reader.skipWhitespace()
        guard reader.position < reader.bytes.count, reader.bytes[reader.position] == opening else { return false }
        reader.position += 1
        entered = true
        depth += 1
        return true
    }

    /// The name of the object's next kept member, its value next to read; nil at the object's end.
    public mutating func nextMember() throws(JSONSyntaxError) -> String? {
        while try another(closing: UInt8(ascii: "}")) {
            reader.skipWhitespace()
            guard reader.position < reader.bytes.count, reader.bytes[reader.position] == UInt8(ascii: "\"") else {
                throw reader.error("expected a member name")
            }
            let name = try reader.memberName()
            reader.skipWhitespace()
            try reader.expect(UInt8(ascii: ":"))
            if let name { return name }
            try reader.skipValue(depth: depth)
        }
        return nil
    }

    /// Whether the array has another element, next to read.
    public mutating func nextElement() throws(JSONSyntaxError) -> Bool {
        try another(closing: UInt8(ascii: "]"))
    }

    private mutating func another(closing: UInt8) throws(JSONSyntaxError) -> Bool {
        reader.skipWhitespace()
        let closed: Bool
        if entered {
            entered = false
            closed = reader.position < reader.bytes.count && reader.bytes[reader.position] == closing
            if closed { reader.position += 1 }
        } else {
            closed = try reader.endOrComma(closing)
        }
        if closed { depth -= 1 }
        return !closed
    }

    /// The next value, built (its objects keep only the kept members).
    public mutating func value() throws(JSONSyntaxError) -> JSONValue {
        try reader.value(depth: depth)
    }

    /// Checks the next value and moves past it.
    public mutating func skipValue() throws(JSONSyntaxError) {
        try reader.skipValue(depth: depth)
    }

    /// Whether nothing but whitespace is left.
    public mutating func atEnd() -> Bool {
        reader.skipWhitespace()
        return reader.position == reader.bytes.count
    }
}
