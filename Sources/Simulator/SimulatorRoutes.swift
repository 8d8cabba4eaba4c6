import BatchAPI
import Foundation
import Hummingbird
import MultipartKit
import HTTPTypes
import NIOCore

/// A fault the simulator injects by failing mid-response.
enum SimulatedFault: Error { case downloadCut }

/// The OpenAI-compatible HTTP surface of the simulator.
struct SimulatorRoutes: Sendable {
    let state: SimulatorState

    func register(on router: Router<BasicRequestContext>) {
        let v1 = router.group("v1")
        v1.post("files") { request, _ in try await uploadFile(request) }
        v1.get("files") { _, _ in await listFiles() }
        v1.get("files/:id") { _, context in await getFile(context.parameters.get("id") ?? "") }
        v1.get("files/:id/content") { _, context in await fileContent(context.parameters.get("id") ?? "") }
        v1.delete("files/:id") { _, context in await deleteFile(context.parameters.get("id") ?? "") }
        v1.post("batches") { request, _ in try await createBatch(request) }
        v1.get("batches") { request, _ in await listBatches(request) }
        v1.get("batches/:id") { _, context in await getBatch(context.parameters.get("id") ?? "") }
        v1.post("batches/:id/cancel") { _, context in await cancelBatch(context.parameters.get("id") ?? "") }
        v1.post("chat/completions") { request, _ in try await chatCompletion(request) }
        v1.post("responses") { request, _ in try await respond(request) }
        v1.get("models") { _, _ in listModels() }
        v1.get("sim/stats") { _, _ in await statsResponse() }
    }

    // MARK: Files

    private func uploadFile(_ request: Request) async throws -> Response {
        guard let contentType = request.headers[.contentType], let boundary = Self.boundary(of: contentType) else {
            return Self.error(.badRequest, "Expected a multipart/form-data body.")
        }
        let body = try await request.body.collect(upTo: state.options.maxFileBytes + 1 << 20)
        let form: MultipartForm
        do { form = try MultipartForm.parse(body, boundary: boundary) } catch {
            return Self.error(.badRequest, "The multipart body could not be parsed.")
        }
        guard let content = form.files["file"] else {
            return Self.error(.badRequest, "Missing required parameter: 'file'.", param: "file", code: "missing_required_parameter")
        }
        guard let purpose = form.fields["purpose"], !purpose.isEmpty else {
            return Self.error(.badRequest, "Missing required parameter: 'purpose'.", param: "purpose", code: "missing_required_parameter")
        }
        guard content.bytes.count <= state.options.maxFileBytes else {
            return Self.error(.badRequest, "File is too large.")
        }
        if purpose == "batch", !(content.filename ?? "").lowercased().hasSuffix(".jsonl") {
            return Self.error(.badRequest, "Invalid file format for Batch API. Must be .jsonl", param: "file", code: "invalid_file_format")
        }
        let file = await state.addFile(filename: content.filename ?? "upload.jsonl", purpose: purpose, bytes: content.bytes)
        return Self.json(WireJSON.file(file))
    }

    private func listFiles() async -> Response {
        let files = await state.allFiles()
        return Self.json(ListPage(data: files.map(WireJSON.file), ids: files.map(\.id), hasMore: false))
    }

    private func getFile(_ id: String) async -> Response {
        guard let file = await state.file(id) else { return Self.notFound("file", id) }
        return Self.json(WireJSON.file(file))
    }

    private func fileContent(_ id: String) async -> Response {
        guard let file = await state.file(id) else { return Self.notFound("file", id) }
        if let cut = await state.downloadCut(id) {
            // The whole length announced, part of the body sent, then the connection dropped.
            let part = ByteBuffer(bytes: file.bytes.prefix(cut))
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                            body: ResponseBody(contentLength: file.bytes.count) { writer in
                                try await writer.write(part)
                                throw SimulatedFault.downloadCut
                            })
        }
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                        body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    private func deleteFile(_ id: String) async -> Response {
        guard await state.deleteFile(id) else { return Self.notFound("file", id) }
        return Self.json(DeletedFile(id: id))
    }

    // MARK: Batches

    private func createBatch(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let create: CreateBatchRequest
        do { create = try JSONDecoder().decode(CreateBatchRequest.self, from: Data(body.readableBytesView)) } catch {
            return Self.invalidCreate(error)
        }
        guard Self.batchEndpoints.contains(create.endpoint) else {
            return Self.error(.badRequest, RequestCheck.invalidValue(create.endpoint, supported: Self.batchEndpoints),
                              param: "endpoint", code: "invalid_value")
        }
        let window = create.completionWindow
        let windows = state.options.flavor.completionWindows
        guard windows.contains(window) else {
            return Self.error(.badRequest, RequestCheck.invalidValue(window, supported: windows),
                              param: "completion_window", code: "invalid_value")
        }
        let batch = await state.createBatch(inputFileID: create.inputFileID, endpoint: create.endpoint, completionWindow: window, metadata: create.metadata ?? [:])
        let id = batch.id
        let state = self.state
        Task { await BatchProcessor.drive(id, state: state) }
        // A lost response: the batch exists, but the client hears a 500.
        if state.options.http5xxRate > 0, await state.roll() < state.options.http5xxRate / 2 {
            await state.noteInjectedHTTPError()
            return Self.error(.internalServerError, "The server had an error while processing your request.", type: "server_error")
        }
        return Self.json(WireJSON.batch(batch, absurdCounts: state.options.absurdCounts))
    }

