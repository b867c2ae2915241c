import Foundation
import HummingbirdCore
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Stops accepting connections at a limit safely below the process's file
/// descriptor limit, so that the database, the log and new clients always have
/// descriptors left; logs when the limit is reached and when it is left again.
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    private var open = 0
    private var atLimit = false

    init(maximum: Int, logger: Logger) {
        self.maximum = maximum
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        if open >= maximum && !atLimit {
            atLimit = true
            logger.warning("http.connections.limit", metadata: [
                "connections": "\(open)",
                "detail": "no new connections are accepted until one closes; raise LimitNOFILE or look for clients holding connections open"])
        }
    }

    mutating func connectionClosed() {
        open -= 1
        if atLimit && open < maximum * 9 / 10 {
            atLimit = false
            logger.notice("http.connections.below-limit", metadata: ["connections": "\(open)"])
        }
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }

    /// Descriptors kept back from clients: the SQLite pool and its WAL, the lock, curl, logs.
    static let reserved = 128

    /// Raises the soft descriptor limit to the hard one (as far as 65,536) and returns
    /// how many connections to allow: at most 4,096, and `reserved` fewer than the limit.
    static func raiseDescriptorLimit() -> (limit: Int, connections: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (1024, 1024 - reserved) }
        let wanted = min(limit.rlim_max, 65_536)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let descriptors = Int(min(limit.rlim_cur, 1 << 20))
        return (descriptors, max(16, min(4_096, descriptors - reserved)))
    }
}
