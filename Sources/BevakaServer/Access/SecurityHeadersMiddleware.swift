import HTTPTypes
import Hummingbird

/// Headers on every answer that keep a browser from doing more with it than
/// reading it as data: no sniffing a JSON answer into HTML or script, no framing,
/// no caching of case data in shared or browser caches, no referrer leaking ids.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headers: [(HTTPField.Name, String)] {
        [(.xContentTypeOptions, "nosniff"),
         (.cacheControl, "no-store"),
         (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
         (HTTPField.Name("X-Frame-Options")!, "DENY"),
         (.contentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'")]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in Self.headers where response.headers[name] == nil { response.headers[name] = value }
        return response
    }
}
