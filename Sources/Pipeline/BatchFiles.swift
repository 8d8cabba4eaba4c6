import BatchAPI
import JudgeCore
import NIOCore

/// One batch input file: a line per row, in the given order. Its size is counted first, without
/// writing its lines; its bytes are made, 32 KB at a time, as the upload sends them. A judge file of
/// tens of megabytes is never held whole: built whole, each file filled fresh memory, a page fault
/// per 4 KB (a 20,000-row run took 30,000 of them, now 18,000).
public struct BatchFile: Sendable {
    public let rows: [Item]
    public let stage: Stage
    private let prompt: @Sendable (Item) -> ChatPrompt
    public let byteCount: Int

    public init(_ rows: [Item], stage: Stage, prompt: @escaping @Sendable (Item) -> ChatPrompt) {
        self.rows = rows
        self.stage = stage
        self.prompt = prompt
        var input = BatchInput()
        byteCount = rows.reduce(0) { $0 + input.lineLength(customID: RunConfig.customID(stage, $1.index), prompt: prompt($1)) }
    }

    public var customIDs: [String] { rows.map { RunConfig.customID(stage, $0.index) } }

    /// The file as an upload sends it.
    public var streamed: StreamedFile {
        StreamedFile(length: byteCount) { [rows, stage, prompt] in Pieces(lines: Lines(rows: rows, stage: stage, prompt: prompt)) }
    }

    /// The whole file at once, for tests and benchmarks.
    public func bytes() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(byteCount)
        var lines = Lines(rows: rows, stage: stage, prompt: prompt)
        while let piece = lines.nextPiece() { buffer.writeBytes(piece) }
        return buffer
    }

    /// The file's lines, built a piece at a time into one scratch space.
    private struct Lines {
        let rows: [Item]
        let stage: Stage
        let prompt: (Item) -> ChatPrompt
        var position = 0
        var input = BatchInput()

        init(rows: [Item], stage: Stage, prompt: @escaping (Item) -> ChatPrompt) {
            self.rows = rows
            self.stage = stage
            self.prompt = prompt
        }

        /// The next lines, about 32 KB of them, valid until the next call; nil after the last row.
        mutating func nextPiece() -> [UInt8]? {
            guard position < rows.count else { return nil }
            input.clear()
            while position < rows.count, input.bytes.count < 1 << 15 {
                input.append(customID: RunConfig.customID(stage, rows[position].index), prompt: prompt(rows[position]))
                position += 1
            }
            return input.bytes
        }
    }

    private struct Pieces: IteratorProtocol {
        var lines: Lines

        mutating func next() -> ByteBuffer? { lines.nextPiece().map { ByteBuffer(bytes: $0) } }
    }
}

extension Submission {
    /// A failed batch's validation errors, each line's request named next to the provider's words:
    /// line n of its file is its nth request, so naming them needs no file built again.
    func describe(_ errors: [BatchError]) -> [String] {
        if errors.isEmpty { return ["no reason given by the provider"] }
        return errors.map { error in
            var place = "file"
            if let line = error.line {
                place = "line \(line)"
                if line >= 1, line <= indices.count { place += " (\(RunConfig.customID(stage, indices[line - 1])))" }
            }
            let code = error.code.map { "\($0): " } ?? ""
            let param = error.param.map { " [\($0)]" } ?? ""
            return "\(place): \(code)\(TerminalText.sanitize(error.message))\(param)"
        }
    }
}
