import BatchAPI
import Foundation
import JudgeCore
import NIOCore
import TestSupport
import Testing
@testable import Pipeline

/// Batch files are counted, then made piece by piece as the upload sends them (again on a retry):
/// the count must be the bytes sent, and the provider must get the same file every time.
@Suite struct BatchFileTests {
    private static let awkward = ["plain", "quote \" and \\ backslash", "line\nbreak\r\ttab \u{01}\u{1F}", "é 漢字 🎬 \u{200B}", ""]

    private static func file(rows count: Int) -> BatchFile {
        let rows = (0..<count).map { Item(index: $0 * 3, title: "", text: "\(awkward[$0 % awkward.count]) \($0)", truth: []) }
        let task = EvalTask.tutorial()
        return BatchFile(rows, stage: .judge) { task.judgePrompt(for: $0, baseAnswer: "Dra\"ma") }
    }

    @Test func theCountIsTheBytesAndThePiecesMakeTheWholeFile() throws {
        for count in [0, 1, 7, 1_200] {
            let file = Self.file(rows: count)
            let whole = file.bytes()
            #expect(file.byteCount == whole.readableBytes)
            var pieces = file.streamed.pieces()
            var joined = ByteBuffer()
            var sizes: [Int] = []
            while var piece = pieces.next() {
                sizes.append(piece.readableBytes)
                joined.writeBuffer(&piece)
            }
            #expect(joined == whole)
            #expect(sizes.allSatisfy { $0 < 40_000 }, "pieces of about 32 KB, not the whole file: \(sizes.max() ?? 0)")
            if count == 1_200 { #expect(sizes.count > 50) }
            let lines = whole.readableBytesView.split(separator: UInt8(ascii: "\n"))
            #expect(lines.count == count)
            for (line, customID) in zip(lines, file.customIDs) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                #expect(object["custom_id"] as? String == customID)
            }
        }
    }

    /// The provider answers some uploads with 429 or 500 before reading them: each retry makes the
    /// file again from its first piece, and what arrives is the file, byte for byte.
    @Test func retriedUploadsSendTheWholeFileAgain() async throws {
        let sim = try await SimHarness.start {
            $0.http429Rate = 0.3
            $0.http5xxRate = 0.2
        }
        try await stopAfter(sim.stop) {
            let file = Self.file(rows: 600)
            let expected = String(buffer: file.bytes()).split(separator: "\n").map(String.init)
            for _ in 0..<4 {
                let uploaded = try await sim.client.uploadFile(file.streamed, filename: "judge.jsonl")
                #expect(uploaded.bytes == file.byteCount)
                var received: [String] = []
                try await sim.client.streamFileLines(id: uploaded.id) { received.append(String(decoding: $0, as: UTF8.self)) }
                #expect(received == expected)
            }
            #expect(await sim.simulator.stats().injectedHTTPErrors > 0)
        }
    }
}
