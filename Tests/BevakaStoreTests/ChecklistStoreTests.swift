import BevakaCore
@testable import BevakaStore
import BevakaTestSupport
import Foundation
import GRDB
import Testing

/// Checklists, hand-overs and links on a real SQLite file and a real PostgreSQL database: what the rows say.
@Suite struct ChecklistStoreTests {
    let folder: TemporaryFolder
    let clock = ManualClock(local("2026-05-04T09:00"))
    let catalog: WorkflowCatalog
    let officer = Actor(name: "sara", role: "handlaggare")

    init() throws {
        folder = try TemporaryFolder()
        catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
    }

    func makeStore(_ place: StorePlace) async throws -> any CoreStore {
        let clock = self.clock
        return try await place.open(catalog, now: { clock.now })
    }

    /// The case's timer rows: deadline (or `checklist/item`) and kind, read from the database itself.
    func timers(_ id: String, in place: StorePlace) async throws -> [(deadline: String, kind: String)] {
        try await place.strings("SELECT deadline || ' ' || kind FROM timers WHERE case_id = '\(id)' ORDER BY id").map { row in
            let parts = row.split(separator: " ", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    func openTermination(_ store: any CoreStore) async throws -> String {
        try await store.openCase(workflow: "vgr-plotsligt-avslut", owner: "sara",
                                 fields: ["vardgivare": .string("Hälsa Väst AB"), "enhet": .string("VC Angered")], actor: officer).id
    }

    @Test(arguments: StoreKind.allCases) func checklistTimersOutliveStateChangesAndEndWithTheCase(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await makeStore(place)
        let id = try await openTermination(store)
        _ = try await store.applyEvent(caseID: id, event: "forutsettAvslut", payload: ["namndmote": .string("2026-06-11")],
                                       reason: nil, actor: officer)
        // Nine preparation items, each with its due timer, beside the meeting's deadline timers.
        #expect(try await timers(id, in: place).filter { $0.deadline.hasPrefix("forberedelser/") }.count == 9)
        #expect(try await timers(id, in: place).filter { $0.kind.hasPrefix("item-") }.count == 9)

        clock.set(local("2026-05-20T11:00"))
        _ = try await store.applyEvent(caseID: id, event: "havningsdokumentUpprattat", payload: ["havningGallerFran": .string("2026-06-12")],
                                       reason: nil, actor: Actor(name: "jonas", role: "regionjurist"))
        clock.set(local("2026-06-11T11:00"))
        try await store.fireDueTimers(upTo: clock.now)
        let before = try await timers(id, in: place).filter { $0.deadline.hasPrefix("forberedelser/") }
        #expect(before.count == 9)  // all overdue by now; each has its next daily reminder
        #expect(before.allSatisfy { $0.kind.hasPrefix("item-overdue:") })

        // Leaving the state cancels its deadline timers, not the open checklist's.
        let decided = try await store.applyEvent(caseID: id, event: "namndenBeslutarHavning", payload: [:], reason: nil,
                                                 actor: Actor(name: "hsn", role: "namnd"))
        #expect(decided.state == "avveckling")
        let after = try await timers(id, in: place)
        #expect(after.filter { $0.deadline.hasPrefix("forberedelser/") }.count == 9)
        #expect(after.filter { $0.deadline.hasPrefix("avvecklingslista/") }.count == 15)
        #expect(!after.contains { $0.deadline == "namndsammantrade" })
        #expect(after.contains { $0.deadline == "dagligAvstamning" })

        // A tick cancels that item's reminders only.
        _ = try await store.applyEvent(caseID: id, event: checklistTickEvent,
                                       payload: ["checklist": .string("forberedelser"), "item": .string("arbetsgrupp")],
                                       reason: nil, actor: officer)
        #expect(!(try await timers(id, in: place)).contains { $0.deadline == "forberedelser/arbetsgrupp" })
        #expect(try await timers(id, in: place).filter { $0.deadline.hasPrefix("forberedelser/") }.count == 8)

        // The final state closes both checklists: no timer of the case is left.
        let closed = try await store.applyEvent(caseID: id, event: "avsluta", payload: [:], reason: "Verksamheten såld, stänger inte",
                                                actor: officer)
        #expect(closed.state == "avslutad")
        #expect(try await timers(id, in: place).isEmpty)
        let reread = try await makeStore(place).caseRecord(id: id)
        #expect(reread.checklists.map(\.name) == ["forberedelser", "avvecklingslista"])
        #expect(reread.checklists.allSatisfy { !$0.isOpen })
        #expect(reread.checklists[0].item("arbetsgrupp")?.tickedBy == "sara")
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func aHandOverRewritesTheCaseRowAndKeepsOneChain(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await makeStore(place)
        let opened = try await store.openCase(workflow: "vgr-rutinuppfoljning", owner: "sara",
                                              fields: ["vardgivare": .string("Hälsa Väst AB"), "enhet": .string("VC Angered")],
                                              actor: officer)
        _ = try await store.applyEvent(caseID: opened.id, event: "avvikelseUpptackt", payload: ["beskrivning": .string("Fel")],
                                       reason: nil, actor: officer)
        let handed = try await store.applyEvent(caseID: opened.id, event: "overlamnaTillFordjupad",
                                                payload: ["fragestallning": .string("Fakturering?")], reason: "Allvarligt",
                                                actor: Actor(name: "tove", role: "teamledare"))
        #expect(handed.workflow == WorkflowKey(name: "vgr-fordjupad-uppfoljning", version: 3))
        let row = try await place.firstRow("SELECT workflow, CAST(workflow_version AS TEXT), state FROM cases WHERE id = '\(opened.id)'")
        #expect(row == ["vgr-fordjupad-uppfoljning", "3", handed.state])
        #expect(try await place.strings("SELECT id FROM cases").count == 1)
        // Reopened from disk the case decodes against its new workflow.
        #expect(try await makeStore(place).caseRecord(id: opened.id) == handed)
        #expect(try await store.verifyHistory(caseID: opened.id))
        #expect(try await store.history(caseID: opened.id).map(\.entry.event)
            == ["case.opened", "avvikelseUpptackt", "overlamnaTillFordjupad", "case.handedOver"])
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func aRefusedHandOverChangesNothing(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await makeStore(place)
        let opened = try await store.openCase(workflow: "vgr-rutinuppfoljning", owner: "sara",
                                              fields: ["vardgivare": .string("Hälsa Väst AB"), "enhet": .string("VC Angered")],
                                              actor: officer)
        await #expect(throws: StoreError.self) {
            try await store.applyEvent(caseID: opened.id, event: "overlamnaTillFordjupad",
                                       payload: ["fragestallning": .string("Fakturering?")], reason: nil,
                                       actor: Actor(name: "tove", role: "teamledare"))
        }
        #expect(try await store.caseRecord(id: opened.id) == opened)
        #expect(try await store.history(caseID: opened.id).count == 1)
        await place.close()
    }
}

/// A database written before checklists and links existed opens, migrates and keeps its cases.
@Suite struct ChecklistMigrationTests {
    @Test func aVersionTwoDatabaseGainsChecklistsAndLinksWithoutLosingACase() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("old.sqlite")
        // The database as the previous release left it: migrations v1 and v2 only, one Kalmar case.
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v2-deliveries")
        let columns = try await queue.read { try $0.columns(in: "cases").map(\.name) }
        #expect(!columns.contains("checklists"))
        // A case of the shipped Kalmar workflow, on the version the folder has (old databases keep their versions' texts).
        let kalmarVersion = try #require(try WorkflowLoader.loadDirectory(workflowsFolder).latest(named: "kalmar-sanktionstrappa")).version
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO cases (id, workflow, workflow_version, state, state_entered_at, state_entry, owner, fields,
                    deadlines, accruals, version, is_final, next_due_at, created_at, updated_at)
                VALUES ('gammalt', 'kalmar-sanktionstrappa', \(kalmarVersion), 'registrerad', 0, 1, 'anna',
                    '{"enhet":"VC Berga","listade":8000,"egenrapporterad":false,"ersattningInnehallen":false,"sanktionsniva":"ingen"}',
                    '[]', '[]', 1, 0, NULL, 0, 0)
                """)
        }
        try queue.close()

        let store = try CaseStore(path: path, catalog: try WorkflowLoader.loadDirectory(workflowsFolder), now: { local("2026-03-02T10:00") })
        let record = try await store.caseRecord(id: "gammalt")
        #expect(record.checklists.isEmpty)
        #expect(record.fields["listade"] == .integer(8000))
        #expect(try await store.links(caseID: "gammalt").isEmpty)
        // And it goes on: an event on the migrated row is written with its checklists column.
        let moved = try await store.applyEvent(caseID: "gammalt", event: "klassificera",
                                               payload: ["allvarlighetsgrad": .int(1), "avsteg": .int(1)], reason: nil,
                                               actor: Actor(name: "anna", role: "handlaggare"))
        #expect(moved.state == "gron")
        #expect(try await store.caseRecord(id: "gammalt") == moved)
    }
}
