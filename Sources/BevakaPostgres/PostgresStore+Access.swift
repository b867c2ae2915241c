import BevakaCore
import BevakaStore
import Foundation
import PostgresNIO

/// Sign-in, sessions, API tokens and the access log, as the SQLite store keeps them: of
/// every secret only its SHA-256 is stored. Where two nodes could do the same thing at
/// once the database decides: a login's state is taken by one `DELETE … RETURNING`, a
/// token's name is claimed by its unique constraint.
extension PostgresStore: AccessStore {
    // MARK: Logins under way

    public func beginLogin(state: String, nonce: String, verifier: String, returnTo: String, lifetime: TimeInterval) async throws {
        let now = self.now()
        try await perform(nil, notifying: false) { connection in
            try await connection.run("DELETE FROM login_requests WHERE expires_at < \(now.millis)", logger: self.logger)
            try await connection.run("""
                INSERT INTO login_requests (state_sha256, nonce, verifier, return_to, expires_at)
                VALUES (\(Secrets.digest(state)), \(nonce), \(verifier), \(returnTo), \(now.addingTimeInterval(lifetime).millis))
                """, logger: self.logger)
            return ((), [])
        }
    }

    /// The sign-in `state` stands for, removed as it is read: whichever node the provider's
    /// answer reaches, and however often it is sent, one caller gets it.
    public func takeLogin(state: String) async throws -> LoginRequest? {
        let now = self.now()
        return try await perform(nil, notifying: false) { connection in
            guard let row = try await connection.firstRow("""
                DELETE FROM login_requests WHERE state_sha256 = \(Secrets.digest(state)) RETURNING *
                """, logger: self.logger), try row.value("expires_at", as: Int64.self) >= now.millis else { return (nil, []) }
            return (LoginRequest(nonce: try row.value("nonce"), verifier: try row.value("verifier"), returnTo: try row.value("return_to")), [])
        }
    }

    // MARK: Sessions

    public func createSession(_ session: StoredSession, secret: String) async throws {
        let now = self.now()
        try await perform(nil, notifying: false) { connection in
            try await connection.run("""
                DELETE FROM sessions WHERE expires_at < \(now.addingTimeInterval(-StoredSession.keptAfterEnd).millis)
                """, logger: self.logger)
            try await connection.run("""
                INSERT INTO sessions (id_sha256, subject, name, roles, identifiers, id_token, csrf, created_at, last_seen_at, expires_at)
                VALUES (\(Secrets.digest(secret)), \(session.subject), \(session.name), \(StoredFields.texts(session.roles)),
                    \(StoredFields.texts(session.identifiers)), \(session.idToken), \(session.csrf), \(session.createdAt.millis),
                    \(session.lastSeenAt.millis), \(session.expiresAt.millis))
                """, logger: self.logger)
            return ((), [])
        }
    }

    /// The live session `secret` opens; its last use is written down at most every `touchEvery`,
    /// never moved back by a node whose clock is behind.
    public func session(secret: String, idle: TimeInterval, touchEvery: TimeInterval) async throws -> StoredSession? {
        let now = self.now()
        let digest = Secrets.digest(secret)
        guard let session = try await client.withBoundedConnection({ connection in
            try await connection.firstRow("SELECT * FROM sessions WHERE id_sha256 = \(digest)", logger: self.logger).map(Self.session(from:))
        }), session.isLive(at: now, idle: idle) else { return nil }
        if now.timeIntervalSince(session.lastSeenAt) >= touchEvery {
            try await perform(nil, notifying: false) { connection in
                try await connection.run("""
                    UPDATE sessions SET last_seen_at = greatest(last_seen_at, \(now.millis)) WHERE id_sha256 = \(digest)
                    """, logger: self.logger)
                return ((), [])
            }
        }
        return session
    }

    public func revokeSession(secret: String) async throws -> Bool {
        let now = self.now()
        return try await perform(nil, notifying: false) { connection in
            let revoked = try await connection.firstRow("""
                UPDATE sessions SET revoked_at = \(now.millis) WHERE id_sha256 = \(Secrets.digest(secret)) AND revoked_at IS NULL
                RETURNING 1 AS revoked
                """, logger: self.logger)
            return (revoked != nil, [])
        }
    }

    public func revokeSessions(subject: String?) async throws -> Int {
        let now = self.now()
        return try await perform(nil, notifying: false) { connection in
            var statement = BoundSQL()
            statement.sql = "WITH revoked AS (UPDATE sessions SET revoked_at = \(try statement.bind(now.millis)) WHERE revoked_at IS NULL"
            if let subject { statement.sql += " AND subject = \(try statement.bind(subject))" }
            statement.sql += " RETURNING 1) SELECT count(*) AS n FROM revoked"
            return (try await connection.firstRow(statement.query, logger: self.logger)?.value("n") ?? 0, [])
        }
    }

    /// Sessions not revoked and not past their absolute end, newest first.
    public func liveSessions() async throws -> [StoredSession] {
        let now = self.now()
        return try await client.withBoundedConnection { connection in
            try await connection.rows("""
                SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > \(now.millis) ORDER BY created_at DESC
                """, logger: self.logger).map(Self.session(from:))
        }
    }

