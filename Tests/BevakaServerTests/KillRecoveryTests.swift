import BevakaCore
import BevakaTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing

/// The real `bevaka` binary, killed with SIGKILL while deadlines fall due:
/// after a restart every deadline has fired exactly once.
@Suite(.serialized) struct KillRecoveryTests {
    /// A workflow whose deadline falls due seconds after a case opens.
    static let quickWorkflow = """
    workflow: quick
    version: 1
    title: Quick deadline
    roles: { officer: Officer }
    fields: { name: { type: string, required: true } }
    events:
      expire: {}
      close: { roles: [officer] }
    states:
      waiting:
        initial: true
        deadlines:
          soon:
            after: PT3S
            notify: [{ to: [owner] }]
            raises: expire
        on:
          expire: expired
          close: closed
      expired: { final: true }
      closed: { final: true }

    """

    /// A workflow folder holding the quick workflow (deadline `after`, e.g. PT1S) and the standard template.
    static func quickWorkflowFolder(in folder: TemporaryFolder, after: String = "PT3S") throws -> URL {
        let workflows = folder.url.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try quickWorkflow.replacingOccurrences(of: "after: PT3S", with: "after: \(after)")
            .write(to: workflows.appendingPathComponent("quick.yaml"), atomically: true, encoding: .utf8)
        try writeStandardTemplate(in: workflows)
        return workflows
    }

    /// The template every notification without its own uses (`bevaka serve` refuses to start without it).
    static func writeStandardTemplate(in workflows: URL) throws {
        let templates = workflows.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "Subject: {{type}} ({{case.id}})\n\n{{case.stateTitle}}\n".write(
            to: templates.appendingPathComponent("standard.sv.mustache"), atomically: true, encoding: .utf8)
    }

