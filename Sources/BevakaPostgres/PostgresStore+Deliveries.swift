import BevakaCore
import BevakaStore
import Foundation
import PostgresNIO

/// The deliveries tables on PostgreSQL, shared by every node's DeliveryService.
///
/// Each delivery is sent by one node: ``dueDeliveries(at:limit:excluding:skippingWebhooks:skippingEmail:)``
/// claims the rows it returns (SKIP LOCKED) by moving their next attempt a lease
/// (``PostgresSettings/deliveryLease``) ahead, so no other node finds them due meanwhile. The attempt's
/// record sets the real next attempt. A node that dies holding a claim leaves its
/// deliveries to the others when the lease runs out: sent again with the same message
/// id (at least once, as the receivers are told).
extension PostgresStore: DeliveryStore {
    public func planDeliveries(limit: Int, now: Date,
                               planner: @escaping @Sendable (OutboxRecord) -> [PlannedDelivery]) async throws -> Int {
        // Looked up in a read first: the service asks after every commit, and most commits add no outbox row.
        let waiting = try await read { connection in
            try await connection.firstRow("SELECT 1 AS x FROM outbox WHERE NOT planned LIMIT 1", logger: self.logger) != nil
        }
        guard waiting else { return 0 }
        return try await perform(nil, notifying: false) { connection in
            let rows = try await connection.rows("""
                SELECT * FROM outbox WHERE NOT planned ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger: self.logger)
            for row in rows {
                let outbox = try self.outboxRecord(row)
                var seen = Set<String>()
                for delivery in planner(outbox) where seen.insert("\(delivery.channel.rawValue) \(delivery.target)").inserted {
                    let next = delivery.status == .pending ? delivery.notBefore.millis : nil
                    try await connection.run("""
                        INSERT INTO deliveries (kind, outbox_id, case_id, channel, target, type, urgent, status, next_attempt_at,
                            held_until, last_error, created_at, updated_at, message_id)
                        VALUES ('notification', \(outbox.id), \(outbox.caseID), \(delivery.channel.rawValue), \(delivery.target),
                            \(outbox.type), \(outbox.urgent), \(delivery.status.rawValue), \(next), \(delivery.heldUntil?.millis),
                            \(delivery.error), \(now.millis), \(now.millis), \(MessageID.make(now: now)))
                        """, logger: self.logger)
                }
                try await connection.run("UPDATE outbox SET planned = true WHERE id = \(outbox.id)", logger: self.logger)
                try await self.updateOutboxStatus(outbox.id, on: connection)
            }
            return (rows.count, [])
        }
    }

    /// An outbox row is pending while any of its deliveries is, dead if one died, unconfigured if
    /// nothing it went to is configured, else delivered.
    private func updateOutboxStatus(_ outboxID: Int64, on connection: PostgresConnection) async throws {
        try await connection.run("""
            UPDATE outbox SET status = coalesce((SELECT CASE WHEN count(*) FILTER (WHERE status = 'pending') > 0 THEN 'pending'
                WHEN count(*) FILTER (WHERE status = 'dead') > 0 THEN 'dead'
                WHEN count(*) FILTER (WHERE status = 'unconfigured') = count(*) THEN 'unconfigured'
                ELSE 'delivered' END
                FROM deliveries WHERE outbox_id = \(outboxID)), 'delivered') WHERE id = \(outboxID)
            """, logger: logger)
    }

    public func dueDeliveries(at now: Date, limit: Int, excluding: Set<Int64>, skippingWebhooks: Set<String>,
                              skippingEmail: Bool) async throws -> [(DeliveryRecord, OutboxRecord?)] {
        var statement = BoundSQL()
        var conditions = ["status = 'pending'", "next_attempt_at <= \(try statement.bind(now.millis))"]
        if !excluding.isEmpty { conditions.append("NOT (id = ANY(\(try statement.bind(Array(excluding)))))") }
        if !skippingWebhooks.isEmpty {
            conditions.append("NOT (channel = 'webhook' AND target = ANY(\(try statement.bind(Array(skippingWebhooks)))))")
        }
        if skippingEmail { conditions.append("channel <> 'email'") }
        let lease = try statement.bind(now.addingTimeInterval(deliveryLease).millis)
        statement.sql = """
            UPDATE deliveries SET next_attempt_at = \(lease) WHERE id IN (
                SELECT id FROM deliveries WHERE \(conditions.joined(separator: " AND "))
                ORDER BY next_attempt_at, id LIMIT \(try statement.bind(limit)) FOR UPDATE SKIP LOCKED)
            RETURNING *
            """
        let query = statement.query
        return try await perform(nil, notifying: false) { connection in
            var due: [(DeliveryRecord, OutboxRecord?)] = []
            for row in try await connection.rows(query, logger: self.logger) {
                let delivery = try self.deliveryRecord(row)
                var outbox: OutboxRecord?
                if let id = delivery.outboxID,
                   let row = try await connection.firstRow("SELECT * FROM outbox WHERE id = \(id)", logger: self.logger) {
                    outbox = try self.outboxRecord(row)
                }
                due.append((delivery, outbox))
            }
            // Earliest first, as SQLite answers (RETURNING keeps no order).
            return (due.sorted { ($0.0.nextAttemptAt ?? .distantPast, $0.0.id) < ($1.0.nextAttemptAt ?? .distantPast, $1.0.id) }, [])
        }
    }

    public func nextDeliveryDue() async throws -> Date? {
        try await read { connection in
            try await connection.firstRow("SELECT min(next_attempt_at) AS due FROM deliveries WHERE status = 'pending'", logger: self.logger)?
                .value("due", as: Int64?.self).map(Date.init(millis:))
        }
    }

    @discardableResult
    public func recordAttempt(deliveryID: Int64, _ attempt: DeliveryAttempt, decision: DeliveryDecision,
                              now: Date) async throws -> Bool {
        let status = switch decision { case .delivered: "delivered"; case .retry: "pending"; case .dead: "dead" }
        let next: Int64? = if case .retry(let at) = decision { at.millis } else { nil }
        let delivered: Int64? = decision == .delivered ? now.millis : nil
        return try await perform(nil, notifying: false) { connection in
            guard let row = try await connection.firstRow("""
                UPDATE deliveries SET attempts = \(attempt.attempt), updated_at = \(now.millis), last_error = \(attempt.error),
                    status = \(status), next_attempt_at = \(next), delivered_at = \(delivered)
                WHERE id = \(deliveryID) AND status = 'pending' AND attempts = \(attempt.attempt - 1)
                RETURNING outbox_id
                """, logger: self.logger) else { return (false, []) }
            try await connection.run("""
                INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, outcome, status_code, error)
                VALUES (\(deliveryID), \(attempt.attempt), \(attempt.startedAt.millis), \(attempt.durationMilliseconds),
                    \(attempt.outcome), \(attempt.statusCode), \(attempt.error))
                """, logger: self.logger)
            if let outboxID = try row.value("outbox_id", as: Int64?.self) {
                try await self.updateOutboxStatus(outboxID, on: connection)
            }
            if case .dead(let alerts) = decision {
                for alert in alerts { try await self.insertComposed(alert, kind: .alert, day: nil, now: now, on: connection) }
            }
            return (true, [])
        }
    }

    public func retryDelivery(id: Int64, now: Date) async throws -> DeliveryRecord {
        try await perform(nil, notifying: false) { connection in
            guard let row = try await connection.firstRow("SELECT * FROM deliveries WHERE id = \(id) FOR UPDATE", logger: self.logger) else {
                throw StoreError.deliveryNotFound(id)
            }
            let delivery = try self.deliveryRecord(row)
            guard delivery.status == .dead else { throw StoreError.deliveryNotRetryable(id, status: delivery.status) }
            // Attempt numbers go on counting (the history of attempts is kept); the schedule restarts.
            let updated = try await connection.firstRow("""
                UPDATE deliveries SET status = 'pending', next_attempt_at = \(now.millis), updated_at = \(now.millis),
                    held_until = NULL, round_start = attempts WHERE id = \(id) RETURNING *
                """, logger: self.logger)
            if let outboxID = delivery.outboxID { try await self.updateOutboxStatus(outboxID, on: connection) }
            return (try self.deliveryRecord(updated!), [])
        }
    }

    @discardableResult
    public func queueEmail(_ email: ComposedEmail, kind: DeliveryKind, day: String?, now: Date) async throws -> Bool {
        do {
            return try await perform(nil, notifying: false) { connection in
                try await self.insertComposed(email, kind: kind, day: day, now: now, on: connection)
                return (true, [])
            }
        } catch where kind == .digest && PostgresTransaction.isUniqueViolation(error) {
            return false  // that day's digest exists (queued by this node or another)
        }
    }

    private func insertComposed(_ email: ComposedEmail, kind: DeliveryKind, day: String?, now: Date,
                                on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO deliveries (kind, case_id, channel, target, type, urgent, status, next_attempt_at, subject, body, day,
                created_at, updated_at, message_id)
            VALUES (\(kind.rawValue), \(String?.none), 'email', \(email.target), \(email.type), true, 'pending', \(now.millis),
                \(email.subject), \(email.body), \(day), \(now.millis), \(now.millis), \(MessageID.make(now: now)))
            """, logger: logger)
    }

