import BevakaTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 10 item 9 on the real binary: what a client can do with a connection
/// alone. Raw sockets, because URLSession writes its own Host header and never
/// sends a request slowly.
@Suite(.serialized) struct ConnectionTests {
    /// A TCP connection to the daemon on loopback.
    final class RawConnection {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(fd)
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            var timeout = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// False when the peer has closed the connection.
        @discardableResult
        func send(_ text: String) -> Bool {
            text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) } > 0
        }

        /// What arrives within `seconds`, and whether the peer closed the connection meanwhile.
        func receive(for seconds: Double) -> (text: String, closed: Bool) {
            var bytes: [UInt8] = []
            let end = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < end {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count == 0 { return (String(decoding: bytes, as: UTF8.self), true) }
                if count > 0 { bytes += buffer.prefix(count) }
                if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return (String(decoding: bytes, as: UTF8.self), true) }
            }
            return (String(decoding: bytes, as: UTF8.self), false)
        }

        deinit { close(fd) }
    }

    struct Running {
        let folder: TemporaryFolder
        let process: Process
        let port: Int
        let log: String

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            folder.cleanup()
        }
    }

    /// Starts `bevaka serve` with `server:` settings, optionally under a smaller descriptor limit.
    static func start(server settings: String, descriptors: Int? = nil) async throws -> Running {
        let folder = try TemporaryFolder()
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        try "server:\n\(settings)\n".write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let port = KillRecoveryTests.freePort()
        let arguments = ["serve", "--database", folder.path("c.sqlite"), "--workflows", workflows.path, "--port", String(port),
                         "--config", folder.path("bevaka.yaml"), "--log-level", "info"]
        let process: Process
        if let descriptors {
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--nofile=\(descriptors):\(descriptors)", KillRecoveryTests.binary.path] + (try TestStores.commandLine(arguments))
            _ = FileManager.default.createFile(atPath: folder.path("log"), contents: nil)
            process.standardError = FileHandle(forWritingAtPath: folder.path("log"))
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        } else {
            process = try KillRecoveryTests.launch(arguments, stderr: folder.path("log"))
        }
        try await KillRecoveryTests.waitUntilUp(port)
        return Running(folder: folder, process: process, port: port, log: folder.path("log"))
    }

    /// DNS rebinding: a page on another site reached the API through a browser on this host.
    @Test func aRequestForAnotherHostNameIsRefused() async throws {
        let daemon = try await Self.start(server: "  allowedHosts: [bevaka.region.test]")
        defer { daemon.stop() }
        for (host, expected) in [("evil.example", "421"), ("evil.example:\(daemon.port)", "421"), ("bevaka.region.test", "200"),
                                 ("127.0.0.1:\(daemon.port)", "200"), ("BEVAKA.region.test:443", "200"), ("region.test", "421")] {
            let connection = try RawConnection(port: daemon.port)
            connection.send("GET /healthz HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
            let answer = connection.receive(for: 3).text
            #expect(answer.hasPrefix("HTTP/1.1 \(expected)"), "Host \(host): \(answer.prefix(200))")
            if expected == "421" { #expect(answer.contains("urn:bevaka:problem:host-not-allowed")) }
        }
        // Without allowedHosts a daemon on loopback answers only for loopback names.
        let local = try await Self.start(server: "  host: 127.0.0.1")
        defer { local.stop() }
        for (host, expected) in [("localhost:\(local.port)", "200"), ("127.0.0.1", "200"), ("attacker.example", "421")] {
            let connection = try RawConnection(port: local.port)
            connection.send("GET /healthz HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
            #expect(connection.receive(for: 3).text.hasPrefix("HTTP/1.1 \(expected)"), "Host \(host)")
        }
    }

    /// Slowloris: 200 connections that sent a header byte now and then were held for a minute.
    @Test func aConnectionThatSendsItsHeadersTooSlowlyIsClosed() async throws {
        let daemon = try await Self.start(server: "  requestHeadTimeout: 2s")
        defer { daemon.stop() }
        let slow = try RawConnection(port: daemon.port)
        slow.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        let started = Date()
        var closed = false
        // One byte every half second keeps an idle timer happy; the head timeout is not fooled.
        for _ in 0..<20 where !closed {
            closed = !slow.send("X") || slow.receive(for: 0.5).closed
        }
        #expect(closed, "still open after \(Date().timeIntervalSince(started)) s")
        #expect(Date().timeIntervalSince(started) < 6)
        // A prompt client on a kept-alive connection is served, twice.
        let prompt = try RawConnection(port: daemon.port)
        prompt.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(prompt.receive(for: 1).text.hasPrefix("HTTP/1.1 200"))
        prompt.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(prompt.receive(for: 1).text.hasPrefix("HTTP/1.1 200"))
    }

    /// 1,100 idle connections under systemd's 1,024 descriptors locked new clients out, with no log line.
    @Test func connectionsStopBelowTheDescriptorLimitAndTheLimitIsLogged() async throws {
        let daemon = try await Self.start(server: "  requestHeadTimeout: 60s", descriptors: 220)
        defer { daemon.stop() }
        // 220 descriptors leave 92 for connections (128 are kept for the database and the rest).
        var idle: [RawConnection] = []
        for _ in 0..<100 { if let connection = try? RawConnection(port: daemon.port) { idle.append(connection) } }
        var logged = false
        for _ in 0..<50 where !logged {
            logged = (try? String(contentsOfFile: daemon.log, encoding: .utf8))?.contains("http.connections.limit") == true
            if !logged { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(logged, "no log line at the limit")
        #expect(daemon.process.isRunning)
        idle.removeAll()
        // Descriptors are back: a new client is served.
        try await Task.sleep(for: .milliseconds(300))
        let answer = try await KillRecoveryTests.exchange(daemon.port, "GET", "/healthz", timeout: 5)
        #expect(answer.status == 200)
        let log = (try? String(contentsOfFile: daemon.log, encoding: .utf8)) ?? ""
        #expect(log.contains("maximum=92"), "\(log.prefix(2000))")
    }
}
