import BevakaCore
import BevakaStore
import Foundation
import GRDB
import Logging
import PostgresNIO

/// `bevaka migrate-store`: copies a SQLite database into an empty PostgreSQL one, row for
/// row (the tables and columns are the same), in one PostgreSQL transaction, then checks
/// every case's history chain and every table's row count there before it commits. A
/// target that holds anything is refused, and a failure leaves it as it was.
public enum StoreMigration {
    /// What was copied: rows per table, and how many chains were checked.
    public struct Report: Sendable {
        public var rows: [(table: String, count: Int)] = []
        public var chainsChecked = 0
    }

    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// The tables in an order that satisfies their foreign keys.
    static let tables = [
        "workflow_versions", "boards", "providers", "units", "unit_listed", "contracts", "contract_units", "register_history",
        "traffic_lights", "cases", "history", "timers", "outbox", "ledger_segments", "case_links", "idempotency_keys",
        "case_snapshots", "case_terms", "case_tasks", "case_parties", "deliveries", "delivery_attempts", "disabled_endpoints",
        "api_tokens", "access_log", "sessions", "login_requests", "calendar_feeds", "calendar_entries",
    ]

    /// Tables of the SQLite schema with nothing to copy: SQLite's own bookkeeping, the planning
    /// cursor (PostgreSQL marks each outbox row planned instead) and the backfills done on opening.
    static let notCopied: Set<String> = ["delivery_cursor", "pending_backfills", "grdb_migrations", "sqlite_sequence"]

    /// Rows per INSERT statement.
    static let batch = 200

    public static func copy(from path: String, to settings: PostgresSettings, logger: Logger,
                            progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Report {
        guard FileManager.default.fileExists(atPath: path) else { throw Refused(description: "no SQLite database at \(path)") }
        var configuration = Configuration()
        configuration.readonly = true
        let source = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? source.close() }
        try checkSource(source, path: path)
        let client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
        let running = Task { await client.run() }
        defer { running.cancel() }
        for _ in 0..<8 { await Task.yield() }
        try await PostgresSchema.migrate(client, logger: logger)
        do {
            return try await PostgresTransaction.run(client, logger: logger, attempts: 1) { connection in
                try await refuseNonEmpty(connection, logger: logger)
                var report = Report()
                let cursor = try await source.read { db in
                    try Int64.fetchOne(db, sql: "SELECT last_outbox_id FROM delivery_cursor WHERE id = 1") ?? 0
                }
                for table in tables {
                    let count = try await copyTable(table, from: source, to: connection, logger: logger)
                    report.rows.append((table, count))
                    progress("\(table): \(count) rows")
                }
                // What SQLite had planned (up to its cursor) is planned here.
                try await connection.run("UPDATE outbox SET planned = (id <= \(cursor))", logger: logger)
                try await resetSequences(connection, logger: logger)
                report.chainsChecked = try await verify(report, source: source, on: connection, logger: logger)
                progress("\(report.chainsChecked) history chains intact")
                return report
            }
        } catch let error as PSQLError {
            throw PostgresServerError.plain(error)
        }
    }

    /// The SQLite file must be at this release's schema (opened once by it), and hold no table this copy would leave behind.
    private static func checkSource(_ source: DatabaseQueue, path: String) throws {
        try source.read { db in
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            let known = Set(CaseStore.migrationNames)
            guard known.isSubset(of: applied) else {
                throw Refused(description: """
                    \(path) is not at this release's schema (missing \(known.subtracting(applied).sorted().joined(separator: ", "))); \
                    start this release's bevaka on it once (or run bevaka check), then copy
                    """)
            }
            guard applied.isSubset(of: known) else {
                throw Refused(description: "\(path) was written by a newer release of Bevaka; copy it with that release")
            }
            let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            let unknown = present.subtracting(tables).subtracting(notCopied)
            guard unknown.isEmpty else {
                throw Refused(description: "\(path) holds tables this copy does not know: \(unknown.sorted().joined(separator: ", "))")
            }
        }
    }

    private static func refuseNonEmpty(_ connection: PostgresConnection, logger: Logger) async throws {
        var holding: [String] = []
        for table in tables {
            if try await connection.firstRow(PostgresQuery(unsafeSQL: "SELECT 1 AS x FROM \(table) LIMIT 1"), logger: logger) != nil {
                holding.append(table)
            }
        }
        guard holding.isEmpty else {
            throw Refused(description: "the PostgreSQL database is not empty (\(holding.joined(separator: ", ")) hold rows); "
                + "copy into a new, empty database")
        }
    }

