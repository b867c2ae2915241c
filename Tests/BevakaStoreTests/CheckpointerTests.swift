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

    /// After a burst the log's file is cut back once the writer has been idle, outside its
    /// commits, and not while commits keep coming.
    @Test func theLogFileIsCutBackWhenTheWriterIsIdle() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("burst.sqlite")
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let writer = try DatabasePool(path: path, configuration: configuration)
        let checkpointer = try Checkpointer(path: path, interval: .milliseconds(10), idle: .milliseconds(200), logSizeLimit: 4 << 20,
                                            logger: Logger(label: "test"))
        let chunk = Data(repeating: 7, count: 1 << 20)
        try await writer.write { db in
            try db.execute(sql: "CREATE TABLE burst (b BLOB)")
            for _ in 0..<8 { try db.execute(sql: "INSERT INTO burst (b) VALUES (?)", arguments: [chunk]) }
        }
        let logSize = { (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 }
        #expect(logSize() > 8 << 20)
        // A commit after the one the idle spell began with: the file stays.
        let seen = checkpointer.commitCount
        checkpointer.commitHappened()
        checkpointer.cutBackLogIfIdle(since: seen)
        #expect(logSize() > 8 << 20)
        // Once nothing has come for `idle`, the Checkpointer cuts it back by itself.
        for _ in 0..<250 where logSize() > 4 << 20 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(logSize() < 1 << 20)
        #expect(try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM burst") } == 8)
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