    private func listBatches(_ request: Request) async -> Response {
        let query = request.uri.queryParameters
        let limit = min(100, max(1, query.get("limit").flatMap { Int(String($0)) } ?? 20))
        let (page, hasMore) = await state.listBatches(after: query.get("after").map { String($0) }, limit: limit)
        return Self.json(ListPage(data: page.map { WireJSON.batch($0, absurdCounts: state.options.absurdCounts) }, ids: page.map(\.id), hasMore: hasMore))
    }

    private func getBatch(_ id: String) async -> Response {
        guard let batch = await state.batch(id) else { return Self.notFound("batch", id) }
        return Self.json(WireJSON.batch(batch, absurdCounts: state.options.absurdCounts))
    }

    private func cancelBatch(_ id: String) async -> Response {
        switch await state.requestCancel(id) {
        case .ok(let batch): return Self.json(WireJSON.batch(batch, absurdCounts: state.options.absurdCounts))
        case .conflict(let status): return Self.error(.conflict, "Cannot cancel a batch with status '\(status)'.")
        case .notFound: return Self.notFound("batch", id)
        }
    }

    private func statsResponse() async -> Response {
        Self.json(await state.snapshotStats())
    }

    // MARK: Helpers

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: WireEncoder.data(value))))
    }

    /// The body of a line that failed with HTTP 500, as OpenAI words it.
    static let serverError = ErrorEnvelope(.init(message: "The server had an error while processing your request. Sorry about that!",
                                                 type: "server_error"))

    /// A create request that is not one: which parameter is missing or of the wrong type.
    static func invalidCreate(_ error: any Error) -> Response {
        func path(_ context: DecodingError.Context) -> String { context.codingPath.map(\.stringValue).joined(separator: ".") }
        func missing(_ param: String) -> Response {
            Self.error(.badRequest, "Missing required parameter: '\(param)'.", param: param, code: "missing_required_parameter")
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: return missing(key.stringValue)
        case .valueNotFound(_, let context)?: return missing(path(context))
        case .typeMismatch(_, let context)?:
            let param = path(context)
            return Self.error(.badRequest, "Invalid type for '\(param)': expected \(param == "metadata" ? "an object" : "a string").",
                              param: param, code: "invalid_type")
        default:
            return Self.error(.badRequest, "The body must be a JSON object.")
        }
    }

    static func error(_ problem: RequestCheck.Problem) -> Response {
        Self.error(HTTPResponse.Status(code: problem.status), problem.error.message ?? "", type: problem.error.type ?? "invalid_request_error",
                   param: problem.error.param, code: problem.error.code)
    }

    /// The endpoints a batch may run.
    static let batchEndpoints = ["/v1/chat/completions", "/v1/responses"]

    static func error(_ status: HTTPResponse.Status, _ message: String, type: String = "invalid_request_error",
                      param: String? = nil, code: String? = nil, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields,
                        body: .init(byteBuffer: ByteBuffer(bytes: WireEncoder.data(ErrorEnvelope(.init(message: message, type: type, param: param, code: code))))))
    }

    /// OpenAI's `x-ratelimit-*` headers, durations in Go's format ("1s", "250ms").
    static func rateLimitHeaders(limit: Int, remaining: Int, reset: Double, retryAfter: Double?) -> HTTPFields {
        var fields: HTTPFields = [
            HTTPField.Name("x-ratelimit-limit-requests")!: String(limit),
            HTTPField.Name("x-ratelimit-remaining-requests")!: String(max(0, remaining)),
            HTTPField.Name("x-ratelimit-reset-requests")!: reset >= 1 ? String(format: "%.0fs", reset) : String(format: "%.0fms", max(1, reset * 1000)),
        ]
        if let retryAfter {
            fields[.retryAfter] = String(max(1, Int(retryAfter.rounded(.up))))
            fields[HTTPField.Name("retry-after-ms")!] = String(max(1, Int((retryAfter * 1000).rounded(.up))))
        }
        return fields
    }

    static func notFound(_ kind: String, _ id: String) -> Response {
        error(.notFound, "No \(kind) found with id '\(id)'.", code: "not_found")
    }

    static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for part in contentType.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            if pair.lowercased().hasPrefix("boundary=") {
                return String(pair.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
