import BevakaCore
import Foundation
import GRDB

/// A line of a case's history as stored, with its place in the hash chain.
public struct HistoryRecord: Sendable, Equatable {
    public let id: Int64
    public let seq: Int
    public let entry: HistoryEntry
    public let previousHash: String
    public let hash: String

    package init(id: Int64, seq: Int, entry: HistoryEntry, previousHash: String, hash: String) {
        self.id = id
        self.seq = seq
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The same line with its entry as shown to someone (personal values left out); the hashes stay those stored.
    public func showing(_ entry: HistoryEntry) -> HistoryRecord {
        HistoryRecord(id: id, seq: seq, entry: entry, previousHash: previousHash, hash: hash)
    }
}

/// A notification recorded in the outbox.
public struct OutboxRecord: Sendable, Equatable {
    public let id: Int64
    public let caseID: String
    public let historyID: Int64
    public let createdAt: Date
    public let type: String
    public let recipients: [String]
    public let webhooks: [String]
    public let template: String?
    public let urgent: Bool
    public let deadline: String?
    public let dueAt: Date?
    public let event: String?
    public let state: String
    public let data: JSONValue
    public let status: String

    package init(id: Int64, caseID: String, historyID: Int64, createdAt: Date, type: String, recipients: [String], webhooks: [String],
                 template: String?, urgent: Bool, deadline: String?, dueAt: Date?, event: String?, state: String, data: JSONValue,
                 status: String) {
        self.id = id
        self.caseID = caseID
        self.historyID = historyID
        self.createdAt = createdAt
        self.type = type
        self.recipients = recipients
        self.webhooks = webhooks
        self.template = template
        self.urgent = urgent
        self.deadline = deadline
        self.dueAt = dueAt
        self.event = event
        self.state = state
        self.data = data
        self.status = status
    }

    init(row: Row) throws {
        id = row["id"]
        caseID = row["case_id"]
        historyID = row["history_id"]
        createdAt = Date(millis: row["created_at"])
        type = row["type"]
        recipients = try StoredFields.decodeJSON([String].self, row["recipients"])
        webhooks = try StoredFields.decodeJSON([String].self, row["webhooks"])
        template = row["template"]
        urgent = row["urgent"]
        deadline = row["deadline"]
        dueAt = (row["due_at"] as Int64?).map(Date.init(millis:))
        event = row["event"]
        state = row["state"]
        data = JSONValue.parse(row["data"]) ?? .null
        status = row["status"]
    }
}

/// Which cases to list, and in what order.
public struct CaseFilter: Sendable {
    public enum Order: String, Sendable, CaseIterable {
        /// Oldest first.
        case created
        /// By the next thing due, overdue first; cases with nothing due last.
        case due
    }
    public var workflow: String?
    public var state: String?
    public var owner: String?
    /// Only cases with a deadline already past.
    public var overdue: Bool
    /// Only cases not in a final state.
    public var open = false
    /// The register: the unit (HSA-id), its provider, the contract, the contract's board and area.
    public var unit: String?
    public var provider: String?
    public var contract: String?
    public var board: String?
    public var area: String?
    /// Cases that name someone for this role among their people.
    public var role: String?
    /// Cases owned by one of these names or naming one of them (by e-mail address) among
    /// their people: "my cases" (empty: no such condition).
    public var ownedBy: [String] = []
    /// Exact values of typed fields (`diarienummer`, a referral id): field name → value.
    public var fields: [String: String] = [:]
    /// Text in a field's value, the unit's name or the state's title (case-insensitive for ASCII letters).
    public var text: String?
    /// (workflow, state) pairs whose state title holds `text`; the caller finds them in the workflows.
    public var statesMatchingText: [(workflow: String, state: String)] = []
    public var order: Order = .created
    /// Only cases that are visible to the asker: of these workflows, or owned by or naming one of
    /// these names among their people (nil: every case). The access policy decides it; the store only filters.
    public var visible: (workflows: [String], owners: [String])?
    public init(workflow: String? = nil, state: String? = nil, owner: String? = nil, overdue: Bool = false) {
        self.workflow = workflow
        self.state = state
        self.owner = owner
        self.overdue = overdue
    }
}

/// Where a page of a list ends: the sort key of its last case and its id, so that the
/// next page starts right after it even if cases are added or move meanwhile.
public struct CaseCursor: Sendable, Equatable, CustomStringConvertible {
    public var order: CaseFilter.Order
    public var key: Int64
    public var id: String

    /// `c1796400000000~ID` or `d1796400000000~ID` (`d-~ID`: nothing due).
    public var description: String { "\(order == .due ? "d" : "c")\(key == Int64.max ? "-" : String(key))~\(id)" }

    public init(order: CaseFilter.Order, key: Int64, id: String) {
        self.order = order
        self.key = key
        self.id = id
    }

