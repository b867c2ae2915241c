#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import ServiceLifecycle

/// systemd's notification protocol (sd_notify(3)): datagrams such as
/// `READY=1`, `WATCHDOG=1` and `STOPPING=1` sent to the Unix socket named by
/// `$NOTIFY_SOCKET` (a path, or `@name` for the abstract namespace). Without
/// that variable (not under systemd, or `Type=simple`) every call does nothing.
public struct SystemdNotifier: Sendable {
    let socketPath: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public var isActive: Bool { socketPath != nil }

    /// Sends one message; returns false if it could not be sent (logged by the caller).
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let socketPath else { return false }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.enumerated() { bytes[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (path.first == 0 ? 0 : 1))
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        return sent == bytes.count
    }

    /// The watchdog interval systemd asks for (`WatchdogSec=`), if it is meant for this process.
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], !pid.isEmpty, pid != String(getpid()) { return nil }
        return .microseconds(microseconds)
    }
}

/// Pings systemd's watchdog at half the interval it asked for, while the
/// daemon can still reach its database: a daemon whose store is stuck stops
/// pinging and systemd restarts it.
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let interval: Duration
    let healthy: @Sendable () async -> Bool
    let ready: Gate
    let logger: Logger

    /// - Parameter ready: pings begin once this opens (after READY=1).
    init(notifier: SystemdNotifier, interval: Duration, logger: Logger, after ready: Gate,
         healthy: @escaping @Sendable () async -> Bool) {
        self.notifier = notifier
        self.interval = interval
        self.healthy = healthy
        self.ready = ready
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await ready.wait()
            while !Task.isCancelled {
                if await healthy() {
                    notifier.send("WATCHDOG=1")
                } else {
                    logger.error("watchdog.unhealthy", metadata: ["detail": "the store did not answer; not pinging the watchdog"])
                }
                try? await Task.sleep(for: interval / 2)
            }
        }
    }
}
