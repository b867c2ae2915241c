import BevakaCore
import BevakaStore
import Foundation
import HTTPTypes
import Hummingbird

/// How callers prove who they are (`auth.mode` in bevaka.yaml).
public enum AuthenticationMode: String, Sendable, CaseIterable {
    /// Development only: the `Bevaka-Actor` and `Bevaka-Role` headers are trusted as sent,
    /// so the daemon listens on loopback only.
    case none
    /// Systems send `Authorization: Bearer bvk_…` (tokens made by `bevaka token create`);
    /// every request but the health, readiness and metrics probes needs one.
    case tokens

    /// Whether `host` is a loopback address, the only kind `none` may listen on.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// The authenticated caller of the request being handled, set by ``BearerTokenMiddleware``.
enum RequestPrincipal {
    @TaskLocal static var current: Actor?
}

/// Checks the bearer token of every request (probes aside) and makes its
/// identity the actor of what the request does; the actor headers are refused,
/// so nobody can claim to be someone else.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: CaseStore
    static var openPaths: Set<String> { ["/healthz", "/readyz", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        guard header.count <= 200, header.lowercased().hasPrefix("bearer "),
              let token = try await store.verifyToken(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else {
            var response = try Problem(.unauthorized, "unauthorized", "A valid bearer token is needed",
                                       detail: header.isEmpty ? "send Authorization: Bearer <token from bevaka token create>"
                                           : "the token is unknown, expired or revoked")
                .response(from: request, context: context)
            response.headers[.wwwAuthenticate] = #"Bearer realm="bevaka""#
            return response
        }
        if request.headers[RequestInput.actorHeader] != nil || request.headers[RequestInput.roleHeader] != nil {
            return try Problem.invalidRequest("the actor headers are for development mode only",
                                              errors: [FieldProblem(field: "Bevaka-Actor", problem: "the token says who acts; leave out Bevaka-Actor and Bevaka-Role")])
                .response(from: request, context: context)
        }
        return try await RequestPrincipal.$current.withValue(token.actor) { try await next(request, context) }
    }
}
