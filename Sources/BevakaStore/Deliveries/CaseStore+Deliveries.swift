import BevakaCore
import Foundation
import GRDB

/// The deliveries tables: written by the DeliveryService in small transactions
/// of their own, never while a message is on the wire. An attempt's record goes
/// through the case writer's group commit, in a savepoint of its own.
extension CaseStore {
    // MARK: Planning

    /// Fans out the outbox rows written since the last call into deliveries, in
    /// outbox order, at most `limit` rows per call. The rows, their deliveries
    /// and the cursor are written in one transaction, so a row is planned once.
    /// Returns how many outbox rows were planned.
    public func planDeliveries(limit: Int, now: Date,
                               planner: @escaping @Sendable (OutboxRecord) -> [PlannedDelivery]) async throws -> Int {
        // Looked up in a read first: the service asks after every commit, and most commits add no outbox row.
        let waiting = try await database.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM outbox WHERE id > (SELECT last_outbox_id FROM delivery_cursor WHERE id = 1))
                """) ?? false
        }
        guard waiting else { return 0 }
        return try await database.write { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT last_outbox_id FROM delivery_cursor WHERE id = 1") ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE id > ? ORDER BY id LIMIT ?", arguments: [cursor, limit])
            guard let last = rows.last else { return 0 }
            for row in rows {
                let outbox = try OutboxRecord(row: row)
                let planned = planner(outbox)
                var seen = Set<String>()
                for delivery in planned where seen.insert("\(delivery.channel.rawValue) \(delivery.target)").inserted {
                    try db.run("""
                        INSERT INTO deliveries (kind, outbox_id, case_id, channel, target, type, urgent, status, next_attempt_at,
                            held_until, last_error, created_at, updated_at, message_id)
                        VALUES ('notification', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [outbox.id, outbox.caseID, delivery.channel.rawValue, delivery.target, outbox.type,
                                         outbox.urgent, delivery.status.rawValue,
                                         delivery.status == .pending ? delivery.notBefore.millis : nil,
                                         delivery.heldUntil?.millis, delivery.error, now.millis, now.millis, MessageID.make(now: now)])
                }
                try Self.updateOutboxStatus(outbox.id, db: db)
            }
            try db.execute(sql: "UPDATE delivery_cursor SET last_outbox_id = ? WHERE id = 1", arguments: [last["id"] as Int64])
            return rows.count
        }
    }

    /// An outbox row is pending while any of its deliveries is, dead if one died, unconfigured if
    /// nothing it went to is configured, else delivered.
    static func updateOutboxStatus(_ outboxID: Int64, db: Database) throws {
        try db.run("""
            UPDATE outbox SET status = coalesce((SELECT CASE WHEN sum(status = 'pending') > 0 THEN 'pending'
                WHEN sum(status = 'dead') > 0 THEN 'dead' WHEN sum(status = 'unconfigured') = count(*) THEN 'unconfigured'
                ELSE 'delivered' END
                FROM deliveries WHERE outbox_id = ?), 'delivered') WHERE id = ?
            """, arguments: [outboxID, outboxID])
    }

    // MARK: Sending

    /// Pending deliveries whose next attempt is due, earliest first, with their outbox rows.
    /// - Parameters:
    ///   - excluding: deliveries already handed to a lane.
    ///   - skippingWebhooks: endpoints whose lanes are full, and `skippingEmail` whether the
    ///     email lanes are: their deliveries are left for later, so that a backlog for a slow
    ///     receiver never fills the page and holds up the others.
    public func dueDeliveries(at now: Date, limit: Int, excluding: Set<Int64> = [], skippingWebhooks: Set<String> = [],
                              skippingEmail: Bool = false) async throws -> [(DeliveryRecord, OutboxRecord?)] {
        var conditions = ["status = 'pending'", "next_attempt_at <= ?"]
        var arguments: StatementArguments = [now.millis]
        if !excluding.isEmpty {
            conditions.append("id NOT IN (\(excluding.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(Array(excluding))
        }
        if !skippingWebhooks.isEmpty {
            conditions.append("NOT (channel = 'webhook' AND target IN (\(skippingWebhooks.map { _ in "?" }.joined(separator: ", "))))")
            arguments += StatementArguments(Array(skippingWebhooks))
        }
        if skippingEmail { conditions.append("channel <> 'email'") }
        arguments += [limit]
        let sql = "SELECT * FROM deliveries WHERE \(conditions.joined(separator: " AND ")) ORDER BY next_attempt_at, id LIMIT ?"
        let query = arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: query).map { row in
                let delivery = try DeliveryRecord(row: row)
                let outbox = try delivery.outboxID.flatMap { id in
                    try db.fetchOneRow("SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(OutboxRecord.init(row:))
                }
                return (delivery, outbox)
            }
        }
    }

    /// When the earliest pending delivery is due (nil: none).
    public func nextDeliveryDue() async throws -> Date? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending'").map(Date.init(millis:))
        }
    }

    /// Records one attempt and what follows from it, in one transaction. Ignored
    /// (returns false) if the delivery is no longer pending at `attempt.attempt - 1`
    /// attempts, e.g. an operator retried it meanwhile.
    ///
    /// Committed with whatever else the writer has waiting (other lanes' attempts, case
    /// changes): a commit of its own each, synced to disk, held webhooks to about 1 400/s
    /// (bevaka-bench goals B5).
    @discardableResult
    public func recordAttempt(deliveryID: Int64, _ attempt: DeliveryAttempt, decision: DeliveryDecision,
                              now: Date) async throws -> Bool {
        try await writer.perform { db in
            try db.run("""
                UPDATE deliveries SET attempts = ?, updated_at = ?, last_error = ?, status = ?, next_attempt_at = ?, delivered_at = ?
                WHERE id = ? AND status = 'pending' AND attempts = ?
                """, arguments: [
                    attempt.attempt, now.millis, attempt.error,
                    { switch decision { case .delivered: "delivered"; case .retry: "pending"; case .dead: "dead" } }(),
                    { if case .retry(let at) = decision { at.millis } else { nil } }(),
                    decision == .delivered ? now.millis : nil,
                    deliveryID, attempt.attempt - 1,
                ])
            guard db.changesCount == 1 else { return (false, []) }
            try db.run("""
                INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, outcome, status_code, error)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [deliveryID, attempt.attempt, attempt.startedAt.millis, attempt.durationMilliseconds,
                                 attempt.outcome, attempt.statusCode, attempt.error])
            if let outboxID = try Int64.fetchOne(db, sql: "SELECT outbox_id FROM deliveries WHERE id = ?", arguments: [deliveryID]) {
                try Self.updateOutboxStatus(outboxID, db: db)
            }
            if case .dead(let alerts) = decision {
                for alert in alerts { try Self.insertComposed(alert, kind: .alert, day: nil, caseID: nil, now: now, db: db) }
            }
            return (true, [])
        }
    }

    /// Sends a dead delivery again, at once, with a fresh round of attempts.
    public func retryDelivery(id: Int64, now: Date) async throws -> DeliveryRecord {
        try await database.write { db in
            guard let row = try db.fetchOneRow("SELECT * FROM deliveries WHERE id = ?", arguments: [id]) else {
                throw StoreError.deliveryNotFound(id)
            }
            let delivery = try DeliveryRecord(row: row)
            guard delivery.status == .dead else { throw StoreError.deliveryNotRetryable(id, status: delivery.status) }
            // Attempt numbers go on counting (the history of attempts is kept); the schedule restarts.
            try db.run("""
                UPDATE deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ?, held_until = NULL,
                    round_start = attempts WHERE id = ?
                """, arguments: [now.millis, now.millis, id])
            if let outboxID = delivery.outboxID { try Self.updateOutboxStatus(outboxID, db: db) }
            return try DeliveryRecord(row: try db.fetchOneRow("SELECT * FROM deliveries WHERE id = ?", arguments: [id])!)
        }
    }

    // MARK: Digests and alerts

    /// Queues a message the daemon wrote itself. A digest is queued once per recipient and day:
    /// returns false if that day's digest exists.
    @discardableResult
    public func queueEmail(_ email: ComposedEmail, kind: DeliveryKind, day: String? = nil, now: Date) async throws -> Bool {
        try await database.write { db in
            if kind == .digest, try Bool.fetchOne(db, sql: "SELECT 1 FROM deliveries WHERE kind = 'digest' AND target = ? AND day = ?",
                                                  arguments: [email.target, day]) == true {
                return false
            }
            try Self.insertComposed(email, kind: kind, day: day, caseID: nil, now: now, db: db)
            return true
        }
    }

    static func insertComposed(_ email: ComposedEmail, kind: DeliveryKind, day: String?, caseID: String?, now: Date,
                               db: Database) throws {
        try db.run("""
            INSERT INTO deliveries (kind, case_id, channel, target, type, urgent, status, next_attempt_at, subject, body, day,
                created_at, updated_at, message_id) VALUES (?, ?, 'email', ?, ?, 1, 'pending', ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [kind.rawValue, caseID, email.target, email.type, now.millis, email.subject, email.body, day,
                             now.millis, now.millis, MessageID.make(now: now)])
    }

    /// Deadlines and checklist items of open cases due by `instant` (overdue ones included), for digests.
    public func deadlinesDue(by instant: Date) async throws -> [DueDeadline] {
        try await database.read { db in
            var due: [DueDeadline] = []
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM cases WHERE next_due_at IS NOT NULL AND next_due_at <= ? AND is_final = 0 ORDER BY next_due_at
                """, arguments: [instant.millis])
            for row in rows {
                let key = WorkflowKey(name: row["workflow"], version: row["workflow_version"])
                let record = try StoredFields.record(from: row, definition: try self.definition(key))
                for deadline in record.due(by: instant) {
                    due.append(DueDeadline(caseID: record.id, workflow: key, state: record.state, owner: record.owner,
                                           deadline: deadline, fields: record.fields))
                }
            }
            return due
        }
    }

    // MARK: Endpoints

    /// Marks a webhook endpoint disabled (it answered 410 Gone). Returns false if it already was.
    @discardableResult
    public func disableEndpoint(_ name: String, reason: String, now: Date, alerts: [ComposedEmail]) async throws -> Bool {
        try await database.write { db in
            try db.run("INSERT OR IGNORE INTO disabled_endpoints (name, disabled_at, reason) VALUES (?, ?, ?)",
                       arguments: [name, now.millis, reason])
            guard db.changesCount == 1 else { return false }
            for alert in alerts { try Self.insertComposed(alert, kind: .alert, day: nil, caseID: nil, now: now, db: db) }
            return true
        }
    }

    /// Enables an endpoint again; returns false if it was not disabled.
    @discardableResult
    public func enableEndpoint(_ name: String) async throws -> Bool {
        try await database.write { db in
            try db.run("DELETE FROM disabled_endpoints WHERE name = ?", arguments: [name])
            return db.changesCount == 1
        }
    }

    /// Disabled endpoints with when and why.
    public func disabledEndpoints() async throws -> [String: (at: Date, reason: String)] {
        try await database.read { db in
            var result: [String: (at: Date, reason: String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM disabled_endpoints") {
                result[row["name"]] = (Date(millis: row["disabled_at"]), row["reason"])
            }
            return result
        }
    }

    // MARK: Reading

    /// One page of deliveries, newest first; pass the last id seen as `before` for the next page.
    public func deliveries(status: DeliveryStatus?, caseID: String? = nil, before: Int64?, limit: Int) async throws -> [DeliveryRecord] {
        try await database.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let status { clauses.append("status = ?"); arguments += [status.rawValue] }
            if let caseID { clauses.append("case_id = ?"); arguments += [caseID] }
            if let before { clauses.append("id < ?"); arguments += [before] }
            let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM deliveries \(condition) ORDER BY id DESC LIMIT ?", arguments: arguments)
                .map(DeliveryRecord.init(row:))
        }
    }

    public func delivery(id: Int64) async throws -> (DeliveryRecord, [DeliveryAttempt]) {
        try await database.read { db in
            guard let row = try db.fetchOneRow("SELECT * FROM deliveries WHERE id = ?", arguments: [id]) else {
                throw StoreError.deliveryNotFound(id)
            }
            let attempts = try Row.fetchAll(db, sql: "SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt",
                                            arguments: [id]).map { row in
                DeliveryAttempt(attempt: row["attempt"], startedAt: Date(millis: row["started_at"]),
                                durationMilliseconds: row["duration_ms"], outcome: row["outcome"],
                                statusCode: row["status_code"], error: row["error"])
            }
            return (try DeliveryRecord(row: row), attempts)
        }
    }

    /// Deliveries by status, every status present (zero when none).
    public func deliveryCounts() async throws -> [DeliveryStatus: Int] {
        try await database.read { db in
            var counts = Dictionary(uniqueKeysWithValues: DeliveryStatus.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM deliveries GROUP BY status") {
                if let status = DeliveryStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }
}
