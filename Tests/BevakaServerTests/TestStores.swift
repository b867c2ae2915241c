import BevakaCore
import BevakaPostgres
import BevakaStore
import BevakaTestSupport
import Foundation
import Synchronization

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
            let settings = try PostgresServer.settingsForNewDatabase()
            opened.withLock { $0[path] = settings }
            return try await PostgresStore.open(settings, catalog: catalog, now: now, onCommit: onCommit)
        }
    }

    /// The PostgreSQL database opened for each path asked for, so the command line can be pointed at it.
    private static let opened = Mutex<[String: PostgresSettings]>([:])

    /// What tells a `bevaka` command where the store opened for `path` is: `--database PATH`, or on
    /// PostgreSQL `--config` naming a configuration with its `store.postgres` (written beside `path`).
    static func commandLineArguments(for path: String) throws -> [String] {
        guard let settings = opened.withLock({ $0[path] }) else { return ["--database", path] }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let config = folder.appendingPathComponent("bevaka-postgres.yaml").path
        try (settings.password ?? "").write(to: folder.appendingPathComponent("postgres-password"), atomically: true, encoding: .utf8)
        let url = "postgres://\(settings.username)@\(settings.host):\(settings.port)/\(settings.database)?sslmode=\(settings.tls.rawValue)"
            + (settings.rootCertificate.map { "&sslrootcert=\($0)" } ?? "")
        try "store:\n  postgres:\n    url: \"\(url)\"\n    passwordFile: postgres-password\n".write(toFile: config, atomically: true, encoding: .utf8)
        return ["--config", config]
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
