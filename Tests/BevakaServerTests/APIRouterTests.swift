import BevakaCore
import BevakaTestSupport
import BevakaServer
import BevakaStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The HTTP API in-process, on a real SQLite file.
@Suite struct APIRouterTests {
    let folder: TemporaryFolder
    let clock = ManualClock(local("2026-01-12T09:00"))
    let store: any Store

    init() async throws {
        folder = try TemporaryFolder()
        let clock = self.clock
        store = try await TestStores.open(path: folder.path("api.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder),
                              now: { clock.now })
    }

    func app() -> some ApplicationProtocol {
        let clock = self.clock
        return Application(router: APIRouter.build(store: store, now: { clock.now }))
    }

    static func headers(role: String = "handlaggare", actor: String = "anna", csv: Bool = false) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("Bevaka-Actor")!] = actor
        headers[HTTPField.Name("Bevaka-Role")!] = role
        if csv { headers[.accept] = "text/csv" }
        return headers
    }

    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static let openBody = #"{"workflow":"kalmar-sanktionstrappa","owner":"anna","fields":{"enhet":"VC Berga","listade":8000}}"#

    /// Opens a case and returns its id.
    func open(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/cases", method: .post, headers: Self.headers(), body: Self.body(Self.openBody)) { response in
            #expect(response.status == .created)
            let id = try #require(json(response.body.readableBytesView)["id"]?.string)
            #expect(response.headers[.location] == "/cases/\(id)")
            return id
        }
    }

    func event(_ client: some TestClientProtocol, _ id: String, _ body: String, role: String = "handlaggare") async throws -> TestResponse {
        try await client.execute(uri: "/cases/\(id)/events", method: .post, headers: Self.headers(role: role), body: Self.body(body))
    }

    @Test func openClassifyAndRequestAPlanShowsTheDeadline() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client)
            let classified = try await event(client, id, #"{"event":"klassificera","payload":{"allvarlighetsgrad":3,"avsteg":2}}"#)
            #expect(classified.status == .ok)
            #expect(json(classified.body.readableBytesView)["derived"]?["farg"] == .string("gul"))
            clock.set(local("2026-01-15T10:00"))
            let requested = try await event(client, id, #"{"event":"skickaBegaranOmRattelse","payload":{"begaranSkickad":"2026-01-15","planSenast":"2026-06-15"}}"#)
            #expect(requested.status == .ok)
            try await client.execute(uri: "/cases/\(id)", method: .get) { response in
                let body = json(response.body.readableBytesView)
                #expect(body["state"] == .string("vantarHandlingsplan"))
                let deadline = try #require(body["deadlines"]?[0])
                #expect(deadline["name"] == .string("handlingsplan"))
                #expect(deadline["dueAt"] == .string("2026-06-15T15:00:00Z"))
                #expect(deadline["dueAtLocal"] == .string("2026-06-15T17:00:00+02:00"))
                let allowed = body["allowedEvents"]?.array.compactMap { $0["event"]?.string } ?? []
                #expect(allowed == ["handlingsplanInkommen", "innehallErsattning", "uppdateraListade"])
                #expect(body["fields"]?["listade"] == .int(8000))
            }
        }
    }

    @Test func refusedRequestsAreProblemsAndChangeNothing() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client)
            let notAccepted = try await event(client, id, #"{"event":"handlingsplanInkommen"}"#)
            #expect(notAccepted.status == .conflict)
            #expect(notAccepted.headers[.contentType] == "application/problem+json")
            let problem = json(notAccepted.body.readableBytesView)
            #expect(problem["type"] == .string("urn:bevaka:problem:event-not-accepted"))
            #expect(problem["accepted"] == .array([.string("avsluta"), .string("innehallErsattning"), .string("klassificera"), .string("uppdateraListade")]))

            let forbidden = try await event(client, id, #"{"event":"klassificera","payload":{"allvarlighetsgrad":3,"avsteg":2}}"#, role: "verksamhetschef")
            #expect(forbidden.status == .forbidden)
            #expect(json(forbidden.body.readableBytesView)["allowedRoles"] == .array([.string("handlaggare")]))

            let bad = try await event(client, id, #"{"event":"klassificera","payload":{"allvarlighetsgrad":"hög","avsteg":9,"färg":"röd"}}"#)
            #expect(bad.status == .badRequest)
            let errors = json(bad.body.readableBytesView)["errors"]?.array.compactMap { $0["field"]?.string } ?? []
            #expect(Set(errors) == ["allvarlighetsgrad", "avsteg", "färg"])

            let missingActor = try await client.execute(uri: "/cases/\(id)/events", method: .post, body: Self.body(#"{"event":"avsluta"}"#))
            #expect(missingActor.status == .badRequest)
            let notJSON = try await event(client, id, "{event:")
            #expect(notJSON.status == .badRequest)
            let unknownMember = try await event(client, id, #"{"event":"klassificera","payloads":{}}"#)
            #expect(unknownMember.status == .badRequest)
            #expect(try await client.execute(uri: "/cases/nope", method: .get).status == .notFound)
            #expect(try await event(client, "nope", #"{"event":"avsluta"}"#).status == .notFound)

            try await client.execute(uri: "/cases/\(id)/history", method: .get) { response in
                let body = json(response.body.readableBytesView)
                #expect(body["items"]?.array.count == 1)
                #expect(body["chainIntact"] == .bool(true))
            }
            try await client.execute(uri: "/cases/\(id)", method: .get) { response in
                #expect(json(response.body.readableBytesView)["version"] == .int(1))
            }
        }
    }

    @Test func openingRefusesUnknownWorkflowsBadFieldsAndStrangeRoles() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let unknown = try await client.execute(uri: "/cases", method: .post, headers: Self.headers(),
                                                   body: Self.body(#"{"workflow":"nope","owner":"a"}"#))
            #expect(unknown.status == .badRequest)
            #expect(json(unknown.body.readableBytesView)["type"] == .string("urn:bevaka:problem:unknown-workflow"))
            let missing = try await client.execute(uri: "/cases", method: .post, headers: Self.headers(),
                                                   body: Self.body(#"{"workflow":"kalmar-sanktionstrappa","owner":"a","fields":{"listade":-5}}"#))
            #expect(missing.status == .badRequest)
            let fields = json(missing.body.readableBytesView)["errors"]?.array.compactMap { $0["field"]?.string } ?? []
            #expect(Set(fields) == ["enhet", "listade"])
            let outsider = try await client.execute(uri: "/cases", method: .post, headers: Self.headers(role: "journalist"),
                                                    body: Self.body(Self.openBody))
            #expect(outsider.status == .forbidden)
            var twoRoles = Self.headers()
            twoRoles[HTTPField.Name("Bevaka-Role")!] = "handlaggare, beslutsfattare"
            let doubled = try await client.execute(uri: "/cases", method: .post, headers: twoRoles, body: Self.body(Self.openBody))
            #expect(doubled.status == .badRequest)
            try await client.execute(uri: "/cases", method: .get) { response in
                #expect(json(response.body.readableBytesView)["items"]?.array.isEmpty == true)
            }
        }
    }

    @Test func listingFiltersAndPages() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            var ids: [String] = []
            for minute in 0..<5 {
                clock.set(local("2026-01-12T09:0\(minute)"))
                ids.append(try await open(client))
            }
            _ = try await event(client, ids[0], #"{"event":"klassificera","payload":{"allvarlighetsgrad":1,"avsteg":1}}"#)
            let first = try await client.execute(uri: "/cases?limit=2", method: .get)
            let page = json(first.body.readableBytesView)
            #expect(page["items"]?.array.compactMap { $0["id"]?.string } == Array(ids.prefix(2)))
            let next = try #require(page["next"]?.string)
            let second = json(try await client.execute(uri: "/cases?limit=2&after=\(next)", method: .get).body.readableBytesView)
            #expect(second["items"]?.array.compactMap { $0["id"]?.string } == Array(ids[2..<4]))
            let byState = json(try await client.execute(uri: "/cases?workflow=kalmar-sanktionstrappa&state=gron", method: .get).body.readableBytesView)
            #expect(byState["items"]?.array.compactMap { $0["id"]?.string } == [ids[0]])
            #expect(try await client.execute(uri: "/cases?limit=0", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/cases?overdue=yes", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/cases?colour=red", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/cases?workflow=nope", method: .get).status == .badRequest)
        }
    }

    @Test func overdueCasesAreListedAndTheLedgerExportsCSV() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client)
            _ = try await event(client, id, #"{"event":"klassificera","payload":{"allvarlighetsgrad":2,"avsteg":2}}"#)
            _ = try await client.execute(uri: "/cases/\(id)/events", method: .post, headers: Self.headers(role: "beslutsfattare"),
                                         body: Self.body(#"{"event":"direktSanktion","payload":{"begaranSkickad":"2026-01-01","planSenast":"2026-01-20"},"reason":"allvarliga brister"}"#))
            clock.set(local("2026-02-28T12:00"))
            let overdue = json(try await client.execute(uri: "/cases?overdue=true", method: .get).body.readableBytesView)
            #expect(overdue["items"]?.array.compactMap { $0["id"]?.string } == [id])
            try await client.execute(uri: "/cases/\(id)/ledger", method: .get, headers: Self.headers(csv: true)) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = String(buffer: response.body).split(separator: "\r\n")
                #expect(lines.count == 3)
                #expect(lines[1] == "sanktion,1,2026-01,2026-01-01,2026-01-31,31,31,3,8000,24000.00,SEK")
                #expect(lines[2] == "sanktion,1,2026-02,2026-02-01,2026-02-28,28,28,3,8000,24000.00,SEK")
            }
            try await client.execute(uri: "/cases/\(id)/ledger?asOf=2026-01-31", method: .get) { response in
                #expect(json(response.body.readableBytesView)["total"] == .string("24000.00"))
            }
            #expect(try await client.execute(uri: "/cases/\(id)/ledger?asOf=januari", method: .get).status == .badRequest)
            try await client.execute(uri: "/cases/\(id)/notifications", method: .get) { response in
                let types = json(response.body.readableBytesView)["items"]?.array.compactMap { $0["type"]?.string }
                #expect(types == ["case.sanction.started"])
            }
        }
    }

    @Test func workflowsAndHealthAreDescribed() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let list = json(try await client.execute(uri: "/workflows", method: .get).body.readableBytesView)
            let names = list["items"]?.array.compactMap { $0["name"]?.string } ?? []
            #expect(names.contains("kalmar-sanktionstrappa"))
            #expect(names == names.sorted())
            let detail = json(try await client.execute(uri: "/workflows/kalmar-sanktionstrappa", method: .get).body.readableBytesView)
            #expect(detail["accruals"]?[0]?["onRateChange"] == .string("replace"))
            #expect(detail["states"]?.array.count == 9)
            #expect(try await client.execute(uri: "/workflows/nope", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/workflows/kalmar-sanktionstrappa?version=7", method: .get).status == .notFound)
            let health = json(try await client.execute(uri: "/healthz", method: .get).body.readableBytesView)
            #expect(health["status"] == .string("ok"))
            let missing = try await client.execute(uri: "/nowhere", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
        }
    }
}
