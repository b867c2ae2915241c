import BevakaApplication
import BevakaCore
import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 12, as its "done when" reads: a register of 3 boards, 40 contracts and 60
/// units from CSV (one bad row imports nothing); 200 cases across the shipped
/// workflows driven through 2026; the year's report per board and contract area
/// against numbers counted here from the fixture's own plan, in JSON, CSV and HTML;
/// the deduction list against the ledgers to the öre; searches by unit, referral id
/// and board; the traffic light refused outside the team. A real SQLite file, the
/// `bevaka` binary for the import, the API in-process.
@Suite struct RegisterAndReportTests {
    static let boards = ["HSNV", "HSNS", "HSS"]

    /// Provider p owns units 3p…3p+2 and contracts 2p (VV Vårdcentral, units 3p and 3p+1)
    /// and 2p+1 (VV Rehab or LOU, unit 3p+2). Contracts 30–33 start in September, 34–39
    /// end in June; cases are only on contracts 0–24.
    struct Layout {
        static func provider(_ p: Int) -> String { "P\(String(p).leftPadded(to: 3))" }
        static func unit(_ u: Int) -> String { "SE2321000131-E\(String(u).leftPadded(to: 9))" }
        static func contract(_ c: Int) -> String { "AVT-\(String(c).leftPadded(to: 3))" }
        static func board(ofContract c: Int) -> String { boards[(c / 2) % 3] }
        static func area(ofContract c: Int) -> String { c % 2 == 0 ? "VV Vårdcentral" : ((c / 2) % 2 == 0 ? "VV Rehab" : "LOU") }
        static func units(ofContract c: Int) -> [Int] { c % 2 == 0 ? [3 * (c / 2), 3 * (c / 2) + 1] : [3 * (c / 2) + 2] }
        static func start(_ c: Int) -> String { (30..<34).contains(c) ? "2026-09-01" : "2024-01-01" }
        static func end(_ c: Int) -> String { (34..<40).contains(c) ? "2026-06-30" : "" }
        static func listed(_ u: Int) -> Int { 4000 + 100 * u }

        static func csv(badLine: Bool = false) -> String {
            var lines = [RegisterCSV.columns.joined(separator: ",")]
            lines.append("board,HSNV,Hälso- och sjukvårdsnämnden väster,,,,,,,,,,")
            lines.append("board,HSNS,Hälso- och sjukvårdsnämnden södra,,,,,,,,,,")
            lines.append("board,HSS,Hälso- och sjukvårdsstyrelsen,,,,,,,,,,")
            for p in 0..<20 {
                lines.append("provider,\(provider(p)),Vårdgivare \(p) AB,Koncern \(p % 4),,,,,,,,,")
            }
            for u in 0..<60 {
                lines.append("unit,\(unit(u)),Vårdcentralen \(u),,\(provider(u / 3)),,,,,,,\(listed(u)),2025-01-01")
                if u % 5 == 0 { lines.append("unit,\(unit(u)),Vårdcentralen \(u),,\(provider(u / 3)),,,,,,,\(listed(u) + 1000),2026-03-01") }
            }
            for c in 0..<40 {
                let units = units(ofContract: c).map(unit).joined(separator: ";")
                let board = badLine && c == 17 ? "HSNX" : board(ofContract: c)
                lines.append("contract,\(contract(c)),,,\(provider(c / 2)),\(area(ofContract: c)),\(board),\(start(c)),\(end(c)),Team \(board),\(units),,")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// What the fixture does to each case, and so what the report must count.
    struct Counts: Equatable {
        var requested = 0, approved = 0, rejected = 0, measures = 0, inDepth = 0
    }

    @Test func aYearOfCasesReportsAsCountedByHand() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let database = folder.path("register.sqlite")
        let csvPath = folder.path("register.csv")

        // The register from CSV: one bad row (a board that does not exist) writes nothing.
        try Layout.csv(badLine: true).write(toFile: csvPath, atomically: true, encoding: .utf8)
        let bad = try CommandLineTests.bevaka(["register", "import", csvPath, "--database", database, "--workflows", workflowsFolder])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("line 114: board: no board 'HSNX' in the register"), "\(bad.stderr)")
        #expect(bad.stderr.contains("nothing was imported"))
        try Layout.csv().write(toFile: csvPath, atomically: true, encoding: .utf8)
        let good = try CommandLineTests.bevaka(["register", "import", csvPath, "--database", database, "--workflows", workflowsFolder])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("123 created, 0 changed, 0 unchanged"), "\(good.stdout)")
        let again = try CommandLineTests.bevaka(["register", "import", csvPath, "--database", database, "--workflows", workflowsFolder])
        #expect(again.stdout.contains("0 created, 0 changed, 123 unchanged"), "\(again.stdout)")

