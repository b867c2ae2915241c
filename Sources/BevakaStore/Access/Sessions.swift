import BevakaCore
import Foundation
import GRDB

/// A signed-in person's browser session, as kept on the server. The cookie
/// carries only the session's secret; everything it stands for is here.
public struct StoredSession: Sendable, Equatable {
    public var subject: String
    public var name: String
    public var roles: [String]
    /// The names a case may use for this person (subject, user name, e-mail).
    public var identifiers: [String]
    /// The provider's ID token, sent back as `id_token_hint` when the person logs out.
    public var idToken: String?
    /// The synchronizer token every form and unsafe request of this session must carry.
    public var csrf: String
    public var createdAt: Date
    public var lastSeenAt: Date
    /// The absolute end, however active the session is.
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(subject: String, name: String, roles: [String], identifiers: [String], idToken: String?, csrf: String,
                createdAt: Date, lastSeenAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.subject = subject
        self.name = name
        self.roles = roles
        self.identifiers = identifiers
        self.idToken = idToken
        self.csrf = csrf
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    init(row: Row) {
        self.init(subject: row["subject"], name: row["name"], roles: StoredFields.texts(from: row["roles"]),
                  identifiers: StoredFields.texts(from: row["identifiers"]),
                  idToken: row["id_token"], csrf: row["csrf"], createdAt: Date(millis: row["created_at"]),
                  lastSeenAt: Date(millis: row["last_seen_at"]), expiresAt: Date(millis: row["expires_at"]),
                  revokedAt: (row["revoked_at"] as Int64?).map(Date.init(millis:)))
    }

    /// Whether the session still opens: not revoked, not past its absolute end, and used within `idle`.
    package func isLive(at now: Date, idle: TimeInterval) -> Bool {
        revokedAt == nil && now < expiresAt && now.timeIntervalSince(lastSeenAt) < idle
    }

    /// How long a session past its end is kept (for `session list` and questions) before it is dropped.
    package static let keptAfterEnd: TimeInterval = 30 * 86_400
}

/// A sign-in begun and not yet finished: what the provider's answer must match.
public struct LoginRequest: Sendable, Equatable {
    public let nonce: String
    public let verifier: String
    public let returnTo: String

    package init(nonce: String, verifier: String, returnTo: String) {
        self.nonce = nonce
        self.verifier = verifier
        self.returnTo = returnTo
    }
}

extension CaseStore {
    /// Remembers a sign-in under the digest of its `state`, for at most `lifetime`.
    public func beginLogin(state: String, nonce: String, verifier: String, returnTo: String, lifetime: TimeInterval) async throws {
        let expires = now().addingTimeInterval(lifetime)
        try await writer.perform { db in
            try db.execute(sql: "DELETE FROM login_requests WHERE expires_at < ?", arguments: [self.now().millis])
            try db.execute(sql: "INSERT INTO login_requests (state_sha256, nonce, verifier, return_to, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Secrets.digest(state), nonce, verifier, returnTo, expires.millis])
            return ((), [])
        }
    }

    /// The sign-in `state` stands for, removed as it is read: a state is good once.
    public func takeLogin(state: String) async throws -> LoginRequest? {
        let now = self.now()
        return try await writer.perform { db in
            let digest = Secrets.digest(state)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM login_requests WHERE state_sha256 = ?", arguments: [digest]) else {
                return (nil, [])
            }
            try db.execute(sql: "DELETE FROM login_requests WHERE state_sha256 = ?", arguments: [digest])
            guard (row["expires_at"] as Int64) >= now.millis else { return (nil, []) }
            return (LoginRequest(nonce: row["nonce"], verifier: row["verifier"], returnTo: row["return_to"]), [])
        }
    }

    /// Starts a session; the caller hands `secret` to the browser and nobody else.
    public func createSession(_ session: StoredSession, secret: String) async throws {
        let now = self.now()
        try await writer.perform { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?",
                           arguments: [now.addingTimeInterval(-StoredSession.keptAfterEnd).millis])
            try db.execute(sql: """
                INSERT INTO sessions (id_sha256, subject, name, roles, identifiers, id_token, csrf, created_at, last_seen_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Secrets.digest(secret), session.subject, session.name, StoredFields.texts(session.roles),
                                 StoredFields.texts(session.identifiers), session.idToken, session.csrf, session.createdAt.millis,
                                 session.lastSeenAt.millis, session.expiresAt.millis])
            return ((), [])
        }
    }

    /// The live session `secret` opens: not revoked, not past its absolute end, and
    /// used within `idle`. Its last use is written down at most every `touchEvery`.
    public func session(secret: String, idle: TimeInterval, touchEvery: TimeInterval) async throws -> StoredSession? {
        let now = self.now()
        let digest = Secrets.digest(secret)
        guard let session = try await database.read({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE id_sha256 = ?", arguments: [digest]).map(StoredSession.init(row:))
        }), session.isLive(at: now, idle: idle) else { return nil }
        if now.timeIntervalSince(session.lastSeenAt) >= touchEvery {
            try await writer.perform { db in
                try db.execute(sql: "UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE id_sha256 = ?", arguments: [now.millis, digest])
                return ((), [])
            }
        }
        return session
    }

    /// Ends the session `secret` opens (logout); true if it was live.
    @discardableResult
    public func revokeSession(secret: String) async throws -> Bool {
        let now = self.now()
        return try await writer.perform { db in
            try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE id_sha256 = ? AND revoked_at IS NULL",
                           arguments: [now.millis, Secrets.digest(secret)])
            return (db.changesCount > 0, [])
        }
    }

    /// Ends every live session of a person (or of everyone, for `nil`): an account
    /// taken away, a lost laptop. Returns how many were ended.
    public func revokeSessions(subject: String?) async throws -> Int {
        let now = self.now()
        return try await writer.perform { db in
            if let subject {
                try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE subject = ? AND revoked_at IS NULL", arguments: [now.millis, subject])
            } else {
                try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL", arguments: [now.millis])
            }
            return (db.changesCount, [])
        }
    }

    /// Sessions not revoked and not past their absolute end, newest first.
    public func liveSessions() async throws -> [StoredSession] {
        let now = self.now()
        return try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC",
                             arguments: [now.millis]).map(StoredSession.init(row:))
        }
    }
}
