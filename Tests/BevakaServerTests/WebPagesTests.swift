import BevakaCore
import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import BevakaWeb

/// Issue 13's first pages, in-process on a real SQLite file: "Mina ärenden" by what is
/// due, the case page with forms generated from the events' payloads, an invalid date
/// shown beside its field with nothing changed, and a valid one moving the case.
@Suite struct WebPagesTests {
    static func headers(role: String = "handlaggare", actor: String = "anna", form: Bool = false) -> HTTPFields {
        var headers = HTTPFields()
        headers[HTTPField.Name("Bevaka-Actor")!] = actor
        headers[HTTPField.Name("Bevaka-Role")!] = role
        headers[.accept] = "text/html"
        if form { headers[.contentType] = "application/x-www-form-urlencoded" }
        return headers
    }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&"))
    }

    @Test func aCaseOfficerClassifiesAndSendsTheRequestFromThePages() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(local("2026-03-02T09:00"))
        let store = try await TestStores.open(path: folder.path("web.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { clock.now })
        let opened = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna",
                                              fields: ["enhet": .string("Vårdcentralen Berga"), "listade": .int(8000),
                                                       "diarienummer": .string("RS 2026/412")],
                                              actor: Actor(name: "anna", role: "handlaggare"))
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            func page(_ uri: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: uri, method: .get, headers: Self.headers()) { response in
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'; style-src 'sha256-") == true)
                    return (response.status, String(buffer: response.body))
                }
            }
            func post(_ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(uri: "/arenden/\(opened.id)/handelse", method: .post, headers: Self.headers(form: true),
                                         body: Self.form(fields)) { response in
                    (response.status, String(buffer: response.body), response.headers[.location])
                }
            }
            let (status, list) = try await page("/")
            #expect(status == .ok)
            #expect(list.contains("<html lang=\"sv\">") && list.contains("<h1>Mina ärenden</h1>"))
            #expect(list.contains("<a href=\"/arenden/\(opened.id)\">RS 2026/412</a>"))

            let (_, casePage) = try await page("/arenden/\(opened.id)")
            #expect(casePage.contains("<h1>Ärende RS 2026/412</h1>"))
            #expect(casePage.contains("<summary>Klassificera händelsen</summary>"))
            // The workflow as a picture (Graphviz, installed by .ci/run), the case's state filled.
            #expect(casePage.contains("<svg role=\"img\" aria-labelledby=\"bild-rubrik\""))
            #expect(casePage.contains("fill=\"#ffdd00\""))
            #expect(casePage.contains("<label for=\"f-allvarlighetsgrad\">Allvarlighetsgrad: 1 försumbar, 2 måttlig, 3 betydande, 4 allvarlig (obligatoriskt)</label>"))

            let classified = try await post([("handelse", "klassificera"), ("roll", "handlaggare"),
                                             ("f.allvarlighetsgrad", "2"), ("f.avsteg", "3")])
            #expect(classified.0 == .seeOther && classified.2 == "/arenden/\(opened.id)?klart=klassificera")
            #expect(try await store.caseRecord(id: opened.id).fields["niva"] == .string("gul"))

            // An impossible date: shown beside its field, in the summary, and nothing changed.
            let before = try await store.caseRecord(id: opened.id)
            let refused = try await post([("handelse", "skickaBegaranOmRattelse"), ("roll", "handlaggare"),
                                          ("f.begaranSkickad", "2026-03-02"), ("f.planSenast", "2026-02-30")])
            #expect(refused.0 == .badRequest && refused.1.contains("<p>Inget har ändrats i ärendet.</p>"))
            #expect(refused.1.contains("<h2 id=\"fel-rubrik\">Det finns problem</h2>"))
            #expect(refused.1.contains("<li><a href=\"#f-planSenast\">Handlingsplanen ska ha inkommit senast: Ange ett datum som finns"), "\(refused.1)")
            #expect(refused.1.contains("<p class=\"error-message\" id=\"f-planSenast-fel\">Fel: Ange ett datum som finns, som ÅÅÅÅ-MM-DD (till exempel 2026-03-16).</p>"), "\(refused.1)")
            #expect(refused.1.contains("id=\"f-planSenast\" name=\"f.planSenast\" value=\"2026-02-30\" aria-invalid=\"true\" aria-describedby=\"f-planSenast-fel\""))
            #expect(try await store.caseRecord(id: opened.id) == before)

            // A plan date before the request: the workflow's condition fails, beside both dates it names.
            let early = try await post([("handelse", "skickaBegaranOmRattelse"), ("roll", "handlaggare"),
                                        ("f.begaranSkickad", "2026-03-02"), ("f.planSenast", "2026-02-27")])
            #expect(early.0 == .badRequest)
            #expect(early.1.contains("<p class=\"error-message\" id=\"f-planSenast-fel\">Fel: Villkoret för händelsen gäller inte: «Handlingsplanen ska ha inkommit senast» &gt; «Datum då begäran om rättelse skickades»"), "\(early.1)")
            #expect(early.1.contains("id=\"f-begaranSkickad-fel\""))
            #expect(try await store.caseRecord(id: opened.id) == before)

            let sent = try await post([("handelse", "skickaBegaranOmRattelse"), ("roll", "handlaggare"),
                                       ("f.begaranSkickad", "2026-03-02"), ("f.planSenast", "2026-03-16")])
            #expect(sent.0 == .seeOther)
            let (_, after) = try await page("/")
            #expect(after.contains("Handlingsplanen ska ha inkommit<br>16 mars 2026 kl. 17.00"), "\(after)")
            #expect(after.contains("om 10 arbetsdagar"))

            // Another role's case page shows no form it may not use; an unknown case is a page too.
            let (_, asDecider) = try await client.execute(uri: "/arenden/\(opened.id)", method: .get,
                                                         headers: Self.headers(role: "verksamhetschef", actor: "vera")) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(!asDecider.contains("<form method=\"post\""))
            let (missing, text) = try await page("/arenden/finns-inte")
            #expect(missing == .notFound && text.contains("<h1>Ärendet finns inte</h1>"))
        }
    }

    /// Issue 13: communications and finance tick their sudden-termination items from
    /// "Mina uppgifter" (three items), with a note, each back on their list.
    @Test func communicationsAndFinanceTickTheirItemsFromTheirTaskList() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(local("2026-05-04T09:00"))
        let catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
        let store = try await TestStores.open(path: folder.path("tasks.sqlite"), catalog: catalog, now: { clock.now })
        let officer = Actor(name: "anna", role: "handlaggare")
        let opened = try await store.openCase(workflow: "vgr-plotsligt-avslut", owner: "anna",
                                              fields: ["vardgivare": .string("Berga Vård AB"), "enhet": .string("Vårdcentralen Berga")], actor: officer)
        _ = try await store.applyEvent(caseID: opened.id, event: "oforutsettAvslut", payload: ["orsak": .string("konkurs")], reason: nil, actor: officer)
        let list = try #require(try store.definition(opened.workflow).checklist("avvecklingslista"))
        let financeItem = try #require(list.items.first { $0.roles.contains("ekonomi") && !$0.roles.contains("kommunikation") && !list.tickRoles.contains("kommunikation") && $0.group == nil })
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            func tasks(_ role: String) async throws -> String {
                try await client.execute(uri: "/uppgifter", method: .get, headers: Self.headers(role: role, actor: role)) { String(buffer: $0.body) }
            }
            func tick(_ item: String, as role: String, note: String) async throws -> (HTTPResponse.Status, String?) {
                try await client.execute(uri: "/arenden/\(opened.id)/bocka", method: .post, headers: Self.headers(role: role, actor: role, form: true),
                                         body: Self.form([("checklista", "avvecklingslista"), ("punkt", item), ("roll", role),
                                                          ("notering", note), ("tillbaka", "uppgifter")])) { ($0.status, $0.headers[.location]) }
            }
            let communications = try await tasks("kommunikation")
            #expect(communications.contains("<h1>Mina uppgifter</h1>"))
            #expect(communications.contains("9 [prio 3] Pressmeddelande"))
            #expect(!communications.contains(financeItem.title), "finance's item is not on communications' list")
            #expect(try await tick("pressmeddelande", as: "kommunikation", note: "Skickat till TT 10.15") == (.seeOther, "/uppgifter"))
            #expect(try await tick("informeraPatienter", as: "kommunikation", note: "1177 och anslag") == (.seeOther, "/uppgifter"))
            #expect(try await tick(financeItem.id, as: "ekonomi", note: "Utbetalningar stoppade") == (.seeOther, "/uppgifter"))
            #expect(!(try await tasks("kommunikation")).contains("9 [prio 3] Pressmeddelande"), "a ticked item leaves the list")
            // Communications may not tick finance's item: the page says so and nothing changes.
            let before = try await store.caseRecord(id: opened.id)
            let refused = try await tick(list.items.first { $0.roles == ["ekonomi"] }?.id ?? financeItem.id, as: "kommunikation", note: "")
            #expect(refused.0 == .conflict || refused.0 == .forbidden)
            #expect(try await store.caseRecord(id: opened.id) == before)
        }
        let checklist = try #require(try await store.caseRecord(id: opened.id).checklists.first { $0.name == "avvecklingslista" })
        #expect(checklist.item("pressmeddelande")?.note == "Skickat till TT 10.15" && checklist.item("pressmeddelande")?.tickedRole == "kommunikation")
        #expect(checklist.item(financeItem.id)?.tickedBy == "ekonomi")
    }

    /// "Mina uppgifter" a hundred at a time: the case officer's items of 16 sudden terminations
    /// run over two pages, each task exactly once and in due order; finance's fit on one.
    @Test func theTaskListRunsOverPagesWithEachTaskOnce() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(local("2026-05-04T09:00"))
        let store = try await TestStores.open(path: folder.path("pages.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { clock.now })
        let officer = Actor(name: "anna", role: "handlaggare")
        var positions: [(TaskPosition, String)] = []
        for number in 0..<16 {
            let opened = try await store.openCase(workflow: "vgr-plotsligt-avslut", owner: "anna",
                                                  fields: ["vardgivare": .string("Vård \(number) AB"), "enhet": .string("VC \(number)")], actor: officer)
            let moved = try await store.applyEvent(caseID: opened.id, event: "forutsettAvslut",
                                                   payload: ["namndmote": .string("2026-06-\(10 + number)")], reason: nil, actor: officer)
            for item in moved.dueItems(try store.definition(moved.workflow)) where item.workedBy.contains("handlaggare") {
                let position = TaskPosition(dueAt: item.dueAt.millis, caseID: moved.id, item: item.timerName)
                switch item.kind {
                case .deadline(let name): positions.append((position, HTMLIdentifier.make("frist", moved.id, name)))
                case .checklistItem(let list, let id): positions.append((position, HTMLIdentifier.make("uppgift", moved.id, list, id)))
                }
            }
        }
        // In due order (then case and item), as the index and the page order them.
        let expected = positions.sorted { $0.0 < $1.0 }.map(\.1)
        #expect(expected.count > TaskListPage.limit)
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            func page(_ uri: String, role: String) async throws -> (ids: [String], next: String?) {
                let body = try await client.execute(uri: uri, method: .get, headers: Self.headers(role: role, actor: role)) { String(buffer: $0.body) }
                let ids = body.components(separatedBy: "<tr id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
                let next = body.range(of: "<a href=\"/uppgifter?efter=").map { found in
                    "/uppgifter?efter=" + body[found.upperBound...].prefix { $0 != "\"" }
                }
                return (ids, next)
            }
            let first = try await page("/uppgifter", role: "handlaggare")
            #expect(first.ids.count == TaskListPage.limit)
            let nextLink = try #require(first.next)
            let second = try await page(nextLink, role: "handlaggare")
            #expect(second.next == nil)
            #expect(first.ids + second.ids == expected)
            let finance = try await page("/uppgifter", role: "ekonomi")
            #expect(finance.ids.count == 16 && finance.next == nil)
            // A link that is not a place in the list starts from the first task.
            #expect(try await page("/uppgifter?efter=inte-en-plats", role: "handlaggare").ids == first.ids)
        }
    }

    /// "Mina ärenden" filtered by process, state (of the chosen process), unit and board, the
    /// next page's link keeping the filters; a value that names nothing filters nothing.
    @Test func theCaseListFiltersByProcessStateUnitAndBoard() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(local("2026-03-02T09:00"))
        let store = try await TestStores.open(path: folder.path("filters.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { clock.now })
        try await store.putRegister([
            .board(Board(code: "HSNV", name: "Hälso- och sjukvårdsnämnden väst")), .board(Board(code: "HSNS", name: "Hälso- och sjukvårdsnämnden syd")),
            .provider(Provider(id: "P1", name: "Berga Vård AB", group: nil)),
            .unit(CareUnit(hsaId: "U1", name: "Vårdcentralen Berga", provider: "P1", listed: [ListedCount(from: LocalDate(iso: "2026-01-01")!, listed: 8000)])),
            .unit(CareUnit(hsaId: "U2", name: "Vårdcentralen Norr", provider: "P1", listed: [ListedCount(from: LocalDate(iso: "2026-01-01")!, listed: 6000)])),
            .contract(Contract(id: "C1", provider: "P1", area: "VV Vårdcentral", board: "HSNV", start: LocalDate(iso: "2026-01-01")!, end: nil, team: nil, units: ["U1"])),
            .contract(Contract(id: "C2", provider: "P1", area: "VV Vårdcentral", board: "HSNS", start: LocalDate(iso: "2026-01-01")!, end: nil, team: nil, units: ["U2"])),
        ], actor: "test")
        let officer = Actor(name: "anna", role: "handlaggare")
        var inNorth: [String] = [], waiting: [String] = []
        for number in 0..<70 {
            let north = number % 4 == 0
            let opened = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna", fields: ["diarienummer": .string("RS 2026/\(number)")],
                                                  unit: north ? "U2" : "U1", contract: north ? "C2" : "C1", actor: officer)
            if north { inNorth.append(opened.id) }
            if number % 7 == 0 {
                _ = try await store.applyEvent(caseID: opened.id, event: "klassificera", payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(3)],
                                               reason: nil, actor: officer)
                _ = try await store.applyEvent(caseID: opened.id, event: "skickaBegaranOmRattelse",
                                               payload: ["begaranSkickad": .string("2026-03-02"), "planSenast": .string("2026-04-\(10 + number / 7)")],
                                               reason: nil, actor: officer)
                waiting.append(opened.id)
            }
        }
        let (north, planned) = (inNorth, waiting)
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            func list(_ uri: String) async throws -> (ids: [String], next: String?, body: String) {
                let body = try await client.execute(uri: uri, method: .get, headers: Self.headers()) { String(buffer: $0.body) }
                let ids = body.components(separatedBy: "<a href=\"/arenden/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
                let next = body.range(of: "\">Fler ärenden</a>").map { found in
                    let start = body[..<found.lowerBound].range(of: "<a href=\"", options: .backwards)!.upperBound
                    return String(body[start..<found.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
                }
                return (ids, next, body)
            }
            let byUnit = try await list("/?enhet=U2")
            #expect(Set(byUnit.ids) == Set(north) && byUnit.next == nil)
            #expect(byUnit.body.contains("<option value=\"U2\" selected>Vårdcentralen Norr</option>"))
            #expect(Set(try await list("/?vy=alla&namnd=HSNS").ids) == Set(north))
            // Without a process there is no state to choose, and a state alone filters nothing.
            let all = try await list("/?lage=vantarHandlingsplan")
            #expect(!all.body.contains("id=\"lage\"") && all.body.contains("Välj en process och Visa"))
            #expect(all.ids.count == 50)
            let chosen = try await list("/?process=kalmar-sanktionstrappa&lage=vantarHandlingsplan")
            #expect(chosen.body.contains("<select id=\"lage\" name=\"lage\">"))
            #expect(Set(chosen.ids) == Set(planned))
            // 52 cases of U1 run over two pages; the link keeps the unit and the process.
            let first = try await list("/?process=kalmar-sanktionstrappa&enhet=U1")
            #expect(first.ids.count == 50)
            let nextLink = try #require(first.next)
            #expect(nextLink.contains("enhet=U1") && nextLink.contains("process=kalmar-sanktionstrappa"))
            let second = try await list(nextLink)
            #expect(second.next == nil && Set(first.ids + second.ids).count == 70 - north.count)
            #expect(Set(second.ids).isDisjoint(with: north))
            // A unit or board that is not in the register filters nothing.
            #expect(try await list("/?enhet=U9").ids.count == 50)
        }
    }

    /// The register's page for anyone signed in; the traffic light's only for the team,
    /// where a case officer assesses a provider with a form and a missing comment is refused.
    @Test func theRegisterAndTheTeamsTrafficLight() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(local("2026-12-04T09:00"))
        let store = try await TestStores.open(path: folder.path("reg.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { clock.now })
        try await store.putRegister([
            .board(Board(code: "HSNV", name: "Hälso- och sjukvårdsnämnden väster")),
            .provider(Provider(id: "556677-8899", name: "Berga Vård AB", group: "Nordhälsan")),
            .provider(Provider(id: "556111-2222", name: "Åby Hälsa AB", group: "Nordhälsan")),
            .unit(CareUnit(hsaId: "SE-E11", name: "Vårdcentralen Berga", provider: "556677-8899",
                           listed: [ListedCount(from: LocalDate(iso: "2025-01-01")!, listed: 8200)])),
            .contract(Contract(id: "VGR-VC-2024-017", provider: "556677-8899", area: "VV Vårdcentral", board: "HSNV",
                               start: LocalDate(iso: "2024-01-01")!, end: nil, team: "Team Väst", units: ["SE-E11"])),
        ], actor: "test")
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            func get(_ uri: String, role: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: uri, method: .get, headers: Self.headers(role: role, actor: role)) { ($0.status, String(buffer: $0.body)) }
            }
            func assess(_ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(uri: "/trafikljus", method: .post, headers: Self.headers(form: true), body: Self.form(fields)) {
                    ($0.status, String(buffer: $0.body), $0.headers[.location])
                }
            }
            let (status, registerPage) = try await get("/register", role: "regionjurist")
            #expect(status == .ok && registerPage.contains("<h2 id=\"vardgivare-556677-8899\">Berga Vård AB</h2>") && registerPage.contains("8200 listade"))
            #expect(registerPage.contains("Avtal VGR-VC-2024-017") && registerPage.contains("1 januari 2024 – tills vidare"))

            let (refused, _) = try await get("/trafikljus", role: "regionjurist")
            #expect(refused == .forbidden)
            let noComment = try await assess([("vardgivare", "556677-8899"), ("farg", "rod"), ("datum", "2026-12-04"), ("kommentar", "")])
            #expect(noComment.0 == .badRequest && noComment.1.contains("Skriv en kommentar som säger varför.") && noComment.1.contains("<p>Ingen bedömning har sparats.</p>"))
            #expect(try await store.trafficLightHistory(provider: "556677-8899").isEmpty)
            let saved = try await assess([("vardgivare", "556677-8899"), ("farg", "rod"), ("datum", "2026-12-04"),
                                          ("kommentar", "Återkommande brister i tillgänglighet")])
            #expect(saved.0 == .seeOther && saved.2 == "/trafikljus")
            let (_, lights) = try await get("/trafikljus", role: "handlaggare")
            #expect(lights.contains("<span class=\"tag late\">röd</span><br>4 december 2026<br>Återkommande brister i tillgänglighet"), "\(lights)")
            #expect(lights.contains("Röd vårdgivare i samma koncern: 556677-8899"))
            let (_, reports) = try await get("/rapporter", role: "ekonomi")
            #expect(reports.contains("<form method=\"get\" action=\"/reports/boards\">") && reports.contains("<option value=\"HSNV\">HSNV – Hälso- och sjukvårdsnämnden väster</option>"))
            #expect(reports.contains("<option>VV Vårdcentral</option>") && reports.contains("action=\"/reports/deductions\""))
        }
    }

    /// Scenario 1 of a sudden termination keeps both of its checklists, and both have an item
    /// `arbetsgrupp`: each row has an id of its own (its list's name in it), and a tick from the
    /// case page comes back to the row it ticked.
    @Test func checklistRowsHaveIdsOfTheirOwnWhenTwoListsShareAnItem() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(local("2026-05-04T09:00"))
        let store = try await TestStores.open(path: folder.path("ids.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { clock.now })
        let officer = Actor(name: "anna", role: "handlaggare")
        let opened = try await store.openCase(workflow: "vgr-plotsligt-avslut", owner: "anna",
                                              fields: ["vardgivare": .string("Berga Vård AB"), "enhet": .string("Vårdcentralen Berga")], actor: officer)
        _ = try await store.applyEvent(caseID: opened.id, event: "forutsettAvslut", payload: ["namndmote": .string("2026-05-07")], reason: nil, actor: officer)
        _ = try await store.applyEvent(caseID: opened.id, event: "havningsdokumentUpprattat", payload: ["havningGallerFran": .string("2026-05-08")],
                                       reason: nil, actor: officer)
        clock.set(local("2026-05-07T15:00"))
        _ = try await store.applyEvent(caseID: opened.id, event: "namndenBeslutarHavning", payload: [:], reason: nil, actor: Actor(name: "nora", role: "namnd"))
        #expect(try await store.caseRecord(id: opened.id).checklists.map(\.name).sorted() == ["avvecklingslista", "forberedelser"])
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/arenden/\(opened.id)", method: .get, headers: Self.headers()) { String(buffer: $0.body) }
            let ids = page.matches(of: /\sid="([^"]*)"/).map { String($0.output.1) }
            #expect(Set(ids).count == ids.count, "ids used twice: \(Dictionary(grouping: ids) { $0 }.filter { $0.value.count > 1 }.keys.sorted())")
            #expect(ids.contains("punkt-forberedelser__arbetsgrupp") && ids.contains("punkt-avvecklingslista__arbetsgrupp"))
            #expect(page.contains("<label for=\"not-punkt-avvecklingslista__arbetsgrupp\">"))
            let ticked = try await client.execute(uri: "/arenden/\(opened.id)/bocka", method: .post, headers: Self.headers(form: true),
                                                  body: Self.form([("checklista", "avvecklingslista"), ("punkt", "arbetsgrupp"), ("roll", "handlaggare")])) {
                ($0.status, $0.headers[.location])
            }
            #expect(ticked == (.seeOther, "/arenden/\(opened.id)#punkt-avvecklingslista__arbetsgrupp"))
        }
        let lists = try await store.caseRecord(id: opened.id).checklists
        #expect(lists.first { $0.name == "avvecklingslista" }?.item("arbetsgrupp")?.isDone == true)
    }

    /// How far away a due moment is, in words a case officer uses (Saturday 5 December 2026).
    @Test func countdownsSpeakOfWorkingDays() {
        let calendar = SwedishCalendar()
        let now = local("2026-12-05T10:00")
        #expect(Countdown.text(to: local("2026-12-05T17:00"), now: now, calendar: calendar) == "i dag kl. 17.00")
        #expect(Countdown.text(to: local("2026-12-06T08:30"), now: now, calendar: calendar) == "i morgon kl. 08.30")
        #expect(Countdown.text(to: local("2026-12-07T17:00"), now: now, calendar: calendar) == "om 1 arbetsdag")
        #expect(Countdown.text(to: local("2026-12-18T17:00"), now: now, calendar: calendar) == "om 10 arbetsdagar")
        #expect(Countdown.text(to: local("2026-12-03T17:00"), now: now, calendar: calendar) == "2 dagar försenad")
        #expect(Countdown.text(to: local("2026-12-05T09:00"), now: now, calendar: calendar) == "försenad sedan kl. 09.00")
        // Christmas: 24–26 December and the weekend are no working days.
        #expect(Countdown.text(to: local("2026-12-28T17:00"), now: local("2026-12-23T10:00"), calendar: calendar) == "om 1 arbetsdag")
    }
}