        let clock = ManualClock(local("2026-02-02T09:00"))
        let store = try await TestStores.open(path: database, catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { clock.now })
        #expect(try await store.boards().count == 3)
        #expect(try await store.contracts().count == 40)
        #expect(try await store.units().count == 60)

        let officer = Actor(name: "anna", role: "handlaggare")
        let decider = Actor(name: "bo", role: "beslutsfattare")
        let lead = Actor(name: "tea", role: "teamledare")
        func apply(_ id: String, _ event: String, _ payload: [String: JSONValue] = [:], reason: String? = nil, as actor: Actor = officer) async throws {
            _ = try await store.applyEvent(caseID: id, event: event, payload: payload, reason: reason, actor: actor)
        }
        func at(_ text: String) async throws {
            clock.set(local(text))
            _ = try await store.fireDueTimers(upTo: clock.now)
        }
        var expected: [String: Counts] = [:]    // "board|area"
        var casesByContract: [Int: [String]] = [:]
        var kalmar: [(id: String, plan: Int, contract: Int)] = []
        var routine: [(id: String, plan: Int, contract: Int)] = []

        // 120 Kalmar cases and 40 routine cases on contracts 0–24, opened on 2 February.
        for k in 0..<120 {
            let c = k % 25
            let opened = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna", fields: [:],
                                                  unit: Layout.unit(Layout.units(ofContract: c)[0]), contract: Layout.contract(c), actor: officer)
            #expect(opened.fields["listade"] == .integer(Layout.listed(Layout.units(ofContract: c)[0])))
            try await apply(opened.id, "klassificera", ["allvarlighetsgrad": .int(2), "avsteg": .int(2)])
            try await apply(opened.id, "skickaBegaranOmRattelse", ["begaranSkickad": .string("2026-02-02"), "planSenast": .string("2026-03-02")])
            kalmar.append((opened.id, k % 4, c))
            casesByContract[c, default: []].append(opened.id)
            var counts = Counts(requested: 1)
            switch k % 4 {
            case 0: counts.approved = 2
            case 1, 2: counts.rejected = 1
            default: counts.measures = 1; counts.rejected = 1   // payment withheld, and the plan never came: its deadline raises uteblev
            }
            let group = "\(Layout.board(ofContract: c))|\(Layout.area(ofContract: c))"
            expected[group, default: Counts()] = Self.adding(expected[group] ?? Counts(), counts)
        }
        for r in 0..<40 {
            let c = (r * 7) % 25
            let opened = try await store.openCase(workflow: "vgr-rutinuppfoljning", owner: "anna", fields: [:],
                                                  unit: Layout.unit(Layout.units(ofContract: c)[0]), contract: Layout.contract(c), actor: officer)
            #expect(opened.fields["vardgivare"] == .string("Vårdgivare \(c / 2) AB"))
            #expect(opened.fields["avtalsomrade"] == .string(Layout.area(ofContract: c)))
            try await apply(opened.id, "avvikelseUpptackt", ["beskrivning": .string("Telefontillgänglighet under målet")])
            if r % 4 != 3 {
                try await apply(opened.id, "begarHandlingsplan", ["planSenast": .string("2026-03-02")])
            }
            routine.append((opened.id, r % 4, c))
            casesByContract[c, default: []].append(opened.id)
            let counts: Counts = switch r % 4 {
            case 0: Counts(requested: 1, approved: 2)
            case 1: Counts(requested: 1, rejected: 1, measures: 1)
            case 2: Counts(requested: 1, approved: 1, rejected: 1, inDepth: 1)
            default: Counts()
            }
            let group = "\(Layout.board(ofContract: c))|\(Layout.area(ofContract: c))"
            expected[group, default: Counts()] = Self.adding(expected[group] ?? Counts(), counts)
        }
        // 40 care referrals, each found by its referral id.
        var referrals: [String: String] = [:]
        for n in 0..<40 {
            let id = "VF-2026-\(String(n).leftPadded(to: 3))"
            let opened = try await store.openCase(workflow: "nationell-vardformedling", owner: "vera", fields: [
                "vardformedlingsId": .string(id), "patientNamn": .string("Patient \(n)"), "personnummer": .string("19700101-0000"),
                "vantarSedan": .string("2025-12-01"), "blankettInkom": .string("2026-02-02"),
            ], actor: Actor(name: "vera", role: "handlaggare"))
            referrals[id] = opened.id
        }