    public init?(_ text: String) {
        guard let first = text.first, first == "c" || first == "d", let tilde = text.firstIndex(of: "~") else { return nil }
        let keyText = text[text.index(after: text.startIndex)..<tilde]
        guard let key = keyText == "-" ? Int64.max : Int64(keyText) else { return nil }
        self.init(order: first == "d" ? .due : .created, key: key, id: String(text[text.index(after: tilde)...]))
        guard !id.isEmpty else { return nil }
    }
}

extension CaseStore {
    public func caseRecord(id: String) async throws -> CaseRecord {
        try await database.read { db in try self.loadCase(id, db: db).0 }
    }

    /// The cases holding the `limit` soonest due items after `after` that fall on any of
    /// `roles` (the writer's `case_tasks` index), in the order of their soonest such item.
    public func casesWithTasks(roles: Set<String>, after: TaskPosition? = nil, limit: Int) async throws -> [CaseRecord] {
        try await database.read { db in
            try CaseTasks.caseIDs(roles: roles, after: after, limit: limit, db: db).map { try self.loadCase($0, db: db).0 }
        }
    }

    /// One page of cases in the filter's order; pass the last page's cursor as `after`
    /// (a case id is taken too, for the order by creation).
    public func listCases(_ filter: CaseFilter, after: String?, limit: Int) async throws -> [CaseRecord] {
        try await listCasesWithCursors(filter, after: after, limit: limit).map(\.record)
    }

    /// One page of cases with each one's cursor.
    public func listCasesWithCursors(_ filter: CaseFilter, after: String?, limit: Int) async throws -> [(record: CaseRecord, cursor: CaseCursor)] {
        let now = self.now().millis
        return try await database.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            // A person's own cases are few beside a whole workflow's: with `ownedBy` the planner
            // must start from who the case is for, not from the workflow's index and sort every
            // case of it by due time ("+" keeps a term from choosing an index: 110 ms -> 15 ms
            // for one owner's Kalmar cases among 100,000, `bevaka-bench pages`).
            let byIndex = filter.ownedBy.isEmpty ? "" : "+"
            if let workflow = filter.workflow { clauses.append("\(byIndex)workflow = ?"); arguments += [workflow] }
            if let state = filter.state { clauses.append("\(byIndex)state = ?"); arguments += [state] }
            if let owner = filter.owner { clauses.append("owner = ?"); arguments += [owner] }
            if filter.overdue { clauses.append("next_due_at IS NOT NULL AND next_due_at <= ?"); arguments += [now] }
            if filter.open { clauses.append("is_final = 0") }
            if let unit = filter.unit { clauses.append("unit_id = ?"); arguments += [unit] }
            if let contract = filter.contract { clauses.append("contract_id = ?"); arguments += [contract] }
            if let provider = filter.provider { clauses.append("provider_id = ?"); arguments += [provider] }
            if let board = filter.board { clauses.append("board = ?"); arguments += [board] }
            if let area = filter.area { clauses.append("area = ?"); arguments += [area] }
            if !filter.ownedBy.isEmpty {
                let marks = Array(repeating: "?", count: filter.ownedBy.count).joined(separator: ", ")
                clauses.append("id IN (SELECT case_id FROM case_parties WHERE who IN (\(marks)))")
                for name in filter.ownedBy { arguments += [name] }
            }
            if let role = filter.role {
                clauses.append("EXISTS (SELECT 1 FROM json_each(cases.people) AS r WHERE r.key = ? AND json_array_length(r.value) > 0)")
                arguments += [role]
            }
            for (name, value) in filter.fields.sorted(by: { $0.key < $1.key }) {
                clauses.append("id IN (SELECT case_id FROM case_terms WHERE name = ? AND value = ?)")
                arguments += [name, value]
            }
            if let text = filter.text, !text.isEmpty {
                let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                var alternatives = [
                    "id IN (SELECT case_id FROM case_terms WHERE value LIKE ? ESCAPE '\\')",
                    "unit_id IN (SELECT hsa_id FROM units WHERE name LIKE ? ESCAPE '\\')",
                ]
                arguments += [pattern, pattern]
                for pair in filter.statesMatchingText {
                    alternatives.append("(workflow = ? AND state = ?)")
                    arguments += [pair.workflow, pair.state]
                }
                clauses.append("(" + alternatives.joined(separator: " OR ") + ")")
            }
            if let visible = filter.visible {
                let workflows = Array(repeating: "?", count: visible.workflows.count).joined(separator: ", ")
                let owners = Array(repeating: "?", count: visible.owners.count).joined(separator: ", ")
                // …or that they own or are named on among the case's people (by e-mail address).
                clauses.append("(workflow IN (\(workflows)) OR id IN (SELECT case_id FROM case_parties WHERE who IN (\(owners))))")
                for name in visible.workflows + visible.owners { arguments += [name] }
            }
            // The sort key: when the case was opened, or its next due moment (nothing due: last).
            let sortKey = filter.order == .due ? "ifnull(next_due_at, 9223372036854775807)" : "created_at"
            if let after {
                let cursor: CaseCursor
                if let parsed = CaseCursor(after), parsed.order == filter.order {
                    cursor = parsed
                } else if CaseCursor(after) == nil, filter.order == .created,
                          let anchor = try Int64.fetchOne(db, sql: "SELECT created_at FROM cases WHERE id = ?", arguments: [after]) {
                    cursor = CaseCursor(order: .created, key: anchor, id: after)
                } else {
                    throw StoreError.caseNotFound(after)
                }
                clauses.append("(\(sortKey), id) > (?, ?)")
                arguments += [cursor.key, cursor.id]
            }
            let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [limit]
            let rows = try Row.fetchAll(db, sql: "SELECT *, \(sortKey) AS sort_key FROM cases \(condition) ORDER BY \(sortKey), id LIMIT ?",
                                        arguments: arguments)
            return try rows.map { row in
                let key = WorkflowKey(name: row["workflow"], version: row["workflow_version"])
                let record = try StoredFields.record(from: row, definition: try self.definition(key))
                return (record, CaseCursor(order: filter.order, key: row["sort_key"], id: record.id))
            }
        }
    }

