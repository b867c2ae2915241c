import BevakaCore
import Foundation
import Testing

// Hand-over of a case into another workflow (`handOver:`), a branch that needs
// a reason (`reason: required`), a linked case (`opens:`), and the loader's
// checks across the files of one folder.

private func local(_ text: String) -> Date { Scenario.localInstant(text)! }

private func at17(_ iso: String) -> Date {
    SwedishCalendar().instant(on: LocalDate(iso: iso)!, at: LocalTime(hour: 17, minute: 0))
}

private let sara = Actor(name: "sara", role: "handlaggare")

/// Workflow A. Line numbers matter: the folder tests expect diagnostics at
/// line 39 column 29 (`fordjupa`'s handOver), line 42 column 16 (`indikera`'s
/// opens) and line 46 column 27 (`direkt`'s handOver).
private let routineYAML = """
workflow: vgr-rutin
version: 1
title: Rutinuppföljning
roles:
  handlaggare: Handläggare
fields:
  vardgivare: { type: string, required: true }
  enhet: { type: string, required: true }
  beskrivning: { type: string }
  poang: { type: integer, atOpening: true }
  vite: { type: decimal }
  viteFran: { type: date }
events:
  steg:
    roles: [handlaggare]
    payload: { poang: optional }
  fordjupa: { roles: [handlaggare] }
  direkt: { roles: [handlaggare] }
  sattVite:
    roles: [handlaggare]
    payload: { vite: required, viteFran: required }
  indikera: { roles: [handlaggare] }
  avsluta: { roles: [handlaggare] }
checklists:
  uppfoljning:
    items:
      - id: besok
        title: "Besök hos vårdgivaren"
        roles: [handlaggare]
        due: P7D
states:
  granskning:
    initial: true
    checklists: [uppfoljning]
    on:
      steg:
        - { if: "poang >= 10", to: avslutad, reason: required }
        - { to: dialog }
      fordjupa: { handOver: vgr-fordjupad }
      sattVite: {}
      indikera:
        opens: { workflow: vgr-fordjupad, relation: indikation, fields: { vardgivare: "vardgivare", enhet: "enhet", beskrivning: "'Indikation från rutinuppföljningen'" } }
      avsluta: avslutad
  dialog:
    on:
      direkt: { handOver: { workflow: vgr-fordjupad, state: beslut } }
      avsluta: avslutad
  avslutad:
    final: true
accruals:
  vitet:
    when: "isSet(vite)"
    from: viteFran
    rate: "vite"
    per: month
    proration: days
    onRateChange: replace

"""

/// Workflow B: shares vardgivare, enhet and beskrivning with A (same types), adds a
/// required `risk` with a default; its initial state holds a deadline and opens a checklist.
private let inDepthYAML = """
workflow: vgr-fordjupad
version: 1
title: Fördjupad uppföljning
roles:
  handlaggare: Handläggare
fields:
  vardgivare: { type: string, required: true }
  enhet: { type: string, required: true }
  beskrivning: { type: string }
  risk: { type: enum, values: [lag, hog], required: true, default: lag }
events:
  klar: { roles: [handlaggare] }
  utredningstidSlut: {}
checklists:
  fordjupning:
    items:
      - id: plan
        title: "Plan för fördjupningen"
        roles: [handlaggare]
        due: P1D
states:
  utredning:
    initial: true
    checklists: [fordjupning]
    deadlines:
      utredningstid:
        after: "10 working days"
        notify: [{ to: [owner] }]
        raises: utredningstidSlut
    on:
      klar: beslut
      utredningstidSlut: beslut
  beslut:
    on:
      klar: avslutad
  avslutad:
    final: true

"""

private func definition(_ yaml: String, _ path: String) throws(WorkflowLoadErrors) -> WorkflowDefinition {
    try WorkflowLoader.load(yaml: yaml, path: path)
}

/// Writes `files` into a fresh folder, loads it, and returns the diagnostics as
/// `FILENAME:line:column: message` (the folder's path left out).
private func folderDiagnostics(_ files: [String: String]) throws -> [String] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-handover-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (name, text) in files {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    do {
        _ = try WorkflowLoader.loadDirectory(folder.path)
        return []
    } catch {
        return error.diagnostics.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line):\($0.column): \($0.message)" }
    }
}

@Suite struct HandOverTests {
    let routine: WorkflowDefinition
    let inDepth: WorkflowDefinition