        // Through the year.
        try await at("2026-02-10T10:00")
        for (id, plan, _) in kalmar where plan == 3 { try await apply(id, "innehallErsattning", as: decider) }
        for (id, plan, _) in routine where plan == 3 { try await apply(id, "avvikelseAtgardad") }
        try await at("2026-02-20T10:00")
        for (id, plan, _) in kalmar where plan == 0 || plan == 2 { try await apply(id, "handlingsplanInkommen") }
        for (id, plan, _) in routine where plan == 0 || plan == 2 { try await apply(id, "handlingsplanInkommen") }
        try await at("2026-02-23T10:00")
        for (id, plan, _) in kalmar where plan == 0 {
            try await apply(id, "godkannHandlingsplan", ["uppfoljningSenast": .string("2026-05-29")], as: decider)
        }
        for (id, plan, _) in kalmar where plan == 2 { try await apply(id, "underkannHandlingsplan", reason: "Saknar tidsplan", as: decider) }
        for (id, plan, _) in routine where plan == 0 || plan == 2 {
            try await apply(id, "godkannHandlingsplan", ["uppfoljningSenast": .string("2026-05-29")])
        }
        try await at("2026-03-03T10:00")   // the missed plans' deadlines (2 March 17:00) have fired
        for (id, plan, _) in routine where plan == 1 {
            try await apply(id, "faststallAtgardsstrategi", ["atgardsstrategi": .string("Anmodan i samråd med juristen")], as: lead)
        }
        try await at("2026-05-20T10:00")
        for (id, plan, _) in kalmar where plan == 0 { try await apply(id, "godkannUppfoljning", as: decider) }
        for (id, plan, _) in routine where plan == 0 { try await apply(id, "handlingsplanGenomford") }
        for (id, plan, _) in routine where plan == 2 { try await apply(id, "handlingsplanEjGenomford", ["anteckning": .string("Ej genomförd")]) }
        try await at("2026-05-25T10:00")
        for (id, plan, _) in routine where plan == 2 {
            try await apply(id, "overlamnaTillFordjupad", ["fragestallning": .string("Återkommande brister")], as: lead)
        }
        try await at("2026-12-31T12:00")

        let (expectedCounts, byContract, kalmarCases, referralIDs) = (expected, casesByContract, kalmar, referrals)
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            func get(_ uri: String, role: String = "handlaggare") async throws -> JSONValue {
                try await client.execute(uri: uri, method: .get, headers: APIRouterTests.headers(role: role)) { response in
                    #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
                    return json(response.body.readableBytesView)
                }
            }

