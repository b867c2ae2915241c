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

    public init(issuer: String, audience: String) {
        self.issuer = issuer
        self.audience = audience
    }
}

/// What Bevaka reads from a provider's access token (RFC 9068).
struct AccessTokenClaims: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var sub: SubjectClaim?
    var scope: String?
    var client_id: String?
    var name: String?
    var preferred_username: String?
    var groups: [String]?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
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
           !(claims.scope ?? "").split(separator: " ").contains(Substring(required)) { return nil }
        var roles = Set<String>()
        for group in claims.groups ?? [] { roles.formUnion(settings.groupRoles[group] ?? []) }
        if let client = claims.client_id, claims.groups == nil { roles.formUnion(settings.clientRoles[client] ?? []) }
        let subject = claims.sub?.value ?? claims.client_id ?? "unknown"
        let name = claims.name ?? claims.preferred_username ?? claims.client_id.map { "system:\($0)" } ?? subject
        return Principal(name: name, subject: subject, roles: roles)
    }

    private func verified(_ token: String) async -> AccessTokenClaims? {
        if lastFetch == nil { await refresh() }
        do {
            return try await keys.verify(token, as: AccessTokenClaims.self)
        } catch {
            // Perhaps signed with a key published since (a rotation): read the keys again, at most every
            // `refreshInterval` whatever the tokens, and try once more.
            guard let last = lastFetch, Date().timeIntervalSince(last) >= refreshInterval else { return nil }
            await refresh()
            return try? await keys.verify(token, as: AccessTokenClaims.self)
        }
    }

    /// Reads the discovery document and the keys it points to; on failure keeps the keys it had.
    private func refresh() async {
        lastFetch = Date()
        let discoveryURL = settings.issuer.hasSuffix("/") ? settings.issuer + ".well-known/openid-configuration"
            : settings.issuer + "/.well-known/openid-configuration"
        do {
            let discovery = try await fetchJSON(discoveryURL)
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

    /// A GET on a thread of its own: curl blocks, and the concurrency pool must not.
    private func fetch(_ url: String) async throws -> [UInt8] {
        let reply: Result<HTTPReply, CurlError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: CurlHTTPClient().get(url: url, timeout: .seconds(10))) }
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

/// An authenticated caller and the roles they hold.
public struct Principal: Sendable, Equatable {
    public let name: String
    public let subject: String
    public let roles: Set<String>
}
