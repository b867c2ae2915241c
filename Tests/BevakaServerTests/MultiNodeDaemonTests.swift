import BevakaCore
import BevakaTestSupport
import Foundation
import PostgresNIO
import Testing

/// Three real `bevaka serve` daemons on one PostgreSQL database, clients spread over
/// them, nodes killed with SIGKILL while deadlines fall due: every acknowledged case is
/// there, every expiry fired exactly once, every webhook delivered (at least once, with
/// one id per delivery), every history chain intact.
@Suite(.serialized) struct MultiNodeDaemonTests {
    final class Node {
        let port: Int
        private(set) var process: Process
        let arguments: [String]
        let log: String

        init(workflows: String, config: String, log: String) throws {
            port = KillRecoveryTests.freePort()
            arguments = ["serve", "--workflows", workflows, "--port", String(port), "--config", config, "--log-level", "warning"]
            self.log = log
            process = try KillRecoveryTests.launch(arguments, stderr: log)
        }

        func kill9() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func restart() throws {
            process = try KillRecoveryTests.launch(arguments, stderr: log)
        }

        func stop() async -> Int32? {
            guard process.isRunning else { return nil }
            process.terminate()
            for _ in 0..<400 where process.isRunning { try? await Task.sleep(for: .milliseconds(25)) }
            if process.isRunning { kill9() }
            return process.terminationStatus
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    @Test func threeDaemonsKilledInTurnLoseNothingAndFireEachExpiryOnce() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder)
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        try secret.write(toFile: folder.path("system.secret"), atomically: true, encoding: .utf8)
        let receiver = try WebhookReceiver(secrets: [secret], folder: folder)
        let server = try PostgresServer.shared()
        try server.password.write(toFile: folder.path("postgres-password"), atomically: true, encoding: .utf8)
        try """
            store:
              postgres:
                url: "\(try server.newDatabaseURL())"
                passwordFile: postgres-password
                deliveryLease: 3s
            webhooks:
              system: { url: "\(receiver.url("/ok"))", secretFiles: [system.secret], types: ["case.*"] }
            """.write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let nodes = try (0..<3).map { try Node(workflows: workflows.path, config: folder.path("bevaka.yaml"), log: folder.path("node\($0).log")) }
        for node in nodes { try await KillRecoveryTests.waitUntilUp(node.port) }