            // The year's report per board and contract area, as counted from the plan.
            let report = try await get("/reports/boards?from=2026-01-01&to=2026-12-31")
            // The reports page's "Alla" sends the board and area empty: all of them, not none.
            #expect(try await get("/reports/boards?from=2026-01-01&to=2026-12-31&board=&area=") == report)
            let tables = Dictionary(uniqueKeysWithValues: (report["tables"]?.array ?? []).map { ($0["id"]?.string ?? "", $0) })
            let summaryRows = tables["summary"]?["rows"]?.array ?? []
            let allGroups = Set((0..<40).map { "\(Layout.board(ofContract: $0))|\(Layout.area(ofContract: $0))" })
            #expect(summaryRows.count == allGroups.count)
            for row in summaryRows {
                let group = "\(row["board"]?.string ?? "")|\(row["area"]?.string ?? "")"
                let counted = Counts(requested: row["actionPlanRequested"]?.int ?? -1, approved: row["actionPlanApproved"]?.int ?? -1,
                                     rejected: row["actionPlanRejected"]?.int ?? -1, measures: row["measureBeyondPlan"]?.int ?? -1,
                                     inDepth: row["handedToInDepth"]?.int ?? -1)
                #expect(counted == expectedCounts[group] ?? Counts(), "\(group)")
            }
            // Contracts at the start and end of the year, and those followed up, per group and per board.
            let overview = tables["overview"]?["rows"]?.array ?? []
            #expect(overview.count == allGroups.count)
            for row in overview {
                let group = "\(row["board"]?.string ?? "")|\(row["area"]?.string ?? "")"
                let contracts = (0..<40).filter { "\(Layout.board(ofContract: $0))|\(Layout.area(ofContract: $0))" == group }
                #expect(row["contractsAtStart"]?.int == contracts.filter { !(30..<34).contains($0) }.count, "\(group)")
                #expect(row["contractsAtEnd"]?.int == contracts.filter { !(34..<40).contains($0) }.count, "\(group)")
                #expect(row["followedUp"]?.int == contracts.filter { $0 < 25 }.count, "\(group)")
                let counts = expectedCounts[group] ?? Counts()
                #expect(row["measures"]?.int == counts.requested + counts.measures + counts.inDepth, "\(group)")
            }
            for row in tables["boards"]?["rows"]?.array ?? [] {
                let board = row["board"]?.string ?? ""
                #expect(row["contracts"]?.int == (0..<40).filter { Layout.board(ofContract: $0) == board }.count)
                #expect(row["followedUp"]?.int == (0..<25).filter { Layout.board(ofContract: $0) == board }.count)
            }
            #expect(tables["details"]?["rows"]?.array.count == 160, "every case on a contract did something this year")
            // The 40 routine cases show the deviation their description names.
            #expect((tables["details"]?["rows"]?.array ?? []).filter { $0["deviation"]?.string == "Telefontillgänglighet under målet" }.count == 40)