    public func history(caseID: String) async throws -> [HistoryRecord] {
        try await database.read { db in
            _ = try self.loadCase(caseID, db: db)
            return try Self.historyRecords(caseID: caseID, db: db)
        }
    }

    static func historyRecords(caseID: String, db: Database) throws -> [HistoryRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM history WHERE case_id = ? ORDER BY seq", arguments: [caseID]).map { row in
            let notes = try StoredFields.decodeJSON([String].self, row["notes"])
            var entry = HistoryEntry(
                at: Date(millis: row["at"]), actor: row["actor"], role: row["role"], event: row["event"],
                fromState: row["from_state"], toState: row["to_state"], payload: JSONValue.parse(row["payload"]) ?? .null,
                reason: row["reason"], notes: notes)
            entry.effectiveAt = (row["effective_at"] as Int64?).map(Date.init(millis:))
            return HistoryRecord(id: row["id"], seq: row["seq"], entry: entry, previousHash: row["prev_hash"], hash: row["hash"])
        }
    }


    /// All accrual segments of a case, closed and running.
    public func segments(caseID: String) async throws -> [AccrualSegment] {
        try await database.read { db in
            _ = try self.loadCase(caseID, db: db)
            return try Row.fetchAll(db, sql: "SELECT * FROM ledger_segments WHERE case_id = ? ORDER BY from_date, seq",
                                    arguments: [caseID]).map { row in
                guard let from = LocalDate(iso: row["from_date"]), let rate = Decimal(string: row["rate"]) else {
                    throw StoreError.corrupt("ledger segment of \(caseID)")
                }
                return AccrualSegment(accrual: row["accrual"], seq: row["seq"], from: from,
                                      until: (row["until_date"] as String?).flatMap(LocalDate.init(iso:)),
                                      rate: rate, quantity: row["quantity"], currency: row["currency"])
            }
        }
    }

    public func notifications(caseID: String) async throws -> [OutboxRecord] {
        try await database.read { db in
            _ = try self.loadCase(caseID, db: db)
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE case_id = ? ORDER BY id", arguments: [caseID])
                .map(OutboxRecord.init(row:))
        }
    }

    /// The earliest timers, for the TimerService's in-memory window.
    public func earliestTimers(dueBefore horizon: Date, limit: Int) async throws -> [ScheduledTimer] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, due_at FROM timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?",
                             arguments: [horizon.millis, limit])
                .map { ScheduledTimer(id: $0["id"], dueAt: Date(millis: $0["due_at"])) }
        }
    }

    /// How many timers are waiting (all cases).
    public func pendingTimerCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM timers") ?? 0 }
    }
}

/// Counts for `/metrics`, read in one transaction.
public struct StoreSnapshot: Sendable {
    public var casesByState: [(workflow: String, state: String, count: Int)] = []
    public var pendingTimers = 0
    public var transitions = 0
    public var deliveries: [(channel: String, status: String, count: Int)] = []
    /// Outbox rows not yet delivered everywhere (pending).
    public var outboxDepth = 0

    package init() {}
}

extension CaseStore {
    public func snapshot() async throws -> StoreSnapshot {
        try await database.read { db in
            var snapshot = StoreSnapshot()
            snapshot.casesByState = try Row.fetchAll(db, sql: "SELECT workflow, state, count(*) AS n FROM cases GROUP BY workflow, state")
                .map { ($0["workflow"], $0["state"], $0["n"]) }
            snapshot.pendingTimers = try Int.fetchOne(db, sql: "SELECT count(*) FROM timers") ?? 0
            snapshot.transitions = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM history") ?? 0
            snapshot.deliveries = try Row.fetchAll(db, sql: "SELECT channel, status, count(*) AS n FROM deliveries GROUP BY channel, status")
                .map { ($0["channel"], $0["status"], $0["n"]) }
            snapshot.outboxDepth = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'pending'") ?? 0
            return snapshot
        }
    }
}
