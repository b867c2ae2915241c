import BevakaCore
import BevakaStore
import Foundation
import PostgresNIO

/// One case and what hangs on it: its history, ledger, notifications and links.
extension PostgresStore: CaseReadStore {
    public func caseRecord(id: String) async throws -> CaseRecord {
        try await read { connection in try await self.readCase(id, on: connection).0 }
    }

    func readCase(_ id: String, on connection: PostgresConnection) async throws -> (CaseRecord, WorkflowDefinition) {
        guard let row = try await connection.firstRow("SELECT * FROM cases WHERE id = \(id)", logger: logger) else {
            throw StoreError.caseNotFound(id)
        }
        return try record(from: row)
    }

    public func history(caseID: String) async throws -> [HistoryRecord] {
        try await read { connection in
            _ = try await self.readCase(caseID, on: connection)
            return try await self.history(of: caseID, on: connection)
        }
    }

    func history(of caseID: String, on connection: PostgresConnection) async throws -> [HistoryRecord] {
        try await connection.rows("SELECT * FROM history WHERE case_id = \(caseID) ORDER BY seq", logger: logger).map { try $0.historyRecord() }
    }

    public func segments(caseID: String) async throws -> [AccrualSegment] {
        try await read { connection in
            _ = try await self.readCase(caseID, on: connection)
            return try await self.segments(of: caseID, on: connection)
        }
    }

    func segments(of caseID: String, on connection: PostgresConnection) async throws -> [AccrualSegment] {
        try await connection.rows("SELECT * FROM ledger_segments WHERE case_id = \(caseID) ORDER BY from_date, seq", logger: logger).map { row in
            guard let from = LocalDate(iso: try row.value("from_date")), let rate = Decimal(string: try row.value("rate")) else {
                throw StoreError.corrupt("ledger segment of \(caseID)")
            }
            return AccrualSegment(accrual: try row.value("accrual"), seq: try row.value("seq"), from: from,
                                  until: try row.value("until_date", as: String?.self).flatMap(LocalDate.init(iso:)),
                                  rate: rate, quantity: try row.value("quantity"), currency: try row.value("currency"))
        }
    }

    public func notifications(caseID: String) async throws -> [OutboxRecord] {
        try await read { connection in
            _ = try await self.readCase(caseID, on: connection)
            return try await connection.rows("SELECT * FROM outbox WHERE case_id = \(caseID) ORDER BY id", logger: self.logger)
                .map(self.outboxRecord)
        }
    }

    public func links(caseID: String) async throws -> [CaseLink] {
        try await read { connection in
            _ = try await self.readCase(caseID, on: connection)
            return try await connection.rows("""
                SELECT * FROM case_links WHERE case_id = \(caseID) ORDER BY created_at, history_id, linked_case_id
                """, logger: self.logger).map { row in
                CaseLink(caseID: try row.value("case_id"), linkedCaseID: try row.value("linked_case_id"), relation: try row.value("relation"),
                         createdAt: Date(millis: try row.value("created_at")), historyID: try row.value("history_id"))
            }
        }
    }
}