    init() throws {
        routine = try definition(routineYAML, "vgr-rutin.yaml")
        inDepth = try definition(inDepthYAML, "vgr-fordjupad.yaml")
    }

    /// A case opened Monday 2026-03-02 09:00 with a field B does not declare (`poang`).
    func opened() throws -> CaseRecord {
        try Engine(workflow: routine).open(
            id: "c1", owner: "sara",
            fields: ["vardgivare": .string("Vårdcentralen Berga"), "enhet": .string("Berga"),
                     "beskrivning": .string("Brister i journalföringen"), "poang": .int(3)],
            now: local("2026-03-02T09:00"), actor: sara).record
    }

    // MARK: The definition

    @Test func theLoaderReadsHandOverOpensAndBranchReasons() throws {
        let granskning = try #require(routine.state("granskning"))
        let fordjupa = try #require(granskning.transitions["fordjupa"]?.first)
        #expect(fordjupa.target == nil)
        #expect(fordjupa.handOver?.workflow == "vgr-fordjupad")
        #expect(fordjupa.handOver?.state == nil)
        #expect(fordjupa.handOver?.line == 39)
        #expect(fordjupa.handOver?.column == 29)
        let direkt = try #require(routine.state("dialog")?.transitions["direkt"]?.first)
        #expect(direkt.handOver?.workflow == "vgr-fordjupad")
        #expect(direkt.handOver?.state == "beslut")
        let steg = try #require(granskning.transitions["steg"])
        #expect(steg.map(\.reason) == [EventDefinition.ReasonRequirement.required, EventDefinition.ReasonRequirement.none])
        #expect(steg.map(\.target) == ["avslutad", "dialog"])
        let opens = try #require(granskning.transitions["indikera"]?.first?.opens)
        #expect(opens.workflow == "vgr-fordjupad")
        #expect(opens.relation == "indikation")
        #expect(opens.fields.map(\.field) == ["vardgivare", "enhet", "beskrivning"])
        #expect(opens.line == 42)
        #expect(opens.column == 16)
    }

    // MARK: Handing over

    @Test func theSourceEngineOnlyAsksForTheHandOver() throws {
        let record = try opened()
        let transition = try Engine(workflow: routine).apply(event: "fordjupa", payload: [:], reason: nil, to: record,
                                                             now: local("2026-03-04T10:00"), actor: sara)
        #expect(transition.handOver?.workflow == "vgr-fordjupad")
        #expect(transition.handOver?.state == nil)
        #expect(transition.record.workflow == routine.key)
        #expect(transition.record.state == "granskning")
        #expect(transition.record.stateEntry == record.stateEntry)
        #expect(transition.record.fields == record.fields)
        #expect(transition.history.map(\.event) == ["fordjupa"])
        #expect(transition.effects.isEmpty)
    }