    /// Starts the binary with its standard error in `log`; `BEVAKA_*` variables
    /// are passed only when given, so the test's own environment cannot leak in.
    static func launch(_ arguments: [String], environment: [String: String] = [:], stderr log: String) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = try TestStores.commandLine(arguments)
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        for name in ["BEVAKA_HOST", "BEVAKA_PORT", "BEVAKA_DATABASE", "BEVAKA_LOG_LEVEL", "BEVAKA_LOG_FORMAT"] where environment[name] == nil {
            merged[name] = nil
        }
        process.environment = merged
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The `bevaka` executable built next to the test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bevaka")
    }

    final class Daemon {
        let process = Process()
        let port: Int

        init(database: String, workflows: String, port: Int, config: String? = nil) throws {
            self.port = port
            process.executableURL = KillRecoveryTests.binary
            process.arguments = try TestStores.commandLine(
                ["serve", "--database", database, "--workflows", workflows, "--port", String(port), "--log-level", "warning"]
                    + (config.map { ["--config", $0] } ?? []))
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        func kill9() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// SIGTERM, then a bounded wait; SIGKILL if it does not exit. Returns the exit status.
        @discardableResult
        func stop() async -> Int32? {
            guard process.isRunning else { return nil }
            process.terminate()
            for _ in 0..<200 where process.isRunning { try? await Task.sleep(for: .milliseconds(25)) }
            if process.isRunning {
                kill9()
                return nil
            }
            return process.terminationStatus
        }

        deinit { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }
    }

    /// A random port below Linux's ephemeral range (32768–60999), so it cannot
    /// be taken by the local end of one of the test's own client connections.
    /// A loopback port for a daemon: never the same one twice in this test process (a
    /// random pick let two daemons started at once share one, and a request meant for
    /// one reach the other), and none that something already listens on.
    static func freePort() -> Int {
        nextPort.withLock { port in
            while true {
                port = port >= 32_700 ? 20_000 : port + 1
                if isFree(port) { return port }
            }
        }
    }

    private static let nextPort = Mutex(Int.random(in: 20_000...32_700))

    /// Whether a TCP socket can bind 127.0.0.1:`port` right now.
    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func request(_ port: Int, _ method: String, _ path: String, body: String? = nil) async throws -> (Int, JSONValue) {
        // Deliveries are the operators': in development mode, the developer without actor headers is one.
        let answer = try await exchange(port, method, path, body: body, actorHeaders: !path.hasPrefix("/deliveries"))
        return (answer.status, answer.json)
    }

    /// An HTTP answer with its headers (names lowercased) and its body as text.
    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let text: String
        var json: JSONValue { JSONValue.parse(text) ?? .null }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// `request` with extra request headers (e.g. `Idempotency-Key`), a timeout, and the whole answer.
    /// `actorHeaders: false` sends none of the development mode's actor headers (as a system with a token does).
    static func exchange(_ port: Int, _ method: String, _ path: String, body: String? = nil,
                         headers: [String: String] = [:], actorHeaders: Bool = true, timeout: TimeInterval = 60) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if actorHeaders {
            request.setValue("test", forHTTPHeaderField: "Bevaka-Actor")
            request.setValue("officer", forHTTPHeaderField: "Bevaka-Role")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] { fields["\(name)".lowercased()] = "\(value)" }
        return Answer(status: http?.statusCode ?? 0, headers: fields, text: String(decoding: data, as: UTF8.self))
    }

    /// Waits (bounded) until the daemon answers /healthz.
    static func waitUntilUp(_ port: Int) async throws {
        for _ in 0..<300 {
            if let (status, _) = try? await request(port, "GET", "/healthz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("daemon did not come up on port \(port)")
    }

    static func expiredCount(_ port: Int) async throws -> Int {
        let (_, body) = try await request(port, "GET", "/cases?workflow=quick&state=expired&limit=500")
        if case .object(let o) = body, case .array(let items)? = o["items"] { return items.count }
        return 0
    }

    @Test func killedWhileDeadlinesFallDueEachFiresExactlyOnceAfterRestart() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the bevaka product first: \(Self.binary.path)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-kill-\(UUID().uuidString)")
        let workflows = folder.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.quickWorkflow.write(to: workflows.appendingPathComponent("quick.yaml"), atomically: true, encoding: .utf8)
        try Self.writeStandardTemplate(in: workflows)
        let database = folder.appendingPathComponent("kill.sqlite").path

        // First life: open cases, some due while the daemon is down, and kill it
        // as soon as the first expiries commit (mid-firing).
        var port = Self.freePort()
        var daemon = try Daemon(database: database, workflows: workflows.path, port: port)
        try await Self.waitUntilUp(port)
        var ids: [String] = []
        for i in 0..<150 {
            let (status, body) = try await Self.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"c\#(i)"}}"#)
            #expect(status == 201)
            if case .object(let o) = body, case .string(let id)? = o["id"] { ids.append(id) }
        }
        #expect(ids.count == 150)
        for _ in 0..<400 {
            if try await Self.expiredCount(port) > 0 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        daemon.kill9()

        // Second life on the same file: everything left fires, nothing twice.
        port = Self.freePort()
        daemon = try Daemon(database: database, workflows: workflows.path, port: port)
        try await Self.waitUntilUp(port)
        for _ in 0..<400 {
            if try await Self.expiredCount(port) == ids.count { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(try await Self.expiredCount(port) == ids.count)
        for id in ids {
            let (_, history) = try await Self.request(port, "GET", "/cases/\(id)/history")
            guard case .object(let o) = history, case .array(let items)? = o["items"] else {
                Issue.record("no history for \(id)")
                continue
            }
            let events = items.compactMap { item -> String? in
                if case .object(let row) = item, case .string(let event)? = row["event"] { return event }
                return nil
            }
            #expect(events == ["case.opened", "deadline.expired", "expire"], "case \(id): \(events)")
            #expect(o["chainIntact"] == .bool(true))
            let (_, notes) = try await Self.request(port, "GET", "/cases/\(id)/notifications")
            if case .object(let n) = notes, case .array(let sent)? = n["items"] { #expect(sent.count == 1) }
        }
        // SIGTERM ends the daemon cleanly and promptly.
        #expect(await daemon.stop() == 0)
    }

    /// Killed while a webhook is on the wire (the receiver holds the answer back):
    /// after the restart the same message, with the same webhook-id, is sent again and recorded.
    @Test func killedMidDeliveryTheWebhookIsSentAgainAfterRestart() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder)
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        try secret.write(toFile: folder.path("system.secret"), atomically: true, encoding: .utf8)
        let receiver = try WebhookReceiver(secrets: [secret], folder: folder)
        try """
            webhooks:
              system:
                url: \(receiver.url("/slow/3"))
                secretFiles: [system.secret]
                types: ["case.*"]
            """.write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let database = folder.path("kill.sqlite")

        var port = Self.freePort()
        var daemon = try Daemon(database: database, workflows: workflows.path, port: port, config: folder.path("bevaka.yaml"))
        try await Self.waitUntilUp(port)
        let (status, _) = try await Self.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"c"}}"#)
        #expect(status == 201)
        // The deadline fires after 3 s; its notification goes to the receiver, which answers 3 s later.
        for _ in 0..<400 where receiver.requests.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        #expect(receiver.requests.count == 1)
        daemon.kill9()

        port = Self.freePort()
        daemon = try Daemon(database: database, workflows: workflows.path, port: port, config: folder.path("bevaka.yaml"))
        try await Self.waitUntilUp(port)
        var delivered = 0
        for _ in 0..<800 where delivered == 0 {
            let (_, body) = try await Self.request(port, "GET", "/deliveries?status=delivered")
            delivered = body["items"]?.array.count ?? 0
            if delivered == 0 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(delivered == 1)
        let requests = receiver.requests
        #expect(requests.count == 2)
        #expect(Set(requests.compactMap { $0["id"] as? String }).count == 1)
        #expect(requests.allSatisfy { $0["verified"] as? Bool == true })
        let (_, pending) = try await Self.request(port, "GET", "/deliveries?status=pending")
        #expect(pending["items"]?.array.isEmpty == true)
        #expect(await daemon.stop() == 0)
    }

    /// SIGTERM while a webhook is on the wire: the daemon waits for the answer,
    /// records it and exits 0; after a restart nothing is sent twice.
    @Test func sigtermFinishesTheDeliveryInFlight() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try Self.quickWorkflowFolder(in: folder, after: "PT1S")
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        try secret.write(toFile: folder.path("system.secret"), atomically: true, encoding: .utf8)
        let receiver = try WebhookReceiver(secrets: [secret], folder: folder)
        try """
            webhooks:
              system: { url: "\(receiver.url("/slow/2"))", secretFiles: [system.secret] }
            """.write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let database = folder.path("term.sqlite")
        var port = Self.freePort()
        var daemon = try Daemon(database: database, workflows: workflows.path, port: port, config: folder.path("bevaka.yaml"))
        try await Self.waitUntilUp(port)
        _ = try await Self.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"c"}}"#)
        for _ in 0..<400 where receiver.requests.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        #expect(receiver.requests.count == 1)
        #expect(await daemon.stop() == 0)

        port = Self.freePort()
        daemon = try Daemon(database: database, workflows: workflows.path, port: port, config: folder.path("bevaka.yaml"))
        try await Self.waitUntilUp(port)
        let (_, delivered) = try await Self.request(port, "GET", "/deliveries?status=delivered")
        #expect(delivered["items"]?.array.count == 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.requests.count == 1, "sent once only")
        #expect(await daemon.stop() == 0)
    }
}
