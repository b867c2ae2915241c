import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// `bevaka case migrate` on the real binary: a case moves to the new version
/// keeping its id and history; one whose state the new version lacks is refused.
@Suite(.serialized) struct CaseMigrateTests {
    @Test func casesMoveToANewVersionUnlessTheirStateIsMissingThere() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let version2 = KillRecoveryTests.quickWorkflow.replacingOccurrences(of: "version: 1", with: "version: 2")
            .replacingOccurrences(of: "close: closed", with: "close: shut")
            .replacingOccurrences(of: "closed: { final: true }", with: "shut: { final: true }")
        try version2.write(to: workflows.appendingPathComponent("quick-2.yaml"), atomically: true, encoding: .utf8)

        // Two cases on version 1 (opened while only version 1 was deployed), one of them closed.
        let database = folder.path("db.sqlite")
        let officer = Actor(name: "o", role: "officer")
        let v1Only = WorkflowCatalog([try WorkflowLoader.load(path: workflows.appendingPathComponent("quick.yaml").path)])
        var waiting = "", closed = ""
        do {
            let store = try await TestStores.open(path: database, catalog: v1Only)
            waiting = try await store.openCase(workflow: "quick", owner: "o", fields: ["name": .string("a")], actor: officer).id
            closed = try await store.openCase(workflow: "quick", owner: "o", fields: ["name": .string("b")], actor: officer).id
            _ = try await store.applyEvent(caseID: closed, event: "close", payload: [:], reason: nil, actor: officer)
        }

        let output = try CommandLineTests.bevaka(["case", "migrate", "--database", database, "--workflows", workflows.path, "--to", "2",
                                                  "--reason", "ny version", "--actor", "drift", waiting, closed])
        #expect(output.status == 1)
        #expect(output.stdout.contains("\(waiting): moved to quick@2"), "\(output.stdout)")
        #expect(output.stderr.contains("\(closed): refused: cannot move to quick@2: state 'closed' does not exist in quick@2"),
                "\(output.stderr)")
        #expect(output.stdout.contains("1 moved, 1 refused"))

        let store = try await TestStores.open(path: database, catalog: try WorkflowLoader.loadDirectory(workflows.path))
        #expect(try await store.caseRecord(id: waiting).workflow.version == 2)
        #expect(try await store.caseRecord(id: closed).workflow.version == 1)
        let history = try await store.history(caseID: waiting)
        #expect(history.last?.entry.event == "case.migrated")
        #expect(history.last?.entry.reason == "ny version")
        #expect(history.last?.entry.actor == "drift")
        #expect(HistoryHasher.chainIsIntact(history, caseID: waiting))
        // It goes on under version 2.
        let shut = try await store.applyEvent(caseID: waiting, event: "close", payload: [:], reason: nil, actor: officer)
        #expect(shut.state == "shut")
        #expect(try CommandLineTests.bevaka(["check", "--database", database]).status == 0)
    }
}
