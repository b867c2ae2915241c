import BevakaTestSupport
import Foundation
import Testing

/// What an operator runs into outside the happy path (issue 10 item 10), on the real binary.
@Suite(.serialized) struct OperatorSafetyTests {
    /// Two daemons on one database both fired every timer and sent every message.
    @Test(TestStores.sqliteOnly("several daemons on one PostgreSQL database is what MultiNodeDaemonTests test"))
    func aSecondDaemonOnTheSameDatabaseRefusesToStartAndChangesNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let database = folder.path("one.sqlite")
        let port = KillRecoveryTests.freePort()
        let first = try KillRecoveryTests.Daemon(database: database, workflows: workflows.path, port: port)
        try await KillRecoveryTests.waitUntilUp(port)
        let (status, _) = try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"a"}}"#)
        #expect(status == 201)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))

        let second = try CommandLineTests.bevaka(["serve", "--database", database, "--workflows", workflows.path,
                                                  "--port", String(KillRecoveryTests.freePort())])
        #expect(second.status == 1)
        #expect(second.stderr.contains("another bevaka (pid \(first.process.processIdentifier)) is serving the database \(database)"),
                "\(second.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)

        // Killed, the first one lets go of the lock: a restart is never blocked by a crash.
        first.kill9()
        let restartPort = KillRecoveryTests.freePort()
        let restarted = try KillRecoveryTests.Daemon(database: database, workflows: workflows.path, port: restartPort)
        try await KillRecoveryTests.waitUntilUp(restartPort)
        #expect(await restarted.stop() == 0)
    }

    /// Outside systemd the database and backups were created 0644, readable by every local user.
    @Test(TestStores.sqliteOnly("the SQLite file's and its backups' modes; PostgreSQL's files are the server's"))
    func theDatabaseItsJournalAndBackupsAreNotWorldReadable() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let database = folder.path("modes.sqlite")
        let port = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: database, workflows: workflows.path, port: port)
        try await KillRecoveryTests.waitUntilUp(port)
        _ = try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"a"}}"#)
        let backup = try CommandLineTests.bevaka(["backup", "--database", database, "--to", folder.path("copy.sqlite")])
        #expect(backup.status == 0, "\(backup.stderr)")
        for path in [database, database + "-wal", database + "-shm", database + ".lock", folder.path("copy.sqlite")] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let mode = (attributes[.posixPermissions] as? Int) ?? 0o777
            #expect(mode & 0o007 == 0, "\(path) has mode \(String(mode, radix: 8))")
        }
        #expect(await daemon.stop() == 0)
    }
}
