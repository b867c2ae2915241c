import BevakaCore
import BevakaStore
import Foundation
import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs a statement whose rows (if any) are not wanted.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        let rows = try await self.query(query, logger: logger)
        for try await _ in rows {}
    }

    /// Every row a query returns, each readable by column name.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var result: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) {
            result.append(row.makeRandomAccess())
        }
        return result
    }

    /// The first row a query returns, or nil.
    func firstRow(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRandomAccessRow? {
        try await rows(query, logger: logger).first
    }
}

extension PostgresRandomAccessRow {
    /// The column's value; a damaged row (a missing column, another type) is `StoreError.corrupt`.
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard contains(column) else { throw StoreError.corrupt("PostgreSQL row has no column \(column)") }
        do {
            return try self[column].decode(T.self)
        } catch {
            throw StoreError.corrupt("PostgreSQL column \(column): \(error)")
        }
    }

    /// A case row's columns.
    func caseColumns() throws -> StoredFields.CaseColumns {
        StoredFields.CaseColumns(
            id: try value("id"), state: try value("state"), stateEnteredAt: try value("state_entered_at"),
            stateEntry: try value("state_entry"), owner: try value("owner"), fields: try value("fields"),
            deadlines: try value("deadlines"), accruals: try value("accruals"), checklists: try value("checklists"),
            version: try value("version"), createdAt: try value("created_at"), updatedAt: try value("updated_at"),
            people: try value("people"), unit: try value("unit_id"), contract: try value("contract_id"))
    }

    /// A history row with its place in the chain.
    func historyRecord() throws -> HistoryRecord {
        var entry = HistoryEntry(
            at: Date(millis: try value("at")), actor: try value("actor"), role: try value("role"), event: try value("event"),
            fromState: try value("from_state"), toState: try value("to_state"), payload: JSONValue.parse(try value("payload")) ?? .null,
            reason: try value("reason"), notes: try StoredFields.decodeJSON([String].self, try value("notes")))
        entry.effectiveAt = try value("effective_at", as: Int64?.self).map(Date.init(millis:))
        return HistoryRecord(id: try value("id"), seq: try value("seq"), entry: entry, previousHash: try value("prev_hash"),
                             hash: try value("hash"))
    }

    var workflowKey: WorkflowKey {
        get throws { WorkflowKey(name: try value("workflow"), version: try value("workflow_version")) }
    }
}

/// A statement put together from parts, its values bound as $1, $2, …
struct BoundSQL {
    var sql = ""
    var binds = PostgresBindings()

    /// Binds a value and returns its placeholder.
    mutating func bind<T: PostgresThrowingDynamicTypeEncodable>(_ value: T?) throws -> String {
        try binds.append(value)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
