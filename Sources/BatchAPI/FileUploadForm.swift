import Foundation
import NIOCore

/// A file made piece by piece as it is sent, of a length known beforehand: a batch file of tens of
/// megabytes is never held whole. `pieces` is called again for every attempt to send it.
public struct StreamedFile: Sendable {
    public let length: Int
    public let pieces: @Sendable () -> any IteratorProtocol<ByteBuffer>

    public init(length: Int, pieces: @escaping @Sendable () -> any IteratorProtocol<ByteBuffer>) {
        self.length = length
        self.pieces = pieces
    }

    /// A file already in memory.
    public init(_ content: ByteBuffer) {
        self.init(length: content.readableBytes) { CollectionOfOne(content).makeIterator() }
    }
}

/// The multipart/form-data body of a file upload (RFC 7578): the file and its purpose, the file's
/// pieces sent as they are made between a head and a tail, never copied into one body.
struct FileUploadForm: AsyncSequence, Sendable {
    let boundary = "judgetop-\(UUID().uuidString)"
    private let head: ByteBuffer
    private let file: StreamedFile
    private let tail: ByteBuffer

    init(file: StreamedFile, filename: String, purpose: String) {
        // Quotes and line breaks in a file name are percent-encoded, as browsers do (WHATWG HTML).
        let name = filename.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
        head = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n")
        tail = ByteBuffer(string: "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n\(purpose)\r\n--\(boundary)--\r\n")
        self.file = file
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
    var length: Int { head.readableBytes + file.length + tail.readableBytes }

    func makeAsyncIterator() -> Parts { Parts(head: head, pieces: file.pieces(), tail: tail) }

    struct Parts: AsyncIteratorProtocol {
        var head: ByteBuffer?
        var pieces: any IteratorProtocol<ByteBuffer>
        var tail: ByteBuffer?

        mutating func next() async -> ByteBuffer? {
            if let part = head {
                head = nil
                return part
            }
            if let piece = pieces.next() { return piece }
            defer { tail = nil }
            return tail
        }
    }
}
