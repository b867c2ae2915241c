import Foundation
import GRDB
import Logging
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and thread of its
/// own, so that the writer never does it inside a commit.
///
/// SQLite's automatic checkpoint runs in the commit that crosses 1 000 WAL pages, and with
/// synchronous=FULL it syncs the database file there: that commit, and every change and timer
/// waiting behind it, took milliseconds longer (bevaka-bench goals B3: lateness p99 6.8 ms at
/// 100 deadlines/s with it, 2.5 ms without). Here the writer's connection has
/// `wal_autocheckpoint = 0`, and after commits this checkpointer runs a PASSIVE checkpoint,
/// which never blocks the writer or readers, at most every `interval`. A checkpoint that
/// fails is logged and tried again after the next commit; the log only grows meanwhile.
final class Checkpointer: Sendable {
    private let connection: DatabaseQueue
    private let interval: Duration
    private let logger: Logger
    private let state = Mutex<(requested: Bool, running: Bool)>((false, false))
    private let queue = DispatchQueue(label: "bevaka.checkpoint")

    init(path: String, interval: Duration = .milliseconds(100), logger: Logger) throws {
        var configuration = Configuration()
        // A PASSIVE checkpoint never calls the busy handler, so it never waits for the writer or
        // readers. Opening does wait: with immediateError, opening the store while another
        // process's last connection was closing (and checkpointing) failed with "database is locked".
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
        self.logger = logger
    }

    /// Called after each commit: a checkpoint follows within `interval`.
    func commitHappened() {
        let start = state.withLock { state -> Bool in
            state.requested = true
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start { queue.async { self.run() } }
    }

    private func run() {
        while true {
            let go = state.withLock { state -> Bool in
                guard state.requested else {
                    state.running = false
                    return false
                }
                state.requested = false
                return true
            }
            guard go else { return }
            do {
                try connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                logger.debug("database.checkpoint.busy", metadata: ["error": "\(error)"])
            } catch {
                logger.warning("database.checkpoint.failed", metadata: ["error": "\(error)"])
            }
            Thread.sleep(forTimeInterval: Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
        }
    }
}
