import BevakaCore
import BevakaDelivery
import BevakaPostgres
@testable import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// Two nodes' DeliveryServices on one PostgreSQL database: every delivery is sent by one
/// of them, once, and one a node claimed and never sent (it died) goes out from another
/// node when the claim's lease runs out, with the same message id.
@Suite struct MultiNodeDeliveryTests {
    @Test func eachDeliveryIsSentOnceAcrossNodesAndADeadNodesClaimIsSentLater() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = folder.path("workflows")
        try FileManager.default.createDirectory(atPath: workflows + "/templates", withIntermediateDirectories: true)
        try DeliveryServiceTests.workflow.write(toFile: workflows + "/leverans.yaml", atomically: true, encoding: .utf8)
        for (name, text) in DeliveryServiceTests.templates {
            try text.write(toFile: workflows + "/templates/" + name, atomically: true, encoding: .utf8)
        }
        let catalog = try WorkflowLoader.loadDirectory(workflows)
        let templates = try TemplateSet.load(folder: URL(fileURLWithPath: workflows + "/templates"))
        let clock = ManualClock(local("2026-06-17T10:00"))
        let server = try PostgresServer.shared()
        let settings = try PostgresSettings(url: try server.newDatabaseURL(), passwordFile: server.passwordFile)
        var nodes: [PostgresStore] = []
        for _ in 0..<3 { nodes.append(try await PostgresStore.open(settings, catalog: catalog, now: { clock.now })) }
        let receiver = try WebhookReceiver(secrets: [DeliveryServiceTests.secret], folder: folder)
        var configuration = DeliveryConfiguration()
        configuration.retrySchedule = [.zero, .seconds(10)]
        configuration.jitter = 0
        configuration.webhooks["system"] = WebhookEndpoint(
            name: "system", url: receiver.url("/ok"), secrets: [try WebhookSecret(DeliveryServiceTests.secret)],
            personalData: false, timeout: .seconds(5))
        let services = nodes.prefix(2).map { store in
            DeliveryService(store: store, configuration: configuration, templates: templates, bell: DeliveryBell(),
                            baseURL: "http://127.0.0.1:8080", now: { clock.now }, random: { 0.5 })
        }
        let officer = Actor(name: "anna", role: "handlaggare")
        for i in 0..<24 {
            let opened = try await nodes[i % 2].openCase(workflow: "leverans", owner: "anna@region.test",
                                                         fields: ["enhet": .string("VC \(i)")], actor: officer)
            _ = try await nodes[(i + 1) % 2].applyEvent(caseID: opened.id, event: "larma", payload: [:], reason: nil, actor: officer)
        }
        // The third node plans the outbox, claims four deliveries and dies before sending them.
        let planner = DeliveryPlanner(configuration: configuration)
        while try await nodes[2].planDeliveries(now: clock.now, planner: planner.plan) > 0 {}
        let claimed = try await nodes[2].dueDeliveries(at: clock.now, limit: 4, excluding: [], skippingWebhooks: [], skippingEmail: false)
        #expect(claimed.count == 4)
        await nodes[2].close()
        // The two living nodes run their rounds at the same time: each of the others is sent once.
        async let roundA = services[0].round()
        async let roundB = services[1].round()
        _ = try await (roundA, roundB)
        let webhooks = try await nodes[0].deliveries(status: nil, before: nil, limit: 500).filter { $0.channel == .webhook }
        #expect(webhooks.count == 24)
        #expect(webhooks.filter { $0.status == .delivered }.count == 20)
        #expect(receiver.requests.count == 20)
        // Past the claim's lease, the dead node's four go out from the others, with the ids they always had.
        clock.set(clock.now.addingTimeInterval(settings.deliveryLease + 1))
        async let lateA = services[0].round()
        async let lateB = services[1].round()
        _ = try await (lateA, lateB)
        let delivered = try await nodes[0].deliveries(status: .delivered, before: nil, limit: 500).filter { $0.channel == .webhook }
        #expect(delivered.count == 24)
        let ids = receiver.requests.compactMap { $0["id"] as? String }
        #expect(ids.count == 24)
        #expect(Set(ids) == Set(delivered.map { "msg_" + $0.messageID }))
        for node in nodes.prefix(2) { await node.close() }
    }

    /// A node with nothing to send writes nothing: the deliveries' own bookkeeping does not wake
    /// the DeliveryService (it did, and an idle node ran two transactions a round, without end).
    @Test func anIdleNodeWritesNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try DeliveryServiceTests.workflow.write(toFile: folder.path("leverans.yaml"), atomically: true, encoding: .utf8)
        let catalog = try WorkflowLoader.loadDirectory(folder.path(""))
        let bell = DeliveryBell()
        let store = try await PostgresStore.open(try PostgresServer.settingsForNewDatabase(), catalog: catalog,
                                                 onCommit: { _ in bell.ring() })
        let service = DeliveryService(store: store, configuration: DeliveryConfiguration(), templates: TemplateSet(), bell: bell,
                                      baseURL: "http://127.0.0.1:8080")
        let running = Task { try await service.run() }
        _ = try await store.openCase(workflow: "leverans", owner: "anna@region.test", fields: ["enhet": .string("VC")],
                                     actor: Actor(name: "anna", role: "handlaggare"))
        // The opening wakes a round or two (its commit, and its own NOTIFY coming back, late on a
        // loaded machine); after that the node is quiet. Woken by its own writes it ran hundreds a second.
        try await Task.sleep(for: .milliseconds(500))
        let before = await store.writeStatistics().transactions
        try await Task.sleep(for: .seconds(2))
        let written = await store.writeStatistics().transactions - before
        #expect(written <= 2, "\(written) transactions in two idle seconds")
        running.cancel()
        _ = await running.result
        await store.close()
    }
}
