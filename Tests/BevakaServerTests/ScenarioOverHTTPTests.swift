import BevakaCore
import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every scenario of `Workflows/scenarios/` driven through the HTTP API, as a
/// case officer's system would: `POST /cases`, then `POST /cases/{id}/events`
/// at each step's moment, with the store's timers fired in between on the
/// daemon's clock and a real SQLite file. The scenario's expectations must
/// hold here too, so every process of DOMAIN.md is driven over HTTP from its
/// start to each of its ends (the last test checks every end is reached).
@Suite struct ScenarioOverHTTPTests {
    static func headers(_ actor: Actor) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("Bevaka-Actor")!] = actor.name
        headers[HTTPField.Name("Bevaka-Role")!] = actor.role
        return headers
    }

    static func body(_ object: [String: JSONValue]) -> ByteBuffer { ByteBuffer(string: JSONValue.object(object).canonicalText) }

    @Test(arguments: scenarioFiles)
    func scenarioOverHTTP(_ path: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let scenario = try Scenario.load(path: path)
        let catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
        let clock = ManualClock(scenario.start)
        let store = try await TestStores.open(path: folder.path("http.sqlite"), catalog: catalog, now: { clock.now })
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))

        try await app.test(.router) { client in
            let id = try await Self.replay(scenario, client: client, store: store, clock: clock)
            let definition = try #require(catalog.latest(named: scenario.workflow))
            let outcome = try await Simulator.Outcome(store: store, caseID: id, scenario: scenario, definition: definition)
            let failures = outcome.failures(scenario)
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")

            // What the API shows agrees with the store.
            let shown = json(try await client.execute(uri: "/cases/\(id)", method: .get).body.readableBytesView)
            #expect(shown["state"]?.string == scenario.expect.state)
            #expect(shown["workflow"]?.string == (scenario.expect.workflow ?? scenario.workflow))
            if let owner = scenario.expect.owner { #expect(shown["owner"]?.string == owner) }
            let history = json(try await client.execute(uri: "/cases/\(id)/history", method: .get).body.readableBytesView)
            #expect(history["chainIntact"] == .bool(true))
            let checklists = json(try await client.execute(uri: "/cases/\(id)/checklists", method: .get).body.readableBytesView)
            for (name, statuses) in scenario.expect.checklists {
                let shownChecklist = checklists["items"]?.array.first { $0["name"]?.string == name }
                let items = shownChecklist?["items"]?.array ?? []
                for (status, ids) in statuses {
                    let shownIDs = items.filter { $0["status"]?.string == status.rawValue }.compactMap { $0["id"]?.string }
                    #expect(Set(shownIDs) == Set(ids), "\(path): GET checklists \(name) \(status.rawValue)")
                }
            }
        }
    }

    /// Opens the scenario's case over HTTP and fires its steps at their moments, with the
    /// timers due in between fired on the clock; returns the case id. Every answer is checked.
    static func replay(_ scenario: Scenario, client: some TestClientProtocol, store: any Store, clock: ManualClock) async throws -> String {
        let file = URL(fileURLWithPath: scenario.path).lastPathComponent
        let opened = try await client.execute(
            uri: "/cases", method: .post, headers: headers(scenario.opener),
            body: body(["workflow": .string(scenario.workflow), "owner": .string(scenario.owner), "fields": .object(scenario.fields)]))
        #expect(opened.status == .created, "\(file): POST /cases answered \(opened.status)")
        let id = try #require(json(opened.body.readableBytesView)["id"]?.string)
        for step in scenario.steps {
            try await Simulator.advance(store, to: step.at, now: { clock.now }, setClock: { clock.set($0) })
            clock.set(step.at)
            var request: [String: JSONValue] = ["event": .string(step.event), "payload": .object(step.payload)]
            if let reason = step.reason { request["reason"] = .string(reason) }
            let response = try await client.execute(uri: "/cases/\(id)/events", method: .post,
                                                    headers: headers(step.actor), body: body(request))
            let answer = json(response.body.readableBytesView)
            if let expected = step.expectError {
                #expect(answer["type"]?.string == "urn:bevaka:problem:\(expected)",
                        "\(file):\(step.line): expected \(expected), got \(response.status) \(answer)")
                #expect(response.status.code >= 400)
            } else {
                #expect(response.status == .ok, "\(file):\(step.line): \(step.event) answered \(response.status) \(answer)")
            }
        }
        try await Simulator.advance(store, to: scenario.until, now: { clock.now }, setClock: { clock.set($0) })
        clock.set(scenario.until)
        return id
    }

    /// Each final state of each shipped workflow is where some scenario ends,
    /// so the HTTP replay above drives every process to each of its ends.
    @Test func everyEndOfEveryWorkflowIsReachedByAScenario() throws {
        let catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
        var reached: [String: Set<String>] = [:]
        var started: [String: Int] = [:]
        for path in scenarioFiles {
            let scenario = try Scenario.load(path: path)
            started[scenario.workflow, default: 0] += 1
            if let state = scenario.expect.state { reached[scenario.expect.workflow ?? scenario.workflow, default: []].insert(state) }
        }
        for workflow in catalog.latest {
            let ends = Set(workflow.states.filter(\.isFinal).map(\.name))
            let missing = ends.subtracting(reached[workflow.name] ?? [])
            #expect(missing.isEmpty, "\(workflow.name): no scenario ends in \(missing.sorted())")
            #expect((started[workflow.name] ?? 0) >= 3, "\(workflow.name) has fewer than three scenarios")
        }
    }
}
