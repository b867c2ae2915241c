import BevakaCore
import BevakaTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Issue 16 (second part): systems call the API with JWT access tokens from the
/// region's OpenID provider (client credentials), checked against the provider's
/// published keys, issuer, audience, expiry and scope. A real provider
/// (idpyoidc, `Tests/Peers/oidc_provider.py`) runs on loopback; nothing is hand-minted.
@Suite(.serialized) struct OIDCBearerTests {
    /// A client-credentials access token from the provider's token endpoint.
    static func systemToken(_ provider: OpenIDProvider) async throws -> String {
        var request = URLRequest(url: URL(string: provider.issuer + "/token")!, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let basic = Data("\(provider.systemClient.0):\(provider.systemClient.1)".utf8).base64EncodedString()
        request.setValue("Basic \(basic)", forHTTPHeaderField: "Authorization")
        request.httpBody = Data("grant_type=client_credentials&scope=bevaka.write".utf8)
        let (data, _) = try await URLSession.shared.data(for: request)
        let answer = JSONValue.parse(String(decoding: data, as: UTF8.self))
        return try #require(answer?["access_token"]?.string, "\(String(decoding: data, as: UTF8.self))")
    }

    static func rotateKeys(_ provider: OpenIDProvider) async throws {
        var request = URLRequest(url: URL(string: provider.issuer + "/_test/rotate-keys")!, timeoutInterval: 10)
        request.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: request)
    }

    static func config(_ provider: OpenIDProvider, audience: String = "bevaka-api") -> String {
        """
        auth:
          mode: oidc
          oidc:
            issuer: \(provider.issuer)
            audience: \(audience)
            scope: bevaka.write
            clients: { \(provider.systemClient.0): [officer] }

        """
    }

