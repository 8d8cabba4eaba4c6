import AsyncHTTPClient
import Foundation
import JudgeCore
import NIOCore
import NIOHTTP1

/// A retry the client is about to make, for the front ends to show.
public struct RetryNotice: Sendable {
    public let operation: String
    public let attempt: Int
    public let delaySeconds: Double
    public let error: ProviderError
}

/// Talks to an OpenAI-compatible API: Files, Batches and Chat Completions, with retries.
/// The API key lives only in this object's memory; it is sent as a header and never logged.
public final class ProviderClient: Sendable {
    public let baseURL: String
    private let apiKey: String
    private let http: HTTPClient
    public let retry: RetryPolicy
    private let requestTimeout: TimeAmount
    private let onRetry: @Sendable (RetryNotice) -> Void

    /// `connections`: HTTP/1.1 connections kept to the provider; online mode needs one per request in flight.
    public init(baseURL: String, apiKey: String, retry: RetryPolicy = .standard,
                connectTimeout: Double = 5, requestTimeout: Double = 300, connections: Int = 8,
                onRetry: @escaping @Sendable (RetryNotice) -> Void = { _ in }) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.retry = retry
        self.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
        self.onRetry = onRetry
        // A short connect timeout: a refused or unroutable address otherwise waits out the whole request timeout.
        let timeout = HTTPClient.Configuration.Timeout(connect: .milliseconds(Int64(connectTimeout * 1000)),
                                                       read: .milliseconds(Int64(requestTimeout * 1000)))
        var configuration = HTTPClient.Configuration(timeout: timeout)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: Files

    public func uploadFile(_ content: ByteBuffer, filename: String, purpose: String = "batch") async throws -> FileObject {
        try await uploadFile(StreamedFile(content), filename: filename, purpose: purpose)
    }

    public func uploadFile(_ file: StreamedFile, filename: String, purpose: String = "batch") async throws -> FileObject {
        let form = FileUploadForm(file: file, filename: filename, purpose: purpose)
        return try await json(FileObject.self, "uploading \(filename)", .POST, "/files", body: .form(form), contentType: form.contentType)
    }

    public func deleteFile(id: String) async throws {
        _ = try await perform("deleting file \(id)", .DELETE, "/files/\(escaped(id))")
    }

