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

/// Issue 13, item 4: the register kept on its page by the follow-up team. A CSV import
/// previewed (every problem with its line, in Swedish, nothing saved) and then saved all
/// or nothing; a unit's listed patients and a provider's name changed with small forms
/// that refuse bad input beside the field; and nothing of it for anyone outside the team.
@Suite struct RegisterPageTests {
    static let header = RegisterCSV.columns.joined(separator: ",")

    /// A register of one board, provider, unit (8200 listed from 2025) and contract.
    static func csv(board: String = "HSNV") -> String {
        """
        \(header)
        board,HSNV,Hälso- och sjukvårdsnämnden väster,,,,,,,,,,
        provider,556677-8899,Berga Vård AB,Nordhälsan,,,,,,,,,
        unit,SE-E11,Vårdcentralen Berga,,556677-8899,,,,,,,8200,2025-01-01
        contract,VGR-VC-2024-017,,,556677-8899,VV Vårdcentral,\(board),2024-01-01,,Team Väst,SE-E11,,

        """
    }

    static let boundary = "----bevaka-test-7d3f"

    /// A form as a browser sends it with a file input: the token first, then the fields, then the file.
    static func multipart(_ fields: [(String, String)], file: String?) -> ByteBuffer {
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"\(file == nil ? "" : "register.csv")\"\r\n"
        body += "Content-Type: \(file == nil ? "application/octet-stream" : "text/csv")\r\n\r\n\(file ?? "")\r\n--\(boundary)--\r\n"
        return ByteBuffer(string: body)
    }

    static func headers(role: String = "handlaggare", multipart: Bool) -> HTTPFields {
        var headers = WebPagesTests.headers(role: role, actor: role, form: !multipart)
        if multipart { headers[.contentType] = "multipart/form-data; boundary=\(boundary)" }
        return headers
    }

    static func store(_ folder: TemporaryFolder, at time: String = "2026-12-04T09:00") async throws -> (any Store, ManualClock) {
        let clock = ManualClock(local(time))
        return (try await TestStores.open(path: folder.path("register.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder),
                              now: { clock.now }), clock)
    }

    /// A store holding the register of `csv()`, put in as the import puts it.
    static func storeWithRegister(_ folder: TemporaryFolder) async throws -> (any Store, ManualClock) {
        let (store, clock) = try await store(folder)
        let (items, lines, _) = RegisterCSV.items(csv())
        try await store.putRegister(items, lines: lines, actor: "test")
        return (store, clock)
    }

    @Test func theTeamPreviewsAnImportWithAProblemThenImportsAllOfIt() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (store, clock) = try await Self.store(folder)
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            func send(_ fields: [(String, String)], file: String?) async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(uri: "/register", method: .post, headers: Self.headers(multipart: true),
                                         body: Self.multipart(fields, file: file)) { ($0.status, String(buffer: $0.body), $0.headers[.location]) }
            }
            let empty = try await client.execute(uri: "/register", method: .get, headers: WebPagesTests.headers()) { String(buffer: $0.body) }
            #expect(empty.contains("<form method=\"post\" action=\"/register#import\" enctype=\"multipart/form-data\" novalidate>"))
            #expect(empty.contains("<input type=\"file\" id=\"csv-fil\" name=\"fil\""))

