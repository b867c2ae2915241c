import BevakaCore
import BevakaTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// A count shared by the load's clients.
final class SharedCount: Sendable {
    private let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var current: Int { value.withLock { $0 } }
}

/// `bevaka backup` and `bevaka check` on the real binary, against a daemon under load.
@Suite(.serialized) struct BackupAndCheckTests {
    func run(_ arguments: [String]) throws -> CommandLineTests.Output { try CommandLineTests.bevaka(arguments) }

    @Test(TestStores.sqliteOnly("bevaka backup copies a SQLite file; PostgreSQL is backed up with its own tools"))
    func aBackupTakenUnderLoadRestoresToADatabaseThatPassesCheck() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let database = folder.path("live.sqlite")
        let port = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: database, workflows: workflows.path, port: port)
        try await KillRecoveryTests.waitUntilUp(port)

        // Load: 8 clients opening cases until told to stop.
        let stop = ManualClock(Date.distantFuture)
        let committed = SharedCount()
        let load = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var opened = 0
                        while stop.now == Date.distantFuture {
                            let (status, _) = try await KillRecoveryTests.request(
                                port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"c\#(client)-\#(opened)"}}"#)
                            if status == 201 {
                                opened += 1
                                committed.add()
                            }
                        }
                        return opened
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        // Take the backup once cases are committed and while more keep coming.
        for _ in 0..<400 where committed.current < 20 { try await Task.sleep(for: .milliseconds(10)) }
        let backup = try run(["backup", "--database", database, "--to", folder.path("backup.sqlite")])
        try await Task.sleep(for: .milliseconds(200))
        stop.set(Date())
        let total = try await load.value
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(total > 0)

        // Restore = the backup file in the daemon's place; it passes check and serves its cases.
        let check = try run(["check", "--database", folder.path("backup.sqlite")])
        #expect(check.status == 0, "\(check.stderr)")
        let copied = try await DatabaseQueue(path: folder.path("backup.sqlite")).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cases") ?? 0 }
        #expect(copied > 0 && copied <= total, "\(copied) of \(total)")
        #expect(await daemon.stop() == 0)
        #expect(try run(["check", "--database", database]).status == 0)

        let restoredPort = KillRecoveryTests.freePort()
        let restored = try KillRecoveryTests.Daemon(database: folder.path("backup.sqlite"), workflows: workflows.path, port: restoredPort)
        try await KillRecoveryTests.waitUntilUp(restoredPort)
        let (_, listed) = try await KillRecoveryTests.request(restoredPort, "GET", "/cases?limit=500")
        #expect(listed["items"]?.array.count == min(copied, 500))
        #expect(await restored.stop() == 0)

        // A backup never overwrites.
        let again = try run(["backup", "--database", database, "--to", folder.path("backup.sqlite")])
        #expect(again.status == 1)
        #expect(again.stderr.contains("exists already"))
    }

    @Test func checkFindsAChangedHistoryRow() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder)
        let database = folder.path("db.sqlite")
        let port = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: database, workflows: workflows.path, port: port)
        try await KillRecoveryTests.waitUntilUp(port)
        let (_, opened) = try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"x"}}"#)
        let id = try #require(opened["id"]?.string)
        #expect(await daemon.stop() == 0)
        #expect(try run(["check", "--database", database]).status == 0)

        // Someone edits the history behind the triggers' back.
        switch TestStores.kind {
        case .sqlite: try await TestStores.execute("DROP TRIGGER history_is_append_only_update", at: database)
        case .postgres: try await TestStores.execute("DROP TRIGGER history_is_append_only ON history", at: database)
        }
        try await TestStores.execute("UPDATE history SET actor = 'mallory' WHERE case_id = '\(id)'", at: database)
        let check = try run(["check", "--database", database])
        #expect(check.status == 1)
        #expect(check.stderr.contains("case \(id): its history does not match its hash chain"), "\(check.stderr)")
        switch TestStores.kind {
        case .sqlite:
            #expect(try run(["check", "--database", folder.path("absent.sqlite")]).stderr.contains("no database at"))
        case .postgres:
            // The dropped trigger is found too: the table it guarded can be changed by anyone with the password.
            #expect(check.stderr.contains("append-only: trigger history_is_append_only is missing or disabled"), "\(check.stderr)")
            #expect(check.stderr.contains("2 problems found"), "\(check.stderr)")
        }
    }
}
