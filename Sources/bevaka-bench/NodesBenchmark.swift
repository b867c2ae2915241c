import BevakaCore
import BevakaPostgres
import BevakaServer
import BevakaStore
import Foundation
import Logging

/// `bevaka-bench nodes [cases]` (issue 15): events per second and expiries per second on
/// SQLite, and on PostgreSQL with one, two and three nodes on one database, on this machine.
///
/// PostgreSQL is Debian's, started by `Tests/Peers/postgres_server.py --durable` (fsync and
/// synchronous_commit on, as SQLite's synchronous=FULL: a change is on disk before it is
/// answered). The nodes are stores in this process, each with its own connection pool and,
/// for expiries, its own TimerService; requests are spread over them.
func nodesBenchmark(cases: Int, folder: URL) async throws {
    try benchWorkflow(name: "nodes", deadline: "due: { at: dueOn, raises: expire }")
        .write(to: folder.appendingPathComponent("nodes.yaml"), atomically: true, encoding: .utf8)
    let catalog = try WorkflowLoader.loadDirectory(folder.path)
    let server = try BenchPostgres()
    defer { server.stop() }
    print("nodes: \(cases) cases; events from 64 concurrent clients spread over the nodes; every deadline due at once")
    print("store              events/s   expiries/s")
    for nodes in [0, 1, 2, 3] {
        let events = try await eventsPerSecond(cases: cases, nodes: nodes, catalog: catalog, server: server, folder: folder)
        let expiries = try await expiriesPerSecond(cases: cases, nodes: nodes, catalog: catalog, server: server, folder: folder)
        let name = nodes == 0 ? "SQLite" : "PostgreSQL ×\(nodes)"
        print(name.padding(toLength: 16, withPad: " ", startingAt: 0), String(format: "%9.0f   %10.0f", events, expiries))
    }
}

/// Opens the stores of one run: one SQLite file (`nodes` 0), or `nodes` stores on a new PostgreSQL database.
private func stores(_ nodes: Int, catalog: WorkflowCatalog, server: BenchPostgres, file: String) async throws -> [any Store] {
    if nodes == 0 { return [try CaseStore(path: file, catalog: catalog)] }
    let settings = try server.newDatabase()
    var stores: [any Store] = []
    for _ in 0..<nodes { stores.append(try await PostgresStore.open(settings, catalog: catalog, logger: Logger(label: "bench"))) }
    return stores
}

private func seed(_ cases: Int, into store: any Store, dueOn: String) async throws -> [String] {
    var ids: [String] = []
    let enteredAt = Date().addingTimeInterval(-60)
    for first in stride(from: 0, to: cases, by: 5_000) {
        let rows = (first..<min(cases, first + 5_000)).map { n in
            (line: n + 1, workflow: "nodes",
             row: ImportedCase(owner: "o\(n % 100)", state: "waiting", enteredAt: enteredAt, fields: ["dueOn": .string(dueOn)], firePast: false))
        }
        ids += try await store.importCases(rows, actor: Actor(name: "bench", role: "officer"), dryRun: false).map(\.id)
    }
    return ids
}

private func eventsPerSecond(cases: Int, nodes: Int, catalog: WorkflowCatalog, server: BenchPostgres, folder: URL) async throws -> Double {
    let stores = try await stores(nodes, catalog: catalog, server: server, file: folder.appendingPathComponent("events-\(nodes).sqlite").path)
    let ids = try await seed(cases, into: stores[0], dueOn: "2099-01-01")
    let officer = Actor(name: "bench", role: "officer")
    let start = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<64 {
            group.addTask {
                for index in stride(from: client, to: ids.count, by: 64) {
                    _ = try await stores[index % stores.count].applyEvent(caseID: ids[index], event: "touch", payload: ["count": .int(index)],
                                                                           reason: nil, actor: officer)
                }
            }
        }
        try await group.waitForAll()
    }
    let seconds = Date().timeIntervalSince(start)
    for store in stores { await store.close() }
    return Double(ids.count) / seconds
}

private func expiriesPerSecond(cases: Int, nodes: Int, catalog: WorkflowCatalog, server: BenchPostgres, folder: URL) async throws -> Double {
    // Seeded today with deadlines in 2030, then the nodes start five years on, as after a long stop: every one is due.
    let file = folder.appendingPathComponent("expiries-\(nodes).sqlite").path
    let settings = nodes == 0 ? nil : try server.newDatabase()
    let seeding: any Store = if let settings {
        try await PostgresStore.open(settings, catalog: catalog, logger: Logger(label: "bench"))
    } else {
        try CaseStore(path: file, catalog: catalog)
    }
    _ = try await seed(cases, into: seeding, dueOn: "2030-01-01")
    await seeding.close()
    let later: @Sendable () -> Date = { Date().addingTimeInterval(5 * 365 * 86_400) }
    let inboxes = (0..<max(nodes, 1)).map { _ in TimerInbox() }
    var stores: [any Store] = []
    if let settings {
        for node in 0..<nodes {
            stores.append(try await PostgresStore.open(settings, catalog: catalog, logger: Logger(label: "bench"), now: later,
                                                       onCommit: { inboxes[node].add($0) }))
        }
    } else {
        stores.append(try CaseStore(path: file, catalog: catalog, now: later, onCommit: { inboxes[0].add($0) }))
    }
    let start = Date()
    let services = stores.enumerated().map { node, store in
        TimerService(store: { store }, inbox: inboxes[node], now: later, horizon: 60, logger: Logger(label: "bench"))
    }
    let running = services.map { service in Task { try await service.run() } }
    while try await stores[0].pendingTimerCount() > 0 { try await Task.sleep(for: .milliseconds(20)) }
    let seconds = Date().timeIntervalSince(start)
    for task in running { task.cancel() }
    for task in running { _ = await task.result }
    for store in stores { await store.close() }
    return Double(cases) / seconds
}

/// A PostgreSQL server for the benchmark, durable as production runs it, stopped at the end.
final class BenchPostgres {
    let process = Process()
    let port: Int
    let password = "bench-" + UUID().uuidString
    let passwordFile: String
    private let requests: FileHandle
    private let answers: FileHandle

    init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Peers/postgres_server.py").path
        passwordFile = FileManager.default.temporaryDirectory.appendingPathComponent("bench-pg-\(UUID().uuidString)").path
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--password", password, "--durable"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        requests = input.fileHandleForWriting
        answers = output.fileHandleForReading
        let words = Self.line(answers).split(separator: " ")
        guard words.count == 2, words[0] == "READY", let port = Int(words[1]) else {
            throw BenchFailure("postgres_server.py did not start (apt-get install postgresql)")
        }
        self.port = port
    }

    func newDatabase() throws -> PostgresSettings {
        let name = "bench_" + UUID().uuidString.prefix(8).lowercased()
        try requests.write(contentsOf: Data("createdb \(name)\n".utf8))
        guard Self.line(answers) == "CREATED \(name)" else { throw BenchFailure("createdb \(name) failed") }
        var settings = try PostgresSettings(url: "postgres://bevaka@127.0.0.1:\(port)/\(name)?sslmode=disable", passwordFile: passwordFile)
        settings.connections = 24
        return settings
    }

    func stop() {
        try? requests.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: passwordFile)
    }

    private static func line(_ handle: FileHandle) -> String {
        var line = Data()
        while let byte = try? handle.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        return String(decoding: line, as: UTF8.self)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