    private static func session(from row: PostgresRandomAccessRow) throws -> StoredSession {
        StoredSession(subject: try row.value("subject"), name: try row.value("name"), roles: StoredFields.texts(from: try row.value("roles")),
                      identifiers: StoredFields.texts(from: try row.value("identifiers")), idToken: try row.value("id_token"),
                      csrf: try row.value("csrf"), createdAt: Date(millis: try row.value("created_at")),
                      lastSeenAt: Date(millis: try row.value("last_seen_at")), expiresAt: Date(millis: try row.value("expires_at")),
                      revokedAt: try row.value("revoked_at", as: Int64?.self).map(Date.init(millis:)))
    }

    // MARK: API tokens

    /// Makes a token and returns it with the only copy of its secret. Two nodes given one
    /// name at once: the unique name lets one in, and the other is told the name is taken.
    public func createToken(name: String, role: String, expiresAt: Date?) async throws -> (ApiToken, secret: String) {
        try ApiToken.checkName(name)
        let id = Secrets.shortID()
        let secret = Secrets.make()
        let now = self.now()
        let token = try await perform(nil, notifying: false) { connection in
            guard let row = try await connection.firstRow("""
                INSERT INTO api_tokens (id, name, role, secret_sha256, created_at, expires_at)
                VALUES (\(id), \(name), \(role), \(Secrets.digest(secret)), \(now.millis), \(expiresAt?.millis))
                ON CONFLICT (name) DO NOTHING RETURNING *
                """, logger: self.logger) else { throw ApiTokenError.nameTaken(name) }
            return (try Self.token(from: row), [])
        }
        return (token, ApiToken.presented(id: id, secret: secret))
    }

    /// Every token, newest first.
    public func tokens() async throws -> [ApiToken] {
        try await client.withBoundedConnection { connection in
            try await connection.rows("SELECT * FROM api_tokens ORDER BY created_at DESC, name COLLATE \"C\"", logger: self.logger)
                .map(Self.token(from:))
        }
    }

    /// Takes a token back at once; it is kept, revoked, for the record.
    public func revokeToken(name: String) async throws -> ApiToken {
        let now = self.now()
        return try await perform(nil, notifying: false) { connection in
            guard let row = try await connection.firstRow("""
                UPDATE api_tokens SET revoked_at = coalesce(revoked_at, \(now.millis)) WHERE name = \(name) RETURNING *
                """, logger: self.logger) else { throw ApiTokenError.unknown(name) }
            return (try Self.token(from: row), [])
        }
    }

    /// The token `presented` stands for, if it is one of ours, unexpired and not revoked.
    public func verifyToken(_ presented: String) async throws -> ApiToken? {
        guard let parts = ApiToken.parse(presented) else { return nil }
        let now = self.now()
        return try await client.withBoundedConnection { connection in
            guard let row = try await connection.firstRow("SELECT * FROM api_tokens WHERE id = \(parts.id)", logger: self.logger),
                  // A hash of a 256-bit random secret: comparing it leaks nothing usable.
                  try row.value("secret_sha256", as: String.self) == Secrets.digest(parts.secret) else { return nil }
            let token = try Self.token(from: row)
            return token.isUsable(at: now) ? token : nil
        }
    }

    private static func token(from row: PostgresRandomAccessRow) throws -> ApiToken {
        ApiToken(id: try row.value("id"), name: try row.value("name"), role: try row.value("role"),
                 createdAt: Date(millis: try row.value("created_at")),
                 expiresAt: try row.value("expires_at", as: Int64?.self).map(Date.init(millis:)),
                 revokedAt: try row.value("revoked_at", as: Int64?.self).map(Date.init(millis:)))
    }

    // MARK: The access log

    /// Appends the entries in one transaction (the table's triggers refuse any change or removal).
    public func appendAccess(_ entries: [AccessLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await perform(nil, notifying: false) { connection in
            for entry in entries {
                try await connection.run("""
                    INSERT INTO access_log (at, subject, name, role, case_id, action, client, personal_shown)
                    VALUES (\(entry.at.millis), \(entry.subject), \(entry.name), \(entry.role), \(entry.caseID), \(entry.action),
                        \(entry.client), \(entry.personalShown))
                    """, logger: self.logger)
            }
            return ((), [])
        }
    }

    /// Entries matching `query`, newest first.
    public func accessLog(_ query: AccessLogQuery) async throws -> [AccessLogEntry] {
        var statement = BoundSQL()
        var conditions: [String] = []
        if let caseID = query.caseID { conditions.append("case_id = \(try statement.bind(caseID))") }
        if let subject = query.subject { conditions.append("subject = \(try statement.bind(subject))") }
        if let from = query.from { conditions.append("at >= \(try statement.bind(from.millis))") }
        if let until = query.until { conditions.append("at < \(try statement.bind(until.millis))") }
        if let before = query.before { conditions.append("id < \(try statement.bind(before))") }
        statement.sql = "SELECT * FROM access_log" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY id DESC LIMIT \(try statement.bind(query.limit))"
        let sql = statement.query
        return try await client.withBoundedConnection { connection in
            try await connection.rows(sql, logger: self.logger).map { row in
                var entry = AccessLogEntry(at: Date(millis: try row.value("at")), subject: try row.value("subject"), name: try row.value("name"),
                                           role: try row.value("role"), caseID: try row.value("case_id"), action: try row.value("action"),
                                           client: try row.value("client"), personalShown: try row.value("personal_shown"))
                entry.id = try row.value("id")
                return entry
            }
        }
    }
}
