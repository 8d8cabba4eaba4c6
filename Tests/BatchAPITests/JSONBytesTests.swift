import Foundation
import Testing
@testable import BatchAPI
import JudgeCore

/// The hand-written JSON reader and writer against Foundation's, which they replace on the hot path.
@Suite struct JSONBytesTests {
    private static let awkward = ["", "plain", "quote \" and \\ backslash", "line\nbreak\r\ttab", "\u{01}\u{1F}\u{7F}",
                                  "é 漢字 🎬 \u{200B}", "slash / and </script>", "\u{FFFD}"]

    @Test(arguments: awkward)
    func writtenStringsReadBackThroughFoundationAndOurReader(text: String) throws {
        var bytes: [UInt8] = []
        JSONWriter.appendString(text, to: &bytes)
        let foundation = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
        #expect(foundation == text)
        #expect(try JSONValue.parse(bytes) == .string(text))
        #expect(JSONWriter.escapedLength(text) == bytes.count)
    }

    /// Strings are scanned eight bytes at a time: a byte to escape is found at every place in a word,
    /// next to multi-byte characters, and one word's worth of plain bytes is let through whole.
    @Test func escapesEveryByteThatNeedsItWhereverItFallsInAWord() throws {
        for special in ["\"", "\\", "\n", "\u{00}", "\u{1F}", "\t"] {
            for position in 0..<20 {
                var text = String(repeating: "é", count: position % 3) + String(repeating: "a", count: position) + special
                text += String(repeating: "b", count: 19 - position) + "\u{7F}🎬"
                var bytes: [UInt8] = []
                JSONWriter.appendString(text, to: &bytes)
                #expect(try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String == text)
                #expect(JSONWriter.escapedLength(text) == bytes.count)
            }
        }
        let parts = ["a\"b", "", "plain text, longer than a word", "\n"]
        var joined: [UInt8] = [], pieces: [UInt8] = []
        JSONWriter.appendString(parts.joined(), to: &joined)
        JSONWriter.appendString(parts, to: &pieces)
        #expect(pieces == joined && JSONWriter.escapedLength(parts) == joined.count)
    }

    /// Strings are read and skipped eight bytes at a time: their end and their escapes are found at
    /// every place in a word, also in the last few bytes of a text, and a string left open is an error
    /// wherever it stops.
    @Test func readsAndSkipsStringsWhereverTheirEndFallsInAWord() throws {
        let keys = JSONKeys(["k"])
        for length in 0..<20 {
            for escape in ["", #"\""#, #"\\"#, #"\n"#, #"\u00e9"#] {
                let body = String(repeating: "a", count: length) + escape + String(repeating: "b", count: length * 7 % 5)
                let text = try #require(try JSONSerialization.jsonObject(with: Data("\"\(body)\"".utf8), options: .fragmentsAllowed) as? String)
                #expect(try JSONValue.parse(Array("\"\(body)\"".utf8)) == .string(text))
                let document = #"{"skip": "\#(body)", "k": "\#(body)"}"#
                #expect(try JSONValue.parse(Array(document.utf8), keeping: keys) == .object([("k", .string(text))]))
                #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array("\"\(body)".utf8)) }
                #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(#"{"skip": "\#(body)"#.utf8), keeping: keys) }
            }
        }
    }

    @Test func readsWhatFoundationReads() throws {
        let text = #"""
            {"a": [1, -2.5, 3e2, true, false, null, {}], "s": "x\u00e9\ud83c\udfac\/\"\\\b\f\n\r\t", "n": {"m": {"k": "v"}},
             "big": 12345678901234567890, "neg": -0, "empty": []}
            """#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value["a"] == .array([.number(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null, .object([])]))
        #expect(value["s"]?.string == "xé🎬/\"\\\u{08}\u{0C}\n\r\t")
        #expect(value["n"]?["m"]?["k"]?.string == "v")
        #expect(value["big"] == .number(12345678901234567890))
        #expect(value["empty"]?.array?.isEmpty == true && value["missing"] == nil)
    }

    @Test(arguments: ["", "{", "{\"a\":}", "[1,]", "\"open", "{\"a\" 1}", "nul", "{} x", "[1 2]", "\"\\q\"", "-", "\"\\u12\""])
    func rejectsMalformedJSON(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(text.utf8)) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(text.utf8), keeping: JSONKeys(["a"])) }
    }

    /// Keeping some members builds exactly those, at every depth, as a whole parse has them; the
    /// skipped ones are still checked.
    @Test func keepsOnlyTheNamedMembersAndStillChecksTheRest() throws {
        let text = #"{"id": "x", "b\u0061": {"id": [1, {"k": "v"}], "c": "\n"}, "skip": {"deep": [true, null, -1.5e3, "\u00e9"]}, "c": 7}"#
        let keys = JSONKeys(["ba", "c"])
        let kept = try JSONValue.parse(Array(text.utf8), keeping: keys)
        let whole = try JSONValue.parse(Array(text.utf8))
        #expect(kept == .object([("ba", .object([("c", .string("\n"))])), ("c", .number(7))]))
        #expect(kept["ba"]?["c"] == whole["ba"]?["c"] && kept["c"] == whole["c"])
        for broken in [#"{"skip": [1, 2,], "c": 1}"#, #"{"skip": {"a" 1}, "c": 1}"#, #"{"skip": "\q", "c": 1}"#, #"{"skip": tru, "c": 1}"#] {
            #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(broken.utf8), keeping: keys) }
        }
    }
}
