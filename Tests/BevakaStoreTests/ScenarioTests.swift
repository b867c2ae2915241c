import BevakaCore
import BevakaPostgres
import BevakaTestSupport
import BevakaStore
import Foundation
import Testing

/// Every scenario in `Workflows/scenarios/`, run through the real store and
/// engine on a virtual clock: each is one rule of DOMAIN.md a reader can follow.
@Suite struct ScenarioTests {
    static let files = scenarioFiles

    @Test func thereAreScenarios() {
        #expect(Self.files.count >= 70)
    }

    @Test(arguments: files)
    func scenarioHoldsItsExpectations(_ path: String) async throws {
        let catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
        let scenario = try Scenario.load(path: path)
        // A scenario without expectations could not fail.
        #expect(scenario.expect.state != nil, "\(path) pins no final state")
        let result = try await Simulator.run(scenario, catalog: catalog)
        #expect(result.failures.isEmpty, "\(result.failures.joined(separator: "\n"))\n\(result.text)")
    }

    /// Every scenario again on PostgreSQL, each in a database of its own (the simulator fires
    /// every timer due): the same timeline, history, notifications and ledger to the öre as on SQLite.
    @Test func everyScenarioEndsTheSameOnPostgreSQL() async throws {
        let catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
        let server = try PostgresServer.shared()
        for path in Self.files {
            let settings = try PostgresSettings(url: try server.newDatabaseURL(), passwordFile: server.passwordFile)
            let scenario = try Scenario.load(path: path)
            let sqlite = try await Simulator.run(scenario, catalog: catalog)
            var opened: PostgresStore?
            let postgres = try await Simulator.run(scenario, catalog: catalog, store: { now in
                let store = try await PostgresStore.open(settings, catalog: catalog, now: now)
                opened = store
                return store
            })
            await opened?.close()
            #expect(postgres.failures.isEmpty, "\(path): \(postgres.failures.joined(separator: "\n"))\n\(postgres.text)")
            // The same text but for the case's id, which each store draws anew.
            #expect(postgres.text.replacingOccurrences(of: postgres.caseID, with: "ID")
                    == sqlite.text.replacingOccurrences(of: sqlite.caseID, with: "ID"), "\(path)")
            #expect(postgres.ledger == sqlite.ledger, "\(path)")
        }
    }

    /// The issue's own example: a missed plan escalates and the ledger shows kronor.
    @Test func aMissedPlanEscalatesAndTheLedgerIsInKronor() async throws {
        let catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
        let scenario = try Scenario.load(path: workflowsFolder + "/scenarios/kalmar-missad-handlingsplan.yaml")
        let result = try await Simulator.run(scenario, catalog: catalog)
        #expect(result.record.state == "stallningstagandeHavning")
        #expect(result.text.contains("handlingsplanUteblev  vantarHandlingsplan → beslutOmAtgard"))
        #expect(result.text.contains("accrual sanktion rate 3 replaced by 6 from 2026-02-18"))
        #expect(result.text.contains("Total: 142589.86 SEK"))
        #expect(result.ledger.map(\.rate) == [3, 3, 6, 6, 6])
    }

    @Test func aBrokenScenarioFileIsReportedWithPositions() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("bad.yaml")
        try """
        workflow: kalmar-sanktionstrappa
        start: 2026-13-01T09:00
        case: { owner: a, actor: { name: a, role: handlaggare } }
        steps:
          - { at: 2026-01-12T10:00, actor: { name: a, role: handlaggare }, evnt: klassificera }
        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try Scenario.load(path: path)
        } throws: { error in
            let text = (error as? WorkflowLoadErrors)?.description ?? ""
            return text.contains("bad.yaml:2:8: start '2026-13-01T09:00' is not a local time")
                && text.contains("bad.yaml:5:") && text.contains("unknown key 'evnt'")
        }
    }
}