    public func deadlinesDue(by instant: Date) async throws -> [DueDeadline] {
        try await read { connection in
            var due: [DueDeadline] = []
            for row in try await connection.rows("""
                SELECT * FROM cases WHERE next_due_at IS NOT NULL AND next_due_at <= \(instant.millis) AND NOT is_final
                ORDER BY next_due_at
                """, logger: self.logger) {
                let (record, _) = try self.record(from: row)
                for deadline in record.due(by: instant) {
                    due.append(DueDeadline(caseID: record.id, workflow: record.workflow, state: record.state, owner: record.owner,
                                           deadline: deadline, fields: record.fields))
                }
            }
            return due
        }
    }

    @discardableResult
    public func disableEndpoint(_ name: String, reason: String, now: Date, alerts: [ComposedEmail]) async throws -> Bool {
        try await perform(nil, notifying: false) { connection in
            guard try await connection.firstRow("""
                INSERT INTO disabled_endpoints (name, disabled_at, reason) VALUES (\(name), \(now.millis), \(reason))
                ON CONFLICT DO NOTHING RETURNING name
                """, logger: self.logger) != nil else { return (false, []) }
            for alert in alerts { try await self.insertComposed(alert, kind: .alert, day: nil, now: now, on: connection) }
            return (true, [])
        }
    }

