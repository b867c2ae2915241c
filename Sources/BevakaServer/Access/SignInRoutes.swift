import BevakaApplication
import BevakaCore
import BevakaStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// People sign in at the region's identity provider: the authorization code flow
/// with PKCE (S256), `state` bound to the browser by a short-lived cookie and
/// good once, and a `nonce` the ID token must carry. A signed-in person gets a
/// server-side session; the cookie holds only its random secret.
struct SignInRoutes: Sendable {
    let store: any Store
    let oidc: OIDCVerifier
    let web: WebSignInSettings
    let limit: FailedAuthenticationLimit
    let logger: Logger

    static let loginCookie = "__Host-bevaka_login"
    /// How long a person has to sign in at the provider.
    static let loginLifetime: TimeInterval = 600

    func add(to router: Router<BevakaRequestContext>) {
        router.get("/auth/login") { request, _ in try await login(request) }
        router.get("/auth/callback") { request, context in try await callback(request, context) }
        router.get("/auth/session") { _, context in try Self.session(context) }
        router.post("/auth/logout") { request, context in try await logout(request, context) }
    }

    /// Without `auth.oidc.web` the sign-in paths exist but say why nobody can sign in.
    static func addUnconfigured(to router: Router<BevakaRequestContext>) {
        @Sendable func refuse(_ request: Request, _ context: BevakaRequestContext) throws -> Response {
            throw Problem(.notFound, "sign-in-not-configured", "Browser sign-in is not configured",
                          detail: "people sign in with a browser only with auth.mode: oidc and auth.oidc.web in the configuration")
        }
        router.get("/auth/login", use: refuse)
        router.get("/auth/callback", use: refuse)
        router.get("/auth/session") { _, context in try session(context) }
        router.post("/auth/logout", use: refuse)
    }

