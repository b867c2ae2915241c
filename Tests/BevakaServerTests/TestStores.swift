import BevakaCore
import BevakaPostgres
import BevakaStore
import BevakaTestSupport
import Foundation
import GRDB
import Logging
import PostgresNIO
import Synchronization
import Testing

/// The store the HTTP, page and command tests run on: a SQLite file at `path`, or with
/// `BEVAKA_TEST_STORE=postgres` (the second pass of `make test`) a PostgreSQL database of
/// its own on the test process's server, so that the same tests hold on both stores.
enum TestStores {
    static var kind: StoreKind {
        ProcessInfo.processInfo.environment["BEVAKA_TEST_STORE"] == "postgres" ? .postgres : .sqlite
    }

    static func open(path: String, catalog: WorkflowCatalog, now: @escaping @Sendable () -> Date = { Date() },
                     onCommit: @escaping @Sendable ([ScheduledTimer]) -> Void = { _ in }) async throws -> any Store {
        switch kind {
        case .sqlite:
            return try CaseStore(path: path, catalog: catalog, now: now, onCommit: onCommit)
        case .postgres:
            return try await PostgresStore.open(try settings(for: path), catalog: catalog, now: now, onCommit: onCommit)
        }
    }

    /// The PostgreSQL database made for each SQLite path a test names, so that every store, daemon and
    /// command given that path finds the same data.
    private static let opened = Mutex<[String: PostgresSettings]>([:])

    /// The settings of the database standing for `path`: made on first use.
    private static func settings(for path: String) throws -> PostgresSettings {
        if let settings = opened.withLock({ $0[path] }) { return settings }
        let made = try PostgresServer.settingsForNewDatabase()
        return opened.withLock { opened in
            if opened[path] == nil { opened[path] = made }
            return opened[path]!
        }
    }

    /// A test that holds only on SQLite (its file, its locks, its backup): skipped in the PostgreSQL pass, saying why.
    static func sqliteOnly(_ why: String) -> ConditionTrait {
        .enabled(if: kind == .sqlite, Comment(rawValue: "SQLite only: \(why)"))
    }

    /// A `bevaka` command line as a test writes it, on the store of this pass: unchanged on SQLite; on
    /// PostgreSQL, `--database PATH` is replaced by the database standing for PATH, named in a configuration's
    /// `store.postgres`: the test's own `--config`, copied beside it with the store added, or one of its own
    /// (in a folder of the temporary directory per database, left for the process's end like the database).
    static func commandLine(_ arguments: [String]) throws -> [String] {
        guard kind == .postgres, let at = arguments.firstIndex(of: "--database"), at + 1 < arguments.count else { return arguments }
        let path = arguments[at + 1]
        let settings = try settings(for: path)
        var rest = arguments
        rest.removeSubrange(at...(at + 1))
        // The settings' own description is the URL without its password.
        let url = "\(settings)" + (settings.rootCertificate.map { "&sslrootcert=\($0)" } ?? "")
        // A short lease, so that what a killed daemon had claimed is sent again within a test's wait (the
        // loopback peers answer in seconds; the default 5 minutes is for real endpoints), and a small pool:
        // the test process's server serves every daemon and store of the pass at once.
        let store = "\nstore:\n  postgres:\n    url: \"\(url)\"\n    passwordFile: postgres-password\n    deliveryLease: 10s\n    connections: 6\n"
        let config: URL
        var text = ""
        if let index = rest.firstIndex(of: "--config"), index + 1 < rest.count {
            let original = URL(fileURLWithPath: rest[index + 1])
            text = (try? String(contentsOf: original, encoding: .utf8)) ?? ""
            config = original.deletingLastPathComponent().appendingPathComponent(original.deletingPathExtension().lastPathComponent + "-postgres.yaml")
            rest[index + 1] = config.path
        } else {
            // A folder of its own: beside the path could be a workflow folder, which takes every .yaml in it.
            config = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-postgres-\(settings.database)/bevaka.yaml")
            rest += ["--config", config.path]
        }
        if !text.split(separator: "\n").contains(where: { $0.hasPrefix("store:") }) { text += store }
        let folder = config.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try (settings.password ?? "").write(to: folder.appendingPathComponent("postgres-password"), atomically: true, encoding: .utf8)
        try text.write(to: config, atomically: true, encoding: .utf8)
        return rest
    }

    /// Runs SQL on the database standing for `path` directly, as someone holding the file or the password
    /// would: the guards are the database's own. The SQL must read the same in both databases.
    static func execute(_ sql: String, at path: String) async throws {
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            try await queue.write { try $0.execute(sql: sql) }
        case .postgres:
            try await withClient(path) { client in
                for try await _ in try await client.query(PostgresQuery(unsafeSQL: sql)) {}
            }
        }
    }

    /// The integer the first row's first column holds, read from the database standing for `path`.
    static func integer(_ sql: String, at path: String) async throws -> Int? {
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            return try await queue.read { try Int.fetchOne($0, sql: sql) }
        case .postgres:
            return try await withClient(path) { client in
                for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)) {
                    return try row.makeRandomAccess()[0].decode(Int?.self)
                }
                return nil
            }
        }
    }

    private static func withClient<R: Sendable>(_ path: String, _ work: @Sendable (PostgresClient) async throws -> R) async throws -> R {
        try await PostgresServer.shared().withClient(database: try settings(for: path).database, work)
    }
}

extension PostgresServer {
    /// Settings for a new database of its own, with a small pool: a test process opens many stores
    /// and leaves most of them open until it ends.
    static func settingsForNewDatabase() throws -> PostgresSettings {
        let server = try PostgresServer.shared()
        var settings = try PostgresSettings(url: try server.newDatabaseURL(), passwordFile: server.passwordFile)
        settings.connections = 3
        return settings
    }
}
