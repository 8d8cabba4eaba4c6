import BatchAPI
import JudgeCore
import NIOCore

/// One batch input file ready to upload, with the requests it holds in line order.
public struct BatchFile: Sendable {
    public var content = ByteBuffer()
    public var customIDs: [String] = []

    /// Validation errors, with the line's request named next to the provider's words.
    func describe(_ errors: [BatchError]) -> [String] {
        if errors.isEmpty { return ["no reason given by the provider"] }
        return errors.map { error in
            var place = "file"
            if let line = error.line {
                place = "line \(line)"
                if line >= 1, line <= customIDs.count { place += " (\(customIDs[line - 1]))" }
            }
            let code = error.code.map { "\($0): " } ?? ""
            let param = error.param.map { " [\($0)]" } ?? ""
            return "\(place): \(code)\(TerminalText.sanitize(error.message))\(param)"
        }
    }
}

extension BatchFile {
    /// One batch input file: a line per row, in the given order.
    static func build(_ rows: [MovieRow], stage: Stage, prompt: (MovieRow) -> ChatPrompt) -> BatchFile {
        var file = BatchFile()
        var input = BatchInput()
        file.customIDs.reserveCapacity(rows.count)
        for (position, row) in rows.enumerated() {
            let id = RunConfig.customID(stage, row.index)
            input.append(customID: id, prompt: prompt(row))
            file.customIDs.append(id)
            if input.bytes.count >= 1 << 16 {
                // Room for the whole file, judged by its first lines with a quarter to spare: growing
                // the buffer as it filled copied the file again and again into fresh pages.
                if file.content.writerIndex == 0 { file.content.reserveCapacity(input.bytes.count / (position + 1) * rows.count * 5 / 4) }
                input.move(into: &file.content)
            }
        }
        input.move(into: &file.content)
        return file
    }
}
