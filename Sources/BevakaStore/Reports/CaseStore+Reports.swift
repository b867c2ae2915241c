import BevakaCore
import Foundation
import GRDB

/// A history row as the reports read it: when it took effect (else when it was recorded).
public struct ReportHistoryRow: Sendable, Equatable {
    public let caseID: String
    public let seq: Int
    public let event: String
    public let fromState: String?
    public let toState: String
    public let role: String
    public let at: Date
    /// The payload, for the events whose payload a report reads (`payloadRead`); null for the rest.
    public let payload: JSONValue

    /// What a take-back or a hand-over says (which row, from which workflow).
    public static let payloadRead: Set<String> = [caseUndoneEvent, caseAnnulledEvent, "case.handedOver"]

    package init(caseID: String, seq: Int, event: String, fromState: String?, toState: String, role: String, at: Date, payload: JSONValue) {
        self.caseID = caseID
        self.seq = seq
        self.event = event
        self.fromState = fromState
        self.toState = toState
        self.role = role
        self.at = at
        self.payload = payload
    }
}

/// A case as the boards' report reads it: where it is, and the text fields it shows.
public struct ReportCase: Sendable, Equatable {
    public let id: String
    public let workflow: WorkflowKey
    public let state: String
    public let unit: String?
    public let contract: String?
    /// The text and enum fields asked for that the case has.
    public let texts: [String: String]

    public func text(_ field: String) -> String? { texts[field] }

    package init(id: String, workflow: WorkflowKey, state: String, unit: String?, contract: String?, texts: [String: String]) {
        self.id = id
        self.workflow = workflow
        self.state = state
        self.unit = unit
        self.contract = contract
        self.texts = texts
    }
}

/// The queries the boards' reports and finance's deduction list are made of: the
/// register and the cases as stored, read in one transaction; the counting is the
/// report's (BevakaApplication/Reports), never kept as counters on the write path.
extension CaseStore {
    /// Cases that name a contract among `contracts` (nil: every case naming one), with
    /// their history in seq order: what the boards' report counts, read in two queries and
    /// without the parts of a case a report does not read (its deadlines, ledger, checklists).
    /// `texts` names the text and enum fields the report shows, read from the stored fields
    /// by SQLite (decoding every case's fields was most of a year's report).
    public func reportCases(contracts: [String]?, texts: [String]) async throws -> [(case: ReportCase, history: [ReportHistoryRow])] {
        try await database.read { db in
            var condition = "contract_id IS NOT NULL"
            var arguments: StatementArguments = []
            if let contracts {
                guard !contracts.isEmpty else { return [] }
                condition += " AND contract_id IN (\(Array(repeating: "?", count: contracts.count).joined(separator: ", ")))"
                arguments = StatementArguments(contracts)
            }
            let columns = texts.indices.map { "CASE json_type(fields, ?) WHEN 'text' THEN json_extract(fields, ?) END AS t\($0)" }
            var selected: StatementArguments = []
            for name in texts {
                let path = "$.\"" + name.replacingOccurrences(of: "\"", with: "") + "\""
                selected += [path, path]
            }
            let cases = try Row.fetchAll(db, sql: """
                SELECT id, workflow, workflow_version, state, unit_id, contract_id\(columns.map { ", " + $0 }.joined())
                FROM cases WHERE \(condition) ORDER BY created_at, id
                """, arguments: selected + arguments).map { row in
                var values: [String: String] = [:]
                for (index, name) in texts.enumerated() { if let text: String = row["t\(index)"] { values[name] = text } }
                return ReportCase(id: row["id"], workflow: WorkflowKey(name: row["workflow"], version: row["workflow_version"]),
                                  state: row["state"], unit: row["unit_id"], contract: row["contract_id"], texts: values)
            }
            var histories: [String: [ReportHistoryRow]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT case_id, seq, event, from_state, to_state, role, coalesce(effective_at, at) AS t, payload FROM history
                WHERE case_id IN (SELECT id FROM cases WHERE \(condition)) ORDER BY case_id, seq
                """, arguments: arguments)
            while let row = try rows.next() {
                let event: String = row["event"]
                let caseID: String = row["case_id"]
                // Only what takes back or hands over carries what a report reads from its payload.
                let payload = ReportHistoryRow.payloadRead.contains(event) ? JSONValue.parse(row["payload"]) ?? .null : .null
                histories[caseID, default: []].append(ReportHistoryRow(caseID: caseID, seq: row["seq"], event: event, fromState: row["from_state"],
                                                                       toState: row["to_state"], role: row["role"], at: Date(millis: row["t"]),
                                                                       payload: payload))
            }
            return cases.map { ($0, histories[$0.id] ?? []) }
        }
    }

    /// Every case with an accrual's ledger (a sanction) or with history of `events`
    /// (withheld payment), with its segments and those history rows.
    public func deductionCases(events: Set<String>) async throws -> [(record: CaseRecord, segments: [AccrualSegment], history: [ReportHistoryRow])] {
        try await database.read { db in
            let eventList = events.sorted()
            let marks = Array(repeating: "?", count: max(eventList.count, 1)).joined(separator: ", ")
            let ids = try String.fetchAll(db, sql: """
                SELECT DISTINCT case_id FROM ledger_segments
                UNION SELECT DISTINCT case_id FROM history WHERE event IN (\(marks))
                """, arguments: StatementArguments(eventList.isEmpty ? [""] : eventList))
            return try ids.sorted().map { id in
                let (record, _) = try self.loadCase(id, db: db)
                let segments = try Row.fetchAll(db, sql: "SELECT * FROM ledger_segments WHERE case_id = ? ORDER BY from_date, seq",
                                                arguments: [id]).map { row in
                    AccrualSegment(accrual: row["accrual"], seq: row["seq"], from: LocalDate(iso: row["from_date"]) ?? .distantPast,
                                   until: (row["until_date"] as String?).flatMap(LocalDate.init(iso:)),
                                   rate: Decimal(string: row["rate"]) ?? 0, quantity: row["quantity"], currency: row["currency"])
                }
                let history = try Row.fetchAll(db, sql: """
                    SELECT seq, event, from_state, to_state, role, coalesce(effective_at, at) AS t, payload
                    FROM history WHERE case_id = ? AND event IN (\(marks)) ORDER BY seq
                    """, arguments: StatementArguments([id] + (eventList.isEmpty ? [""] : eventList))).map { row in
                    ReportHistoryRow(caseID: id, seq: row["seq"], event: row["event"], fromState: row["from_state"], toState: row["to_state"],
                                     role: row["role"], at: Date(millis: row["t"]), payload: JSONValue.parse(row["payload"]) ?? .null)
                }
                return (record, segments, history)
            }
        }
    }

    /// Every case of a workflow, oldest first (the care-referral statistics).
    public func casesOfWorkflow(_ name: String) async throws -> [CaseRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cases WHERE workflow = ? ORDER BY created_at, id", arguments: [name]).map { row in
                try StoredFields.record(from: row, definition: try self.definition(WorkflowKey(name: row["workflow"], version: row["workflow_version"])))
            }
        }
    }
}
