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
}
