import BevakaCore
import Foundation
import GRDB

/// What a write answered, kept under its `Idempotency-Key` so that the same
/// request sent again (a client that lost the answer to a crash or a timeout)
/// gets the same answer and changes nothing.
public struct StoredResponse: Sendable, Equatable {
    public let status: Int
    public let body: String
    public let location: String?

    public init(status: Int, body: String, location: String? = nil) {
        self.status = status
        self.body = body
        self.location = location
    }
}

/// A write that carries an `Idempotency-Key`: `scope` keeps one client's keys
/// apart from another's and one route's from another's; `fingerprint` tells the
/// same request from a different one sent under the same key.
public struct IdempotencyClaim<Result: Sendable>: Sendable {
    public let scope: String
    public let key: String
    public let fingerprint: String
    /// The answer to keep, made from the result inside the write's transaction.
    public let render: @Sendable (Result) -> StoredResponse

    public init(scope: String, key: String, fingerprint: String, render: @escaping @Sendable (Result) -> StoredResponse) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.render = render
    }
}

extension CaseStore {
    /// How long a key is remembered.
    public static let idempotencyWindow: TimeInterval = 24 * 3600

    /// Runs `work` in the one writer unless `claim`'s key was used before: then it
    /// throws ``StoreError/replayed(_:)`` with the first answer (same request) or
    /// ``StoreError/idempotencyKeyReused(_:)`` (another request), changing nothing.
    /// The key and the answer are written in the same transaction as the change,
    /// so either both are on disk or neither is.
    func performOnce<R: Sendable>(_ claim: IdempotencyClaim<R>?,
                                  _ work: @escaping @Sendable (Database) throws -> (R, [ScheduledTimer])) async throws -> R {
        guard let claim else { return try await writer.perform(work) }
        return try await writer.perform { db in
            if let row = try Row.fetchOne(db, sql: """
                SELECT fingerprint, status, body, location FROM idempotency_keys WHERE scope = ? AND key = ?
                """, arguments: [claim.scope, claim.key]) {
                guard row["fingerprint"] as String == claim.fingerprint else { throw StoreError.idempotencyKeyReused(claim.key) }
                throw StoreError.replayed(StoredResponse(status: row["status"], body: row["body"], location: row["location"]))
            }
            let (result, timers) = try work(db)
            let response = claim.render(result)
            let now = self.now()
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE created_at < ?",
                           arguments: [now.addingTimeInterval(-Self.idempotencyWindow).millis])
            try db.execute(sql: """
                INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, location, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [claim.scope, claim.key, claim.fingerprint, response.status, response.body, response.location, now.millis])
            return (result, timers)
        }
    }
}
