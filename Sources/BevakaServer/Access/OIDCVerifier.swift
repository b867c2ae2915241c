import BevakaApplication
import BevakaCore
import BevakaDelivery
import Foundation
import JWTKit
import Logging

/// The region's identity provider, as `auth.oidc` in bevaka.yaml names it.
public struct OIDCSettings: Sendable, Equatable {
    /// The issuer; its discovery document is at `ISSUER/.well-known/openid-configuration`.
    public var issuer: String
    /// What access tokens must name in `aud` (Bevaka's API).
    public var audience: String
    /// A scope access tokens must carry, if any.
    public var requiredScope: String?
    /// A group (a value of the token's `groups` claim) → the workflow roles its members hold.
    public var groupRoles: [String: [String]] = [:]
    /// A system's `client_id` (client credentials) → the roles it holds.
    public var clientRoles: [String: [String]] = [:]
    /// People signing in with a browser (`auth.oidc.web`), if they may.
    public var web: WebSignInSettings?

    public init(issuer: String, audience: String) {
        self.issuer = issuer
        self.audience = audience
    }

    /// The roles the members of these groups hold.
    func roles(groups: [String]) -> Set<String> {
        Set(groups.flatMap { groupRoles[$0] ?? [] })
    }
}

/// Browser sign-in with the authorization code flow and PKCE (`auth.oidc.web`).
/// Printed or logged, it never shows the client's secret.
public struct WebSignInSettings: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Bevaka's client at the provider (a confidential client).
    public var clientID: String
    public var clientSecret: String
    /// Where the provider sends the browser back: `https://<bevaka>/auth/callback`, registered at the provider.
    public var redirectURI: String
    /// Where the provider sends the browser after logging out (registered there too); none: Bevaka's own page.
    public var postLogoutRedirectURI: String?
    /// A session ends after this long without a request…
    public var idleTimeout: TimeInterval = 30 * 60
    /// …and after this long in any case.
    public var absoluteTimeout: TimeInterval = 10 * 60 * 60

    public init(clientID: String, clientSecret: String, redirectURI: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
    }

    public var description: String {
        "WebSignInSettings(clientID: \(clientID), clientSecret: <hidden>, redirectURI: \(redirectURI), idle: \(Int(idleTimeout)) s, lifetime: \(Int(absoluteTimeout)) s)"
    }

    public var debugDescription: String { description }
}

/// What Bevaka reads from the provider's tokens: access tokens (RFC 9068) and ID
/// tokens alike. jwt-kit checks the signature and the expiry; the rest is checked
/// by the verifier for the kind of token it expects.
struct ProviderTokenClaims: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim?
    var sub: SubjectClaim?
    /// Access tokens (some providers put a list in ID tokens too).
    var scope: Scopes?
    var client_id: String?
    /// ID tokens.
    var nonce: String?
    var azp: String?
    var name: String?
    var preferred_username: String?
    var email: String?
    var groups: [String]?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// `scope` as RFC 9068 has it (one space-separated string) or as a list.
    struct Scopes: Codable, Sendable {
        let values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                values = text.split(separator: " ").map(String.init)
            } else {
                values = try container.decode([String].self)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(values.joined(separator: " "))
        }
    }

    /// The person the token names, with the roles their groups map to.
    func person(subject: String, _ settings: OIDCSettings) -> Principal {
        Principal(kind: .person, subject: subject, name: name ?? preferred_username ?? subject,
                  roles: settings.roles(groups: groups ?? []), identifiers: Set([preferred_username, email].compactMap { $0 }))
    }
}

