import BevakaCore
import BevakaTestSupport
import Foundation
import Testing

/// Issue 16 (first part): systems call the API with Bevaka's own bearer tokens,
/// made, listed and revoked with `bevaka token`, on the real binary.
@Suite(.serialized) struct ApiTokenTests {
    /// A request as a system sends it: no actor headers, maybe a bearer token.
    static func call(_ port: Int, _ method: String, _ path: String, token: String?, body: String? = nil,
                     headers: [String: String] = [:]) async throws -> (Int, [String: String], JSONValue) {
        let answer = try await KillRecoveryTests.exchange(
            port, method, path, body: body, headers: headers.merging(token.map { ["Authorization": "Bearer \($0)"] } ?? [:]) { $1 },
            actorHeaders: false, timeout: 10)
        return (answer.status, answer.headers, JSONValue.parse(answer.text) ?? .null)
    }

    @Test func aTokenIsMadeUsedAndRevokedFromTheCommandLine() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let database = folder.path("tokens.sqlite")
        func bevaka(_ arguments: [String]) throws -> CommandLineTests.Output {
            try CommandLineTests.bevaka(["token"] + arguments + ["--database", database, "--workflows", workflows.path])
        }
        let created = try bevaka(["create", "--name", "crm", "--role", "officer"])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("bvk_") && token.count > 50)
        #expect(try bevaka(["create", "--name", "crm", "--role", "officer"]).stderr.contains("a token named 'crm' exists already"))
        #expect(try bevaka(["create", "--name", "x", "--role", "boss"]).stderr.contains("'boss' is not a role of the loaded workflows"))
        let shortLived = try bevaka(["create", "--name", "brief", "--role", "officer", "--expires", "PT1S"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Only a hash is kept: the database does not contain the token (on PostgreSQL: no column of the table holds it).
        let secretPart = String(token.split(separator: "_", maxSplits: 2)[2])
        switch TestStores.kind {
        case .sqlite:
            let bytes = try Data(contentsOf: URL(fileURLWithPath: database)) + ((try? Data(contentsOf: URL(fileURLWithPath: database + "-wal"))) ?? Data())
            #expect(bytes.range(of: Data(secretPart.utf8)) == nil)
        case .postgres:
            #expect(try await TestStores.integer("SELECT count(*) FROM api_tokens", at: database) == 2)
            #expect(try await TestStores.integer("SELECT count(*) FROM api_tokens t WHERE position('\(secretPart)' IN t::text) > 0", at: database) == 0)
        }

        try "auth: { mode: tokens }\n".write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let port = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: database, workflows: workflows.path, port: port, config: folder.path("bevaka.yaml"))
        try await KillRecoveryTests.waitUntilUp(port)
        let open = #"{"workflow":"quick","owner":"o","fields":{"name":"a"}}"#

        let anonymous = try await Self.call(port, "POST", "/cases", token: nil, body: open)
        #expect(anonymous.0 == 401)
        #expect(anonymous.1["www-authenticate"] == #"Bearer realm="bevaka""#)
        #expect(try await Self.call(port, "GET", "/cases", token: nil).0 == 401)
        #expect(try await Self.call(port, "GET", "/healthz", token: nil).0 == 200)
        // The old way of saying who acts is refused: headers cannot make anyone someone else.
        let headers = try await Self.call(port, "POST", "/cases", token: nil, body: open,
                                          headers: ["Bevaka-Actor": "chefen", "Bevaka-Role": "officer"])
        #expect(headers.0 == 401)
        let both = try await Self.call(port, "POST", "/cases", token: token, body: open, headers: ["Bevaka-Actor": "chefen"])
        #expect(both.0 == 400)

        let opened = try await Self.call(port, "POST", "/cases", token: token, body: open)
        #expect(opened.0 == 201)
        let id = try #require(opened.2["id"]?.string)
        let history = try await Self.call(port, "GET", "/cases/\(id)/history", token: token)
        #expect(history.2["items"]?.array.first?["actor"]?.string == "token:crm")
        #expect(history.2["items"]?.array.first?["role"]?.string == "officer")
        // Deliveries and webhooks are the operators', however the path is written.
        for path in ["/deliveries", "//deliveries", "/webhooks", "//webhooks/", "/./deliveries"] {
            #expect(try await Self.call(port, "GET", path, token: token).0 == 403, "\(path)")
        }

        var forged = token
        forged.removeLast()
        forged.append(token.last == "A" ? "B" : "A")
        #expect(try await Self.call(port, "GET", "/cases", token: forged).0 == 401)
        #expect(try await Self.call(port, "GET", "/cases", token: "bvk_nonsense").0 == 401)
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await Self.call(port, "GET", "/cases", token: shortLived).0 == 401, "an expired token")

        let listed = try bevaka(["list"])
        #expect(listed.stdout.contains("crm\tofficer\t") && listed.stdout.contains("\tactive"))
        #expect(listed.stdout.contains("brief\tofficer\t") && listed.stdout.contains("\texpired"))
        #expect(!listed.stdout.contains(token))
        #expect(try bevaka(["revoke", "crm"]).status == 0)
        #expect(try await Self.call(port, "GET", "/cases", token: token).0 == 401, "revoked while the daemon runs")
        #expect(try bevaka(["revoke", "nobody"]).stderr.contains("no token named 'nobody'"))
        #expect(await daemon.stop() == 0)
    }

    /// Guessing tokens: after ten refusals within a minute, a client gets 429 until the oldest leaves the minute.
    @Test func refusedTokensFromOneClientAreAnsweredWith429() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let database = folder.path("limit.sqlite")
        let created = try CommandLineTests.bevaka(["token", "create", "--name", "crm", "--role", "officer",
                                                   "--database", database, "--workflows", workflows.path])
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try "auth: { mode: tokens }\n".write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let port = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: database, workflows: workflows.path, port: port, config: folder.path("bevaka.yaml"))
        try await KillRecoveryTests.waitUntilUp(port)
        #expect(try await Self.call(port, "GET", "/cases", token: token).0 == 200)
        for guess in 0..<10 {
            #expect(try await Self.call(port, "GET", "/cases", token: "bvk_aaaaaaaaaaaa_guess\(guess)").0 == 401)
        }
        let limited = try await Self.call(port, "GET", "/cases", token: "bvk_aaaaaaaaaaaa_guess10")
        #expect(limited.0 == 429)
        #expect(limited.2["type"]?.string == "urn:bevaka:problem:too-many-attempts")
        #expect(Int(limited.1["retry-after"] ?? "") ?? 0 > 0)
        // The probes stay open for the load balancer.
        #expect(try await Self.call(port, "GET", "/healthz", token: nil).0 == 200)
        #expect(await daemon.stop() == 0)
    }

    /// The development mode trusts headers, so it never listens beyond loopback.
    @Test func developmentModeRefusesToListenBeyondLoopback() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let refused = try CommandLineTests.bevaka(["serve", "--database", folder.path("d.sqlite"), "--workflows", workflows.path,
                                                   "--host", "0.0.0.0", "--port", String(KillRecoveryTests.freePort())])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("auth.mode none trusts the Bevaka-Actor and Bevaka-Role headers"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("d.sqlite")))
    }
}
