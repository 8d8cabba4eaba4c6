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
        guard create.endpoint == "/v1/chat/completions" else {
            return Self.error(.badRequest, "Invalid value for 'endpoint': only '/v1/chat/completions' is supported.",
                              param: "endpoint", code: "invalid_value")
        }
        let window = create.completionWindow
        guard ["24h", "48h", "72h"].contains(window) else {
            return Self.error(.badRequest, "Invalid value for 'completion_window': expected '24h', '48h' or '72h'.",
                              param: "completion_window", code: "invalid_value")
        }
        let batch = await state.createBatch(inputFileID: create.inputFileID, completionWindow: window, metadata: create.metadata ?? [:])
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

    // MARK: Chat

    private func chatCompletion(_ request: Request) async throws -> Response {
        // The latency counts from arrival, so the simulator's own work is part of it, not added to it.
        let answerAt = ContinuousClock.now + .microseconds(Int64(state.options.chatLatencyMs * 1000))
        let body = try await request.body.collect(upTo: 4 << 20)
        guard let chat = try? JSONDecoder().decode(ChatRequest.self, from: Data(body.readableBytesView)) else {
            return Self.error(.badRequest, "The body must be a chat completion request with 'model' and 'messages'.")
        }
        let model = chat.model, system = chat.text(of: "system"), user = chat.text(of: "user")
        var headers: HTTPFields = [:]
        switch await state.admitChat() {
        case .quotaExhausted:
            return Self.error(.tooManyRequests, "You exceeded your current quota, please check your plan and billing details.",
                              type: "insufficient_quota", code: "insufficient_quota")
        case .rateLimited(let retryAfter, let limit):
            await state.noteInjectedHTTPError()
            return Self.error(.tooManyRequests, "Rate limit reached for requests (simulated): limit \(limit) per second.",
                              type: "requests", code: "rate_limit_exceeded",
                              headers: Self.rateLimitHeaders(limit: limit, remaining: 0, reset: retryAfter, retryAfter: retryAfter))
        case .allowed(let remaining, let limit):
            if limit != Int.max { headers = Self.rateLimitHeaders(limit: limit, remaining: remaining, reset: 1 / Double(limit), retryAfter: nil) }
        }
        if state.options.chatLatencyMs > 0 { try await Task.sleep(until: answerAt, tolerance: .zero, clock: .continuous) }
        let content = SimulatedModels.answer(model: model, system: system, user: user)
        await state.recordChatCompletion(key: request.headers[HTTPField.Name("x-judgetop-request")!] ?? "\(model)\n\(system)\n\(user)")
        let completion = WireJSON.chatCompletion(id: await state.nextID("chatcmpl-"), model: model, system: system, user: user,
                                                 content: content, created: Int(Date().timeIntervalSince1970))
        var response = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: completion)))
        for field in headers { response.headers.append(field) }
        return response
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
