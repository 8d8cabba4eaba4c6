import HTTPTypes
import Hummingbird

/// Checks the bearer key (when one is required) and injects the 429s and 5xx the options ask for.
struct SimulatorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let state: SimulatorState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let options = state.options
        if !request.uri.path.hasPrefix("/v1/sim/") {
            if let required = options.requiredAPIKey, request.headers[.authorization] != "Bearer \(required)" {
                return SimulatorRoutes.error(.unauthorized, "Incorrect API key provided. You can find your API key in your provider's dashboard.",
                                             code: "invalid_api_key")
            }
            if options.http429Rate > 0, await state.roll() < options.http429Rate {
                await state.noteInjectedHTTPError()
                return SimulatorRoutes.error(.tooManyRequests, "Rate limit reached for requests (simulated). Please try again shortly.",
                                             type: "requests", code: "rate_limit_exceeded",
                                             headers: [.retryAfter: "1", HTTPField.Name("retry-after-ms")!: "50"])
            }
            // Batch creation injects its own 5xx, sometimes after creating the batch (a lost response).
            let isCreate = request.method == .post && request.uri.path == "/v1/batches"
            if !isCreate, options.http5xxRate > 0, await state.roll() < options.http5xxRate {
                await state.noteInjectedHTTPError()
                return SimulatorRoutes.error(.serviceUnavailable, "The engine is currently overloaded, please try again later.",
                                             type: "server_error")
            }
        }
        return try await next(request, context)
    }
}
