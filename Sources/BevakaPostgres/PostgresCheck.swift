import BevakaStore
import Logging
import PostgresNIO

/// `bevaka check` on PostgreSQL, reading only: every migration applied and none unknown, the
/// append-only triggers in place and enabled, every case on a workflow version the database
/// holds, and every case's history chain intact (the history read once, in one ordered pass).
public enum PostgresCheck {
    /// The triggers that keep history, the access log, the register's history and the traffic
    /// lights append-only (``PostgresSchema``): someone with the owner's rights can drop or disable them.
    static let appendOnlyTriggers = [
        "history_is_append_only", "history_is_never_truncated",
        "access_log_is_append_only", "access_log_is_never_truncated",
        "register_history_is_append_only", "register_history_is_never_truncated",
        "traffic_lights_is_append_only", "traffic_lights_is_never_truncated",
    ]

    /// The problems found (empty: all is well) and how many cases were checked.
    public static func check(_ settings: PostgresSettings, logger: Logger) async throws -> (problems: [String], cases: Int) {
        let client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            for _ in 0..<8 { await Task.yield() }
            return try await client.withBoundedConnection { connection in
                try await check(on: connection, logger: logger)
            }
        }
    }

    private static func check(on connection: PostgresConnection, logger: Logger) async throws -> (problems: [String], cases: Int) {
        var problems: [String] = []
        let hasMigrations = try await connection.firstRow("SELECT to_regclass('schema_migrations') IS NOT NULL AS present", logger: logger)
        guard try hasMigrations?.value("present", as: Bool.self) == true else {
            return (["schema: no migrations applied (not a Bevaka database, or no node has started on it yet)"], 0)
        }
        let applied = Set(try await connection.rows("SELECT name FROM schema_migrations", logger: logger).map { try $0.value("name", as: String.self) })
        let known = Set(PostgresSchema.migrations.map(\.name))
        for missing in known.subtracting(applied).sorted() { problems.append("schema: migration \(missing) is not applied (start a node once to apply it)") }
        for unknown in applied.subtracting(known).sorted() { problems.append("schema: migration \(unknown) is unknown to this version of bevaka (a newer version wrote this database)") }
        guard applied.isSuperset(of: known) else { return (problems, 0) }

        let enabled = Set(try await connection.rows(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'", logger: logger).map { try $0.value("tgname", as: String.self) })
        for trigger in appendOnlyTriggers where !enabled.contains(trigger) {
            problems.append("append-only: trigger \(trigger) is missing or disabled, so the table it guards can be changed; restore it from a backup of the schema")
        }

        let versions = Set(try await connection.rows("SELECT name, version FROM workflow_versions", logger: logger).map {
            "\(try $0.value("name", as: String.self))@\(try $0.value("version", as: Int.self))"
        })
        var unchecked = Set<String>()
        for try await row in try await connection.query("SELECT id, workflow, workflow_version FROM cases", logger: logger) {
            let (id, workflow, version) = try row.decode((String, String, Int).self)
            unchecked.insert(id)
            if !versions.contains("\(workflow)@\(version)") { problems.append("case \(id): its workflow \(workflow)@\(version) is not stored in workflow_versions") }
        }
        let cases = unchecked.count

        // One pass over the history in chain order, a case at a time.
        var current: (id: String, records: [HistoryRecord])?
        func verify(_ chain: (id: String, records: [HistoryRecord])) {
            if unchecked.remove(chain.id) == nil {
                problems.append("history: rows for \(chain.id), which is not a case")
            } else if !HistoryHasher.chainIsIntact(chain.records, caseID: chain.id) {
                problems.append("case \(chain.id): its history does not match its hash chain (rows changed or missing)")
            }
        }
        for try await row in try await connection.query("SELECT * FROM history ORDER BY case_id, seq", logger: logger) {
            let random = row.makeRandomAccess()
            let id = try random.value("case_id", as: String.self)
            if current?.id != id {
                if let chain = current { verify(chain) }
                current = (id, [])
            }
            current?.records.append(try random.historyRecord())
        }
        if let chain = current { verify(chain) }
        for id in unchecked.sorted() { problems.append("case \(id): it has no history") }
        return (problems, cases)
    }
}
