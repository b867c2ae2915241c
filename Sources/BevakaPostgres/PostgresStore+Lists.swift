import BevakaCore
import BevakaStore
import Foundation
import PostgresNIO

/// The read side across cases: lists in the order and with the filters SQLite's give,
/// "Mina uppgifter" from case_tasks, the counts for `/metrics`, and the reports' queries.
extension PostgresStore: CaseListStore {
    public func casesWithTasks(roles: Set<String>, after: TaskPosition?, limit: Int) async throws -> [CaseRecord] {
        guard !roles.isEmpty, limit > 0 else { return [] }
        return try await read { connection in
            // Per role one index range, merged, as in SQLite.
            var soonest: [TaskPosition] = []
            for role in roles.sorted() {
                var statement = BoundSQL()
                statement.sql = "SELECT due_at, case_id, item FROM case_tasks WHERE role = \(try statement.bind(role))"
                if let after {
                    statement.sql += " AND (due_at, case_id, item) > (\(try statement.bind(after.dueAt)), "
                        + "\(try statement.bind(after.caseID)), \(try statement.bind(after.item)))"
                }
                statement.sql += " ORDER BY due_at, case_id, item LIMIT \(try statement.bind(limit))"
                soonest += try await connection.rows(statement.query, logger: self.logger).map {
                    TaskPosition(dueAt: try $0.value("due_at"), caseID: try $0.value("case_id"), item: try $0.value("item"))
                }
            }
            var seen = Set<String>()
            let ids = soonest.sorted().prefix(limit).compactMap { seen.insert($0.caseID).inserted ? $0.caseID : nil }
            var records: [CaseRecord] = []
            for id in ids { records.append(try await self.readCase(id, on: connection).0) }
            return records
        }
    }

    public func listCases(_ filter: CaseFilter, after: String?, limit: Int) async throws -> [CaseRecord] {
        try await listCasesWithCursors(filter, after: after, limit: limit).map(\.record)
    }

