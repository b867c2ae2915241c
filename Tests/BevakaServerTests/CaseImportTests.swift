import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// Issue 11: cases already running in spreadsheets are brought in mid-ladder with
/// `bevaka case import FILE.csv`, as a finance clerk would run it, on a real SQLite file.
@Suite struct CaseImportTests {
    static let header = "workflow,owner,state,enteredAt,firePast,enhet,listade,niva,sanktionsniva,begaranSkickad,planSenast,person.verksamhetschef"

    static func csv(sanctionRow: String, badRow: Int? = nil) -> String {
        var rows = [header]
        for index in 0..<19 {
            let level = index == badRow ? "okänd" : "ingen"
            rows.append("kalmar-sanktionstrappa,anna,vantarHandlingsplan,2026-11-20,nej,VC \(index + 1),\(5000 + index * 100),gul,\(level),2026-11-20,2099-12-\(10 + index % 10),")
        }
        rows.append(sanctionRow)
        return rows.joined(separator: "\n") + "\n"
    }

    static let sanction = #"kalmar-sanktionstrappa,anna,beslutOmAtgard,2026-11-16,nej,"VC Berga, Norra",8000,rod,gul,2026-10-15,2026-11-16,Eva Ek <eva.ek@berga.se>"#

    @Test func twentyCasesComeInMidLadderAndABadRowWritesNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let database = folder.path("i.sqlite")
        func importing(_ text: String, _ extra: [String] = []) throws -> CommandLineTests.Output {
            try text.write(toFile: folder.path("cases.csv"), atomically: true, encoding: .utf8)
            return try CommandLineTests.bevaka(["case", "import", folder.path("cases.csv"), "--database", database, "--workflows", workflowsFolder] + extra)
        }
        func count() async throws -> Int {
            try await TestStores.open(path: database, catalog: try WorkflowLoader.loadDirectory(workflowsFolder)).listCases(CaseFilter(), after: nil, limit: 100).count
        }
        // One bad cell: every problem with its line, and nothing written.
        let bad = try importing(Self.csv(sanctionRow: Self.sanction, badRow: 4))
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("cases.csv: line 6: sanktionsniva: expected one of ingen, gul, rod, svart"), "\(bad.stderr)")
        #expect(bad.stderr.contains("nothing was imported"))
        #expect(try await count() == 0)
        // A dry run shows what would come in and writes nothing.
        let dry = try importing(Self.csv(sanctionRow: Self.sanction), ["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("20 cases would be imported"))
        #expect(try await count() == 0)

        let done = try importing(Self.csv(sanctionRow: Self.sanction))
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("20 cases imported"))
        let store = try await TestStores.open(path: database, catalog: try WorkflowLoader.loadDirectory(workflowsFolder))
        let cases = try await store.listCases(CaseFilter(), after: nil, limit: 100)
        #expect(cases.count == 20)
        let waiting = try #require(cases.first { $0.fields["enhet"] == .string("VC 1") })
        #expect(waiting.state == "vantarHandlingsplan")
        #expect(waiting.deadlines.map(\.name) == ["handlingsplan"], "the plan's deadline is ahead and set")
        // The case with a sanction running since October: its ledger to the öre, month by month.
        let sanctioned = try #require(cases.first { $0.fields["enhet"] == .string("VC Berga, Norra") })
        #expect(sanctioned.state == "beslutOmAtgard")
        #expect(sanctioned.people["verksamhetschef"] == [CasePerson(name: "Eva Ek", email: "eva.ek@berga.se")])
        let definition = try store.definition(sanctioned.workflow)
        let rows = Ledger.monthly(try await store.segments(caseID: sanctioned.id), asOf: LocalDate(iso: "2026-11-30")!, workflow: definition)
        let months = Dictionary(uniqueKeysWithValues: Ledger.totalsByMonth(rows).map { ($0.month, Ledger.format($0.amount)) })
        #expect(months == ["2026-10": "13161.29", "2026-11": "24000.00"])
        let history = try await store.history(caseID: sanctioned.id)
        #expect(history.map(\.entry.event) == ["case.imported"])
        #expect(history.first?.entry.effectiveAt == SwedishCalendar().instant(on: LocalDate(iso: "2026-11-16")!, at: LocalTime(hour: 0, minute: 0)))
        #expect(try await store.verifyHistory(caseID: sanctioned.id))
    }

    @Test func aDeadlineAlreadyPastFiresOnlyIfTheRowSaysSo() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let database = folder.path("p.sqlite")
        let rows = [Self.header,
                    "kalmar-sanktionstrappa,anna,vantarHandlingsplan,2026-10-01,nej,VC Tyst,5000,gul,ingen,2026-10-01,2026-11-02,",
                    "kalmar-sanktionstrappa,anna,vantarHandlingsplan,2026-10-01,ja,VC Larm,5000,gul,ingen,2026-10-01,2026-11-02,"]
        try (rows.joined(separator: "\n") + "\n").write(toFile: folder.path("p.csv"), atomically: true, encoding: .utf8)
        let output = try CommandLineTests.bevaka(["case", "import", folder.path("p.csv"), "--database", database, "--workflows", workflowsFolder])
        #expect(output.status == 0, "\(output.stderr)")
        let store = try await TestStores.open(path: database, catalog: try WorkflowLoader.loadDirectory(workflowsFolder))
        #expect(try await store.pendingTimerCount() == 1, "only the case that says so fires its past expiry")
        _ = try await store.fireDueTimers(upTo: Date())
        let cases = try await store.listCases(CaseFilter(), after: nil, limit: 10)
        #expect(cases.first { $0.fields["enhet"] == .string("VC Larm") }?.state == "beslutOmAtgard", "its missed plan escalates at once")
        #expect(cases.first { $0.fields["enhet"] == .string("VC Tyst") }?.state == "vantarHandlingsplan")
        #expect(cases.first { $0.fields["enhet"] == .string("VC Tyst") }?.deadlines.first?.expired == true)

        // The plan had in fact come in on its last day: registered now, it is judged by
        // when it arrived, also on a case brought in after that day (its import row
        // stands for the day it entered the state, not the day it was typed in).
        let larm = try #require(cases.first { $0.fields["enhet"] == .string("VC Larm") })
        let registered = try await store.applyEvent(caseID: larm.id, event: "handlingsplanInkommen", payload: ["inkom": .string("2026-11-02")],
                                                    reason: nil, actor: Actor(name: "anna", role: "handlaggare"))
        #expect(registered.state == "bedomerHandlingsplan")
        #expect(registered.fields["sanktionsniva"] == .string("ingen"))
        let events = try await store.history(caseID: larm.id).map(\.entry.event)
        #expect(events == ["case.imported", "deadline.expired", "handlingsplanUteblev", "case.undone", "handlingsplanInkommen"], "\(events)")
    }

    /// The same cases from YAML: a list of mappings; a bad case is named by its line and nothing is written.
    @Test func casesComeInFromYAMLWithTheSameChecks() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let database = folder.path("y.sqlite")
        let yaml = """
            - workflow: kalmar-sanktionstrappa
              owner: anna
              state: beslutOmAtgard
              enteredAt: 2026-11-16
              fields: { enhet: "VC Berga, Norra", diarienummer: "RS 2026/412", listade: 8000, niva: rod, sanktionsniva: gul,
                        begaranSkickad: 2026-10-15, planSenast: 2026-11-16 }
              people: { verksamhetschef: [{ name: Eva Ek, email: eva.ek@berga.se }] }
            - workflow: kalmar-sanktionstrappa
              owner: anna
              state: vantarHandlingsplan
              enteredAt: 2026-11-20
              firePast: false
              fields: { enhet: VC Norr, listade: 5000, niva: gul, sanktionsniva: ingen, begaranSkickad: 2026-11-20, planSenast: 2099-12-10 }

            """
        func importing(_ text: String) throws -> CommandLineTests.Output {
            try text.write(toFile: folder.path("cases.yaml"), atomically: true, encoding: .utf8)
            return try CommandLineTests.bevaka(["case", "import", folder.path("cases.yaml"), "--database", database, "--workflows", workflowsFolder])
        }
        let bad = try importing(yaml.replacingOccurrences(of: "listade: 5000", with: "listade: 5000, farg: gul")
            .replacingOccurrences(of: "enteredAt: 2026-11-16", with: "enteredAt: 16/11"))
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("cases.yaml: line 1: enteredAt: expected YYYY-MM-DD or an RFC 3339 instant, got '16/11'"), "\(bad.stderr)")
        #expect(bad.stderr.contains("cases.yaml: line 8: farg: kalmar-sanktionstrappa has no field 'farg'"), "\(bad.stderr)")
        #expect(bad.stderr.contains("nothing was imported"))
        let notAList = try importing("workflow: kalmar-sanktionstrappa\n")
        #expect(notAList.status == 1 && notAList.stderr.contains("expected a list of cases"), "\(notAList.stderr)")

        let done = try importing(yaml)
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("2 cases imported"))
        let store = try await TestStores.open(path: database, catalog: try WorkflowLoader.loadDirectory(workflowsFolder))
        let cases = try await store.listCases(CaseFilter(), after: nil, limit: 10)
        let sanctioned = try #require(cases.first { $0.fields["diarienummer"] == .string("RS 2026/412") })
        #expect(sanctioned.people["verksamhetschef"] == [CasePerson(name: "Eva Ek", email: "eva.ek@berga.se")])
        let definition = try store.definition(sanctioned.workflow)
        let rows = Ledger.monthly(try await store.segments(caseID: sanctioned.id), asOf: LocalDate(iso: "2026-11-30")!, workflow: definition)
        #expect(Ledger.totalsByMonth(rows).map { Ledger.format($0.amount) } == ["13161.29", "24000.00"])
    }
}