    /// Streams a file's content line by line (split on "\n", "\r" trimmed, blank lines skipped),
    /// so a large output file is never held whole in memory. A line's bytes are valid only during
    /// the call: most are read in place in the downloaded chunk, never copied.
    public func streamFileLines(id: String, _ onLine: (UnsafeBufferPointer<UInt8>) throws -> Void) async throws {
        let operation = "downloading file \(id)"
        let response = try await withRetries(operation, policy: retry) {
            try await self.send(operation, .GET, "/files/\(self.escaped(id))/content", body: .none, contentType: nil)
        }
        var pending: [UInt8] = []  // the start of a line the next chunk ends
        do {
            for try await chunk in response.body {
                try chunk.withUnsafeReadableBytes { raw in
                    let bytes = raw.assumingMemoryBound(to: UInt8.self)
                    var start = 0
                    while start < bytes.count, let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) {
                        let newline = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                        let line = UnsafeBufferPointer(rebasing: bytes[start..<newline])
                        if pending.isEmpty {
                            try Self.emit(line, onLine)
                        } else {
                            pending.append(contentsOf: line)
                            try pending.withUnsafeBufferPointer { try Self.emit($0, onLine) }
                            pending.removeAll(keepingCapacity: true)
                        }
                        start = newline + 1
                    }
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
                }
            }
        } catch let error as ProviderError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ProviderError.transport(message: "the download broke off: \(error)", operation: operation)
        }
        try pending.withUnsafeBufferPointer { try Self.emit($0, onLine) }
    }

    /// A batch's output or error file, read whole and parsed. A line that cannot be read becomes a
    /// failure of the request it names (`BatchOutput.salvage`), so the file's other answers are
    /// kept; one that names none is listed. A download that breaks off starts again with backoff,
    /// like any transient failure.
    public func outputLines(fileID: String) async throws -> OutputFile {
        let operation = "downloading file \(fileID)"
        var attempt = 1
        while true {
            var file = OutputFile()
            do {
                try await streamFileLines(id: fileID) { bytes in
                    do { file.lines.append(try BatchOutput.parse(bytes)) } catch {
                        if let salvaged = BatchOutput.salvage(bytes, reason: error) {
                            file.lines.append(salvaged)
                            file.salvaged += 1
                        } else {
                            file.unreadable.append(String(decoding: bytes.prefix(80), as: UTF8.self))
                        }
                    }
                }
                return file
            } catch let error as ProviderError where error.isRetryable {
                guard let delay = retry.delay(beforeRetry: attempt, retryAfter: nil) else { throw error }
                onRetry(RetryNotice(operation: operation, attempt: attempt + 1, delaySeconds: delay, error: error))
                try await Task.sleep(for: .seconds(delay))
                attempt += 1
            }
        }
    }

    private static func emit(_ line: UnsafeBufferPointer<UInt8>, _ onLine: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let trimmed = line.last == UInt8(ascii: "\r") ? UnsafeBufferPointer(rebasing: line.dropLast()) : line
        if !trimmed.isEmpty { try onLine(trimmed) }
    }

    // MARK: Batches

    /// Creates a batch. A lost answer may still have created it, so an ambiguous failure is never
    /// retried blindly: the provider's list is searched for the batch's metadata first.
    public func createBatch(inputFileID: String, completionWindow: String = "24h",
                            metadata: [String: String]) async throws -> Batch {
        let body = WireEncoder.data(CreateBatchRequest(inputFileID: inputFileID, endpoint: chatCompletionsEndpoint,
                                                       completionWindow: completionWindow, metadata: metadata))
        let operation = "creating a batch"
        // Any batch this call creates is newer than this (a few minutes allowed for clock skew).
        let since = Date().timeIntervalSince1970 - 300
        var attempt = 1
        while true {
            do {
                let data = try await send(operation, .POST, "/batches", body: .bytes(ByteBuffer(bytes: body)), contentType: "application/json")
                return try decode(Batch.self, try await collect(data, operation), operation)
            } catch let failure as RetryableFailure {
                let error = failure.error
                guard error.isRetryable, let delay = retry.delay(beforeRetry: attempt, retryAfter: failure.retryAfter) else { throw error }
                // A 429 surely created nothing; any other failure might have.
                if error.status != 429, let existing = try? await findBatch(metadata: metadata, since: since) { return existing }
                onRetry(RetryNotice(operation: operation, attempt: attempt + 1, delaySeconds: delay, error: error))
                try await Task.sleep(for: .seconds(delay))
                attempt += 1
            }
        }
    }

    /// The model names the server offers (`GET /v1/models`); nil when it has no such endpoint or
    /// its answer cannot be read.
    public func modelNames() async -> [String]? {
        guard let page = try? await json(ListPage<ModelObject>.self, "listing models", .GET, "/models") else { return nil }
        return page.data.map(\.id)
    }

    public func retrieveBatch(id: String) async throws -> Batch {
        try await json(Batch.self, "checking batch \(id)", .GET, "/batches/\(escaped(id))")
    }

    public func cancelBatch(id: String) async throws -> Batch {
        try await json(Batch.self, "cancelling batch \(id)", .POST, "/batches/\(escaped(id))/cancel")
    }

    public func listBatches(after: String? = nil, limit: Int = 100) async throws -> BatchPage {
        var path = "/batches?limit=\(limit)"
        if let after { path += "&after=\(escaped(after))" }
        return try await json(BatchPage.self, "listing batches", .GET, path)
    }

    /// Batches whose metadata contains every given pair, newest first. The list is read back until
    /// its batches are older than `since` (seconds since 1970), however many pages that takes: on a
    /// busy account the batch sought may be thousands of batches back.
    public func findBatches(metadata: [String: String], since: Double) async throws -> [Batch] {
        var found: [Batch] = []
        var after: String?
        var cursors = Set<String>()
        while true {
            let page = try await listBatches(after: after)
            found += page.data.filter { batch in metadata.allSatisfy { batch.metadata[$0.key] == $0.value } }
            if let oldest = page.data.compactMap(\.createdAt).min(), Double(oldest) < since { return found }
            // A cursor seen before would loop for ever on a server that ignores `after`.
            guard page.hasMore, let last = page.data.last?.id, cursors.insert(last).inserted else { return found }
            after = last
        }
    }

    /// The newest batch whose metadata contains every given pair, created since `since`.
    public func findBatch(metadata: [String: String], since: Double) async throws -> Batch? {
        try await findBatches(metadata: metadata, since: since).first
    }

    // MARK: Chat

    public func chatCompletion(_ prompt: ChatPrompt) async throws -> RequestResult {
        let operation = "chat completion"
        let data = try await perform(operation, .POST, "/chat/completions", body: .bytes(ByteBuffer(bytes: ChatBody.json(prompt))),
                                     contentType: "application/json")
        return try chatResult(data, operation)
    }

    /// One chat completion, no retries: for the online driver, which adapts its pace to 429s itself.
    /// `requestKey` travels as `X-Judgetop-Request`, so a server can tell a retry from a new request.
    public func chatCompletionOnce(_ prompt: ChatPrompt, requestKey: String? = nil) async throws -> ChatAnswer {
        let operation = "chat completion"
        do {
            let response = try await send(operation, .POST, "/chat/completions", body: .bytes(ByteBuffer(bytes: ChatBody.json(prompt))),
                                          contentType: "application/json", extraHeaders: requestKey.map { ["X-Judgetop-Request": $0] } ?? [:])
            let data = try await collect(response, operation)
            return ChatAnswer(result: try chatResult(data, operation), hint: RateLimitHint(headers: response.headers))
        } catch let failure as RetryableFailure {
            var hint = failure.headers.map(RateLimitHint.init(headers:)) ?? RateLimitHint()
            hint.retryAfter = failure.retryAfter
            throw ChatFailure(error: failure.error, hint: hint)
        }
    }

    // MARK: Transport

    private func json<T: Decodable>(_ type: T.Type, _ operation: String, _ method: HTTPMethod, _ path: String,
                                    body: RequestBody = .none, contentType: String? = nil) async throws -> T {
        let data = try await perform(operation, method, path, body: body, contentType: contentType)
        return try decode(type, data, operation)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ operation: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: data) } catch {
            let text = String(decoding: data.prefix(200), as: UTF8.self)
            throw ProviderError.malformed(message: "expected \(T.self) JSON, got: \(text)", operation: operation)
        }
    }

    private func chatResult(_ data: Data, _ operation: String) throws -> RequestResult {
        do { return ChatCompletion.result(try JSONValue.parse(data, keeping: ChatCompletion.keys)) } catch {
            let text = String(decoding: data.prefix(200), as: UTF8.self)
            throw ProviderError.malformed(message: "expected a chat completion JSON, got: \(text)", operation: operation)
        }
    }

    /// What a request sends.
    enum RequestBody: Sendable {
        case none
        case bytes(ByteBuffer)
        /// A file upload, made as it is sent (again for a retry).
        case form(FileUploadForm)
    }

    /// One request with retries; returns the body of the 2xx answer.
    private func perform(_ operation: String, _ method: HTTPMethod, _ path: String,
                         body: RequestBody = .none, contentType: String? = nil) async throws -> Data {
        try await withRetries(operation, policy: retry) {
            let response = try await self.send(operation, method, path, body: body, contentType: contentType)
            return try await self.collect(response, operation)
        }
    }

    private func withRetries<T>(_ operation: String, policy: RetryPolicy,
                                _ body: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as RetryableFailure {
                guard error.error.isRetryable,
                      let delay = policy.delay(beforeRetry: attempt, retryAfter: error.retryAfter) else { throw error.error }
                onRetry(RetryNotice(operation: operation, attempt: attempt + 1, delaySeconds: delay, error: error.error))
                try await Task.sleep(for: .seconds(delay))
                attempt += 1
            }
        }
    }

    /// Sends one request; a non-2xx answer or a transport failure comes back as a `RetryableFailure`
    /// carrying the typed error and the server's Retry-After.
    private func send(_ operation: String, _ method: HTTPMethod, _ path: String,
                      body: RequestBody, contentType: String?, extraHeaders: [String: String] = [:]) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "User-Agent", value: "judgetop")
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        switch body {
        case .none: break
        case .bytes(let bytes): request.body = .bytes(bytes)
        case .form(let form): request.body = .stream(form, length: .known(Int64(form.length)))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: requestTimeout)
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            throw RetryableFailure(error: .transport(message: Self.describe(error), operation: operation), retryAfter: nil)
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            let data = (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
            let retryAfter = RetryPolicy.retryAfter { response.headers.first(name: $0) }
            throw RetryableFailure(error: ProviderError.fromResponse(status: Int(response.status.code), body: data, operation: operation),
                                   retryAfter: retryAfter, headers: response.headers)
        }
        return response
    }

    /// A transport error in words, never quoting a header: AsyncHTTPClient's own description of a
    /// header it refused would print its value, the API key.
    static func describe(_ error: any Error) -> String {
        guard let http = error as? HTTPClientError else { return "\(error)" }
        // The short form carries no associated values.
        return http.shortDescription
    }

    private func collect(_ response: HTTPClientResponse, _ operation: String) async throws -> Data {
        do {
            return Data(try await response.body.collect(upTo: 256 << 20).readableBytesView)
        } catch {
            throw RetryableFailure(error: .transport(message: "the answer broke off: \(error)", operation: operation), retryAfter: nil)
        }
    }

    private func escaped(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&="))) ?? id
    }
}

/// The lines of one output or error file.
public struct OutputFile: Sendable {
    public var lines: [OutputLine] = []
    /// Lines that could not be read but named their request (in `lines` as failures).
    public var salvaged = 0
    /// The starts of lines that could not be read and named no request.
    public var unreadable: [String] = []
}

/// A failed attempt inside the retry loop; unwrapped to `ProviderError` before it leaves the client.
struct RetryableFailure: Error {
    let error: ProviderError
    let retryAfter: Double?
    var headers: HTTPHeaders? = nil
}