    /// The target's columns of a table with their types, in order.
    private static func columns(of table: String, on connection: PostgresConnection, logger: Logger) async throws -> [(String, String)] {
        try await connection.rows("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table) ORDER BY ordinal_position
            """, logger: logger).map { (try $0.value("column_name"), try $0.value("data_type")) }
    }

    /// Copies one table in batches; returns how many rows.
    private static func copyTable(_ table: String, from source: DatabaseQueue, to connection: PostgresConnection,
                                  logger: Logger) async throws -> Int {
        let target = try await columns(of: table, on: connection, logger: logger)
        let sourceColumns = try await source.read { db in try db.columns(in: table).map(\.name) }
        // A column SQLite has and PostgreSQL lacks would be lost: refuse rather than drop it.
        let missing = Set(sourceColumns).subtracting(target.map(\.0))
        guard missing.isEmpty else {
            throw Refused(description: "\(table) has columns PostgreSQL's schema lacks: \(missing.sorted().joined(separator: ", "))")
        }
        let copied = target.filter { sourceColumns.contains($0.0) }
        let names = copied.map { "\"\($0.0)\"" }.joined(separator: ", ")
        // Read in primary-key order, each batch after the last key read (OFFSET would rescan what was read).
        let key = try await source.read { db in try db.primaryKey(table).columns }
        let keyList = key.map { "\"\($0)\"" }.joined(separator: ", ")
        var last: [DatabaseValue]?
        var count = 0
        while true {
            let after = last
            let rows = try await source.read { db in
                let condition = after == nil ? "" : "WHERE (\(keyList)) > (\(Array(repeating: "?", count: key.count).joined(separator: ", ")))"
                return try Row.fetchAll(db, sql: "SELECT \(names), \(keyList) FROM \(table) \(condition) ORDER BY \(keyList) LIMIT \(batch)",
                                        arguments: StatementArguments(after ?? []))
            }
            guard let final = rows.last else { return count }
            var statement = BoundSQL()
            var tuples: [String] = []
            for row in rows {
                var marks: [String] = []
                for (index, (_, type)) in copied.enumerated() {
                    marks.append(try bind(row[index], as: type, into: &statement))
                }
                tuples.append("(" + marks.joined(separator: ", ") + ")")
            }
            statement.sql = "INSERT INTO \(table) (\(names)) VALUES " + tuples.joined(separator: ", ")
            try await connection.run(statement.query, logger: logger)
            count += rows.count
            last = (copied.count..<(copied.count + key.count)).map { final[$0] }
        }
    }

    /// Binds a SQLite value as the PostgreSQL column's type (SQLite keeps booleans as 0 and 1).
    private static func bind(_ value: DatabaseValue, as type: String, into statement: inout BoundSQL) throws -> String {
        switch value.storage {
        case .null:
            statement.binds.appendNull()
            return "$\(statement.binds.count)"
        case .int64(let number):
            if type == "boolean" { return try statement.bind(number != 0) }
            if type == "integer" { return try statement.bind(Int32(truncatingIfNeeded: number)) }
            if type == "text" { return try statement.bind(String(number)) }
            return try statement.bind(number)
        case .double(let number):
            return try statement.bind(type == "text" ? "\(number)" : number.description)
        case .string(let text):
            return try statement.bind(text)
        case .blob(let data):
            return try statement.bind(String(decoding: data, as: UTF8.self))
        }
    }

    /// Sets each id sequence past the ids copied, so new rows do not collide with them.
    private static func resetSequences(_ connection: PostgresConnection, logger: Logger) async throws {
        for table in ["history", "timers", "outbox", "deliveries", "access_log", "register_history", "traffic_lights", "api_tokens"] {
            let columns = try await columns(of: table, on: connection, logger: logger)
            guard columns.contains(where: { $0.0 == "id" && $0.1 == "bigint" }) else { continue }
            try await connection.run(PostgresQuery(unsafeSQL: """
                SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)
                WHERE pg_get_serial_sequence('\(table)', 'id') IS NOT NULL
                """), logger: logger)
        }
    }

    /// Every table's count as in SQLite, and every case's chain recomputed from the copied rows.
    private static func verify(_ report: Report, source: DatabaseQueue, on connection: PostgresConnection,
                               logger: Logger) async throws -> Int {
        for (table, count) in report.rows {
            let copied: Int = try await connection.firstRow(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"),
                                                            logger: logger)?.value("n") ?? -1
            guard copied == count else { throw Refused(description: "\(table): \(count) rows in SQLite, \(copied) copied") }
        }
        var checked = 0
        var current: String?
        var chain: [HistoryRecord] = []
        func finish() throws {
            guard let id = current else { return }
            guard HistoryHasher.chainIsIntact(chain, caseID: id) else {
                throw Refused(description: "case \(id): its history chain does not hold after the copy (nothing was committed)")
            }
            checked += 1
        }
        for row in try await connection.rows("SELECT * FROM history ORDER BY case_id, seq", logger: logger) {
            let caseID: String = try row.value("case_id")
            if caseID != current {
                try finish()
                current = caseID
                chain = []
            }
            chain.append(try row.historyRecord())
        }
        try finish()
        return checked
    }
}
