import Foundation
import NIOCore

/// The multipart/form-data body of a file upload (RFC 7578): the file and its purpose, sent as three
/// buffers around the file's own. A serializer would copy the file into one body, and a judge batch
/// file is tens of megabytes (up to `--batch-max-bytes`), so each upload held it twice.
struct FileUploadForm {
    let boundary = "judgetop-\(UUID().uuidString)"
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    func parts(file: ByteBuffer, filename: String, purpose: String) -> [ByteBuffer] {
        // Quotes and line breaks in a file name are percent-encoded, as browsers do (WHATWG HTML).
        let name = filename.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
        let head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n"
        let tail = "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n\(purpose)\r\n--\(boundary)--\r\n"
        return [ByteBuffer(string: head), file, ByteBuffer(string: tail)]
    }
}
