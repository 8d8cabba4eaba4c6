import JudgeCore

/// The usual output line, read without building its JSON tree: a success (no error, a 2xx status or
/// none) whose body has a first choice with a message of text. Anything else, or any member given
/// twice, is left to `BatchOutput.parse`'s reading of the whole tree: this only answers where that
/// would answer the same (a test checks both on every shape of line).
enum PlainSuccess {
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> OutputLine? {
        var cursor = JSONCursor(bytes, keeping: BatchOutput.keys)
        var customID: String?, result: RequestResult?, sawError = false
        do {
            guard cursor.enterObject() else { return nil }
            while let name = try cursor.nextMember() {
                switch name {
                case "custom_id":
                    guard customID == nil, case .string(let id) = try cursor.value(), !id.isEmpty else { return nil }
                    customID = id
                case "error":
                    guard !sawError, try cursor.value() == .null else { return nil }
                    sawError = true
                case "response":
                    guard result == nil, let read = try response(&cursor) else { return nil }
                    result = read
                default:
                    try cursor.skipValue()
                }
            }
            guard cursor.atEnd(), let customID, let result else { return nil }
            return OutputLine(customID: customID, result: result)
        } catch {
            return nil
        }
    }

    private static func response(_ cursor: inout JSONCursor) throws(JSONSyntaxError) -> RequestResult? {
        guard cursor.enterObject() else { return nil }
        var result: RequestResult?, sawStatus = false
        while let name = try cursor.nextMember() {
            switch name {
            case "status_code":
                guard !sawStatus, let status = try cursor.value().int, (200..<300).contains(status) else { return nil }
                sawStatus = true
            case "body":
                guard result == nil, let read = try body(&cursor) else { return nil }
                result = read
            default:
                try cursor.skipValue()
            }
        }
        return result
    }

    private static func body(_ cursor: inout JSONCursor) throws(JSONSyntaxError) -> RequestResult? {
        guard cursor.enterObject() else { return nil }
        var content: String?, usage: TokenCount?, sawChoices = false
        while let name = try cursor.nextMember() {
            switch name {
            case "choices":
                guard !sawChoices, let text = try firstContent(&cursor) else { return nil }
                sawChoices = true
                content = text
            case "usage":
                guard usage == nil, let read = try tokens(&cursor) else { return nil }
                usage = read
            default:
                try cursor.skipValue()
            }
        }
        return content.map { .success(content: $0, usage: usage ?? TokenCount()) }
    }

    /// The first choice's message text; the other choices are checked and skipped.
    private static func firstContent(_ cursor: inout JSONCursor) throws(JSONSyntaxError) -> String? {
        guard cursor.enterArray(), try cursor.nextElement(), cursor.enterObject() else { return nil }
        var content: String?, sawMessage = false
        while let name = try cursor.nextMember() {
            guard name == "message" else {
                try cursor.skipValue()
                continue
            }
            guard !sawMessage, cursor.enterObject() else { return nil }
            sawMessage = true
            while let inner = try cursor.nextMember() {
                guard inner == "content" else {
                    try cursor.skipValue()
                    continue
                }
                guard content == nil, case .string(let text) = try cursor.value() else { return nil }
                content = text
            }
        }
        while try cursor.nextElement() { try cursor.skipValue() }
        return content
    }

    private static func tokens(_ cursor: inout JSONCursor) throws(JSONSyntaxError) -> TokenCount? {
        guard cursor.enterObject() else { return nil }
        var prompt: Int?, completion: Int?
        while let name = try cursor.nextMember() {
            switch name {
            case "prompt_tokens":
                guard prompt == nil, let count = try cursor.value().int else { return nil }
                prompt = count
            case "completion_tokens":
                guard completion == nil, let count = try cursor.value().int else { return nil }
                completion = count
            default:
                try cursor.skipValue()
            }
        }
        return TokenCount(reportedPrompt: prompt ?? 0, completion: completion ?? 0)
    }
}
