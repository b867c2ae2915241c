import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The release `bevaka` daemon, started beside this binary on a free loopback port
/// (`auth.mode: none`: the benchmark names its actor in headers, as on a developer's machine).
final class DaemonProcess {
    let process = Process()
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init(database: String, workflows: String, log: String) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bevaka")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BenchError("no daemon at \(binary.path): build it first with `swift build -c release`")
        }
        port = freeLoopbackPort()
        process.executableURL = binary
        process.arguments = ["serve", "--database", database, "--workflows", workflows, "--port", String(port), "--log-level", "warning"]
        var environment = ProcessInfo.processInfo.environment
        for name in ["BEVAKA_HOST", "BEVAKA_PORT", "BEVAKA_DATABASE", "BEVAKA_LOG_LEVEL"] { environment[name] = nil }
        process.environment = environment
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = FileHandle(forWritingAtPath: log)
        handle?.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Polls `/readyz` every millisecond until it answers 200 (timers loaded, database writable).
    func waitUntilReady() async throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            guard process.isRunning else { throw BenchError("the daemon exited (status \(process.terminationStatus))") }
            if let (status, _) = try? await request("GET", "/readyz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw BenchError("the daemon was not ready within 120 s")
    }

    func request(_ method: String, _ path: String, body: String? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.setValue("bench", forHTTPHeaderField: "Bevaka-Actor")
        request.setValue("officer", forHTTPHeaderField: "Bevaka-Role")
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// A number from `/metrics`: the sample whose line starts with `prefix`.
    func metric(_ prefix: String) async throws -> Double {
        let (_, data) = try await request("GET", "/metrics")
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } ?? 0
    }

    func writeTransactions() async throws -> Int { Int(try await metric("bevaka_write_transactions ")) }
    func pendingTimers() async throws -> Int { Int(try await metric("bevaka_pending_timers ")) }
    func expiredSoonCases() async throws -> Int { Int(try await metric(#"bevaka_cases{workflow="goals-soon",state="expired"}"#)) }

    /// Ids of the newest cases, from `GET /cases`.
    func caseIDs(limit: Int) async throws -> [String] {
        let (_, data) = try await request("GET", "/cases?limit=\(min(limit, 200))")
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let items = object?["items"] as? [[String: Any]] ?? []
        return items.compactMap { $0["id"] as? String }
    }

    /// Opens `count` cases of goals-soon over HTTP, 32 at a time; each is due two seconds after it opened.
    func openSoonCases(_ count: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<32 {
                group.addTask {
                    for _ in stride(from: client, to: count, by: 32) {
                        let (status, data) = try await self.request("POST", "/cases", body: #"{"workflow":"goals-soon","owner":"o"}"#)
                        guard status == 201 else { throw BenchError("opening answered \(status): \(String(decoding: data, as: UTF8.self))") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    func residentMegabytes() -> Double {
        bevaka_bench.residentMegabytes(pid: String(process.processIdentifier))
    }

    deinit { kill9() }
}

extension DaemonProcess: @unchecked Sendable {}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A loopback port nothing listens on now, below Linux's ephemeral range.
func freeLoopbackPort() -> Int {
    while true {
        let port = Int.random(in: 20_000...32_000)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        close(fd)
        if bound { return port }
    }
}

/// wrk (Debian's package), two threads and 64 connections for 10 seconds, with a Lua script.
enum Wrk {
    struct Result {
        var requests = 0
        var failures = 0
        var seconds = 0.0
        var rate = 0.0
        var p50 = 0.0
        var p99 = 0.0
    }

    static func run(script: String, url: String, seconds: Int = 10) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else { throw BenchError("wrk is missing: apt-get install wrk") }
        process.arguments = ["-t2", "-c64", "-d\(seconds)s", "--latency", "-s", script, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var result = Result()
        for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("50%") { result.p50 = milliseconds(words.last) }
            if line.hasPrefix("99%") { result.p99 = milliseconds(words.last) }
            if line.hasPrefix("Requests/sec:") { result.rate = Double(words.last ?? "") ?? 0 }
            if line.hasPrefix("Non-2xx or 3xx responses:") { result.failures = Int(words.last ?? "") ?? 0 }
            if line.contains("requests in") {
                result.requests = Int(words.first ?? "") ?? 0
                result.seconds = Double(words.dropFirst(3).first?.trimmingCharacters(in: CharacterSet(charactersIn: "s,")) ?? "") ?? Double(seconds)
            }
        }
        guard result.requests > 0 else { throw BenchError("wrk said:\n\(output)") }
        return result
    }

    /// wrk's "1.23ms", "456.00us", "1.02s".
    private static func milliseconds(_ word: Substring?) -> Double {
        guard let word else { return 0 }
        for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where word.hasSuffix(unit) {
            return (Double(word.dropLast(unit.count)) ?? 0) * factor
        }
        return 0
    }
}

/// nginx answering every request 204, aiosmtpd swallowing every message, and a socket that
/// accepts connections and never answers (a stuck endpoint), all on loopback.
final class Receivers {
    let httpPort = freeLoopbackPort()
    let smtpPort = freeLoopbackPort()
    let silentPort = freeLoopbackPort()
    private let nginx = Process()
    private let smtp = Process()
    private let silent: Int32

    init(folder: URL) throws {
        let prefix = folder.appendingPathComponent("nginx")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let configuration = prefix.appendingPathComponent("nginx.conf")
        try """
            daemon off;
            worker_processes 1;
            pid \(prefix.path)/nginx.pid;
            error_log \(prefix.path)/logs/error.log;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(prefix.path)/body;
                server { listen 127.0.0.1:\(httpPort); location / { return 204; } }
            }
            """.write(to: configuration, atomically: true, encoding: .utf8)
        nginx.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        nginx.arguments = ["-p", prefix.path, "-c", configuration.path]
        nginx.standardError = FileHandle.nullDevice
        nginx.standardOutput = FileHandle.nullDevice
        try nginx.run()
        // The interpreter itself, not a shim (pyenv's runs it as a child, which a kill would leave behind).
        smtp.executableURL = URL(fileURLWithPath: try Self.pythonExecutable())
        smtp.arguments = ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(smtpPort)", "-c", "aiosmtpd.handlers.Sink"]
        smtp.standardError = FileHandle.nullDevice
        smtp.standardOutput = FileHandle.nullDevice
        try smtp.run()
        silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(silentPort).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(silent, 1024)
        Thread.sleep(forTimeInterval: 1)  // aiosmtpd takes a moment to listen
    }

    private static func pythonExecutable() throws -> String {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        let pipe = Pipe()
        probe.standardOutput = pipe
        try probe.run()
        let path = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        probe.waitUntilExit()
        guard !path.isEmpty else { throw BenchError("python3 is missing (B5 runs aiosmtpd: pip install aiosmtpd)") }
        return path
    }

    func stop() {
        // SIGTERM: nginx's master stops its workers too (after a SIGKILL they would keep the port).
        // Polled rather than `waitUntilExit`, which hung here after nginx had exited.
        for process in [nginx, smtp] where process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<200 where process.isRunning { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        close(silent)
    }
}
