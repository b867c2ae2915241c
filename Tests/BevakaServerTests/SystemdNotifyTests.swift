#if canImport(Glibc)
import Glibc
#endif
import BevakaCore
import BevakaTestSupport
import Foundation
import Testing

/// The real binary under a real `NOTIFY_SOCKET` (a Unix datagram socket the
/// test binds, as systemd does): READY=1 once it serves, watchdog pings at
/// half of `WATCHDOG_USEC`, STOPPING=1 on SIGTERM.
@Suite(.serialized) struct SystemdNotifyTests {
    /// A bound datagram socket collecting what the daemon sends.
    final class NotifySocket {
        let descriptor: Int32
        let path: String

        init(path: String) throws {
            self.path = path
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { bytes in
                for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            #expect(bound == 0, "bind \(path): \(errno)")
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// The next datagram, or nil after `seconds`.
        func receive(within seconds: Double) -> String? {
            let end = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < end {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count > 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            }
            return nil
        }

        deinit {
            close(descriptor)
            unlink(path)
        }
    }

    @Test func readyAfterStartWatchdogPingsAndStoppingOnSIGTERM() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let socket = try NotifySocket(path: folder.path("notify"))
        let port = KillRecoveryTests.freePort()
        let process = Process()
        process.executableURL = KillRecoveryTests.binary
        process.arguments = try TestStores.commandLine(["serve", "--database", folder.path("db.sqlite"), "--workflows", workflowsFolder,
                                                        "--port", String(port), "--log-level", "warning"])
        process.environment = ProcessInfo.processInfo.environment.merging([
            "NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000",
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let ready = socket.receive(within: 20)
        #expect(ready?.contains("READY=1") == true, "first message: \(ready ?? "none")")
        // Ready means serving: the API answers at once.
        let (status, _) = try await KillRecoveryTests.request(port, "GET", "/healthz")
        #expect(status == 200)

        // WATCHDOG_USEC=400000: a ping every 200 ms.
        var pings = 0
        let start = Date()
        while Date().timeIntervalSince(start) < 1.1, let message = socket.receive(within: 1.1) {
            if message == "WATCHDOG=1" { pings += 1 }
        }
        #expect(pings >= 3, "\(pings) pings in 1.1 s")

        process.terminate()
        var stopping = false
        while let message = socket.receive(within: 5) {
            if message == "STOPPING=1" { stopping = true; break }
        }
        #expect(stopping)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func withoutNotifySocketNothingIsSentAndItStillServes() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let port = KillRecoveryTests.freePort()
        let process = Process()
        process.executableURL = KillRecoveryTests.binary
        process.arguments = try TestStores.commandLine(["serve", "--database", folder.path("db.sqlite"), "--workflows", workflowsFolder,
                                                        "--port", String(port), "--log-level", "warning"])
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try await KillRecoveryTests.waitUntilUp(port)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
