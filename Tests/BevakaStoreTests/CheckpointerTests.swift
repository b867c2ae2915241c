import BevakaCore
@testable import BevakaStore
import BevakaTestSupport
import Foundation
import GRDB
import Logging
import Testing

@Suite struct CheckpointerTests {
    /// Opening waits for a lock another connection holds for a moment (as a process's last
    /// connection does while it checkpoints on closing); it used to fail at once with
    /// "database is locked", and with it the store's opening.
    @Test func openingWaitsForAMomentaryLock() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("locked.sqlite")
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
        }
        let holder = try DatabaseQueue(path: path, configuration: configuration)
        // Holds the file's lock from this write until the connection closes.
        try holder.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        // Released from a thread of its own: the opening below blocks its thread while it
        // waits, and a task could find every thread of the test pool blocked that way.
        let released = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) {
            try? holder.close()
            released.signal()
        }
        let started = Date()
        _ = try Checkpointer(path: path, logger: Logger(label: "test"))
        #expect(Date().timeIntervalSince(started) >= 0.2)
        released.wait()
    }

    /// The writer's log file is cut back once it is started over, so a burst (a large
    /// import) does not leave it at its largest size for good.
    @Test func theWritersLogFileIsCutBackAfterABurst() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("burst.sqlite")
        let store = try CaseStore(path: path, catalog: WorkflowCatalog([]))
        let limit = try await store.database.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA journal_size_limit") }
        #expect(limit == CaseStore.logSizeLimit)
        // A burst larger than the limit, then checkpoints and a small write that starts the log over.
        let chunk = Data(repeating: 7, count: 1 << 20)
        try await store.database.write { db in
            try db.execute(sql: "CREATE TABLE burst (b BLOB)")
            for _ in 0..<(CaseStore.logSizeLimit >> 20) + 8 { try db.execute(sql: "INSERT INTO burst (b) VALUES (?)", arguments: [chunk]) }
            try db.execute(sql: "DELETE FROM burst")
        }
        let grown = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        #expect(grown > CaseStore.logSizeLimit)
        for _ in 0..<50 {
            _ = try await store.database.writeWithoutTransaction { db in try db.checkpoint(Database.CheckpointMode.passive) }
            try await store.database.write { db in try db.execute(sql: "INSERT INTO burst (b) VALUES (1)") }
            let size = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
            if size <= CaseStore.logSizeLimit { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the log file stayed larger than \(CaseStore.logSizeLimit) bytes")
    }

    /// Readiness's probe after a storage failure must reach the disk: a write that
    /// wrote no page would say the disk takes writes whatever its state.
    @Test func theStorageProbeWritesAPage() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let store = try CaseStore(path: folder.path("probe.sqlite"), catalog: WorkflowCatalog([]))
        let checkpoint = { try await store.database.writeWithoutTransaction { db in try db.checkpoint(Database.CheckpointMode.passive) } }
        let before = try await checkpoint()
        #expect(before.walFrameCount == before.checkpointedFrameCount)
        try await store.probeWrite()
        // Either the log started over with the probe's page or it was appended: the count moved.
        #expect(try await checkpoint().walFrameCount != before.walFrameCount)
        let cursor = try await store.database.read { db in try Int.fetchOne(db, sql: "SELECT last_outbox_id FROM delivery_cursor") }
        #expect(cursor == 0)
    }
}
