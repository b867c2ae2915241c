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
    /// Besides Bevaka's own tokens, JWT access tokens from the region's OpenID provider
    /// (`auth.oidc`): people's, whose groups map to roles, and systems' (client credentials).
    case oidc

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
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = BevakaRequestContext
    let store: CaseStore
    /// The provider's tokens are accepted too when set (`auth.mode: oidc`).
    let oidc: OIDCVerifier?
    let limit: FailedAuthenticationLimit
    static var openPaths: Set<String> { ["/healthz", "/readyz", "/metrics", "/openapi.json"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        let client = context.clientAddress
        if let wait = limit.retryAfter(client) {
            return try Problem(.tooManyRequests, "too-many-attempts", "Too many refused tokens from this address",
                               detail: "\(limit.limit) tokens were refused within \(Int(limit.window)) s; try again in \(wait) s",
                               retryAfter: wait)
                .response(from: request, context: context)
        }
        let response = try await authenticated(request, context: context, next: next)
        if response.status == .unauthorized { limit.recordFailure(client) }
        return response
    }

    private func authenticated(_ request: Request, context: Context,
                               next: (Request, Context) async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        let presented = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
        if !presented.isEmpty, !presented.hasPrefix("bvk_"), header.count <= 8192, let oidc {
            guard let principal = await oidc.principal(for: presented) else { return try unauthorized(request, context, header) }
            if request.headers[RequestInput.actorHeader] != nil { return try actorHeaderRefused(request, context) }
            // A person may hold several roles: they say which one they act in, and it must be theirs.
            let role: String
            if let asked = request.headers[RequestInput.roleHeader] {
                guard principal.roles.contains(asked) else {
                    return try Problem(.forbidden, "role-not-held", "You do not hold that role",
                                       detail: "'\(asked.prefix(64))' is not one of your roles: \(principal.roles.sorted().joined(separator: ", "))",
                                       extensions: ["roles": .array(principal.roles.sorted().map(JSONValue.string))])
                        .response(from: request, context: context)
                }
                role = asked
            } else {
                role = principal.roles.count == 1 ? principal.roles.first! : ""
            }
            let name = principal.name == principal.subject ? principal.name : "\(principal.name) (\(principal.subject))"
            return try await RequestPrincipal.$current.withValue(Actor(name: name, role: role)) { try await next(request, context) }
        }
        guard header.count <= 200, !presented.isEmpty, let token = try await store.verifyToken(presented) else {
            return try unauthorized(request, context, header)
        }
        if request.headers[RequestInput.actorHeader] != nil || request.headers[RequestInput.roleHeader] != nil {
            return try actorHeaderRefused(request, context)
        }
        return try await RequestPrincipal.$current.withValue(token.actor) { try await next(request, context) }
    }

    private func unauthorized(_ request: Request, _ context: Context, _ header: String) throws -> Response {
        var response = try Problem(.unauthorized, "unauthorized", "A valid bearer token is needed",
                                   detail: header.isEmpty ? "send Authorization: Bearer <token>"
                                       : "the token is unknown, expired, revoked or not meant for this API")
            .response(from: request, context: context)
        response.headers[.wwwAuthenticate] = #"Bearer realm="bevaka""#
        return response
    }

    private func actorHeaderRefused(_ request: Request, _ context: Context) throws -> Response {
        try Problem.invalidRequest("the actor headers are for development mode only",
                                   errors: [FieldProblem(field: "Bevaka-Actor", problem: "the token says who acts; leave out Bevaka-Actor")])
            .response(from: request, context: context)
    }
}
