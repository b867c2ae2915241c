import BevakaCore
import BevakaPostgres
import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import PostgresNIO
import Testing

/// Several nodes on one PostgreSQL database, each with its own TimerService: every
/// expiry fires exactly once across them, a timer scheduled on one node wakes the
/// others (LISTEN/NOTIFY), and a node that dies holding claims loses nothing.
@Suite struct MultiNodeTimerTests {
    let folder: TemporaryFolder
    let catalog: WorkflowCatalog
    let officer = Actor(name: "o", role: "officer")

    init() throws {
        folder = try TemporaryFolder()
        let workflows = folder.url.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try """
        workflow: quick
        version: 1
        title: Quick
        roles: { officer: Officer }
        fields: { name: { type: string } }
        events: { expire: {}, touch: {} }
        states:
          waiting:
            initial: true
            deadlines:
              soon: { after: PT2S, raises: expire }
            on: { expire: expired, touch: waiting }
          expired: { final: true }
        """.write(to: workflows.appendingPathComponent("quick.yaml"), atomically: true, encoding: .utf8)
        catalog = try WorkflowLoader.loadDirectory(workflows.path)
    }

    /// A node: a store on the database and a TimerService fed by its commits and the others' NOTIFY.
    final class Node: Sendable {
        let store: PostgresStore
        let timers: TimerService
        let running: Task<Void, any Error>

        init(_ settings: PostgresSettings, catalog: WorkflowCatalog, serving: Bool) async throws {
            let inbox = TimerInbox()
            store = try await PostgresStore.open(settings, catalog: catalog, onCommit: { inbox.add($0) })
            let store = self.store
            timers = TimerService(store: { store }, inbox: inbox, horizon: 300)
            let timers = self.timers
            running = Task { if serving { try await timers.run() } }
        }

        func stop() async {
            running.cancel()
            _ = await running.result
            await store.close()
        }
    }

    func settings() throws -> PostgresSettings {
        let server = try PostgresServer.shared()
        return try PostgresSettings(url: try server.newDatabaseURL(), passwordFile: server.passwordFile)
    }

    /// Waits (bounded, in real time) for the nodes to do their work.
    func eventually(within seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("condition not reached within \(seconds) s")
    }

    @Test func everyExpiryFiresOnceAcrossThreeNodesAndADeadClaimIsLost() async throws {
        defer { folder.cleanup() }
        let settings = try settings()
        var nodes: [Node] = []
        for _ in 0..<3 { nodes.append(try await Node(settings, catalog: catalog, serving: true)) }
        // Cases opened over all three nodes.
        var ids: [String] = []
        for i in 0..<240 {
            let node = nodes[i % 3]
            ids.append(try await node.store.openCase(workflow: "quick", owner: "o", fields: [:], actor: officer).id)
        }
        // A fourth node claims a batch of the timers and dies before it commits: PostgreSQL
        // rolls its transaction back when the connection goes, as it does when the process is killed.
        let dying = try await deadNodeClaims(settings, count: 40)
        #expect(dying == 40)
        try await eventually {
            try await nodes[0].store.pendingTimerCount() == 0
        }
        for id in ids {
            let history = try await nodes[Int.random(in: 0..<3)].store.history(caseID: id)
            #expect(history.filter { $0.entry.event == "deadline.expired" }.count == 1, "case \(id)")
            #expect(HistoryHasher.chainIsIntact(history, caseID: id))
            #expect(try await nodes[0].store.caseRecord(id: id).state == "expired")
        }
        for node in nodes { await node.stop() }
    }

    /// Claims `count` timers as a node's batch would (FOR UPDATE SKIP LOCKED, in a transaction),
    /// holds them while they fall due, then drops the connection without committing.
    func deadNodeClaims(_ settings: PostgresSettings, count: Int) async throws -> Int {
        var configuration = PostgresClient.Configuration(host: settings.host, port: settings.port, username: settings.username,
                                                         password: settings.password, database: settings.database, tls: .disable)
        configuration.options.maximumConnections = 1
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "dying-node"))
        return try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask { await client.run(); return -1 }
            let claimed = try await client.withConnection { connection -> Int in
                _ = try await connection.query("BEGIN", logger: Logger(label: "dying-node"))
                var claimed = 0
                for try await _ in try await connection.query("""
                    SELECT id FROM timers ORDER BY due_at, id LIMIT \(count) FOR UPDATE SKIP LOCKED
                    """, logger: Logger(label: "dying-node")) { claimed += 1 }
                // Held past their due instant, so the other nodes find them busy.
                try await Task.sleep(for: .seconds(3))
                return claimed
            }
            // The connection goes back to the pool mid-transaction; closing the client drops it, uncommitted.
            group.cancelAll()
            return claimed
        }
    }

    @Test func aTimerScheduledOnOneNodeWakesAnother() async throws {
        defer { folder.cleanup() }
        let settings = try settings()
        // This node fires timers but takes no requests; it has read its (empty) window and sleeps for 300 s.
        let firing = try await Node(settings, catalog: catalog, serving: true)
        await firing.timers.waitUntilRecovered()
        // That node takes requests but fires nothing.
        let taking = try await Node(settings, catalog: catalog, serving: false)
        let opened = try await taking.store.openCase(workflow: "quick", owner: "o", fields: [:], actor: officer)
        try await eventually(within: 15) {
            try await taking.store.caseRecord(id: opened.id).state == "expired"
        }
        await taking.stop()
        await firing.stop()
    }
}