    public func listCasesWithCursors(_ filter: CaseFilter, after: String?,
                                     limit: Int) async throws -> [(record: CaseRecord, cursor: CaseCursor)] {
        let now = self.now().millis
        return try await read { connection in
            var statement = BoundSQL()
            func bind<T: PostgresThrowingDynamicTypeEncodable>(_ value: T) throws -> String { try statement.bind(value) }
            var clauses: [String] = []
            if let workflow = filter.workflow { clauses.append("workflow = \(try bind(workflow))") }
            if let state = filter.state { clauses.append("state = \(try bind(state))") }
            if let owner = filter.owner { clauses.append("owner = \(try bind(owner))") }
            if filter.overdue { clauses.append("next_due_at IS NOT NULL AND next_due_at <= \(try bind(now))") }
            if filter.open { clauses.append("NOT is_final") }
            if let unit = filter.unit { clauses.append("unit_id = \(try bind(unit))") }
            if let contract = filter.contract { clauses.append("contract_id = \(try bind(contract))") }
            if let provider = filter.provider { clauses.append("provider_id = \(try bind(provider))") }
            if let board = filter.board { clauses.append("board = \(try bind(board))") }
            if let area = filter.area { clauses.append("area = \(try bind(area))") }
            if !filter.ownedBy.isEmpty {
                clauses.append("id IN (SELECT case_id FROM case_parties WHERE who = ANY(\(try bind(filter.ownedBy))))")
            }
            if let role = filter.role {
                clauses.append("""
                    EXISTS (SELECT 1 FROM jsonb_each(cases.people::jsonb) AS r WHERE r.key = \(try bind(role)) \
                    AND jsonb_typeof(r.value) = 'array' AND jsonb_array_length(r.value) > 0)
                    """)
            }
            for (name, value) in filter.fields.sorted(by: { $0.key < $1.key }) {
                clauses.append("id IN (SELECT case_id FROM case_terms WHERE name = \(try bind(name)) AND value = \(try bind(value)))")
            }
            if let text = filter.text, !text.isEmpty {
                let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                var alternatives = [
                    "id IN (SELECT case_id FROM case_terms WHERE value LIKE \(try bind(pattern)) ESCAPE '\\')",
                    "unit_id IN (SELECT hsa_id FROM units WHERE name LIKE \(try bind(pattern)) ESCAPE '\\')",
                ]
                for pair in filter.statesMatchingText {
                    alternatives.append("(workflow = \(try bind(pair.workflow)) AND state = \(try bind(pair.state)))")
                }
                clauses.append("(" + alternatives.joined(separator: " OR ") + ")")
            }
            if let visible = filter.visible {
                clauses.append("""
                    (workflow = ANY(\(try bind(visible.workflows))) \
                    OR id IN (SELECT case_id FROM case_parties WHERE who = ANY(\(try bind(visible.owners)))))
                    """)
            }
            // The sort key: when the case was opened, or its next due moment (nothing due: last).
            let sortKey = filter.order == .due ? "coalesce(next_due_at, 9223372036854775807)" : "created_at"
            if let after {
                let cursor: CaseCursor
                if let parsed = CaseCursor(after), parsed.order == filter.order {
                    cursor = parsed
                } else if CaseCursor(after) == nil, filter.order == .created,
                          let anchor = try await connection.firstRow("SELECT created_at FROM cases WHERE id = \(after)",
                                                                     logger: self.logger) {
                    cursor = CaseCursor(order: .created, key: try anchor.value("created_at"), id: after)
                } else {
                    throw StoreError.caseNotFound(after)
                }
                clauses.append("(\(sortKey), id) > (\(try bind(cursor.key)), \(try bind(cursor.id)))")
            }
            let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            statement.sql = "SELECT *, \(sortKey) AS sort_key FROM cases \(condition) ORDER BY \(sortKey), id LIMIT \(try bind(limit))"
            return try await connection.rows(statement.query, logger: self.logger).map { row in
                let (record, _) = try self.record(from: row)
                return (record, CaseCursor(order: filter.order, key: try row.value("sort_key"), id: record.id))
            }
        }
    }

    public func snapshot() async throws -> StoreSnapshot {
        try await PostgresTransaction.run(client, logger: logger) { connection in
            // One snapshot of the database for all the counts.
            try await connection.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            var snapshot = StoreSnapshot()
            snapshot.casesByState = try await connection.rows(
                "SELECT workflow, state, count(*) AS n FROM cases GROUP BY workflow, state", logger: self.logger)
                .map { (try $0.value("workflow"), try $0.value("state"), try $0.value("n")) }
            snapshot.pendingTimers = try await connection.firstRow("SELECT count(*) AS n FROM timers", logger: self.logger)?.value("n") ?? 0
            snapshot.transitions = try await connection.firstRow(
                "SELECT coalesce(max(id), 0) AS n FROM history", logger: self.logger)?.value("n") ?? 0
            snapshot.deliveries = try await connection.rows(
                "SELECT channel, status, count(*) AS n FROM deliveries GROUP BY channel, status", logger: self.logger)
                .map { (try $0.value("channel"), try $0.value("status"), try $0.value("n")) }
            snapshot.outboxDepth = try await connection.firstRow(
                "SELECT count(*) AS n FROM outbox WHERE status = 'pending'", logger: self.logger)?.value("n") ?? 0
            return snapshot
        }
    }

    public func casesOfWorkflow(_ name: String) async throws -> [CaseRecord] {
        try await read { connection in
            try await connection.rows("SELECT * FROM cases WHERE workflow = \(name) ORDER BY created_at, id", logger: self.logger)
                .map { try self.record(from: $0).0 }
        }
    }

