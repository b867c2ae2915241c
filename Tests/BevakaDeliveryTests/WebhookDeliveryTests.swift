import BevakaDelivery
import BevakaTestSupport
import Foundation
import Testing

/// Signing by the Standard Webhooks specification.
@Suite struct WebhookSignerTests {
    @Test func theSpecificationsExampleSignature() throws {
        let secret = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = WebhookSigner.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                                body: Array(#"{"test": 2432232314}"#.utf8), secrets: [secret])
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func badSecretsAreRefusedAndNeverPrinted() throws {
        #expect(throws: WebhookSecretError.missingPrefix) { try WebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") }
        #expect(throws: WebhookSecretError.badKey) { try WebhookSecret("whsec_not base64!") }
        #expect(String(describing: try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")) == "whsec_…")
    }
}

/// libcurl against a real HTTP receiver on loopback that checks signatures itself.
@Suite(.serialized) struct CurlWebhookTests {
    static let current = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let next = "whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString()

    func send(_ client: CurlHTTPClient, _ url: String, id: String = "msg_1", secrets: [String] = [current],
              timeout: Duration = .seconds(15)) throws -> Result<HTTPReply, CurlError> {
        let body = Array(#"{"type":"case.deadline.reminder","timestamp":"2026-02-09T16:00:00Z","data":{"caseId":"c1"}}"#.utf8)
        let headers = WebhookSigner.headers(id: id, timestamp: 1_770_652_800, body: body, secrets: try secrets.map(WebhookSecret.init))
        return client.post(url: url, headers: headers, body: body, timeout: timeout)
    }

    @Test func aSignedWebhookArrivesAndVerifiesAndTheConnectionIsReused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let receiver = try WebhookReceiver(secrets: [Self.current], folder: folder)
        let client = CurlHTTPClient()
        #expect(try send(client, receiver.url("/ok"), id: "msg_1").map(\.status) == .success(200))
        #expect(try send(client, receiver.url("/ok"), id: "msg_2").map(\.status) == .success(200))
        let seen = receiver.requests
        #expect(seen.count == 2)
        #expect(seen.allSatisfy { $0["verified"] as? Bool == true && $0["contentType"] as? String == "application/json" })
        #expect(seen.map { $0["id"] as? String } == ["msg_1", "msg_2"])
        #expect(seen[0]["timestamp"] as? String == "1770652800")
        // One TCP connection for both: the client port is the same.
        #expect(seen[0]["clientPort"] as? Int == seen[1]["clientPort"] as? Int)
    }

    @Test func aWrongSecretDoesNotVerifyAndDuringRotationBothSignaturesAreSent() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let receiver = try WebhookReceiver(secrets: [Self.next], folder: folder)
        let client = CurlHTTPClient()
        #expect(try send(client, receiver.url("/ok"), secrets: [Self.current]).map(\.status) == .success(401))
        #expect(try send(client, receiver.url("/ok"), secrets: [Self.current, Self.next]).map(\.status) == .success(200))
        #expect(receiver.requests.map { $0["signatures"] as? Int } == [1, 2])
    }

    @Test func goneBusyAndRedirectAreReportedAndRedirectsAreNotFollowed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let receiver = try WebhookReceiver(secrets: [Self.current], folder: folder)
        let client = CurlHTTPClient()
        #expect(try send(client, receiver.url("/gone")).map(\.status) == .success(410))
        let busy = try send(client, receiver.url("/busy")).get()
        #expect(busy.status == 429)
        #expect(busy.retryAfterSeconds == 7)
        #expect(try send(client, receiver.url("/moved")).map(\.status) == .success(302))
        #expect(receiver.requests.map { $0["path"] as? String } == ["/gone", "/busy", "/moved"])
    }

    @Test func aSlowReceiverTimesOutAndAClosedPortIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let receiver = try WebhookReceiver(secrets: [Self.current], folder: folder)
        let client = CurlHTTPClient()
        guard case .failure(let timeout) = try send(client, receiver.url("/slow"), timeout: .milliseconds(500)) else {
            Issue.record("a 3 s answer within 0.5 s")
            return
        }
        #expect(timeout.isTimeout, "\(timeout)")
        guard case .failure(let refused) = try send(client, "http://127.0.0.1:1/ok") else {
            Issue.record("port 1 answered")
            return
        }
        #expect(refused.code == 7, "\(refused)")
    }
}
