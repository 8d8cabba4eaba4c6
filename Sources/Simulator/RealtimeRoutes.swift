import BatchAPI
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The real-time endpoints: chat completions, responses and the model list.
extension SimulatorRoutes {
    /// What a real-time call asks the simulated models.
    struct Asked {
        let model: String
        let system: String
        let user: String
    }

    func chatCompletion(_ request: Request) async throws -> Response {
        try await answer(request, read: { data in
            guard let chat = try? JSONDecoder().decode(ChatRequest.self, from: data) else { return nil }
            if let problem = check.problem(model: chat.model, messages: chat.messages) { throw problem }
            return Asked(model: chat.model ?? "", system: chat.text(of: "system"), user: chat.text(of: "user"))
        }, write: { asked, content, created in
            WireJSON.chatCompletion(id: await state.nextID("chatcmpl-"), model: asked.model, system: asked.system, user: asked.user,
                                    content: content, created: created)
        })
    }

    /// `POST /v1/responses`, not streamed: tools such as Inspect AI send models they do not know here.
    func respond(_ request: Request) async throws -> Response {
        try await answer(request, read: { data in
            guard let asked = try? JSONDecoder().decode(ResponsesRequest.self, from: data) else { return nil }
            if let problem = check.problem(model: asked.model, messages: asked.messages, messagesName: "input") { throw problem }
            return Asked(model: asked.model ?? "", system: asked.text(of: "system"), user: asked.text(of: "user"))
        }, write: { asked, content, created in
            [UInt8](WireJSON.response(id: await state.nextID("resp_"), model: asked.model, system: asked.system, user: asked.user,
                                      content: content, created: created))
        })
    }

    func listModels() -> Response {
        let created = 1_700_000_000
        let names = state.options.models ?? SimulatedModels.defaultNames(tasks: state.options.tasks)
        return Self.json(ListPage(data: names.map { ModelObject(id: $0, created: created, ownedBy: "judgetop-simulator") }, ids: names,
                                  hasMore: false))
    }

    var check: RequestCheck { RequestCheck(models: state.options.models) }

    /// Reads the body (`read`: nil when it is not JSON, a thrown `Problem` when OpenAI would refuse
    /// it), applies the latency, rate limit and quota, and answers with the body `write` makes.
    private func answer(_ request: Request, read: (Data) throws -> Asked?,
                        write: (Asked, String, Int) async -> [UInt8]) async throws -> Response {
        // The latency counts from arrival, so the simulator's own work is part of it, not added to it.
        let answerAt = ContinuousClock.now + .microseconds(Int64(state.options.chatLatencyMs * 1000))
        let body = try await request.body.collect(upTo: 4 << 20)
        let asked: Asked
        do {
            guard let read = try read(Data(body.readableBytesView)) else { return Self.error(.badRequest, "The body must be a JSON object.") }
            asked = read
        } catch let problem as RequestCheck.Problem {
            return Self.error(problem)
        }
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
        let content = SimulatedModels.answer(model: asked.model, system: asked.system, user: asked.user, tasks: state.options.tasks)
        await state.recordChatCompletion(key: request.headers[HTTPField.Name("x-judgetop-request")!]
                                         ?? "\(asked.model)\n\(asked.system)\n\(asked.user)")
        let bytes = await write(asked, content, Int(Date().timeIntervalSince1970))
        var response = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        for field in headers { response.headers.append(field) }
        return response
    }
}