    public func reportCases(contracts: [String]?, texts: [String]) async throws -> [(case: ReportCase, history: [ReportHistoryRow])] {
        if let contracts, contracts.isEmpty { return [] }
        return try await PostgresTransaction.run(client, logger: logger) { connection in
            try await connection.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            var statement = BoundSQL()
            var condition = "contract_id IS NOT NULL"
            if let contracts { condition += " AND contract_id = ANY(\(try statement.bind(contracts)))" }
            // A text or enum field is a JSON string in the stored fields; anything else is not shown.
            let columns = try texts.indices.map { index in
                let name = try statement.bind(texts[index])
                return "CASE jsonb_typeof(fields::jsonb -> \(name)) WHEN 'string' THEN fields::jsonb ->> \(name) END AS t\(index)"
            }
            statement.sql = """
                SELECT id, workflow, workflow_version, state, unit_id, contract_id\(columns.map { ", " + $0 }.joined())
                FROM cases WHERE \(condition) ORDER BY created_at, id
                """
            let cases = try await connection.rows(statement.query, logger: self.logger).map { row in
                var values: [String: String] = [:]
                for (index, name) in texts.enumerated() { if let text = try row.value("t\(index)", as: String?.self) { values[name] = text } }
                return ReportCase(id: try row.value("id"), workflow: try row.workflowKey, state: try row.value("state"),
                                  unit: try row.value("unit_id"), contract: try row.value("contract_id"), texts: values)
            }
            var history = BoundSQL()
            var historyCondition = "contract_id IS NOT NULL"
            if let contracts { historyCondition += " AND contract_id = ANY(\(try history.bind(contracts)))" }
            history.sql = """
                SELECT case_id, seq, event, from_state, to_state, role, coalesce(effective_at, at) AS t, payload FROM history
                WHERE case_id IN (SELECT id FROM cases WHERE \(historyCondition)) ORDER BY case_id, seq
                """
            var histories: [String: [ReportHistoryRow]] = [:]
            for row in try await connection.rows(history.query, logger: self.logger) {
                let event: String = try row.value("event")
                let caseID: String = try row.value("case_id")
                let payload = ReportHistoryRow.payloadRead.contains(event) ? JSONValue.parse(try row.value("payload")) ?? .null : .null
                histories[caseID, default: []].append(try self.reportRow(row, caseID: caseID, payload: payload))
            }
            return cases.map { ($0, histories[$0.id] ?? []) }
        }
    }

    public func deductionCases(events: Set<String>) async throws -> [(record: CaseRecord, segments: [AccrualSegment], history: [ReportHistoryRow])] {
        try await PostgresTransaction.run(client, logger: logger) { connection in
            try await connection.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            let eventList = events.sorted()
            let ids = try await connection.rows("""
                SELECT case_id FROM ledger_segments UNION SELECT case_id FROM history WHERE event = ANY(\(eventList))
                """, logger: self.logger).map { try $0.value("case_id", as: String.self) }
            var result: [(record: CaseRecord, segments: [AccrualSegment], history: [ReportHistoryRow])] = []
            for id in ids.sorted() {
                let (record, _) = try await self.readCase(id, on: connection)
                let segments = try await self.segments(of: id, on: connection)
                let history = try await connection.rows("""
                    SELECT seq, event, from_state, to_state, role, coalesce(effective_at, at) AS t, payload
                    FROM history WHERE case_id = \(id) AND event = ANY(\(eventList)) ORDER BY seq
                    """, logger: self.logger).map { row in
                    try self.reportRow(row, caseID: id, payload: JSONValue.parse(try row.value("payload")) ?? .null)
                }
                result.append((record, segments, history))
            }
            return result
        }
    }

    private func reportRow(_ row: PostgresRandomAccessRow, caseID: String, payload: JSONValue) throws -> ReportHistoryRow {
        ReportHistoryRow(caseID: caseID, seq: try row.value("seq"), event: try row.value("event"), fromState: try row.value("from_state"),
                         toState: try row.value("to_state"), role: try row.value("role"), at: Date(millis: try row.value("t")),
                         payload: payload)
    }
}
