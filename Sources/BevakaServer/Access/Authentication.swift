import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation
import HTTPTypes
import BevakaWeb
import Hummingbird

/// How callers prove who they are (`auth.mode` in bevaka.yaml).
public enum AuthenticationMode: String, Sendable, CaseIterable {
    /// Development only: the `Bevaka-Actor` and `Bevaka-Role` headers are trusted as sent,
    /// so the daemon listens on loopback only.
    case none
    /// Systems send `Authorization: Bearer bvk_…` (tokens made by `bevaka token create`);
    /// every request but the health, readiness and metrics probes needs one.
    case tokens
    /// Besides Bevaka's own tokens, the region's OpenID provider (`auth.oidc`): its JWT
    /// access tokens (people's, whose groups map to roles, and systems'), and, with
    /// `auth.oidc.web`, people signing in with a browser.
    case oidc

    /// Whether `host` is a loopback address, the only kind `none` may listen on.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// Finds out who sends each request (probes and the sign-in pages aside) and puts
/// it in the request context as a ``Principal``: from a bearer token, a browser
/// session (whose unsafe requests must carry its CSRF token), or in development
/// mode the actor headers. Nobody can claim to be someone else: outside
/// development mode the actor headers are refused.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = BevakaRequestContext
    let mode: AuthenticationMode
    let store: any Store
    /// The provider's tokens are accepted too when set (`auth.mode: oidc`).
    let oidc: OIDCVerifier?
    /// Browser sessions are accepted when set (`auth.oidc.web`).
    let web: WebSignInSettings?
    let limit: FailedAuthenticationLimit
    /// Per token id, besides ten a minute: a hundred an hour (OWASP ASVS 2.2.1).
    let accountHourly = FailedAuthenticationLimit(limit: 100, window: 3600)

    /// The pages (`BevakaWeb`), as opposed to the API.
    static func isPage(_ path: String) -> Bool {
        ["/", "/uppgifter", "/register", "/trafikljus", "/rapporter", "/kalender"].contains(path) || path.hasPrefix("/arenden/")
            || path.hasPrefix("/kalender/")
    }