        // Cases opened over all three (the deadline falls 3 s after each); the first node is
        // killed once expiries have begun, the second a little later, then the first comes back.
        var ids: [String] = []
        func open(_ count: Int, on ports: [Int]) async throws {
            for i in 0..<count {
                let (status, body) = try await KillRecoveryTests.request(ports[i % ports.count], "POST", "/cases",
                                                                        body: #"{"workflow":"quick","owner":"o","fields":{"name":"c\#(i)"}}"#)
                if status == 201, case .string(let id)? = body["id"] { ids.append(id) }
            }
        }
        try await open(120, on: nodes.map(\.port))
        for _ in 0..<400 {
            if try await KillRecoveryTests.expiredCount(nodes[2].port) > 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        nodes[0].kill9()
        try await open(60, on: [nodes[1].port, nodes[2].port])
        try await Task.sleep(for: .seconds(3))
        nodes[1].kill9()
        try nodes[0].restart()
        try await KillRecoveryTests.waitUntilUp(nodes[0].port)
        try await open(30, on: [nodes[0].port, nodes[2].port])
        #expect(ids.count == 210)

        let reader = nodes[2].port
        for _ in 0..<600 {
            if try await KillRecoveryTests.expiredCount(reader) == ids.count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await KillRecoveryTests.expiredCount(reader) == ids.count)
        for id in ids {
            let (status, history) = try await KillRecoveryTests.request(nodes[id.hashValue & 1 == 0 ? 0 : 2].port, "GET", "/cases/\(id)/history")
            #expect(status == 200, "case \(id) acknowledged but missing")
            let events = history["items"]?.array.compactMap { $0["event"]?.string } ?? []
            #expect(events == ["case.opened", "deadline.expired", "expire"], "case \(id): \(events)")
            #expect(history["chainIntact"] == .bool(true))
        }
        // Every notification's webhook is delivered; one killed mid-send may have gone twice, under one id.
        var delivered: [JSONValue] = []
        for _ in 0..<600 {
            let (_, body) = try await KillRecoveryTests.request(reader, "GET", "/deliveries?status=delivered&limit=500")
            delivered = body["items"]?.array ?? []
            if delivered.count == ids.count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(delivered.count == ids.count)
        let sent = receiver.requests.compactMap { $0["id"] as? String }
        #expect(Set(sent) == Set(delivered.compactMap { $0["messageId"]?.string.map { "msg_" + $0 } }))
        #expect(sent.count - Set(sent).count <= 4, "more sent twice than were in flight at the kills")
        #expect(receiver.requests.allSatisfy { $0["verified"] as? Bool == true })
        for node in nodes where node.process.isRunning { #expect(await node.stop() == 0) }
    }

    /// Readiness tells a load balancer when a node can serve: while its database is out of reach (the
    /// network to it cut) or read-only (a standby after a failover), /readyz and every write answer 503
    /// storage-unavailable and nothing changes; once the database answers and takes writes again, the
    /// node is ready by itself, without a restart.
    @Test func aNodeIsNotReadyWhileItsDatabaseIsOutOfReachOrReadOnly() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let server = try PostgresServer.shared()
        let gate = try TCPGate(target: server.port)
        let database = try server.createDatabase()
        try server.password.write(toFile: folder.path("postgres-password"), atomically: true, encoding: .utf8)
        try """
            store:
              postgres:
                url: "postgres://bevaka@127.0.0.1:\(gate.port)/\(database)?sslmode=verify-full&sslrootcert=\(server.certificate)"
                passwordFile: postgres-password
            """.write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let node = try Node(workflows: workflows.path, config: folder.path("bevaka.yaml"), log: folder.path("node.log"))
        try await KillRecoveryTests.waitUntilUp(node.port)
        let port = node.port
        @Sendable func open() async throws -> (Int, JSONValue) {
            try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"n"}}"#)
        }
        /// /readyz until it answers `status` (bounded); the last answer.
        func readiness(until status: Int) async throws -> (Int, JSONValue) {
            var answer = try await KillRecoveryTests.request(port, "GET", "/readyz")
            for _ in 0..<300 where answer.0 != status {
                try await Task.sleep(for: .milliseconds(100))
                answer = try await KillRecoveryTests.request(port, "GET", "/readyz")
            }
            return answer
        }
        let unavailable = JSONValue.string("urn:bevaka:problem:storage-unavailable")
        #expect(try await readiness(until: 200).0 == 200)
        var acknowledged = try await open().0 == 201 ? 1 : 0

        // The network to the database cut: not ready, writes refused as a 503 to try again.
        try gate.close()
        let cut = try await readiness(until: 503)
        #expect(cut.0 == 503 && cut.1["type"] == unavailable, "/readyz with the database out of reach: \(cut)")
        let refused = try await open()
        #expect(refused.0 == 503 && refused.1["type"] == unavailable, "a write with the database out of reach: \(refused)")
        try gate.open()
        #expect(try await readiness(until: 200).0 == 200, "ready again once the database answers")
        acknowledged += try await open().0 == 201 ? 1 : 0

        // Read-only, as a standby is: reads answer, writes do not, and the node says so.
        try await Self.asSuperuser(server, [
            "ALTER DATABASE \(database) SET default_transaction_read_only = on",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'",
        ])
        var readOnly = try await open()
        for _ in 0..<50 where readOnly.0 != 503 || readOnly.1["type"] != unavailable {
            if readOnly.0 == 201 { acknowledged += 1 }
            try await Task.sleep(for: .milliseconds(100))
            readOnly = try await open()
        }
        #expect(readOnly.0 == 503 && readOnly.1["type"] == unavailable, "a write on a read-only database: \(readOnly)")
        let standby = try await readiness(until: 503)
        #expect(standby.0 == 503 && standby.1["type"] == unavailable, "/readyz on a read-only database: \(standby)")
        // Reads go on (the test's own pg_terminate_backend may leave a closed connection or two in the pool).
        var read = try await KillRecoveryTests.request(port, "GET", "/cases?workflow=quick")
        for _ in 0..<3 where read.0 != 200 {
            try await Task.sleep(for: .milliseconds(200))
            read = try await KillRecoveryTests.request(port, "GET", "/cases?workflow=quick")
        }
        #expect(read.0 == 200, "reads go on on a read-only database: \(read)")
        try await Self.asSuperuser(server, [
            "ALTER DATABASE \(database) RESET default_transaction_read_only",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'",
        ])
        #expect(try await readiness(until: 200).0 == 200, "ready again once the database takes writes")
        var written = try await open()
        for _ in 0..<50 where written.0 != 201 {
            try await Task.sleep(for: .milliseconds(100))
            written = try await open()
        }
        #expect(written.0 == 201, "\(written)")
        acknowledged += written.0 == 201 ? 1 : 0

        // Exactly what was acknowledged is there: nothing refused was half written.
        let (_, listed) = try await KillRecoveryTests.request(port, "GET", "/cases?workflow=quick&limit=500")
        #expect(listed["items"]?.array.count == acknowledged)
        #expect(await node.stop() == 0, "SIGTERM ends it cleanly after the outages")
    }

    /// Runs statements as the server's superuser on its `postgres` database (the operator's psql).
    static func asSuperuser(_ server: PostgresServer, _ statements: [String]) async throws {
        try await server.withClient(database: "postgres") { client in
            for statement in statements {
                for try await _ in try await client.query(PostgresQuery(unsafeSQL: statement)) {}
            }
        }
    }
}
