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

/// A store on a real SQLite file in `folder`, running the one workflow `yaml` (saved as `name`.yaml).
func storeRunning(_ yaml: String, named name: String, in folder: TemporaryFolder,
                  now: @escaping @Sendable () -> Date = { Date() }) throws -> CaseStore {
    let workflows = folder.url.appendingPathComponent("workflows")
    try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
    try yaml.write(to: workflows.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
    return try CaseStore(path: folder.path("\(name).sqlite"), catalog: try WorkflowLoader.loadDirectory(workflows.path), now: now)
}

/// What the commands, single-case reads and timers need of a store: the part of the store
/// contract both the SQLite and the PostgreSQL store meet.
typealias CoreStore = WorkflowStore & CaseCommandStore & CaseReadStore & CaseListStore & TimerStore & DeliveryStore

/// Where one test's data lives: a SQLite file in `folder`, or a PostgreSQL database of its
/// own on the test process's server. Each ``open(_:now:onCommit:)`` is another store on
/// the same data: a reopened file, or another node.
final class StorePlace: Sendable {
    let kind: StoreKind
    let folder: TemporaryFolder
    let url: String?
    private let opened = Mutex<[PostgresStore]>([])

    init(_ kind: StoreKind, folder: TemporaryFolder) throws {
        self.kind = kind
        self.folder = folder
        url = kind == .postgres ? try PostgresServer.shared().newDatabaseURL() : nil
    }

    var settings: PostgresSettings {
        get throws { try PostgresSettings(url: url!, passwordFile: try PostgresServer.shared().passwordFile) }
    }

    func open(_ catalog: WorkflowCatalog, now: @escaping @Sendable () -> Date = { Date() },
              onCommit: @escaping @Sendable ([ScheduledTimer]) -> Void = { _ in }) async throws -> any CoreStore {
        switch kind {
        case .sqlite:
            return try CaseStore(path: folder.path("bevaka.sqlite"), catalog: catalog, now: now, onCommit: onCommit)
        case .postgres:
            let store = try await PostgresStore.open(try settings, catalog: catalog, now: now, onCommit: onCommit)
            opened.withLock { $0.append(store) }
            return store
        }
    }

    /// A store on this place's data running the one workflow `yaml` (saved as `name`.yaml in the folder).
    func running(_ yaml: String, named name: String, now: @escaping @Sendable () -> Date = { Date() }) async throws -> any CoreStore {
        let workflows = folder.url.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try yaml.write(to: workflows.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        return try await open(try WorkflowLoader.loadDirectory(workflows.path), now: now)
    }

    /// A store on this place's data in more of the contract's roles, e.g. `(any AccessStore).self`:
    /// both stores meet each role ported to PostgreSQL.
    func open<Role>(_ catalog: WorkflowCatalog, as role: Role.Type, now: @escaping @Sendable () -> Date = { Date() }) async throws -> Role {
        let store = try await open(catalog, now: now)
        return try #require(store as? Role, "the \(kind) store does not meet \(Role.self)")
    }

    /// Runs a statement on the database directly, as someone holding the SQLite file, or the password
    /// and a psql, would: the guards are the database's own, not Bevaka's.
    func execute(_ sql: String) async throws {
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: folder.path("bevaka.sqlite"))
            defer { try? queue.close() }
            try await queue.write { try $0.execute(sql: sql) }
        case .postgres:
            try await withClient { client in
                for try await _ in try await client.query(PostgresQuery(unsafeSQL: sql)) {}
            }
        }
    }

    /// The text columns of the first row a query returns, read from the database itself
    /// (what the store keeps, not what it answers), in either store.
    func firstRow(_ sql: String) async throws -> [String?] {
        switch kind {
        case .sqlite:
            let row = try DatabaseQueue(path: folder.path("bevaka.sqlite")).read { try Row.fetchOne($0, sql: sql) }
            return row.map { row in (0..<row.count).map { row[$0] as String? } } ?? []
        case .postgres:
            return try await withClient { client in
                for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)) {
                    return try row.map { try $0.decode(String?.self) }
                }
                return []
            }
        }
    }

    private func withClient<R: Sendable>(_ work: @Sendable (PostgresClient) async throws -> R) async throws -> R {
        try await PostgresServer.shared().withClient(database: try settings.database, work)
    }

    /// The first column of every row a query returns, as text (the SQL must read the same in both databases).
    func strings(_ sql: String) async throws -> [String] {
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: folder.path("bevaka.sqlite"))
            defer { try? queue.close() }
            return try await queue.read { db in try String.fetchAll(db, sql: sql) }
        case .postgres:
            return try await withClient { client in
                var result: [String] = []
                for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)) {
                    result.append(try row.makeRandomAccess()[0].decode(String.self))
                }
                return result
            }
        }
    }

    /// Closes the PostgreSQL stores opened here and removes the folder.
    func close() async {
        for store in opened.withLock({ $0 }) { await store.close() }
        folder.cleanup()
    }
}