    /// `bevaka serve` with `auth.mode: oidc` trusting `provider`, up and answering.
    static func daemon(trusting provider: OpenIDProvider, in folder: TemporaryFolder) async throws -> (KillRecoveryTests.Daemon, Int) {
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        try config(provider).write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let port = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: folder.path("o.sqlite"), workflows: workflows.path, port: port,
                                                  config: folder.path("bevaka.yaml"))
        try await KillRecoveryTests.waitUntilUp(port)
        return (daemon, port)
    }

    @Test func aSystemCallsWithTheProvidersTokenAndAForgedOneIsRefused() async throws {
        let provider = try OpenIDProvider()
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (daemon, port) = try await Self.daemon(trusting: provider, in: folder)
        let open = #"{"workflow":"quick","owner":"o","fields":{"name":"a"}}"#

        let token = try await Self.systemToken(provider)
        let opened = try await ApiTokenTests.call(port, "POST", "/cases", token: token, body: open)
        #expect(opened.0 == 201, "\(opened.2)")
        let id = try #require(opened.2["id"]?.string)
        let history = try await ApiTokenTests.call(port, "GET", "/cases/\(id)/history", token: token)
        #expect(history.2["items"]?.array.first?["actor"]?.string == "system:bevaka-system (bevaka-system)")
        #expect(history.2["items"]?.array.first?["role"]?.string == "officer")

        // A token whose signature does not verify, or that is not a token at all.
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = parts[1].replacingOccurrences(of: parts[1].prefix(8), with: String(parts[1].prefix(8).reversed()))
        #expect(try await ApiTokenTests.call(port, "GET", "/cases", token: parts.joined(separator: ".")).0 == 401)
        #expect(try await ApiTokenTests.call(port, "GET", "/cases", token: "not.a.jwt").0 == 401)
        // A role the system does not hold, and a claimed actor, are refused.
        #expect(try await ApiTokenTests.call(port, "POST", "/cases", token: token, body: open, headers: ["Bevaka-Role": "chef"]).0 == 403)
        #expect(try await ApiTokenTests.call(port, "POST", "/cases", token: token, body: open, headers: ["Bevaka-Actor": "chefen"]).0 == 400)

        // The provider rotates its signing key: a token signed with the new key is taken once the keys are read again.
        try await Self.rotateKeys(provider)
        let rotated = try await Self.systemToken(provider)
        try await Task.sleep(for: .milliseconds(2_100))
        #expect(try await ApiTokenTests.call(port, "GET", "/cases", token: rotated).0 == 200, "a token signed with the rotated key")
        #expect(await daemon.stop() == 0)
    }

    @Test func aTokenForAnotherAudienceIsRefused() async throws {
        let provider = try OpenIDProvider(audience: "another-api")
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (daemon, port) = try await Self.daemon(trusting: provider, in: folder)
        let token = try await Self.systemToken(provider)
        #expect(try await ApiTokenTests.call(port, "GET", "/cases", token: token).0 == 401)
        #expect(await daemon.stop() == 0)
    }

    @Test func anExpiredTokenAndOneFromAnotherIssuerAreRefused() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        // Long enough to be used once on a loaded test machine; the test then waits for its `exp`.
        try #"{"access_token_lifetime": 8}"#.write(toFile: folder.path("short.json"), atomically: true, encoding: .utf8)
        let provider = try OpenIDProvider(arguments: ["--config", folder.path("short.json")])
        let stranger = try OpenIDProvider()
        let (daemon, port) = try await Self.daemon(trusting: provider, in: folder)
        let token = try await Self.systemToken(provider)
        #expect(try await ApiTokenTests.call(port, "GET", "/cases", token: token).0 == 200)
        // Another provider's token: its issuer is not the one configured (nor are its keys).
        #expect(try await ApiTokenTests.call(port, "GET", "/cases", token: try await Self.systemToken(stranger)).0 == 401)
        // Past the token's own expiry (whole seconds), wherever the machine's load put it.
        let payload = token.split(separator: ".").dropFirst().first.map(String.init) ?? ""
        let padded = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            + String(repeating: "=", count: (4 - payload.count % 4) % 4)
        let claims = Data(base64Encoded: padded).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        let expiry = try #require(claims?["exp"] as? Double ?? (claims?["exp"] as? Int).map(Double.init))
        try await Task.sleep(for: .seconds(max(0, expiry + 1.1 - Date().timeIntervalSince1970)))
        let expired = try await ApiTokenTests.call(port, "GET", "/cases", token: token)
        #expect(expired.0 == 401, "the token lived eight seconds")
        #expect(await daemon.stop() == 0)
    }

    @Test func tenRefusedSecretsForOneTokenLockItFromEveryAddress() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        try "auth: { mode: tokens }\nserver: { trustedProxies: [127.0.0.1] }\n".write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let port = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: folder.path("t.sqlite"), workflows: workflows.path, port: port,
                                                  config: folder.path("bevaka.yaml"))
        try await KillRecoveryTests.waitUntilUp(port)
        let made = try SignInTests.cli(["token", "create", "--name", "crm", "--role", "officer", "--database", folder.path("t.sqlite"),
                                        "--workflows", workflows.path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await ApiTokenTests.call(port, "GET", "/cases", token: made).0 == 200)
        let id = made.split(separator: "_")[1]
        // Each guess comes from another address (as a proxy forwards them): the address limit never trips, the token's does.
        var answers: [Int] = []
        for guess in 0..<11 {
            answers.append(try await ApiTokenTests.call(port, "GET", "/cases", token: "bvk_\(id)_guess\(guess)",
                                                        headers: ["X-Forwarded-For": "10.0.0.\(guess + 1)"]).0)
        }
        #expect(answers.prefix(10).allSatisfy { $0 == 401 }, "\(answers)")
        #expect(answers.last == 429)
        #expect(try await ApiTokenTests.call(port, "GET", "/cases", token: made, headers: ["X-Forwarded-For": "10.0.1.1"]).0 == 429,
                "locked for now, even with the right secret")
        #expect(await daemon.stop() == 0)
    }
}