            // The same numbers as CSV and on the printable page.
            let csv = try await client.execute(uri: "/reports/boards?from=2026-01-01&to=2026-12-31&format=csv", method: .get,
                                               headers: APIRouterTests.headers()) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                return String(buffer: response.body)
            }
            let records = CSV.records(csv)
            let summaryStart = try #require(records.firstIndex { $0.cells == ["Sammanställning"] })
            let csvSummary = records[(summaryStart + 2)...].prefix { $0.cells.count == 7 }
            #expect(csvSummary.count == allGroups.count)
            for record in csvSummary {
                let counts = expectedCounts["\(record.cells[0])|\(record.cells[1])"] ?? Counts()
                #expect(record.cells[2...].map { Int($0) } == [counts.requested, counts.approved, counts.rejected, counts.measures, counts.inDepth])
            }
            let page = try await client.execute(uri: "/reports/boards?from=2026-01-01&to=2026-12-31&format=html", method: .get,
                                                headers: APIRouterTests.headers()) { response in
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                // The pages' policy: their one style, forms only to the daemon.
                #expect(response.headers[.contentSecurityPolicy]?.contains("style-src 'sha256-") == true)
                #expect(response.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
                return String(buffer: response.body)
            }
            #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"sv\">"))
            // In the pages' layout (whose menu print leaves out), titled and scoped.
            #expect(page.contains("<nav aria-label=\"Huvudmeny\">") && page.contains("<title>Återrapportering av avtalsuppföljning – Bevaka</title>"))
            #expect(page.contains("<h1>Återrapportering av avtalsuppföljning</h1>\n<p>Avser: 1 januari 2026 – 31 december 2026"), "\(page.prefix(3000))")
            let hsnv = expectedCounts["HSNV|VV Vårdcentral"] ?? Counts()
            #expect(page.contains("<tr><td>HSNV</td><td>VV Vårdcentral</td><td class=\"n\">\(hsnv.requested)</td><td class=\"n\">\(hsnv.approved)</td><td class=\"n\">\(hsnv.rejected)</td>"), "\(page.prefix(3000))")

            // Finance's deduction list: each month of each case as its ledger says, to the öre.
            let deductions = try await get("/reports/deductions?from=2026-01&to=2026-12")
            let rows = deductions["tables"]?[0]?["rows"]?.array ?? []
            var listed: [String: String] = [:]   // "caseId|month" → kronor
            for row in rows where row["kind"]?.string == "Sanktion" {
                listed["\(row["caseId"]?.string ?? "")|\(row["month"]?.string ?? "")"] = row["amount"]?.string
            }
            var fromLedgers: [String: String] = [:]
            for (id, _, _) in kalmarCases {
                let definition = try store.definition(try await store.caseRecord(id: id).workflow)
                let ledger = Ledger.monthly(try await store.segments(caseID: id), asOf: LocalDate(iso: "2026-12-31")!, workflow: definition)
                for (month, amount) in Ledger.totalsByMonth(ledger) { fromLedgers["\(id)|\(month)"] = Ledger.format(amount) }
            }
            #expect(!listed.isEmpty && listed == fromLedgers)
            // One by hand: the plan for contract 1 (unit 2, 4 200 listed) was missed; 3 kr from 2 February.
            let missed = try #require(kalmarCases.first { $0.plan == 1 && $0.contract == 1 })
            #expect(listed["\(missed.id)|2026-02"] == "12150.00")   // 3 × 4 200 × 27/28: 2–28 February
            #expect(listed["\(missed.id)|2026-03"] == "12600.00")
            let withheld = rows.filter { $0["kind"]?.string == "Ersättning innehållen" }
            #expect(withheld.count == kalmarCases.filter { $0.plan == 3 }.count * 11, "February to December for each withheld payment")

            // Search: by unit, in due order; by referral id; by board.
            let unit0 = Layout.unit(0)
            let byUnit = try await get("/cases?unit=\(unit0)&order=due&limit=500")["items"]?.array ?? []
            let onUnit0 = Set((byContract[0] ?? []))
            #expect(Set(byUnit.compactMap { $0["id"]?.string }) == onUnit0)
            let dues = byUnit.map { $0["nextDueAt"]?.string ?? "~" }
            #expect(dues == dues.sorted(), "overdue and soonest first, nothing due last")
            let referral = try await get("/cases?field.vardformedlingsId=VF-2026-007")["items"]?.array ?? []
            #expect(referral.compactMap { $0["id"]?.string } == [referralIDs["VF-2026-007"]!])
            var onHSNV: Set<String> = []
            for (c, ids) in byContract where Layout.board(ofContract: c) == "HSNV" { onHSNV.formUnion(ids) }
            var found: [String] = []
            var next: String? = "start"
            while let cursor = next {
                let page = try await get("/cases?board=HSNV&order=due&limit=25" + (cursor == "start" ? "" : "&after=\(cursor)"))
                found += page["items"]?.array.compactMap { $0["id"]?.string } ?? []
                next = page["next"]?.string
            }
            #expect(found.count == onHSNV.count && Set(found) == onHSNV, "every case on HSNV's contracts, once, across pages")

            // The traffic light is the team's: set by a case officer, refused to the lawyer and to an admin.
            let red = try await client.execute(uri: "/traffic-lights/\(Layout.provider(4))", method: .post, headers: APIRouterTests.headers(),
                                               body: ByteBuffer(string: #"{"colour":"rod","assessedOn":"2026-12-30","comment":"Återkommande brister i tillgänglighet"}"#)) { $0.status }
            #expect(red == .created)
            for role in ["regionjurist", "admin"] {
                try await client.execute(uri: "/traffic-lights", method: .get, headers: APIRouterTests.headers(role: role)) { response in
                    #expect(response.status == .forbidden)
                    #expect(json(response.body.readableBytesView)["type"]?.string == "urn:bevaka:problem:team-only")
                }
            }
            let lights = try await get("/traffic-lights")["items"]?.array ?? []
            #expect(lights.first?["provider"]?.string == Layout.provider(4), "red first")
            // Provider 0 is in the same group (Koncern 0) as provider 4: flagged for a look.
            let sameGroup = lights.first { $0["provider"]?.string == Layout.provider(0) }
            #expect(sameGroup?["redInGroup"] == .array([.string(Layout.provider(4))]))
        }
    }

    /// Cases brought in from a spreadsheet name their unit and contract; the register
    /// fills the unit's name and listed patients; an unknown unit imports nothing.
    @Test func importedCasesJoinTheRegister() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let database = folder.path("joined.sqlite")
        let store = try await TestStores.open(path: database, catalog: try WorkflowLoader.loadDirectory(workflowsFolder))
        try await store.putRegister([
            .board(Board(code: "HSNV", name: "Hälso- och sjukvårdsnämnden väster")),
            .provider(Provider(id: "P001", name: "Berga Vård AB", group: nil)),
            .unit(CareUnit(hsaId: "SE-E1", name: "Vårdcentralen Berga", provider: "P001",
                           listed: [ListedCount(from: LocalDate(iso: "2025-01-01")!, listed: 7000),
                                    ListedCount(from: LocalDate(iso: "2026-10-01")!, listed: 7400)])),
            .contract(Contract(id: "AVT-1", provider: "P001", area: "VV Vårdcentral", board: "HSNV", start: LocalDate(iso: "2024-01-01")!,
                               end: nil, team: "Team Väst", units: ["SE-E1"])),
        ], actor: "test")
        let header = "workflow,owner,state,enteredAt,firePast,unit,contract,niva,sanktionsniva,begaranSkickad,planSenast"
        func importing(_ unit: String) throws -> CommandLineTests.Output {
            let text = header + "\nkalmar-sanktionstrappa,anna,vantarHandlingsplan,2026-11-20,nej,\(unit),AVT-1,gul,ingen,2026-11-20,2099-12-10\n"
            try text.write(toFile: folder.path("c.csv"), atomically: true, encoding: .utf8)
            return try CommandLineTests.bevaka(["case", "import", folder.path("c.csv"), "--database", database, "--workflows", workflowsFolder])
        }
        let bad = try importing("SE-E9")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("line 2: unit: no unit 'SE-E9' in the register"), "\(bad.stderr)")
        #expect(try await store.listCases(CaseFilter(), after: nil, limit: 10).isEmpty)
        let good = try importing("SE-E1")
        #expect(good.status == 0, "\(good.stderr)")
        let imported = try #require(try await store.listCases(CaseFilter(), after: nil, limit: 10).first)
        #expect(imported.unit == "SE-E1" && imported.contract == "AVT-1")
        #expect(imported.fields["enhet"] == .string("Vårdcentralen Berga"))
        #expect(imported.fields["listade"] == .integer(7400), "the count that held when the case entered its state")
        var filter = CaseFilter()
        filter.provider = "P001"
        #expect(try await store.listCases(filter, after: nil, limit: 10).map(\.id) == [imported.id])
    }

    /// Seed 000 ch. 2: the year's plan follows the traffic light; red first with a
    /// visit, the red provider's group-mates looked at, green at a distance; the plan
    /// opens each contract once.
    @Test func theYearsPlanFollowsTheTrafficLight() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(local("2026-12-01T09:00"))
        let store = try await TestStores.open(path: folder.path("plan.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { clock.now })
        var items: [RegisterItem] = [.board(Board(code: "HSNV", name: "Hälso- och sjukvårdsnämnden väster"))]
        for (id, group) in [("P-RED", "Nordhälsan"), ("P-MATE", "Nordhälsan"), ("P-GREEN", nil), ("P-YELLOW", nil), ("P-NEW", nil)] {
            items.append(.provider(Provider(id: id, name: "Vårdgivare \(id)", group: group)))
            items.append(.unit(CareUnit(hsaId: "U-\(id)", name: "Vårdcentralen \(id)", provider: id)))
            items.append(.contract(Contract(id: "C-\(id)", provider: id, area: "VV Vårdcentral", board: "HSNV", start: LocalDate(iso: "2024-01-01")!,
                                            end: id == "P-NEW" ? LocalDate(iso: "2026-12-31")! : nil, team: "Team Väst", units: ["U-\(id)"])))
        }
        try await store.putRegister(items, actor: "test")
        for (provider, colour) in [("P-RED", TrafficLight.Colour.rod), ("P-GREEN", .gron), ("P-YELLOW", .gul), ("P-MATE", .gron)] {
            _ = try await store.setTrafficLight(provider: provider, colour: colour, assessedOn: LocalDate(iso: "2026-11-30")!,
                                                comment: "Årets bedömning", actor: "anna")
        }
        let register = RegisterService(store: store)
        let officer = CaseService.Caller(Principal(kind: .development, subject: "anna", name: "anna", roles: ["handlaggare"]), from: "test")
        let dry = try await register.planYear(2027, owner: "per", dryRun: true, by: officer)
        #expect(try await store.listCases(CaseFilter(workflow: RegisterService.plannedWorkflow), after: nil, limit: 10).isEmpty)
        let plan = try await register.planYear(2027, owner: "per", dryRun: false, by: officer)
        #expect(dry.map(\.contract) == plan.map(\.contract))
        #expect(plan.map { "\($0.contract) \($0.form) \($0.dueBy)" } == [
            "C-P-RED platsbesok 2027-03-31",
            "C-P-MATE dialogmote 2027-06-15",       // green, but its group has a red provider
            "C-P-YELLOW dialogmote 2027-09-30",
            "C-P-GREEN skrivbordsuppfoljning 2027-11-30",
        ], "the contract that ends in 2026 is not planned for 2027")
        let red = try await store.caseRecord(id: try #require(plan.first?.caseID))
        #expect(red.state == "planerad" && red.unit == "U-P-RED" && red.contract == "C-P-RED")
        #expect(red.fields["trafikljus"] == .string("rod") && red.fields["vardgivare"] == .string("Vårdgivare P-RED"))
        #expect(red.deadlines.first?.name == "genomforande")
        // Again: nothing new.
        let again = try await register.planYear(2027, owner: "per", dryRun: false, by: officer)
        #expect(again.allSatisfy(\.alreadyPlanned) && again.map(\.caseID) == plan.map(\.caseID))
        // Not for the lawyer.
        let lawyer = CaseService.Caller(Principal(kind: .development, subject: "rut", name: "rut", roles: ["regionjurist"]), from: "test")
        await #expect(throws: AccessPolicy.Refusal.self) { _ = try await register.planYear(2028, owner: "per", dryRun: true, by: lawyer) }
    }

    /// Seed 004's statistics: handling times, answers within 14 days, offers by post.
    @Test func careReferralStatisticsCountWhatHappened() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(local("2026-02-02T09:00"))
        let store = try await TestStores.open(path: folder.path("vf.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { clock.now })
        let officer = Actor(name: "vera", role: "handlaggare")
        var ids: [String] = []
        for n in 0..<3 {
            ids.append(try await store.openCase(workflow: "nationell-vardformedling", owner: "vera", fields: [
                "vardformedlingsId": .string("VF-\(n)"), "patientNamn": .string("P \(n)"), "personnummer": .string("19700101-0000"),
                "vantarSedan": .string("2025-12-01"), "blankettInkom": .string("2026-02-02"),
            ], actor: officer).id)
        }
        func at(_ text: String) async throws {
            clock.set(local(text))
            _ = try await store.fireDueTimers(upTo: clock.now)
        }
        func apply(_ id: String, _ event: String, _ payload: [String: JSONValue]) async throws {
            _ = try await store.applyEvent(caseID: id, event: event, payload: payload, reason: nil, actor: officer)
        }
        try await at("2026-02-03T10:00")
        for id in ids.prefix(2) { try await apply(id, "skickaErbjudande", ["erbjudandeSkickat": .string("2026-02-03")]) }
        try await at("2026-02-10T10:00")
        try await apply(ids[0], "patientSvarar", ["svar": .string("ja"), "svarInkom": .string("2026-02-10")])
        try await at("2026-02-11T10:00")
        try await apply(ids[0], "remissSkickad", ["mottagandeVardgivare": .string("Sjukhuset i Ås"), "remissSkickad": .string("2026-02-11")])
        try await at("2026-02-16T10:00")
        try await apply(ids[0], "remissbekraftelseInkom", ["remissbekraftelse": .string("2026-02-16")])
        try await at("2026-02-18T10:00")   // the second patient has not answered in 14 days: an offer by post
        try await apply(ids[1], "brevSkickat", ["brevSkickat": .string("2026-02-18")])
        try await at("2026-03-10T10:00")
        try await apply(ids[1], "patientSvarar", ["svar": .string("ja"), "svarInkom": .string("2026-03-10")])
        try await at("2026-03-11T10:00")
        try await apply(ids[1], "remissSkickad", ["mottagandeVardgivare": .string("Sjukhuset i Ås"), "remissSkickad": .string("2026-03-11")])
        try await at("2026-03-20T10:00")
        try await apply(ids[1], "remissbekraftelseInkom", ["remissbekraftelse": .string("2026-03-20")])

        let report = try await ReportService(store: store).careReferral(
            ReportService.Period(from: LocalDate(iso: "2026-01-01")!, to: LocalDate(iso: "2026-12-31")!),
            by: CaseService.Caller(Principal(kind: .development, subject: "vera", name: "vera", roles: ["handlaggare"]), from: "test"))
        let values = Dictionary(uniqueKeysWithValues: report.tables[0].rows.map { ($0[0].text, $0[1].text) })
        #expect(values["Vårdförmedlingar inledda under perioden"] == "3")
        #expect(values["Med handläggningstid (remissbekräftelse inkommen)"] == "2")
        #expect(values["Handläggningstid, median (dagar)"] == "30", "14 and 46 days")
        #expect(values["Handläggningstid, medel (dagar)"] == "30")
        #expect(values["Erbjudanden skickade"] == "2")
        #expect(values["Svar inom 14 dagar"] == "1")
        #expect(values["Erbjudanden med post"] == "1")
    }

    static func adding(_ a: Counts, _ b: Counts) -> Counts {
        Counts(requested: a.requested + b.requested, approved: a.approved + b.approved, rejected: a.rejected + b.rejected,
               measures: a.measures + b.measures, inDepth: a.inDepth + b.inDepth)
    }
}