    @Test func theTargetEngineMovesTheCaseIntoItsInitialState() throws {
        let record = try opened()
        let now = local("2026-03-04T10:00")
        let asked = try Engine(workflow: routine).apply(event: "fordjupa", payload: [:], reason: nil, to: record, now: now, actor: sara)
        let moved = try Engine(workflow: inDepth).receive(asked, from: routine, now: now, actor: sara)

        #expect(moved.record.workflow == WorkflowKey(name: "vgr-fordjupad", version: 1))
        #expect(moved.record.workflow == inDepth.key)
        #expect(moved.record.id == "c1")
        #expect(moved.record.owner == "sara")
        #expect(moved.record.state == "utredning")
        #expect(moved.record.stateEntry == record.stateEntry + 1)
        #expect(moved.record.stateEnteredAt == now)
        #expect(moved.record.createdAt == record.createdAt)
        #expect(moved.handOver == nil)
        // Shared fields are kept, B's default fills `risk`, and `poang` (not in B) is gone from the case.
        #expect(moved.record.fields == [
            "vardgivare": .string("Vårdcentralen Berga"), "enhet": .string("Berga"),
            "beskrivning": .string("Brister i journalföringen"), "risk": .string("lag"),
        ])
        #expect(moved.record.fields["poang"] == nil)

        // Ten working days after Wednesday 4 March (no holidays in between) is Wednesday 18 March, 17:00.
        let due = at17("2026-03-18")
        #expect(moved.record.deadlines == [ActiveDeadline(name: "utredningstid", dueAt: due)])
        let planDue = at17("2026-03-05")
        #expect(moved.effects == [
            .cancelChecklistTimers(checklist: "uppfoljning"),
            .cancelTimers(deadline: nil),
            .scheduleTimer(TimerSpec(caseID: "c1", dueAt: due, deadline: "utredningstid", kind: .expiry,
                                     stateEntry: record.stateEntry + 1, deadlineDue: due)),
            .scheduleTimer(TimerSpec(caseID: "c1", dueAt: planDue, deadline: "fordjupning/plan", kind: .itemDue,
                                     stateEntry: 0, deadlineDue: planDue)),
        ])

        // A's checklist is closed, B's is open.
        #expect(moved.record.checklists.map(\.name) == ["uppfoljning", "fordjupning"])
        let old = try #require(moved.record.checklists.first { $0.name == "uppfoljning" })
        #expect(old.closedAt == now)
        #expect(old.closedBecause == "the case was handed over to vgr-fordjupad")
        let fresh = try #require(moved.record.checklists.first { $0.name == "fordjupning" })
        #expect(fresh.isOpen)
        #expect(fresh.items.map(\.id) == ["plan"])
        #expect(fresh.item("plan")?.dueAt == planDue)

        // History: the event, then the hand-over with the fields B does not carry.
        #expect(moved.history.map(\.event) == ["fordjupa", "case.handedOver"])
        #expect(moved.history[0] == asked.history[0])
        let entry = moved.history[1]
        #expect(entry.actor == "sara")
        #expect(entry.role == "handlaggare")
        #expect(entry.at == now)
        #expect(entry.fromState == "granskning")
        #expect(entry.toState == "utredning")
        #expect(entry.payload == .object([
            "fromWorkflow": .string("vgr-rutin@1"), "toWorkflow": .string("vgr-fordjupad@1"),
            "fieldsNotCarried": .object(["poang": .int(3)]),
        ]))
        #expect(entry.notes == [
            "checklist uppfoljning closed (the case was handed over to vgr-fordjupad) with 1 items not ticked",
            "handed over from vgr-rutin@1 state granskning to vgr-fordjupad@1 state utredning",
            "fields kept only in this entry: poang",
            "deadline utredningstid due 2026-03-18T16:00:00Z",
            "checklist fordjupning opened with 1 items",
        ])
    }

    @Test func aHandOverMayNameTheStateToEnter() throws {
        let routineEngine = Engine(workflow: routine)
        let dialog = try routineEngine.apply(event: "steg", payload: [:], reason: nil, to: try opened(),
                                             now: local("2026-03-03T10:00"), actor: sara).record
        #expect(dialog.state == "dialog")
        let now = local("2026-03-05T10:00")
        let asked = try routineEngine.apply(event: "direkt", payload: [:], reason: nil, to: dialog, now: now, actor: sara)
        #expect(asked.handOver?.state == "beslut")
        let moved = try Engine(workflow: inDepth).receive(asked, from: routine, now: now, actor: sara)
        #expect(moved.record.workflow == inDepth.key)
        #expect(moved.record.state == "beslut")
        #expect(moved.record.stateEntry == dialog.stateEntry + 1)
        #expect(moved.record.deadlines.isEmpty)
        // The checklist A opened in `granskning` was still open in `dialog`; it ends with the hand-over.
        #expect(moved.effects == [.cancelChecklistTimers(checklist: "uppfoljning"), .cancelTimers(deadline: nil)])
        #expect(moved.record.checklists.map(\.name) == ["uppfoljning"])
        #expect(moved.record.checklists.first?.isOpen == false)
        #expect(moved.history.last?.toState == "beslut")
        #expect(moved.history.last?.fromState == "dialog")
        // B's events now apply.
        let done = try Engine(workflow: inDepth).apply(event: "klar", payload: [:], reason: nil, to: moved.record,
                                                       now: local("2026-03-06T10:00"), actor: sara)
        #expect(done.record.state == "avslutad")
    }

    @Test func receivingATransitionWithoutHandOverChangesNothing() throws {
        let record = try opened()
        let plain = try Engine(workflow: routine).apply(event: "steg", payload: [:], reason: nil, to: record,
                                                        now: local("2026-03-03T10:00"), actor: sara)
        let same = try Engine(workflow: inDepth).receive(plain, from: routine, now: local("2026-03-03T10:00"), actor: sara)
        #expect(same.record == plain.record)
        #expect(same.record.workflow == routine.key)
        #expect(same.history == plain.history)
        #expect(same.effects == plain.effects)
    }

    // MARK: Refusals

    @Test func aRequiredFieldWithoutDefaultThatTheCaseLacksRefusesTheHandOver() throws {
        let stricter = try definition(
            inDepthYAML.replacingOccurrences(
                of: "  risk: { type: enum, values: [lag, hog], required: true, default: lag }\n",
                with: "  risk: { type: enum, values: [lag, hog], required: true, default: lag }\n  ansvarig: { type: string, required: true }\n"),
            "vgr-fordjupad.yaml")
        #expect(stricter.field("ansvarig")?.required == true)
        let now = local("2026-03-04T10:00")
        let asked = try Engine(workflow: routine).apply(event: "fordjupa", payload: [:], reason: nil, to: try opened(), now: now, actor: sara)
        #expect(throws: EngineError.handOverRefused(to: "vgr-fordjupad",
                                                    reasons: ["vgr-fordjupad@1 requires 'ansvarig', which the case does not hold"])) {
            try Engine(workflow: stricter).receive(asked, from: routine, now: now, actor: sara)
        }
    }

    @Test func aRunningAccrualRefusesTheHandOver() throws {
        let routineEngine = Engine(workflow: routine)
        let fined = try routineEngine.apply(event: "sattVite", payload: ["vite": .number(1.5), "viteFran": .string("2026-03-01")],
                                            reason: nil, to: try opened(), now: local("2026-03-03T10:00"), actor: sara).record
        #expect(fined.accruals.first?.isRunning == true)
        let now = local("2026-03-04T10:00")
        let asked = try routineEngine.apply(event: "fordjupa", payload: [:], reason: nil, to: fined, now: now, actor: sara)
        #expect(asked.handOver?.workflow == "vgr-fordjupad")
        #expect(throws: EngineError.handOverRefused(
            to: "vgr-fordjupad", reasons: ["accrual 'vitet' is running; it must end before the case leaves vgr-rutin@1"])) {
            try Engine(workflow: inDepth).receive(asked, from: routine, now: now, actor: sara)
        }
    }

    // MARK: A branch that needs a reason

    @Test func aBranchWithReasonRequiredRefusesWithoutAReason() throws {
        let record = try opened()
        let expected = EngineError.invalidInput([FieldProblem(
            field: "reason", problem: "'steg' to 'avslutad' skips a step and requires a reason, which is kept in the history")])
        #expect(throws: expected) {
            try Engine(workflow: routine).apply(event: "steg", payload: ["poang": .int(12)], reason: nil, to: record,
                                                now: local("2026-03-03T10:00"), actor: sara)
        }
        #expect(throws: expected) {
            try Engine(workflow: routine).apply(event: "steg", payload: ["poang": .int(12)], reason: "   ", to: record,
                                                now: local("2026-03-03T10:00"), actor: sara)
        }
    }

    @Test func aBranchWithReasonRequiredAcceptsAReasonAndKeepsIt() throws {
        let skipped = try Engine(workflow: routine).apply(event: "steg", payload: ["poang": .int(12)], reason: " Allvarliga brister ",
                                                          to: try opened(), now: local("2026-03-03T10:00"), actor: sara)
        #expect(skipped.record.state == "avslutad")
        #expect(skipped.history.first?.reason == "Allvarliga brister")
        #expect(skipped.history.first?.toState == "avslutad")
    }

    @Test func anotherBranchOfTheSameEventNeedsNoReason() throws {
        // poang 3 fails `poang >= 10`: the second branch, without `reason: required`, is taken.
        let next = try Engine(workflow: routine).apply(event: "steg", payload: ["poang": .int(3)], reason: nil,
                                                       to: try opened(), now: local("2026-03-03T10:00"), actor: sara)
        #expect(next.record.state == "dialog")
        #expect(next.history.first?.reason == nil)
    }

    // MARK: Opening a linked case

    @Test func opensAsksForALinkedCaseWithComputedFields() throws {
        let record = try opened()
        let transition = try Engine(workflow: routine).apply(event: "indikera", payload: [:], reason: nil, to: record,
                                                             now: local("2026-03-03T10:00"), actor: sara)
        #expect(transition.record.state == "granskning")
        #expect(transition.handOver == nil)
        let requests = transition.effects.compactMap { effect -> OpenCaseEffect? in
            if case .openCase(let request) = effect { return request }
            return nil
        }
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.workflow == "vgr-fordjupad")
        #expect(request.relation == "indikation")
        #expect(request.owner == "sara")
        #expect(request.fields == [
            "vardgivare": .string("Vårdcentralen Berga"), "enhet": .string("Berga"),
            "beskrivning": .string("Indikation från rutinuppföljningen"),
        ])
        #expect(transition.history.first?.notes.contains("opens a linked vgr-fordjupad case (indikation)") == true)
    }

    // MARK: The complete transition

    /// The catalog completes a transition with every engine it involves, so the store only writes.
    @Test func theCatalogCompletesAHandOverWithTheTargetEngine() throws {
        let record = try opened()
        let now = local("2026-03-04T10:00")
        let asked = try Engine(workflow: routine).apply(event: "fordjupa", payload: [:], reason: nil, to: record, now: now, actor: sara)
        let completed = try WorkflowCatalog([routine, inDepth]).complete(asked, from: routine, now: now, actor: sara, newCaseID: { "unused" })
        #expect(completed.definition.key == inDepth.key)
        #expect(completed.transition.record == (try Engine(workflow: inDepth).receive(asked, from: routine, now: now, actor: sara)).record)
        #expect(completed.linked.isEmpty)
        // Without the target workflow the hand-over is refused, naming it.
        #expect(throws: EngineError.handOverRefused(to: "vgr-fordjupad", reasons: ["no workflow named 'vgr-fordjupad' is loaded"])) {
            try WorkflowCatalog([routine]).complete(asked, from: routine, now: now, actor: sara, newCaseID: { "unused" })
        }
    }

    @Test func theCatalogOpensTheLinkedCaseWithItsOwnEngine() throws {
        let record = try opened()
        let now = local("2026-03-03T10:00")
        let transition = try Engine(workflow: routine).apply(event: "indikera", payload: [:], reason: nil, to: record, now: now, actor: sara)
        let completed = try WorkflowCatalog([routine, inDepth]).complete(transition, from: routine, now: now, actor: sara, newCaseID: { "c2" })
        #expect(completed.definition.key == routine.key)
        #expect(completed.transition.record == transition.record)
        #expect(completed.linked.count == 1)
        let linked = try #require(completed.linked.first)
        #expect(linked.relation == "indikation")
        #expect(linked.definition.key == inDepth.key)
        #expect(linked.transition.record.id == "c2")
        #expect(linked.transition.record.workflow == inDepth.key)
        #expect(linked.transition.record.fields["beskrivning"] == .string("Indikation från rutinuppföljningen"))
        #expect(linked.transition.history[0].actor == Actor.bevaka.name)
        #expect(linked.transition.history[0].notes.last == "opened from case c1 (\(routine.key)) as indikation")
        #expect(throws: EngineError.self) {
            try WorkflowCatalog([routine]).complete(transition, from: routine, now: now, actor: sara, newCaseID: { "c2" })
        }
    }

    // MARK: Loader checks in one file

    @Test func aTransitionCannotBothGoToAStateAndHandOver() {
        let yaml = routineYAML.replacingOccurrences(of: "      fordjupa: { handOver: vgr-fordjupad }",
                                                    with: "      fordjupa: { to: dialog, handOver: vgr-fordjupad }")
        #expect(throws: WorkflowLoadErrors.self) { try definition(yaml, "vgr-rutin.yaml") }
        do {
            _ = try definition(yaml, "vgr-rutin.yaml")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "vgr-rutin.yaml:39:23: a transition either goes 'to' a state or makes a 'handOver' to another workflow, not both",
            ])
        }
    }

    @Test func aTransitionsReasonCanOnlyBeRequired() {
        let yaml = routineYAML.replacingOccurrences(of: "        - { to: dialog }", with: "        - { to: dialog, reason: optional }")
        do {
            _ = try definition(yaml, "vgr-rutin.yaml")
            Issue.record("a transition with reason: optional was accepted")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "vgr-rutin.yaml:38:33: a transition's reason can only be 'required' (the event's own 'reason' sets optional)",
            ])
        }
    }

    // MARK: Loader checks across the folder

    @Test func aFolderWithBothWorkflowsLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-handover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try routineYAML.write(to: folder.appendingPathComponent("vgr-rutin.yaml"), atomically: true, encoding: .utf8)
        try inDepthYAML.write(to: folder.appendingPathComponent("vgr-fordjupad.yaml"), atomically: true, encoding: .utf8)
        let catalog = try WorkflowLoader.loadDirectory(folder.path)
        #expect(catalog.names == ["vgr-fordjupad", "vgr-rutin"])
        #expect(try folderDiagnostics(["vgr-rutin.yaml": routineYAML, "vgr-fordjupad.yaml": inDepthYAML]) == [])
    }

    @Test func aHandOverToAWorkflowNotInTheFolderIsReportedWhereItIsWritten() throws {
        let found = try folderDiagnostics(["vgr-rutin.yaml": routineYAML])
        #expect(Set(found) == [
            "vgr-rutin.yaml:39:29: workflow 'vgr-fordjupad' is not in this folder",
            "vgr-rutin.yaml:42:16: workflow 'vgr-fordjupad' is not in this folder",
            "vgr-rutin.yaml:46:27: workflow 'vgr-fordjupad' is not in this folder",
        ], "\(found)")
        #expect(found.count == 3, "\(found)")
    }

    @Test func aMisspelledWorkflowGetsAHint() throws {
        let yaml = routineYAML.replacingOccurrences(of: "      fordjupa: { handOver: vgr-fordjupad }",
                                                    with: "      fordjupa: { handOver: vgr-fordjuppad }")
        let found = try folderDiagnostics(["vgr-rutin.yaml": yaml, "vgr-fordjupad.yaml": inDepthYAML])
        #expect(found == ["vgr-rutin.yaml:39:29: workflow 'vgr-fordjuppad' is not in this folder (did you mean 'vgr-fordjupad'?)"],
                "\(found)")
    }

    @Test func aSharedFieldOfAnotherTypeIsReported() throws {
        let other = inDepthYAML.replacingOccurrences(of: "  enhet: { type: string, required: true }",
                                                     with: "  enhet: { type: integer, required: true }")
        let found = try folderDiagnostics(["vgr-rutin.yaml": routineYAML, "vgr-fordjupad.yaml": other])
        let message = "field 'enhet' is string here but integer in vgr-fordjupad@1, so a hand-over cannot keep it"
        #expect(found.contains("vgr-rutin.yaml:39:29: \(message)"), "\(found)")
        #expect(found.contains("vgr-rutin.yaml:46:27: \(message)"), "\(found)")
        // The linked case would get a string where B wants an integer.
        #expect(found.contains("vgr-rutin.yaml:42:16: 'enhet' is string but 'enhet' of vgr-fordjupad@1 is integer"), "\(found)")
        #expect(found.allSatisfy { $0.hasPrefix("vgr-rutin.yaml:") }, "\(found)")
        #expect(found.count == 3, "\(found)")
    }

    @Test func aHandOverStateMustExistAndNotBeFinal() throws {
        let missing = routineYAML.replacingOccurrences(of: "state: beslut }", with: "state: beslutt }")
        #expect(try folderDiagnostics(["vgr-rutin.yaml": missing, "vgr-fordjupad.yaml": inDepthYAML])
                == ["vgr-rutin.yaml:46:27: workflow vgr-fordjupad@1 has no state 'beslutt'"])
        let toFinal = routineYAML.replacingOccurrences(of: "state: beslut }", with: "state: avslutad }")
        #expect(try folderDiagnostics(["vgr-rutin.yaml": toFinal, "vgr-fordjupad.yaml": inDepthYAML])
                == ["vgr-rutin.yaml:46:27: state 'avslutad' of vgr-fordjupad@1 is final; a handed-over case must be able to go on"])
    }

    @Test func opensNamingAMissingFieldOrLeavingOutARequiredOneIsReported() throws {
        let yaml = routineYAML.replacingOccurrences(
            of: #"fields: { vardgivare: "vardgivare", enhet: "enhet", beskrivning: "'Indikation från rutinuppföljningen'" }"#,
            with: #"fields: { vardgivare: "vardgivare", okand: "enhet" }"#)
        #expect(yaml != routineYAML)
        let found = try folderDiagnostics(["vgr-rutin.yaml": yaml, "vgr-fordjupad.yaml": inDepthYAML])
        #expect(found == [
            "vgr-rutin.yaml:42:16: workflow vgr-fordjupad@1 has no field 'okand'",
            "vgr-rutin.yaml:42:16: the new vgr-fordjupad@1 case needs its required field 'enhet'",
        ], "\(found)")
    }
}
