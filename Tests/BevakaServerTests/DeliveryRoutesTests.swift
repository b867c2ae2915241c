import BevakaCore
import BevakaDelivery
@testable import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/deliveries` and `/webhooks` over HTTP, on deliveries made by the real service.
@Suite(.serialized) struct DeliveryRoutesTests {
    @Test func deadDeliveriesAreListedCountedExplainedAndRetried() async throws {
        let world = try await DeliveryServiceTests.Fixture(at: "2026-06-17T10:00", kind: .sqlite)
        world.configuration.retrySchedule = [.zero]
        try world.endpoint("system", "/gone")
        let service = world.service()
        let opened = try await world.open()
        try await world.alarm(opened.id)
        _ = try await service.round()
        let dead = try #require(try await world.deliveries(channel: .webhook).first)
        let clock = world.clock
        let app = Application(router: APIRouter.build(
            store: try #require(world.store as? any Store), deliveries: .init(webhooks: world.configuration.webhooks, bell: DeliveryBell()), now: { clock.now }))

        try await app.test(.router) { client in
            try await client.execute(uri: "/deliveries?status=dead", method: .get) { response in
                #expect(response.status == .ok)
                let body = json(response.body.readableBytesView)
                #expect(body["items"]?.array.map { $0["id"] } == [.int(Int(dead.id))])
                #expect(body["items"]?[0]?["lastError"]?.string?.contains("410") == true)
                #expect(body["counts"]?["dead"] == .int(1))
                #expect(body["counts"]?["delivered"] == .int(2))  // the alarm email and the administrators' alert
            }
            try await client.execute(uri: "/deliveries?case=\(opened.id)", method: .get) { response in
                #expect(json(response.body.readableBytesView)["items"]?.array.count == 2)
            }
            try await client.execute(uri: "/deliveries?status=lost&limit=0", method: .get) { response in
                #expect(response.status == .badRequest)
                let errors = json(response.body.readableBytesView)["errors"]?.array.compactMap { $0["field"]?.string }
                #expect(errors == ["status", "limit"])
            }
            try await client.execute(uri: "/deliveries/\(dead.id)", method: .get) { response in
                let attempts = json(response.body.readableBytesView)["attempts"]?.array ?? []
                #expect(attempts.map { $0["outcome"]?.string } == ["gone"])
                #expect(attempts.first?["statusCode"] == .int(410))
            }
            try await client.execute(uri: "/webhooks", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(!text.contains("whsec_"))
                let endpoint = json(response.body.readableBytesView)["items"]?[0]
                #expect(endpoint?["enabled"] == .bool(false))
                #expect(endpoint?["disabledBecause"]?.string == "410 Gone")
                #expect(endpoint?["connections"] == .int(4))
            }
            try await client.execute(uri: "/webhooks/system/enable", method: .post) { response in
                #expect(json(response.body.readableBytesView)["changed"] == .bool(true))
            }
            try await client.execute(uri: "/webhooks/other/enable", method: .post) { response in
                #expect(response.status == .notFound)
                #expect(json(response.body.readableBytesView)["type"]?.string == "urn:bevaka:problem:webhook-not-found")
            }
            try await client.execute(uri: "/deliveries/\(dead.id)/retry", method: .post) { response in
                #expect(response.status == .accepted)
                #expect(json(response.body.readableBytesView)["status"]?.string == "pending")
            }
            try await client.execute(uri: "/deliveries/\(dead.id)/retry", method: .post) { response in
                #expect(response.status == .conflict)
                let problem = json(response.body.readableBytesView)
                #expect(problem["type"]?.string == "urn:bevaka:problem:delivery-not-dead")
                #expect(problem["status"] == .int(409))
                #expect(problem["deliveryStatus"]?.string == "pending", "where the delivery stands, beside the HTTP status")
            }
            try await client.execute(uri: "/deliveries/9999/retry", method: .post) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/deliveries/abc", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
        // The retried delivery is sent again (and, the endpoint still being gone, dies again).
        _ = try await service.round()
        #expect(world.receiver.requests.count == 2)
    }
}