/// Checks the provider's JWT access tokens: signature against the provider's
/// published keys (jwt-kit), then issuer, audience, expiry and scope. Keys are
/// fetched from the discovery document's `jwks_uri` at first use and again when
/// a token names a key not yet known (the provider rotated its keys), at most
/// every `refreshInterval`, so a flood of forged key ids cannot make Bevaka
/// hammer the provider.
actor OIDCVerifier {
    let settings: OIDCSettings
    let logger: Logger
    private var keys = JWTKeyCollection()
    private var discovery: [String: JSONValue] = [:]
    private var lastFetch: Date?
    private let refreshInterval: TimeInterval = 2

    init(settings: OIDCSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Who the token stands for, or nil when it is not a valid token for this API.
    func principal(for token: String) async -> Principal? {
        guard let claims = await verified(token) else { return nil }
        guard claims.iss.value == settings.issuer, claims.aud.value.contains(settings.audience) else { return nil }
        if let required = settings.requiredScope,
           !(claims.scope?.values ?? []).contains(required) { return nil }
        let subject = claims.sub?.value ?? claims.client_id ?? "unknown"
        if let client = claims.client_id, claims.groups == nil {
            return Principal(kind: .system, subject: subject, name: "system:\(client)", roles: Set(settings.clientRoles[client] ?? []))
        }
        return claims.person(subject: subject, settings)
    }

    /// The person an ID token names, once it is shown to be the provider's, for this
    /// client (`aud`, and `azp` if given), unexpired, and carrying the sign-in's nonce.
    func person(idToken: String, clientID: String, nonce: String) async -> Principal? {
        guard let claims = await verified(idToken), let subject = claims.sub?.value, let issued = claims.iat?.value else { return nil }
        guard claims.iss.value == settings.issuer, claims.aud.value.contains(clientID), claims.azp.map({ $0 == clientID }) ?? true,
              claims.nonce == nonce, issued <= Date().addingTimeInterval(300) else { return nil }
        return claims.person(subject: subject, settings)
    }

    /// The provider's endpoints, from its discovery document.
    func endpoint(_ name: String) async -> String? {
        if lastFetch == nil { await refresh() }
        if case .string(let url)? = discovery[name] { return url }
        return nil
    }

    private func verified(_ token: String) async -> ProviderTokenClaims? {
        if lastFetch == nil { await refresh() }
        do {
            return try await keys.verify(token, as: ProviderTokenClaims.self)
        } catch {
            // Perhaps signed with a key published since (a rotation): read the keys again, at most every
            // `refreshInterval` whatever the tokens, and try once more.
            guard let last = lastFetch, Date().timeIntervalSince(last) >= refreshInterval else { return nil }
            await refresh()
            return try? await keys.verify(token, as: ProviderTokenClaims.self)
        }
    }

    /// Reads the discovery document and the keys it points to; on failure keeps the keys it had.
    private func refresh() async {
        lastFetch = Date()
        let discoveryURL = settings.issuer.hasSuffix("/") ? settings.issuer + ".well-known/openid-configuration"
            : settings.issuer + "/.well-known/openid-configuration"
        do {
            let discovery = try await fetchJSON(discoveryURL)
            self.discovery = discovery
            guard case .string(let jwksURI)? = discovery["jwks_uri"] else {
                logger.error("oidc.discovery.failed", metadata: ["url": "\(discoveryURL)", "error": "no jwks_uri"])
                return
            }
            let body = try await fetch(jwksURI)
            let fresh = JWTKeyCollection()
            _ = try await fresh.add(jwksJSON: String(decoding: body, as: UTF8.self))
            keys = fresh
            logger.info("oidc.keys.loaded", metadata: ["issuer": "\(settings.issuer)"])
        } catch {
            logger.error("oidc.keys.failed", metadata: ["issuer": "\(settings.issuer)", "error": "\(error)"])
        }
    }

    private func fetchJSON(_ url: String) async throws -> [String: JSONValue] {
        let body = try await fetch(url)
        guard case .object(let object)? = JSONValue.parse(String(decoding: body, as: UTF8.self)) else {
            throw OIDCError(description: "\(url) did not answer a JSON object")
        }
        return object
    }

    /// Trades a sign-in's authorization code (with its PKCE verifier) for tokens at the
    /// provider's token endpoint, as the confidential client `web` names; returns the ID token.
    func idToken(code: String, verifier: String, web: WebSignInSettings) async throws -> String {
        guard let endpoint = await endpoint("token_endpoint") else { throw OIDCError(description: "the provider names no token_endpoint") }
        func form(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
        }
        let body = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", web.redirectURI), ("code_verifier", verifier)]
            .map { "\($0)=\(form($1))" }.joined(separator: "&")
        let credentials = Data("\(form(web.clientID)):\(form(web.clientSecret))".utf8).base64EncodedString()
        let answer = try await fetch(endpoint, post: Array(body.utf8), headers: [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(credentials)"), ("Accept", "application/json")])
        guard case .object(let tokens)? = JSONValue.parse(String(decoding: answer, as: UTF8.self)),
              case .string(let idToken)? = tokens["id_token"] else {
            throw OIDCError(description: "the token endpoint answered without an id_token")
        }
        return idToken
    }

    /// A GET (or a POST) on a thread of its own: curl blocks, and the concurrency pool must not.
    private func fetch(_ url: String, post body: [UInt8]? = nil, headers: [(String, String)] = []) async throws -> [UInt8] {
        let reply: Result<HTTPReply, CurlError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let client = CurlHTTPClient()
                continuation.resume(returning: body.map { client.post(url: url, headers: headers, body: $0, timeout: .seconds(10)) }
                    ?? client.get(url: url, timeout: .seconds(10)))
            }
        }
        switch reply {
        case .success(let answer) where (200..<300).contains(answer.status): return answer.body
        case .success(let answer): throw OIDCError(description: "\(url) answered \(answer.status)")
        case .failure(let error): throw error
        }
    }
}

struct OIDCError: Error, CustomStringConvertible {
    let description: String
}