    static let openPaths: Set<String> = ["/healthz", "/readyz", "/metrics", "/openapi.json", "/auth/login", "/auth/callback"]
    /// `__Host-`: the browser keeps it only if it is Secure, for this host alone, on every path (no other site or subdomain can set it).
    static let sessionCookie = "__Host-bevaka_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if mode == .none {
            context.principal = try Self.developmentPrincipal(request)
            return try await next(request, context)
        }
        // A calendar feed's URL holds its own secret: calendar programs send nothing else.
        if Self.openPaths.contains(request.uri.path) || CalendarRoutes.isFeedPath(request.uri.path) { return try await next(request, context) }
        let client = context.clientAddress
        if let wait = limit.retryAfter(client) { return try tooManyAttempts(request, context, wait: wait, what: "from this address") }
        let response = try await authenticated(request, context: context, next: next)
        if response.status == .unauthorized { limit.recordFailure(client) }
        return response
    }

    private func authenticated(_ request: Request, context: Context,
                               next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let header = request.headers[.authorization] ?? ""
        let presented = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
        let principal: Principal
        if !presented.isEmpty, !presented.hasPrefix("bvk_"), header.count <= 8192, let oidc {
            guard let person = await oidc.principal(for: presented) else { return try unauthorized(request, context, header) }
            principal = person
        } else if !presented.isEmpty {
            // Bevaka's own token: its id names the account, which has a limit of its own, so
            // guessing one token's secret from many addresses is as slow as from one.
            let account = "token:" + presented.split(separator: "_").dropFirst().prefix(1).joined()
            if let wait = limit.retryAfter(account) ?? accountHourly.retryAfter(account) {
                return try tooManyAttempts(request, context, wait: wait, what: "for this token")
            }
            guard header.count <= 200, let token = try await store.verifyToken(presented) else {
                limit.recordFailure(account)
                accountHourly.recordFailure(account)
                return try unauthorized(request, context, header)
            }
            if request.headers[RequestInput.roleHeader] != nil { return try actorHeaderRefused(request, context) }
            principal = Principal(kind: .system, subject: token.actor.name, name: token.actor.name, roles: [token.role])
        } else if web != nil, let secret = request.cookies[Self.sessionCookie]?.value, !secret.isEmpty, secret.count <= 100 {
            guard let session = try await store.session(secret: secret, idle: web!.idleTimeout) else {
                return try unauthorized(request, context, header, session: true)
            }
            if ![.get, .head, .options].contains(request.method) {
                guard try await Self.csrfMatches(&request, expected: session.csrf) else {
                    return try Problem(.forbidden, "csrf-token-missing", "The form's security token is missing or wrong",
                                       detail: "requests that change something must carry the session's token (the X-CSRF-Token header or the form's _csrf field); reload the page and try again")
                        .response(from: request, context: context)
                }
            }
            context.session = session
            principal = Principal(kind: .person, subject: session.subject, name: session.name, roles: Set(session.roles),
                                  identifiers: Set(session.identifiers))
        } else {
            return try unauthorized(request, context, header)
        }
        if request.headers[RequestInput.actorHeader] != nil { return try actorHeaderRefused(request, context) }
        // A person may hold several roles: they say which one they act in, and it must be theirs.
        if let asked = request.headers[RequestInput.roleHeader] {
            guard principal.roles.contains(asked) else {
                return try Problem(.forbidden, "role-not-held", "You do not hold that role",
                                   detail: "'\(asked.prefix(64))' is not one of your roles: \(principal.roles.sorted().joined(separator: ", "))",
                                   extensions: ["roles": .array(principal.roles.sorted().map(JSONValue.string))])
                    .response(from: request, context: context)
            }
            context.principal = principal.acting(as: asked)
        } else {
            context.principal = principal
        }
        return try await next(request, context)
    }

    /// Whether an unsafe request carries the session's CSRF token, in the header or as the `_csrf` field of a form
    /// (urlencoded, or multipart when it carries a file).
    static func csrfMatches(_ request: inout Request, expected: String) async throws -> Bool {
        if let sent = request.headers[csrfHeader] { return Secrets.digest(sent) == Secrets.digest(expected) }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let sent: String?
        if let boundary = MultipartFormBody.boundary(request.headers[.contentType]) {
            // A form with a file (the register's CSV import): read to its limit; the page says what was too large.
            guard let body = try? await request.collectBody(upTo: MultipartFormBody.maximumBody) else {
                throw Problem(.contentTooLarge, "body-too-large", "The form is too large",
                              detail: "a form with a file is limited to \(MultipartFormBody.maximumBody >> 20) MiB")
            }
            sent = (try? MultipartFormBody.fields(body, boundary: boundary))?["_csrf"]
        } else {
            guard type.hasPrefix("application/x-www-form-urlencoded") else { return false }
            let body = try await request.collectBody(upTo: RequestInput.maximumBody)
            sent = FormBody.fields(String(buffer: body))["_csrf"]
        }
        return sent.map { Secrets.digest($0) == Secrets.digest(expected) } ?? false
    }

    /// Development mode: the person and role the headers name, or, with neither header,
    /// a developer who sees every case (and must name an actor and role to change one).
    static func developmentPrincipal(_ request: Request) throws -> Principal {
        if request.headers[RequestInput.actorHeader] == nil && request.headers[RequestInput.roleHeader] == nil {
            return Principal(kind: .development, subject: "utvecklare", name: "utvecklare", roles: [AccessPolicy.adminRole], actingRole: "")
        }
        let actor = try RequestInput.actor(request)
        return Principal(kind: .development, subject: actor.name, name: actor.name, roles: [actor.role])
    }

    private func unauthorized(_ request: Request, _ context: Context, _ header: String, session: Bool = false) throws -> Response {
        // A browser asking for a page is sent to sign in, and back to the page afterwards.
        if web != nil, header.isEmpty, request.method == .get, Self.isPage(request.uri.path),
           request.headers[.accept]?.contains("text/html") == true {
            let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            var response = Response(status: .seeOther)
            response.headers[.location] = "/auth/login?return=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F")
            if session { response.setCookie(SignInRoutes.expired(Self.sessionCookie)) }
            return response
        }
        let detail = session ? "the session has ended (logged out, idle too long or too old); sign in again at /auth/login"
            : header.isEmpty ? "send Authorization: Bearer <token>\(web != nil ? ", or sign in at /auth/login" : "")"
            : "the token is unknown, expired, revoked or not meant for this API"
        var response = try Problem(.unauthorized, "unauthorized", session ? "Signed out" : "A valid bearer token is needed", detail: detail)
            .response(from: request, context: context)
        response.headers[.wwwAuthenticate] = #"Bearer realm="bevaka""#
        if session { response.setCookie(SignInRoutes.expired(Self.sessionCookie)) }
        return response
    }

    private func tooManyAttempts(_ request: Request, _ context: Context, wait: Int, what: String) throws -> Response {
        try Problem(.tooManyRequests, "too-many-attempts", "Too many refused attempts \(what)",
                    detail: "too many attempts were refused lately (ten a minute, or for one token a hundred an hour); try again in \(wait) s",
                    retryAfter: wait)
            .response(from: request, context: context)
    }

    private func actorHeaderRefused(_ request: Request, _ context: Context) throws -> Response {
        try Problem.invalidRequest("the actor headers are for development mode only",
                                   errors: [FieldProblem(field: "Bevaka-Actor", problem: "the token says who acts; leave out Bevaka-Actor")])
            .response(from: request, context: context)
    }
}

