import BevakaCore
import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Checklists, hand-overs and links through the HTTP API, on a real SQLite file
/// with the shipped workflows.
@Suite struct ChecklistAndLinkRoutesTests {
    let folder: TemporaryFolder
    let clock = ManualClock(local("2026-05-04T09:00"))
    let store: any Store

    init() async throws {
        folder = try TemporaryFolder()
        let clock = self.clock
        store = try await TestStores.open(path: folder.path("routes.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder),
                              now: { clock.now })
    }

    func app() -> some ApplicationProtocol {
        let clock = self.clock
        return Application(router: APIRouter.build(store: store, now: { clock.now }))
    }

    static func headers(_ role: String, _ name: String = "sara") -> HTTPFields {
        ScenarioOverHTTPTests.headers(Actor(name: name, role: role))
    }

    func post(_ client: some TestClientProtocol, _ uri: String, _ role: String, _ body: String) async throws -> (HTTPResponse.Status, JSONValue) {
        let response = try await client.execute(uri: uri, method: .post, headers: Self.headers(role), body: ByteBuffer(string: body))
        return (response.status, json(response.body.readableBytesView))
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> JSONValue {
        json(try await client.execute(uri: uri, method: .get).body.readableBytesView)
    }

    func open(_ client: some TestClientProtocol, _ workflow: String, role: String = "handlaggare") async throws -> String {
        let (status, body) = try await post(client, "/cases", role, """
            {"workflow":"\(workflow)","owner":"sara","fields":{"vardgivare":"Hälsa Väst AB","enhet":"Vårdcentralen Angered"}}
            """)
        #expect(status == .created, "\(body)")
        return try #require(body["id"]?.string)
    }

    func tick(_ client: some TestClientProtocol, _ id: String, _ item: String, role: String) async throws -> (HTTPResponse.Status, JSONValue) {
        try await post(client, "/cases/\(id)/events", role,
                       #"{"event":"checklist.tick","payload":{"checklist":"avvecklingslista","item":"\#(item)"}}"#)
    }

    @Test func theSuddenTerminationChecklistIsTickedByItsRolesAndShowsItsProgress() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client, "vgr-plotsligt-avslut")
            let (status, _) = try await post(client, "/cases/\(id)/events", "handlaggare", #"{"event":"oforutsettAvslut","payload":{"orsak":"konkurs"}}"#)
            #expect(status == .ok)

            var shown = try await get(client, "/cases/\(id)/checklists")
            var list = try #require(shown["items"]?.array.first { $0["name"]?.string == "avvecklingslista" })
            #expect(list["total"] == .int(23))
            #expect(list["counts"]?["open"] == .int(15))
            #expect(list["counts"]?["waiting"] == .int(8))
            let first = try #require(list["items"]?.array.first { $0["id"]?.string == "dialogMedAgaren" })
            // Item 1 is due two hours after the news (09:00 local, CEST): 11:00 local is 09:00Z.
            #expect(first["dueAt"]?.string == "2026-05-04T09:00:00Z")
            #expect(first["roles"] == .array([.string("regionjurist"), .string("handlaggare")]))

            // The press release is communications' task: the case officer may not tick it.
            let (forbidden, problem) = try await tick(client, id, "pressmeddelande", role: "handlaggare")
            #expect(forbidden == .forbidden)
            #expect(problem["type"]?.string == "urn:bevaka:problem:role-not-allowed")
            #expect(problem["allowedRoles"] == .array([.string("kommunikation")]))

            clock.set(local("2026-05-04T10:15"))
            let (ticked, _) = try await tick(client, id, "dialogMedAgaren", role: "regionjurist")
            #expect(ticked == .ok)
            let (again, repeated) = try await tick(client, id, "dialogMedAgaren", role: "handlaggare")
            #expect(again == .conflict)
            #expect(repeated["detail"]?.string?.contains("ticked by sara at 2026-05-04T08:15:00Z") == true)
            // A tick taken back needs a reason; then the item is open again, and ticked once more.
            let untick = #"{"event":"checklist.untick","payload":{"checklist":"avvecklingslista","item":"dialogMedAgaren"}"#
            let (noReason, _) = try await post(client, "/cases/\(id)/events", "regionjurist", untick + "}")
            #expect(noReason == .badRequest)
            let (takenBack, _) = try await post(client, "/cases/\(id)/events", "regionjurist", untick + #","reason":"Fel punkt"}"#)
            #expect(takenBack == .ok)
            let reopened = try await get(client, "/cases/\(id)/checklists")["items"]?[0]?["items"]?.array.first { $0["id"]?.string == "dialogMedAgaren" }
            #expect(reopened?["status"] == .string("open"))
            #expect(reopened?["tickedBy"] == .null)
            let (ticksAgain, _) = try await tick(client, id, "dialogMedAgaren", role: "regionjurist")
            #expect(ticksAgain == .ok)

            // "Om verksamheten stänger": waiting until the unit closes.
            let (early, waiting) = try await tick(client, id, "arbetsplatskod", role: "ekonomi")
            #expect(early == .conflict)
            #expect(waiting["type"]?.string == "urn:bevaka:problem:checklist-item-not-open")
            let (unknown, invalid) = try await tick(client, id, "arbetsplatskoden", role: "ekonomi")
            #expect(unknown == .badRequest)
            #expect(invalid["errors"]?[0]?["field"] == .string("item"))

            clock.set(local("2026-05-05T09:00"))
            let (closing, _) = try await post(client, "/cases/\(id)/events", "handlaggare", #"{"event":"enhetenStanger"}"#)
            #expect(closing == .ok)
            shown = try await get(client, "/cases/\(id)/checklists")
            list = try #require(shown["items"]?.array.first { $0["name"]?.string == "avvecklingslista" })
            #expect(list["counts"]?["waiting"] == .int(0))
            #expect(list["counts"]?["done"] == .int(1))
            let code = try #require(list["items"]?.array.first { $0["id"]?.string == "arbetsplatskod" })
            // Item 22 the same day the unit closes, at the workflow's 17:00.
            #expect(code["dueAtLocal"]?.string == "2026-05-05T17:00:00+02:00")
            let done = try #require(list["items"]?.array.first { $0["id"]?.string == "dialogMedAgaren" })
            #expect(done["status"] == .string("done"))
            #expect(done["tickedBy"] == .string("sara"))
            #expect(done["tickedRole"] == .string("regionjurist"))

            let history = try await get(client, "/cases/\(id)/history")
            let ticks = history["items"]?.array.filter { $0["event"]?.string == "checklist.tick" } ?? []
            #expect(ticks.count == 2)
            #expect(ticks.first?["role"] == .string("regionjurist"))
            let untickEntry = history["items"]?.array.first { $0["event"]?.string == "checklist.untick" }
            #expect(untickEntry?["reason"] == .string("Fel punkt"))
        }
    }

    @Test func aCaseHandedFromRoutineToInDepthToSuddenTerminationKeepsOneIdAndOneHistory() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client, "vgr-rutinuppfoljning")
            func event(_ role: String, _ body: String) async throws {
                let (status, answer) = try await post(client, "/cases/\(id)/events", role, body)
                #expect(status == .ok, "\(body): \(answer)")
            }
            try await event("handlaggare", #"{"event":"avvikelseUpptackt","payload":{"beskrivning":"Besök som inte ägt rum"}}"#)
            // Before step 3 the hand-over skips the ladder: refused without a reason, changing nothing.
            let (refused, problem) = try await post(client, "/cases/\(id)/events", "teamledare",
                                                    #"{"event":"overlamnaTillFordjupad","payload":{"fragestallning":"Fakturering?"}}"#)
            #expect(refused == .badRequest)
            #expect(problem["errors"]?[0]?["field"] == .string("reason"))
            #expect(try await get(client, "/cases/\(id)")["workflow"] == .string("vgr-rutinuppfoljning"))
            try await event("teamledare", #"{"event":"overlamnaTillFordjupad","payload":{"fragestallning":"Fakturering?"},"reason":"Allvarlig misstanke"}"#)
            #expect(try await get(client, "/cases/\(id)")["workflow"] == .string("vgr-fordjupad-uppfoljning"))

            try await event("handlaggare", #"{"event":"arendedragning"}"#)
            try await event("handlaggare", #"{"event":"prioritera","payload":{"prioRisk":"hog","prioVasentlighet":"hog","prioSanktionsmojlighet":"hog","prioSystemeffekter":"hog","prioGenomforbarhet":"medel"}}"#)
            try await event("teamledare", #"{"event":"taOverNu"}"#)
            try await event("handlaggare", #"{"event":"grundutredningKlar"}"#)
            try await event("enhetschef", #"{"event":"faststallUppdragshandling"}"#)
            try await event("handlaggare", #"{"event":"bildaKarngrupp"}"#)
            try await event("handlaggare", #"{"event":"granskningKlar"}"#)
            try await event("handlaggare", #"{"event":"valjSteg","payload":{"steg":"namndbeslut"},"reason":"Patientsäkerheten"}"#)
            try await event("teamledare", #"{"event":"foreslaHavning","reason":"Uppsägning med omedelbar verkan"}"#)

            let shown = try await get(client, "/cases/\(id)")
            #expect(shown["id"] == .string(id))
            #expect(shown["workflow"] == .string("vgr-plotsligt-avslut"))
            #expect(shown["state"] == .string("forberedelse"))
            #expect(shown["fields"]?["vardgivare"] == .string("Hälsa Väst AB"))
            #expect(shown["fields"]?["beskrivning"] == .string("Besök som inte ägt rum"))
            // Still one case: no new one was opened on the way.
            #expect(try await get(client, "/cases")["items"]?.array.count == 1)

            let history = try await get(client, "/cases/\(id)/history")
            #expect(history["chainIntact"] == .bool(true))
            let items = history["items"]?.array ?? []
            #expect(items.map { $0["seq"] } == (1...items.count).map { JSONValue.int($0) })
            #expect(items.first?["event"] == .string("case.opened"))
            let handOvers = items.filter { $0["event"]?.string == "case.handedOver" }
            #expect(handOvers.map { $0["payload"]?["toWorkflow"] } == [.string("vgr-fordjupad-uppfoljning@3"), .string("vgr-plotsligt-avslut@3")])
            #expect(handOvers.map { $0["payload"]?["fromWorkflow"] } == [.string("vgr-rutinuppfoljning@3"), .string("vgr-fordjupad-uppfoljning@3")])
            let skipped = items.first { $0["event"]?.string == "valjSteg" }
            #expect(skipped?["reason"] == .string("Patientsäkerheten"))
        }
    }

    @Test func casesAreLinkedBothWaysWithHistoryAndRefusalsChangeNothing() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let routine = try await open(client, "vgr-rutinuppfoljning")
            let other = try await open(client, "vgr-rutinuppfoljning")

            let (created, link) = try await post(client, "/cases/\(routine)/links", "handlaggare", #"{"case":"\#(other)","relation":"sammaVardgivare"}"#)
            #expect(created == .created)
            #expect(link["case"] == .string(other))
            #expect(link["relation"] == .string("sammaVardgivare"))
            let back = try await get(client, "/cases/\(other)/links")
            #expect(back["items"]?.array.map { $0["case"] } == [.string(routine)])
            for id in [routine, other] {
                let history = try await get(client, "/cases/\(id)/history")
                #expect(history["items"]?.array.last?["event"] == .string("case.linked"))
                #expect(history["chainIntact"] == .bool(true))
            }

            let (twice, problem) = try await post(client, "/cases/\(routine)/links", "handlaggare", #"{"case":"\#(other)","relation":"sammaVardgivare"}"#)
            #expect(twice == .conflict)
            #expect(problem["type"]?.string == "urn:bevaka:problem:link-refused")
            let (itself, _) = try await post(client, "/cases/\(routine)/links", "handlaggare", #"{"case":"\#(routine)"}"#)
            #expect(itself == .conflict)
            let (missing, missingProblem) = try await post(client, "/cases/\(routine)/links", "handlaggare", #"{"case":"nope"}"#)
            #expect(missing == .badRequest)
            #expect(missingProblem["errors"]?[0]?["field"] == .string("case"))
            let (outsider, _) = try await post(client, "/cases/\(routine)/links", "verksamhetschefen", #"{"case":"\#(other)"}"#)
            #expect(outsider == .forbidden)
            let (badRelation, _) = try await post(client, "/cases/\(routine)/links", "handlaggare", #"{"case":"\#(other)","relation":"två ord"}"#)
            #expect(badRelation == .badRequest)
            // None of the refusals wrote anything.
            #expect(try await get(client, "/cases/\(routine)/links")["items"]?.array.count == 1)
        }
    }

    /// The yearly dialogue's "is in-depth follow-up indicated?" opens an indication case linked back.
    @Test func theYearlyDialogueOpensALinkedIndicationCase() async throws {
        defer { folder.cleanup() }
        let scenario = try Scenario.load(path: workflowsFolder + "/scenarios/uppfoljningsdialog-fordjupad-indikerad.yaml")
        clock.set(scenario.start)
        try await app().test(.router) { client in
            let id = try await ScenarioOverHTTPTests.replay(scenario, client: client, store: store, clock: clock)
            let links = try await get(client, "/cases/\(id)/links")
            let opened = try #require(links["items"]?[0]?["case"]?.string)
            #expect(links["items"]?[0]?["relation"] == .string("indikation"))
            let indication = try await get(client, "/cases/\(opened)")
            #expect(indication["workflow"] == .string("vgr-indikation-avvikelse"))
            #expect(indication["fields"]?["kalla"] == .string("uppfoljningsdialog"))
            #expect(indication["owner"] == (try await get(client, "/cases/\(id)"))["owner"])
            let back = try await get(client, "/cases/\(opened)/links")
            #expect(back["items"]?[0]?["case"] == .string(id))
            let history = try await get(client, "/cases/\(opened)/history")
            #expect(history["items"]?[0]?["notes"]?.array.contains { $0.string?.contains("opened from case \(id)") == true } == true)
        }
    }
}
