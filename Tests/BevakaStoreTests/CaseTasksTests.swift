import BevakaCore
@testable import BevakaStore
import BevakaTestSupport
import Foundation
import GRDB
import Testing

/// The index of what falls on each role (`case_tasks`) on a real SQLite file: a role's
/// tasks are found however many cases fall due before them, and the index follows ticks,
/// closing and an upgrade from a database without it.
@Suite struct CaseTasksTests {
    let folder: TemporaryFolder
    let clock = ManualClock(local("2026-05-04T09:00"))
    let catalog: WorkflowCatalog
    let officer = Actor(name: "sara", role: "handlaggare")

    init() throws {
        folder = try TemporaryFolder()
        catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
    }

    func makeStore() throws -> CaseStore {
        let clock = self.clock
        return try CaseStore(path: folder.path("bevaka.sqlite"), catalog: catalog, now: { clock.now })
    }

    /// The store on `place`'s data (again: the file reopened, or another node).
    func open(_ place: StorePlace) async throws -> any CoreStore {
        let clock = self.clock
        return try await place.open(catalog, now: { clock.now })
    }

    @Test(arguments: StoreKind.allCases) func aRolesTasksAreFoundBehindEveryOtherDeadline(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        func rows(_ id: String) async throws -> [String] {
            try await place.strings("SELECT role || ' ' || item FROM case_tasks WHERE case_id = '\(id)' ORDER BY role, item")
        }
        // 30 Kalmar requests whose plan is due long before the closure's items.
        for number in 0..<30 {
            let id = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "sara",
                                              fields: ["enhet": .string("VC \(number)"), "listade": .int(6000)], actor: officer).id
            _ = try await store.applyEvent(caseID: id, event: "klassificera", payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(3)],
                                           reason: nil, actor: officer)
            _ = try await store.applyEvent(caseID: id, event: "skickaBegaranOmRattelse",
                                           payload: ["begaranSkickad": .string("2026-05-04"), "planSenast": .string("2026-05-08")],
                                           reason: nil, actor: officer)
            #expect(try await rows(id) == ["verksamhetschef handlingsplan"])
        }
        let closure = try await store.openCase(workflow: "vgr-plotsligt-avslut", owner: "sara",
                                               fields: ["vardgivare": .string("Hälsa Väst AB"), "enhet": .string("VC Angered")], actor: officer).id
        #expect(try await store.casesWithTasks(roles: ["ekonomi"], limit: 5).isEmpty)
        _ = try await store.applyEvent(caseID: closure, event: "forutsettAvslut", payload: ["namndmote": .string("2026-06-11")],
                                       reason: nil, actor: officer)
        // Finance and communications share the patient letter; only the closure has it.
        #expect(try await rows(closure).contains("ekonomi forberedelser/patientbrev"))
        #expect(try await rows(closure).contains("kommunikation forberedelser/patientbrev"))
        #expect(try await store.casesWithTasks(roles: ["ekonomi"], limit: 5).map(\.id) == [closure])
        #expect(try await store.casesWithTasks(roles: ["ekonomi", "kommunikation", "regionjurist"], limit: 50).map(\.id) == [closure])
        // The case officer's first five: by the soonest item, the closure's arbetsgrupp (due 14 May) first.
        let officers = try await store.casesWithTasks(roles: ["handlaggare"], limit: 5)
        #expect(officers.first?.id == closure)

        // A ticked item leaves; the rest stay.
        _ = try await store.applyEvent(caseID: closure, event: checklistTickEvent,
                                       payload: ["checklist": .string("forberedelser"), "item": .string("patientbrev")],
                                       reason: nil, actor: Actor(name: "eva", role: "ekonomi"))
        #expect(!(try await rows(closure).contains { $0.hasSuffix("patientbrev") }))
        #expect(try await store.casesWithTasks(roles: ["ekonomi"], limit: 5).isEmpty)
        #expect(try await rows(closure).contains("regionjurist forberedelser/havningsdokument"))

        #expect(try await open(place).casesWithTasks(roles: ["handlaggare"], limit: 5).map(\.id) == officers.map(\.id))
        guard kind == .sqlite else { return await place.close() }
        // A store opened on a database whose index is missing (as after the migration) fills it.
        let before = try await rows(closure)
        let queue = try DatabaseQueue(path: folder.path("bevaka.sqlite"))
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM case_tasks; INSERT INTO pending_backfills (name) VALUES ('case_tasks')")
        }
        try queue.close()
        let reopened = try makeStore()
        #expect(try await rows(closure) == before)
        #expect(try await reopened.casesWithTasks(roles: ["handlaggare"], limit: 5).map(\.id) == officers.map(\.id))
        await place.close()
    }

    /// A person's cases: owned, or naming them among the case's people, through the
    /// `case_parties` index, which follows a reassignment and a change of people.
    @Test(arguments: StoreKind.allCases) func aPersonsCasesFollowOwnerAndPeople(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        func mine(_ who: String) async throws -> [String] {
            var filter = CaseFilter()
            filter.ownedBy = [who]
            return try await store.listCases(filter, after: nil, limit: 10).map(\.id)
        }
        let first = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "sara", fields: ["enhet": .string("VC Berga"), "listade": .int(6000)],
                                             people: ["verksamhetschef": .array([.object(["name": .string("Vera Chef"),
                                                                                          "email": .string("vera@vc.example")])])],
                                             actor: officer).id
        let second = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "olle", fields: ["enhet": .string("VC Berga"), "listade": .int(6000)], actor: officer).id
        #expect(try await mine("sara") == [first])
        #expect(try await mine("vera@vc.example") == [first])
        #expect(try await mine("olle") == [second])

        _ = try await store.applyEvent(caseID: second, event: casePeopleEvent,
                                       payload: ["role": .string("verksamhetschef"),
                                                 "people": .array([.object(["name": .string("Vera Chef"), "email": .string("vera@vc.example")])])],
                                       reason: nil, actor: officer)
        #expect(Set(try await mine("vera@vc.example")) == [first, second])
        _ = try await store.applyEvent(caseID: first, event: casePeopleEvent,
                                       payload: ["role": .string("verksamhetschef"), "people": .array([])], reason: nil, actor: officer)
        #expect(try await mine("vera@vc.example") == [second])
        _ = try await store.applyEvent(caseID: first, event: caseReassignEvent, payload: ["owner": .string("olle")],
                                       reason: "Sara går på semester", actor: officer)
        #expect(try await mine("sara").isEmpty)
        #expect(Set(try await mine("olle")) == [first, second])
        // What someone without the workflow's roles may see: the same index.
        var visible = CaseFilter()
        visible.visible = (workflows: [], owners: ["vera@vc.example"])
        #expect(try await store.listCases(visible, after: nil, limit: 10).map(\.id) == [second])
        await place.close()
    }
}