            // A contract whose board is not in the register (line 5): every problem with its line, nothing saved.
            let refused = try await send([("roll", "handlaggare"), ("atgard", "forhandsgranska")], file: Self.csv(board: "HSNX"))
            #expect(refused.0 == .badRequest)
            #expect(refused.1.contains("<li>rad 5: nämnden &#39;HSNX&#39; finns inte i registret.</li>") || refused.1.contains("<li>rad 5: nämnden 'HSNX' finns inte i registret.</li>"),
                    "\(refused.1)")
            #expect(refused.1.contains("<p class=\"error-message\" id=\"csv-fil-fel\">Fel: Filen har ett problem, listade överst."))
            #expect(refused.1.contains("Inget har sparats i registret."))
            #expect(refused.1.contains("VGR-VC-2024-017,,,556677-8899,VV Vårdcentral,HSNX"), "the text is kept in the form, to be corrected")
            #expect(try await store.providers().isEmpty)
            #expect(try await store.boards().isEmpty)

            // Every problem of a file, each on its line, in Swedish.
            let several = try await send([("atgard", "forhandsgranska")],
                                         file: "\(Self.header)\nunit,SE-1,Enhet,,P-X,,,,,,,många,2025-01-01\nfoo,x,,,,,,,,,,,\nboard,B,,,,,,,,,,,\n")
            #expect(several.0 == .badRequest)
            for line in ["rad 2: listed: ange antalet listade som ett heltal, inte &#39;många&#39;.",
                         "rad 3: kind: ange board, provider, unit eller contract, inte &#39;foo&#39;.",
                         "rad 4: name: fyll i den; en nämnd behöver den."] {
                #expect(several.1.contains(line) || several.1.contains(line.replacingOccurrences(of: "&#39;", with: "'")), "\(line): \(several.1)")
            }
            #expect(several.1.contains("Fel: Filen har 3 problem, listade överst."))

            // The right file previewed: what would be created, and still nothing saved.
            let preview = try await send([("roll", "handlaggare"), ("atgard", "forhandsgranska")], file: Self.csv())
            #expect(preview.0 == .ok)
            #expect(preview.1.contains("<h2 id=\"granskning\">Förhandsgranskning</h2>"))
            #expect(preview.1.contains("4 skapas, 0 ändras och 0 är som förut. Inget har sparats ännu"), "\(preview.1)")
            #expect(preview.1.contains("<tr><td>rad 3</td><td>vårdgivare</td><td>556677-8899</td><td>Berga Vård AB</td><td>ny</td></tr>"))
            #expect(try await store.providers().isEmpty)

            // Importera with no file chosen sends the previewed text back: all of it is saved.
            let imported = try await send([("roll", "handlaggare"), ("text", Self.csv()), ("atgard", "importera")], file: nil)
            #expect(imported.0 == .seeOther && imported.2 == "/register?skapade=4&andrade=0&oforandrade=0", "\(imported.1)")
            #expect(try await store.providers() == [Provider(id: "556677-8899", name: "Berga Vård AB", group: "Nordhälsan")])
            #expect(try await store.contracts().map(\.id) == ["VGR-VC-2024-017"])
            let after = try await client.execute(uri: imported.2 ?? "/register", method: .get, headers: WebPagesTests.headers()) { String(buffer: $0.body) }
            #expect(after.contains("<div class=\"notice\" role=\"status\"><p>Importen är sparad: 4 skapade, 0 ändrade och 0 oförändrade.</p></div>"))
            #expect(after.contains("8200 listade"))

            // Again: nothing new; a file over 5 MiB is refused with the limit named.
            let again = try await send([("atgard", "forhandsgranska")], file: Self.csv())
            #expect(again.1.contains("0 skapas, 0 ändras och 4 är som förut."))
            let large = try await send([("atgard", "forhandsgranska")], file: Self.csv() + String(repeating: "board,B,Nämnd,,,,,,,,,,\n", count: 230_000))
            #expect(large.0 == .contentTooLarge && large.1.contains("Fel: Filen är större än 5 MiB."), "\(large.0)")
            let nothing = try await send([("atgard", "importera")], file: nil)
            #expect(nothing.0 == .badRequest && nothing.1.contains("Välj en CSV-fil, eller klistra in CSV-texten."))
        }
    }

    @Test func theTeamChangesAUnitsListedPatientsAndAProvidersNameRefusingBadInputBesideTheField() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (store, clock) = try await Self.storeWithRegister(folder)
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            func post(_ fields: [(String, String)], role: String = "handlaggare") async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(uri: "/register", method: .post, headers: Self.headers(role: role, multipart: false),
                                         body: WebPagesTests.form(fields)) { ($0.status, String(buffer: $0.body), $0.headers[.location]) }
            }
            let page = try await client.execute(uri: "/register", method: .get, headers: WebPagesTests.headers()) { String(buffer: $0.body) }
            #expect(page.contains("<tr id=\"enhet-SE-E11\">"))
            #expect(page.contains("<input type=\"text\" inputmode=\"numeric\" id=\"enhet-SE-E11-antal\" name=\"antal\" value=\"\">"))
            #expect(page.contains("<input type=\"date\" id=\"enhet-SE-E11-datum\" name=\"datum\" value=\"2026-12-04\">"))
            let before = try await store.units()

            // Not a day, not a number: each beside its field, the form open again, nothing changed.
            let bad = try await post([("atgard", "antal"), ("enhet", "SE-E11"), ("datum", "2026-02-30"), ("antal", "många")])
            #expect(bad.0 == .badRequest)
            #expect(bad.1.contains("<p class=\"error-message\" id=\"enhet-SE-E11-datum-fel\">Fel: Ange ett datum som finns"), "\(bad.1)")
            #expect(bad.1.contains("<p class=\"error-message\" id=\"enhet-SE-E11-antal-fel\">Fel: Ange antalet listade patienter som ett heltal"))
            #expect(bad.1.contains("id=\"enhet-SE-E11-antal\" name=\"antal\" value=\"många\" aria-invalid=\"true\" aria-describedby=\"enhet-SE-E11-antal-fel\""))
            #expect(bad.1.contains("<li><a href=\"#enhet-SE-E11-datum\">Ange ett datum som finns"))
            #expect(bad.1.contains("<details open>\n<summary>Ändra antal listade<span class=\"vh\"> för Vårdcentralen Berga</span></summary>"))
            // A negative count: the register's own rule, in Swedish, beside the field.
            let negative = try await post([("atgard", "antal"), ("enhet", "SE-E11"), ("datum", "2026-12-01"), ("antal", "-5")])
            #expect(negative.0 == .badRequest)
            #expect(negative.1.contains("id=\"enhet-SE-E11-antal-fel\">Fel: Antalet listade (-5) ska vara ett heltal från 0 och uppåt."), "\(negative.1)")
            #expect(try await store.units() == before)

            let saved = try await post([("atgard", "antal"), ("enhet", "SE-E11"), ("datum", "2026-12-01"), ("antal", "8 350")])
            #expect(saved.0 == .seeOther && saved.2 == "/register?sparat=antal#enhet-SE-E11")
            let unit = try #require(try await store.units().first)
            #expect(unit.listed == [ListedCount(from: LocalDate(iso: "2025-01-01")!, listed: 8200), ListedCount(from: LocalDate(iso: "2026-12-01")!, listed: 8350)])
            #expect(unit.listed(on: LocalDate(iso: "2026-12-04")!) == 8350)

            // A provider without a name is refused beside the name; a new name and group are saved.
            let unnamed = try await post([("atgard", "vardgivare"), ("vardgivare", "556677-8899"), ("namn", "  "), ("koncern", "Nordhälsan")])
            #expect(unnamed.0 == .badRequest)
            #expect(unnamed.1.contains("<p class=\"error-message\" id=\"vardgivare-556677-8899-namn-fel\">Fel: Vårdgivarens namn är tomt.</p>"), "\(unnamed.1)")
            #expect(try await store.providers().first?.name == "Berga Vård AB")
            let renamed = try await post([("atgard", "vardgivare"), ("vardgivare", "556677-8899"), ("namn", "Berga Vård och Hälsa AB"), ("koncern", "")])
            #expect(renamed.0 == .seeOther && renamed.2 == "/register?sparat=vardgivare#vardgivare-556677-8899")
            #expect(try await store.providers() == [Provider(id: "556677-8899", name: "Berga Vård och Hälsa AB", group: nil)])
            let history = try await store.registerHistory(kind: "provider", key: "556677-8899")
            #expect(history.count == 2 && history.contains { $0.actor == "handlaggare" && $0.change == "changed" }, "\(history)")
        }
    }

    @Test func someoneOutsideTheTeamSeesNoFormsAndIsRefusedWithNothingChanged() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (store, clock) = try await Self.storeWithRegister(folder)
        let app = Application(router: APIRouter.build(store: store, now: { clock.now }))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/register", method: .get, headers: WebPagesTests.headers(role: "regionjurist", actor: "rut")) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(page.0 == .ok && page.1.contains("Berga Vård AB") && page.1.contains("8200 listade"))
            #expect(!page.1.contains("<form") && !page.1.contains("Importera"))
            let units = try await store.units()
            let count = try await client.execute(uri: "/register", method: .post, headers: Self.headers(role: "regionjurist", multipart: false),
                                                 body: WebPagesTests.form([("atgard", "antal"), ("enhet", "SE-E11"), ("datum", "2026-12-01"), ("antal", "1")])) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(count.0 == .forbidden && count.1.contains("<h1>Registret förs av uppföljningsteamet</h1>"))
            // Claiming a team role in the form does not help: it must be one the person holds.
            let claimed = try await client.execute(uri: "/register", method: .post, headers: Self.headers(role: "regionjurist", multipart: true),
                                                   body: Self.multipart([("roll", "handlaggare"), ("atgard", "importera")], file: Self.csv(board: "HSNS"))) {
                $0.status
            }
            #expect(claimed == .forbidden)
            #expect(try await store.units() == units)
            #expect(try await store.boards().map(\.code) == ["HSNV"])
        }
    }

    @Test func idsAreMadeOfSafeCharactersAndNeverShared() {
        #expect(HTMLIdentifier.make("punkt", "avvecklingslista", "arbetsgrupp") == "punkt-avvecklingslista__arbetsgrupp")
        #expect(HTMLIdentifier.make("enhet", "SE2321000131-E000000001") == "enhet-SE2321000131-E000000001")
        #expect(HTMLIdentifier.make("enhet", "Vårdcentral Berga") == "enhet-V_e5_rdcentral_20_Berga")
        // Names that would run together with a plain separator stay apart.
        #expect(HTMLIdentifier.make("punkt", "a-b", "c") != HTMLIdentifier.make("punkt", "a", "b-c"))
        #expect(HTMLIdentifier.make("punkt", "a_b", "c") != HTMLIdentifier.make("punkt", "a", "b_c"))
        #expect(HTMLIdentifier.make("punkt", "a.", "b") != HTMLIdentifier.make("punkt", "a", "_2e__b"))
        #expect(HTMLIdentifier.make("x", "a<\"b>#").allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }
}
