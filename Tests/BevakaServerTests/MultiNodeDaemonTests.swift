import BevakaCore
import BevakaTestSupport
import Foundation
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
}
