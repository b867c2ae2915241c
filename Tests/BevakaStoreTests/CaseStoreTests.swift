import BevakaCore
import BevakaTestSupport
import BevakaStore
import Foundation
import GRDB
import Testing

/// The store on a real SQLite file: transactions, history chain, timers, group commit.
@Suite struct CaseStoreTests {
    let folder: TemporaryFolder
    let clock = ManualClock(local("2026-01-12T09:00"))
    let catalog: WorkflowCatalog

    init() throws {
        folder = try TemporaryFolder()
        catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
    }

    func makeStore() throws -> CaseStore {
        let clock = self.clock
        return try CaseStore(path: folder.path("bevaka.sqlite"), catalog: catalog, now: { clock.now })
    }

    /// A store on `place`'s data (a second call: the file reopened, or another node).
    func open(_ place: StorePlace) async throws -> any CoreStore {
        let clock = self.clock
        return try await place.open(catalog, now: { clock.now })
    }

    func openKalmar(_ store: any CoreStore, unit: String = "VC Berga", listed: Int = 8000) async throws -> CaseRecord {
        try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna",
                                 fields: ["enhet": .string(unit), "listade": .int(listed)], actor: officer)
    }

    /// Classifies a case yellow and sends the request for correction on 2026-01-15.
    func requestPlan(_ store: any CoreStore, _ id: String, due: String) async throws -> CaseRecord {
        _ = try await store.applyEvent(caseID: id, event: "klassificera",
                                       payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(3)], reason: nil, actor: officer)
        clock.set(local("2026-01-15T10:00"))
        return try await store.applyEvent(caseID: id, event: "skickaBegaranOmRattelse",
                                          payload: ["begaranSkickad": .string("2026-01-15"), "planSenast": .string(due)],
                                          reason: nil, actor: officer)
    }

    func count(_ table: String, _ store: String) throws -> Int {
        let queue = try DatabaseQueue(path: store)
        return try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    @Test(arguments: StoreKind.allCases) func aTransitionAndItsEffectsAreOneTransaction(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let opened = try await openKalmar(store)
        let waiting = try await requestPlan(store, opened.id, due: "2026-02-16")
        #expect(waiting.state == "vantarHandlingsplan")
        #expect(waiting.version == 3)
        // Reopen from disk: everything is there.
        let reread = try await open(place).caseRecord(id: opened.id)
        #expect(reread == waiting)
        #expect(try await store.history(caseID: opened.id).map(\.entry.event) == ["case.opened", "klassificera", "skickaBegaranOmRattelse"])
        #expect(try await store.notifications(caseID: opened.id).map(\.type) == ["case.correction.requested"])
        #expect(try await store.pendingTimerCount() == 3)  // two reminders and the expiry
        if kind == .sqlite { #expect(try count("timers", folder.path("bevaka.sqlite")) == 3) }
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func aRefusedRequestChangesNothing(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let opened = try await openKalmar(store)
        await #expect(throws: StoreError.self) {
            try await store.applyEvent(caseID: opened.id, event: "klassificera", payload: ["allvarlighetsgrad": .int(9)],
                                       reason: nil, actor: officer)
        }
        await #expect(throws: StoreError.self) {
            try await store.applyEvent(caseID: opened.id, event: "havaAvtalet", payload: [:], reason: "x", actor: officer)
        }
        await #expect(throws: StoreError.self) {
            try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna", fields: ["listade": .int(-1)], actor: officer)
        }
        #expect(try await store.caseRecord(id: opened.id) == opened)
        #expect(try await store.history(caseID: opened.id).count == 1)
        if kind == .sqlite { #expect(try count("cases", folder.path("bevaka.sqlite")) == 1) }
        await #expect(throws: StoreError.self) { try await store.caseRecord(id: "nope") }
        #expect(try await store.pendingTimerCount() == 0)
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func historyIsAHashChainThatRefusesEdits(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let opened = try await openKalmar(store)
        _ = try await store.applyEvent(caseID: opened.id, event: "klassificera",
                                       payload: ["allvarlighetsgrad": .int(1), "avsteg": .int(1)], reason: nil, actor: officer)
        let history = try await store.history(caseID: opened.id)
        #expect(history[1].previousHash == history[0].hash)
        #expect(try await store.verifyHistory(caseID: opened.id))
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: folder.path("bevaka.sqlite"))
            await #expect(throws: DatabaseError.self) {
                try await queue.write { try $0.execute(sql: "UPDATE history SET actor = 'mallory' WHERE seq = 1") }
            }
            // Someone who removes the guard and edits a row still cannot hide it.
            try await queue.write { db in
                try db.execute(sql: "DROP TRIGGER history_is_append_only_update")
                try db.execute(sql: "UPDATE history SET actor = 'mallory' WHERE seq = 1")
            }
        case .postgres:
            for refused in ["UPDATE history SET actor = 'mallory' WHERE seq = 1", "DELETE FROM history WHERE seq = 2", "TRUNCATE history CASCADE"] {
                await #expect(throws: (any Error).self) { try await place.execute(refused) }
            }
            try await place.execute("DROP TRIGGER history_is_append_only ON history")
            try await place.execute("UPDATE history SET actor = 'mallory' WHERE seq = 1")
        }
        #expect(try await store.verifyHistory(caseID: opened.id) == false)
        await place.close()
    }

    /// A snapshot (the case before a change, for a registration that took effect earlier) is
    /// dropped once it is past its retention, by the next change after that, on both stores.
    @Test(arguments: StoreKind.allCases) func snapshotsPastTheirRetentionAreDropped(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let opened = try await openKalmar(store)
        func snapshots() async throws -> [String] {
            try await place.strings("SELECT CAST(first_seq AS TEXT) FROM case_snapshots WHERE id = '\(opened.id)' ORDER BY first_seq")
        }
        _ = try await store.applyEvent(caseID: opened.id, event: "uppdateraListade", payload: ["listade": .int(7000)], reason: nil, actor: officer)
        #expect(try await snapshots() == ["2"])
        clock.set(clock.now.addingTimeInterval(SnapshotPruning.retention + 86_400))
        _ = try await store.applyEvent(caseID: opened.id, event: "uppdateraListade", payload: ["listade": .int(7100)], reason: nil, actor: officer)
        #expect(try await snapshots() == ["3"])
        await place.close()
    }

    /// On PostgreSQL the requests are spread over two nodes.
    @Test(arguments: StoreKind.allCases) func concurrentRequestsAreAllCommittedWithSequentialVersions(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let nodes = kind == .postgres ? [store, try await open(place)] : [store]
        let opened = try await openKalmar(store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<100 {
                let store = nodes[i % nodes.count]
                group.addTask {
                    _ = try await store.applyEvent(caseID: opened.id, event: "uppdateraListade", payload: ["listade": .int(1000 + i)],
                                                   reason: nil, actor: officer)
                }
            }
            try await group.waitForAll()
        }
        let record = try await store.caseRecord(id: opened.id)
        #expect(record.version == 101)
        let history = try await store.history(caseID: opened.id)
        #expect(history.map(\.seq) == Array(1...101))
        #expect(try await store.verifyHistory(caseID: opened.id))
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func aTimerFiresExactlyOnceAndAStaleOneIsDropped(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let opened = try await openKalmar(store)
        _ = try await requestPlan(store, opened.id, due: "2026-02-16")
        let timers = try await store.earliestTimers(dueBefore: local("2026-12-31T00:00"), limit: 10)
        #expect(timers.map(\.dueAt) == [local("2026-02-09T17:00"), local("2026-02-15T17:00"), local("2026-02-16T17:00")])
        clock.set(local("2026-02-09T17:00"))
        #expect(try await store.fireTimer(id: timers[0].id) == .fired(caseID: opened.id))
        #expect(try await store.fireTimer(id: timers[0].id) == .missing)
        // The plan arrives: the case leaves the state, so the remaining timers are cancelled.
        clock.set(local("2026-02-10T10:00"))
        _ = try await store.applyEvent(caseID: opened.id, event: "handlingsplanInkommen", payload: [:], reason: nil, actor: officer)
        #expect(try await store.fireTimer(id: timers[2].id) == .missing)
        #expect(try await store.history(caseID: opened.id).filter { $0.entry.event.hasPrefix("deadline.") }.count == 1)
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func dueTimersFireInDueOrderIncludingOnesScheduledInThePast(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        var ids: [String] = []
        // Plans due on different days, requested in reverse order.
        for (unit, due) in [("A", "2026-03-03"), ("B", "2026-03-02"), ("C", "2026-03-01")] {
            let opened = try await openKalmar(store, unit: unit)
            _ = try await requestPlan(store, opened.id, due: due)
            ids.append(opened.id)
        }
        // The daemon was "down" until April: everything fires, earliest first.
        clock.set(local("2026-04-01T08:00"))
        let fired = try await store.fireDueTimers(upTo: clock.now)
        #expect(fired == 9)
        var expiries: [(Date, String)] = []
        for id in ids {
            for record in try await store.history(caseID: id) where record.entry.event == "deadline.expired" {
                expiries.append((record.entry.at, id))
            }
            #expect(try await store.caseRecord(id: id).fields["sanktionsniva"] == .string("gul"))
        }
        #expect(expiries.count == 3)
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func twoSanctionsOnOneUnitAddUpAndOnlyTheApprovedOneEnds(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        var ids: [String] = []
        for _ in 0..<2 {
            let opened = try await openKalmar(store, unit: "VC Berga", listed: 1000)
            _ = try await store.applyEvent(caseID: opened.id, event: "klassificera",
                                           payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(2)], reason: nil, actor: officer)
            _ = try await store.applyEvent(caseID: opened.id, event: "direktSanktion",
                                           payload: ["begaranSkickad": .string("2026-01-01"), "planSenast": .string("2026-01-31")],
                                           reason: "allvarliga brister", actor: decider)
            _ = try await store.applyEvent(caseID: opened.id, event: "handlingsplanInkommen", payload: [:], reason: nil, actor: officer)
            _ = try await store.applyEvent(caseID: opened.id, event: "godkannHandlingsplan",
                                           payload: ["uppfoljningSenast": .string("2026-02-28")], reason: nil, actor: decider)
            ids.append(opened.id)
        }
        clock.set(local("2026-03-01T10:00"))
        _ = try await store.applyEvent(caseID: ids[0], event: "godkannUppfoljning", payload: [:], reason: nil, actor: decider)
        let definition = try #require(catalog.latest(named: "kalmar-sanktionstrappa"))
        let asOf = LocalDate(iso: "2026-03-31")!
        let approved = Ledger.monthly(try await store.segments(caseID: ids[0]), asOf: asOf, workflow: definition)
        let running = Ledger.monthly(try await store.segments(caseID: ids[1]), asOf: asOf, workflow: definition)
        // 3 kr × 1000 listed: January and February for the approved one; March too for the other.
        #expect(approved.map(\.amount) == [3000, 3000])
        #expect(running.map(\.amount) == [3000, 3000, 3000])
        #expect(try await store.caseRecord(id: ids[0]).state == "avslutad")
        await place.close()
    }

    /// A clock with sub-millisecond precision (as in production): a deadline
    /// read back from SQLite must still match its timer, or it would be dropped as stale.
    @Test func aTimerMatchesItsDeadlineAfterASQLiteRoundTrip() async throws {
        defer { folder.cleanup() }
        let workflows = folder.url.appendingPathComponent("wf")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try """
        workflow: quick
        version: 1
        title: Quick
        roles: { officer: Officer }
        fields: { name: { type: string } }
        events: { expire: {} }
        states:
          waiting:
            initial: true
            deadlines:
              soon: { after: PT3S, raises: expire }
            on: { expire: expired }
          expired: { final: true }
        """.write(to: workflows.appendingPathComponent("quick.yaml"), atomically: true, encoding: .utf8)
        clock.set(Date(timeIntervalSince1970: 1_795_380_923.829_002_4))
        let clock = self.clock
        let store = try CaseStore(path: folder.path("ms.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflows.path),
                                  now: { clock.now })
        let opened = try await store.openCase(workflow: "quick", owner: "o", fields: [:], actor: Actor(name: "o", role: "officer"))
        let timer = try #require(try await store.earliestTimers(dueBefore: .distantFuture, limit: 1).first)
        clock.set(clock.now.addingTimeInterval(3.000_7))
        #expect(try await store.fireTimer(id: timer.id) == .fired(caseID: opened.id))
        #expect(try await store.caseRecord(id: opened.id).state == "expired")
    }

    /// Case ids are UUIDs of version 7: in opening order, so that openings append to the
    /// same pages of every index that names a case instead of each landing on its own.
    @Test func caseIDsAreTimeOrderedUUIDs() async throws {
        let store = try makeStore()
        var ids: [String] = []
        for _ in 0..<5 {
            ids.append(try await openKalmar(store).id)
            clock.set(clock.now.addingTimeInterval(0.002))
        }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let uuid = try #require(UUID(uuidString: id))
            #expect(uuid.uuidString.lowercased() == id)
            #expect(Array(id)[14] == "7", "version 7: \(id)")
            #expect("89ab".contains(Array(id)[19]), "variant 10: \(id)")
        }
        // The first 48 bits are the opening's Unix time in milliseconds.
        let first = ids[0].replacingOccurrences(of: "-", with: "").prefix(12)
        #expect(UInt64(first, radix: 16) == UInt64(local("2026-01-12T09:00").timeIntervalSince1970 * 1000))
    }

    /// The writer never checkpoints inside a commit (wal_autocheckpoint is 0 on its
    /// connection); the Checkpointer copies the log into the database file beside it.
    /// Without it the file would keep its first size and the log would grow for ever.
    @Test func theLogIsCopiedIntoTheDatabaseFileBesideTheWriter() async throws {
        let store = try makeStore()
        let path = folder.path("bevaka.sqlite")
        let autocheckpoint = try await DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(autocheckpoint == 1000, "a fresh connection keeps SQLite's default")
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        for _ in 0..<300 { _ = try await openKalmar(store) }
        var after = before
        for _ in 0..<100 where after < before + 100_000 {
            try await Task.sleep(for: .milliseconds(20))
            after = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        }
        #expect(after >= before + 100_000, "the database file grew from \(before) to only \(after) bytes")
    }
}

/// Versions: a case stays on the version it started with; a version cannot change under it.
@Suite struct WorkflowVersionTests {
    static let v1 = """
    workflow: tiny
    version: 1
    title: Tiny
    roles: { officer: Officer }
    fields: { note: { type: string } }
    events: { close: { roles: [officer] } }
    states:
      open: { initial: true, on: { close: closed } }
      closed: { final: true }

    """

    /// Another workflow, for a folder from which tiny's file is gone.
    static let other = v1.replacingOccurrences(of: "workflow: tiny", with: "workflow: other")

    static let v2 = v1.replacingOccurrences(of: "version: 1", with: "version: 2")
        .replacingOccurrences(of: "events: { close: { roles: [officer] } }", with: "events: { close: { roles: [officer] }, reopen: { roles: [officer] } }")
        .replacingOccurrences(of: "closed: { final: true }", with: "closed: { on: { reopen: open } }\n  archived: { final: true }")
        .replacingOccurrences(of: "open: { initial: true, on: { close: closed } }", with: "open: { initial: true, on: { close: closed, reopen: archived } }")

    func catalog(_ files: [String: String], in folder: TemporaryFolder) throws -> WorkflowCatalog {
        let url = folder.url.appendingPathComponent("wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return try WorkflowLoader.loadDirectory(url.path)
    }

    @Test func aCaseStaysOnItsVersionAfterTheFileIsReplaced() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("v.sqlite")
        let officer = Actor(name: "o", role: "officer")
        let old = try await CaseStore(path: path, catalog: try catalog(["tiny.yaml": Self.v1], in: folder))
            .openCase(workflow: "tiny", owner: "o", fields: [:], actor: officer)
        // The folder now holds only version 2: the store still knows version 1.
        let store = try CaseStore(path: path, catalog: try catalog(["tiny.yaml": Self.v2], in: folder))
        let new = try await store.openCase(workflow: "tiny", owner: "o", fields: [:], actor: officer)
        #expect(new.workflow.version == 2)
        #expect(try await store.caseRecord(id: old.id).workflow.version == 1)
        await #expect(throws: StoreError.self) {
            try await store.applyEvent(caseID: old.id, event: "reopen", payload: [:], reason: nil, actor: officer)
        }
        let closed = try await store.applyEvent(caseID: old.id, event: "close", payload: [:], reason: nil, actor: officer)
        #expect(closed.state == "closed")
        #expect(store.catalog.definition(WorkflowKey(name: "tiny", version: 1))?.sourcePath == "database:tiny@1")
    }

    @Test func aVersionWhoseRulesChangedIsRefusedButCommentsAndTitlesMayChange() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("v.sqlite")
        let officer = Actor(name: "o", role: "officer")
        let running = try await CaseStore(path: path, catalog: try catalog(["tiny.yaml": Self.v1], in: folder))
            .openCase(workflow: "tiny", owner: "o", fields: [:], actor: officer)
        _ = try CaseStore(path: path, catalog: try catalog(["tiny.yaml": "# a comment\n" + Self.v1], in: folder))
        // Issue 10: a typo fixed in a title stopped the daemon from starting.
        let retitled = Self.v1.replacingOccurrences(of: "title: Tiny", with: "title: Tiny, rättad")
            .replacingOccurrences(of: "fields: { note: { type: string } }", with: "fields: { note: { type: string, title: Anteckning } }")
        _ = try CaseStore(path: path, catalog: try catalog(["tiny.yaml": retitled], in: folder))
        // The stored version now has the new words: with the file gone, its running case still shows them.
        let kept = try CaseStore(path: path, catalog: try catalog(["other.yaml": Self.other], in: folder))
        #expect(kept.catalog.definition(WorkflowKey(name: "tiny", version: 1))?.title == "Tiny, rättad")
        #expect(try await kept.caseRecord(id: running.id).workflow.version == 1)
        for edited in [Self.v1.replacingOccurrences(of: "roles: [officer]", with: "roles: []"),
                       Self.v1.replacingOccurrences(of: "note: { type: string }", with: "note: { type: integer }")] {
            #expect(edited != Self.v1)
            #expect {
                _ = try CaseStore(path: path, catalog: try catalog(["tiny.yaml": edited], in: folder))
            } throws: { error in
                guard case StoreError.workflowChanged(let key, _) = error else { return false }
                return key == WorkflowKey(name: "tiny", version: 1)
            }
        }
    }

    /// Issue 13: marking a date as a booked meeting is how calendars show it, not a rule of how
    /// a case moves, so the shipped workflows took `meeting: true` without a new version.
    @Test func markingAMeetingNeedsNoNewVersion() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("m.sqlite")
        let plain = Self.v1.replacingOccurrences(of: "fields: { note: { type: string } }",
                                                 with: "fields: { note: { type: string }, visit: { type: date } }")
        let running = try await CaseStore(path: path, catalog: try catalog(["tiny.yaml": plain], in: folder))
            .openCase(workflow: "tiny", owner: "o", fields: [:], actor: Actor(name: "o", role: "officer"))
        let marked = plain.replacingOccurrences(of: "visit: { type: date }", with: "visit: { type: date, meeting: true }")
        let store = try CaseStore(path: path, catalog: try catalog(["tiny.yaml": marked], in: folder))
        #expect(store.catalog.definition(WorkflowKey(name: "tiny", version: 1))?.field("visit")?.meeting == true)
        #expect(try await store.caseRecord(id: running.id).workflow.version == 1)
        // The date made an instant is a rule, and refused as ever.
        let retyped = marked.replacingOccurrences(of: "visit: { type: date, meeting: true }", with: "visit: { type: datetime, meeting: true }")
        #expect {
            _ = try CaseStore(path: path, catalog: try catalog(["tiny.yaml": retyped], in: folder))
        } throws: { error in
            guard case StoreError.workflowChanged(let key, _) = error else { return false }
            return key == WorkflowKey(name: "tiny", version: 1)
        }
    }

    /// Issue 10: a workflow whose file was removed kept opening new cases from the copy in the database.
    @Test func aWorkflowWhoseFileIsGoneServesItsCasesButOpensNoNewOnes() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("v.sqlite")
        let officer = Actor(name: "o", role: "officer")
        let running = try await CaseStore(path: path, catalog: try catalog(["tiny.yaml": Self.v1], in: folder))
            .openCase(workflow: "tiny", owner: "o", fields: [:], actor: officer)
        let store = try CaseStore(path: path, catalog: try catalog(["other.yaml": Self.other], in: folder))
        await #expect {
            try await store.openCase(workflow: "tiny", owner: "o", fields: [:], actor: officer)
        } throws: { error in
            guard case StoreError.unknownWorkflow("tiny", let known) = error else { return false }
            return known == ["other"]
        }
        let closed = try await store.applyEvent(caseID: running.id, event: "close", payload: [:], reason: nil, actor: officer)
        #expect(closed.state == "closed")
    }
}