    /// Sends the browser to the provider, remembering what its answer must match.
    func login(_ request: Request) async throws -> Response {
        let returnTo = Self.safeReturnPath(request.uri.queryParameters["return"].map(String.init))
        guard let authorize = await oidc.endpoint("authorization_endpoint") else {
            throw Problem(.serviceUnavailable, "identity-provider-unavailable", "The sign-in service cannot be reached",
                          detail: "the identity provider's discovery document could not be read; try again shortly")
        }
        let (state, nonce, verifier) = (Secrets.make(), Secrets.make(), Secrets.make())
        let challenge = Secrets.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
        try await store.beginLogin(state: state, nonce: nonce, verifier: verifier, returnTo: returnTo, lifetime: Self.loginLifetime)
        var components = URLComponents(string: authorize)
        let existing = components?.queryItems ?? []
        components?.queryItems = existing + [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: web.clientID),
            URLQueryItem(name: "redirect_uri", value: web.redirectURI), URLQueryItem(name: "scope", value: "openid profile email groups"),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: challenge), URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let url = components?.url?.absoluteString else {
            throw Problem(.serviceUnavailable, "identity-provider-unavailable", "The sign-in service is misconfigured",
                          detail: "the provider's authorization endpoint is not a URL")
        }
        var response = Response(status: .found, headers: [.location: url])
        response.setCookie(Cookie(name: Self.loginCookie, value: state, maxAge: Int(Self.loginLifetime), path: "/",
                                  secure: true, httpOnly: true, sameSite: .lax))
        return response
    }

    /// The provider's answer: the code is traded for an ID token, which is checked
    /// (signature, issuer, audience, expiry, nonce), and the person's session begins.
    func callback(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let client = context.clientAddress
        if let wait = limit.retryAfter(client) {
            throw Problem(.tooManyRequests, "too-many-attempts", "Too many failed sign-ins from this address",
                          detail: "try again in \(wait) s", retryAfter: wait)
        }
        do {
            return try await signIn(request)
        } catch let problem as Problem {
            limit.recordFailure(client)
            logger.notice("auth.signin.refused", metadata: ["client": "\(client)", "reason": "\(problem.slug)"])
            throw problem
        }
    }

    private func signIn(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        if let error = query["error"] {
            throw Problem(.badRequest, "sign-in-failed", "Sign-in was not completed",
                          detail: "the identity provider answered '\(String(error).prefix(64))'; start again at /auth/login")
        }
        guard let state = query["state"].map(String.init), let code = query["code"].map(String.init), !state.isEmpty, !code.isEmpty,
              state.count <= 100, code.count <= 2048 else {
            throw Problem(.badRequest, "sign-in-failed", "Sign-in was not completed", detail: "the answer lacks its code or state; start again at /auth/login")
        }
        // The state must be the one this browser was sent off with, and unused.
        guard request.cookies[Self.loginCookie]?.value == state, let login = try await store.takeLogin(state: state) else {
            throw Problem(.badRequest, "sign-in-state-mismatch", "This sign-in is not yours or has expired",
                          detail: "the answer does not belong to a sign-in begun in this browser in the last \(Int(Self.loginLifetime / 60)) minutes; start again at /auth/login")
        }
        let idToken: String
        do {
            idToken = try await oidc.idToken(code: code, verifier: login.verifier, web: web)
        } catch {
            logger.warning("auth.token.exchange.failed", metadata: ["error": "\(error)"])
            throw Problem(.badRequest, "sign-in-failed", "Sign-in was not completed",
                          detail: "the identity provider did not accept the sign-in's code; start again at /auth/login")
        }
        guard let person = await oidc.person(idToken: idToken, clientID: web.clientID, nonce: login.nonce) else {
            throw Problem(.badRequest, "sign-in-failed", "Sign-in was not completed",
                          detail: "the identity provider's ID token did not verify; start again at /auth/login")
        }
        // A session the browser still had ends here: a new sign-in never continues an old (or planted) session.
        if let old = request.cookies[AuthenticationMiddleware.sessionCookie]?.value, !old.isEmpty, old.count <= 100 {
            try await store.revokeSession(secret: old)
        }
        let now = Date()
        let secret = Secrets.make()
        try await store.createSession(StoredSession(
            subject: person.subject, name: person.name, roles: person.roles.sorted(), identifiers: person.identifiers.sorted(),
            idToken: idToken, csrf: Secrets.make(), createdAt: now, lastSeenAt: now, expiresAt: now.addingTimeInterval(web.absoluteTimeout)),
            secret: secret)
        logger.info("auth.signin", metadata: ["subject": "\(person.subject)", "roles": "\(person.roles.sorted().joined(separator: ","))"])
        var response = Response(status: .seeOther, headers: [.location: login.returnTo])
        response.setCookie(Cookie(name: AuthenticationMiddleware.sessionCookie, value: secret, maxAge: Int(web.absoluteTimeout), path: "/",
                                  secure: true, httpOnly: true, sameSite: .lax))
        response.setCookie(Self.expired(Self.loginCookie))
        return response
    }

    /// Who is signed in, the roles they hold, and the token their forms must carry.
    static func session(_ context: BevakaRequestContext) throws -> Response {
        guard let principal = context.principal else { throw Problem(.unauthorized, "unauthorized", "Not signed in", detail: "sign in at /auth/login") }
        var body: [String: JSONValue] = [
            "subject": .string(principal.subject), "name": .string(principal.name), "kind": .string(principal.kind.rawValue),
            "roles": .array(principal.roles.sorted().map(JSONValue.string)),
        ]
        if let session = context.session {
            body["csrfToken"] = .string(session.csrf)
            body["expiresAt"] = .string(SwedishCalendar.isoUTCString(session.expiresAt))
        }
        return JSONBody.response(.object(body))
    }

    /// Ends the session here (revoked on the server, whatever the browser keeps), then
    /// at the provider when it offers RP-initiated logout.
    func logout(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        guard let secret = request.cookies[AuthenticationMiddleware.sessionCookie]?.value, let session = context.session else {
            throw Problem(.unauthorized, "unauthorized", "Not signed in", detail: "there is no session to end")
        }
        try await store.revokeSession(secret: secret)
        logger.info("auth.logout", metadata: ["subject": "\(session.subject)"])
        var location = "/"
        if let endSession = await oidc.endpoint("end_session_endpoint"), var components = URLComponents(string: endSession) {
            let existing = components.queryItems ?? []
            components.queryItems = existing + [URLQueryItem(name: "client_id", value: web.clientID)]
                + (session.idToken.map { [URLQueryItem(name: "id_token_hint", value: $0)] } ?? [])
                + (web.postLogoutRedirectURI.map { [URLQueryItem(name: "post_logout_redirect_uri", value: $0)] } ?? [])
            location = components.url?.absoluteString ?? "/"
        }
        var response = Response(status: .seeOther, headers: [.location: location])
        response.setCookie(Self.expired(AuthenticationMiddleware.sessionCookie))
        return response
    }

    /// A cookie that tells the browser to forget `name`.
    static func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .lax)
    }

    /// Where to go after signing in: a path on this site, never another site (an open redirect).
    static func safeReturnPath(_ asked: String?) -> String {
        guard let asked, asked.hasPrefix("/"), !asked.hasPrefix("//"), !asked.hasPrefix("/\\"), asked.count <= 1000,
              asked.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return "/" }
        return asked
    }
}
