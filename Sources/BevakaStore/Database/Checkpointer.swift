import BevakaCore
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
///
/// The log's file keeps the size of the largest burst written between checkpoints (an
/// import of a million cases left 60 MB); SQLite reuses it from its start but never
/// shrinks it. Cutting it back in the writer's commit (`journal_size_limit`) stalled
/// commits under load (bevaka-bench goals B1 events p99 24 -> 80-127 ms), so it is cut
/// here instead, once no commit has come for `idle`: a TRUNCATE checkpoint on a connection
/// that never waits, which, if anyone is reading or writing, does what a PASSIVE one does.
final class Checkpointer: Sendable {
    private struct State {
        var requested = false
        var running = false
        var commits = 0
    }
    private let connection: DatabaseQueue
    private let path: String
    private let interval: Duration
    private let idle: Duration
    private let logSizeLimit: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "bevaka.checkpoint")

    init(path: String, interval: Duration = .milliseconds(100), idle: Duration = .seconds(10), logSizeLimit: Int = 64 << 20,
         logger: Logger) throws {
        self.path = path
        self.idle = idle
        self.logSizeLimit = logSizeLimit
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
            state.commits += 1
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start { queue.async { self.run() } }
    }

    private func run() {
        while true {
            let (go, commits) = state.withLock { state -> (Bool, Int) in
                guard state.requested else {
                    state.running = false
                    return (false, state.commits)
                }
                state.requested = false
                return (true, state.commits)
            }
            guard go else {
                queue.asyncAfter(deadline: .now() + idle.timeInterval) {
                    self.cutBackLogIfIdle(since: commits)
                }
                return
            }
            do {
                try connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                logger.debug("database.checkpoint.busy", metadata: ["error": "\(error)"])
            } catch {
                logger.warning("database.checkpoint.failed", metadata: ["error": "\(error)"])
            }
            Thread.sleep(forTimeInterval: interval.timeInterval)
        }
    }

    /// Commits reported so far.
    var commitCount: Int { state.withLock { $0.commits } }

    /// Cuts the log's file back to nothing if no commit came since `commits` and it is larger than `logSizeLimit`.
    func cutBackLogIfIdle(since commits: Int) {
        guard state.withLock({ $0.commits == commits && !$0.running }) else { return }
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        guard size > logSizeLimit else { return }
        do {
            var configuration = Configuration()
            configuration.busyMode = .immediateError
            try DatabaseQueue(path: path, configuration: configuration).writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
            logger.info("database.log.cut", metadata: ["bytes.before": "\(size)"])
        } catch {
            // Someone was reading or writing: the next idle spell tries again.
            logger.debug("database.log.cut.busy", metadata: ["error": "\(error)"])
        }
    }
}
