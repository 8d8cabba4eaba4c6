import Foundation
import MultipartKit
import NIOCore

/// A parsed multipart/form-data body: file parts (with their file names) and plain fields.
struct MultipartForm {
    struct FilePart { let filename: String?; let bytes: [UInt8] }

    var files: [String: FilePart] = [:]
    var fields: [String: String] = [:]

    /// Uses multipart-kit's streaming parser, which, unlike its form decoder, reports file names.
    static func parse(_ body: ByteBuffer, boundary: String) throws -> MultipartForm {
        var form = MultipartForm()
        var headers: [String: String] = [:]
        var bytes: [UInt8] = []
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in bytes.append(contentsOf: chunk.readableBytesView) }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            if let name = parameter("name", in: disposition) {
                if let filename = parameter("filename", in: disposition) {
                    form.files[name] = FilePart(filename: filename, bytes: bytes)
                } else {
                    form.fields[name] = String(decoding: bytes, as: UTF8.self)
                }
            }
            headers = [:]
            bytes = []
        }
        try parser.execute(body)
        return form
    }

    private static func parameter(_ key: String, in disposition: String) -> String? {
        for part in disposition.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix(key + "=") else { continue }
            return String(pair.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