    @discardableResult
    public func enableEndpoint(_ name: String) async throws -> Bool {
        try await perform(nil, notifying: false) { connection in
            (try await connection.firstRow("DELETE FROM disabled_endpoints WHERE name = \(name) RETURNING name",
                                           logger: self.logger) != nil, [])
        }
    }

    public func disabledEndpoints() async throws -> [String: (at: Date, reason: String)] {
        try await read { connection in
            var result: [String: (at: Date, reason: String)] = [:]
            for row in try await connection.rows("SELECT * FROM disabled_endpoints", logger: self.logger) {
                result[try row.value("name")] = (Date(millis: try row.value("disabled_at")), try row.value("reason"))
            }
            return result
        }
    }

    public func deliveries(status: DeliveryStatus?, caseID: String?, before: Int64?, limit: Int) async throws -> [DeliveryRecord] {
        var statement = BoundSQL()
        var clauses: [String] = []
        if let status { clauses.append("status = \(try statement.bind(status.rawValue))") }
        if let caseID { clauses.append("case_id = \(try statement.bind(caseID))") }
        if let before { clauses.append("id < \(try statement.bind(before))") }
        let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        statement.sql = "SELECT * FROM deliveries \(condition) ORDER BY id DESC LIMIT \(try statement.bind(limit))"
        let query = statement.query
        return try await read { connection in
            try await connection.rows(query, logger: self.logger).map(self.deliveryRecord)
        }
    }

    public func delivery(id: Int64) async throws -> (DeliveryRecord, [DeliveryAttempt]) {
        try await read { connection in
            guard let row = try await connection.firstRow("SELECT * FROM deliveries WHERE id = \(id)", logger: self.logger) else {
                throw StoreError.deliveryNotFound(id)
            }
            let attempts = try await connection.rows("""
                SELECT * FROM delivery_attempts WHERE delivery_id = \(id) ORDER BY attempt
                """, logger: self.logger).map { row in
                DeliveryAttempt(attempt: try row.value("attempt"), startedAt: Date(millis: try row.value("started_at")),
                                durationMilliseconds: try row.value("duration_ms"), outcome: try row.value("outcome"),
                                statusCode: try row.value("status_code"), error: try row.value("error"))
            }
            return (try self.deliveryRecord(row), attempts)
        }
    }

    public func deliveryCounts() async throws -> [DeliveryStatus: Int] {
        try await read { connection in
            var counts = Dictionary(uniqueKeysWithValues: DeliveryStatus.allCases.map { ($0, 0) })
            for row in try await connection.rows("SELECT status, count(*) AS n FROM deliveries GROUP BY status", logger: self.logger) {
                if let status = DeliveryStatus(rawValue: try row.value("status")) { counts[status] = try row.value("n") }
            }
            return counts
        }
    }

    // MARK: Rows

    func deliveryRecord(_ row: PostgresRandomAccessRow) throws -> DeliveryRecord {
        try DeliveryRecord(
            id: try row.value("id"), kind: try row.value("kind"), outboxID: try row.value("outbox_id"), caseID: try row.value("case_id"),
            channel: try row.value("channel"), target: try row.value("target"), type: try row.value("type"), urgent: try row.value("urgent"),
            status: try row.value("status"), attempts: try row.value("attempts"), roundStart: try row.value("round_start"),
            nextAttemptAt: try row.value("next_attempt_at"), heldUntil: try row.value("held_until"), lastError: try row.value("last_error"),
            subject: try row.value("subject"), body: try row.value("body"), day: try row.value("day"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"), deliveredAt: try row.value("delivered_at"),
            messageID: try row.value("message_id"))
    }

    func outboxRecord(_ row: PostgresRandomAccessRow) throws -> OutboxRecord {
        OutboxRecord(
            id: try row.value("id"), caseID: try row.value("case_id"), historyID: try row.value("history_id"),
            createdAt: Date(millis: try row.value("created_at")), type: try row.value("type"),
            recipients: try StoredFields.decodeJSON([String].self, try row.value("recipients")),
            webhooks: try StoredFields.decodeJSON([String].self, try row.value("webhooks")),
            template: try row.value("template"), urgent: try row.value("urgent"), deadline: try row.value("deadline"),
            dueAt: try row.value("due_at", as: Int64?.self).map(Date.init(millis:)), event: try row.value("event"),
            state: try row.value("state"), data: JSONValue.parse(try row.value("data")) ?? .null, status: try row.value("status"))
    }
}
