import BevakaCore
import Crypto
import Foundation
import GRDB

/// A bearer token a system uses to call the API, as listed (never with its secret).
public struct ApiToken: Sendable, Equatable {
    public let id: String
    public let name: String
    /// The one role the token acts in.
    public let role: String
    public let createdAt: Date
    public let expiresAt: Date?
    public let revokedAt: Date?

    /// Who the token acts as in histories: `token:NAME`.
    public var actor: Actor { Actor(name: "token:\(name)", role: role) }

    public func isUsable(at now: Date) -> Bool { revokedAt == nil && (expiresAt.map { now < $0 } ?? true) }

    package init(id: String, name: String, role: String, createdAt: Date, expiresAt: Date?, revokedAt: Date?) {
        self.id = id
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    init(row: Row) {
        self.init(id: row["id"], name: row["name"], role: row["role"], createdAt: Date(millis: row["created_at"]),
                  expiresAt: (row["expires_at"] as Int64?).map(Date.init(millis:)),
                  revokedAt: (row["revoked_at"] as Int64?).map(Date.init(millis:)))
    }

    /// Refuses a name that could not be typed safely at a shell or read in a log.
    package static func checkName(_ name: String) throws(ApiTokenError) {
        guard !name.isEmpty, name.count <= 64,
              name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) })
        else { throw .badName(name) }
    }

    /// What the caller is handed, the only time the secret is seen: `bvk_ID_SECRET`.
    package static func presented(id: String, secret: String) -> String { "bvk_\(id)_\(secret)" }

    /// The id and secret of a presented token, or nil when it is not of the form `bvk_ID_SECRET`.
    package static func parse(_ presented: String) -> (id: String, secret: String)? {
        let parts = presented.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)  // the secret may hold "_"
        guard parts.count == 3, parts[0] == "bvk", parts[1].count == 12, !parts[2].isEmpty, parts[2].count <= 64 else { return nil }
        return (String(parts[1]), String(parts[2]))
    }
}

/// Why a token was not made or not taken back.
public enum ApiTokenError: Error, Equatable, CustomStringConvertible {
    case nameTaken(String)
    case badName(String)
    case unknown(String)

    public var description: String {
        switch self {
        case .nameTaken(let name): "a token named '\(name)' exists already; revoke it or choose another name"
        case .badName(let name): "'\(name)' is not a token name (letters, digits, '.', '_' or '-', at most 64)"
        case .unknown(let name): "no token named '\(name)'"
        }
    }
}

/// Bevaka's own API tokens: `bvk_ID_SECRET`. The id finds the row; only the SHA-256
/// of the 256-bit random secret is stored, so a copy of the database does not
/// give the tokens away, and the secret cannot be guessed from its hash.
extension CaseStore {
    /// Makes a token and returns it with the only copy of its secret.
    public func createToken(name: String, role: String, expiresAt: Date?) async throws -> (ApiToken, secret: String) {
        try ApiToken.checkName(name)
        let id = Secrets.shortID()
        let secret = Secrets.make()
        let now = self.now()
        let token: ApiToken = try await writer.perform { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_tokens WHERE name = ?", arguments: [name]) == true {
                throw ApiTokenError.nameTaken(name)
            }
            try db.execute(sql: """
                INSERT INTO api_tokens (id, name, role, secret_sha256, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, name, role, Secrets.digest(secret), now.millis, expiresAt?.millis])
            return (ApiToken(row: try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE id = ?", arguments: [id])!), [])
        }
        return (token, ApiToken.presented(id: id, secret: secret))
    }

    /// Every token, newest first.
    public func tokens() async throws -> [ApiToken] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY created_at DESC, name").map(ApiToken.init(row:))
        }
    }

    /// Takes a token back at once; it is kept, revoked, for the record.
    public func revokeToken(name: String) async throws -> ApiToken {
        let now = self.now()
        return try await writer.perform { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE name = ?", arguments: [now.millis, name])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE name = ?", arguments: [name]) else {
                throw ApiTokenError.unknown(name)
            }
            return (ApiToken(row: row), [])
        }
    }

    /// The token `presented` stands for, if it is one of ours, unexpired and not revoked.
    public func verifyToken(_ presented: String) async throws -> ApiToken? {
        guard let parts = ApiToken.parse(presented) else { return nil }
        let now = self.now()
        return try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE id = ?", arguments: [parts.id]) else { return nil }
            // The stored value is a hash of a 256-bit random secret: comparing it leaks nothing usable.
            guard row["secret_sha256"] as String == Secrets.digest(parts.secret) else { return nil }
            let token = ApiToken(row: row)
            return token.isUsable(at: now) ? token : nil
        }
    }
}
