import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps a second daemon off a database another one serves: both would fire
/// every timer and send every message. An exclusive `flock` on `DATABASE.lock`,
/// held until the process ends (the kernel lets go of it on any exit, SIGKILL
/// included, so a crash never leaves it stuck). The file holds the holder's pid
/// for the message the second one prints.
public final class DatabaseLock: Sendable {
    private let descriptor: Int32
    public let path: String

    public init(database: String) throws(Daemon.Refused) {
        path = database + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Daemon.Refused(description: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
            if reason == EWOULDBLOCK {
                throw Daemon.Refused(description: "another bevaka\(holder.isEmpty ? "" : " (pid \(holder))") is serving the database \(database); "
                              + "two daemons on one database would fire every deadline and send every message twice. Stop it first.")
            }
            throw Daemon.Refused(description: "cannot lock \(path): \(String(cString: strerror(reason)))")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
