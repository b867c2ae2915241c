import BevakaCore
import Foundation
import Testing

// Checklists in the engine: opening with a state, due instants from a date
// field or from the opening moment, groups that open on a condition, ticking,
// overdue reminders, `completes`, and closing.

private let calendar = SwedishCalendar()

/// A Europe/Stockholm wall-clock time `YYYY-MM-DDTHH:MM` as an instant.
private func local(_ text: String) -> Date { Scenario.localInstant(text)! }

/// 17:00 Stockholm time (the workflow's default `dueTime`) on a civil date.
private func at17(_ iso: String) -> Date { calendar.instant(on: LocalDate(iso: iso)!, at: LocalTime(hour: 17, minute: 0)) }

private let sara = Actor(name: "sara", role: "handlaggare")
private let jurist = Actor(name: "jon", role: "regionjurist")
private let chef = Actor(name: "eva", role: "enhetschef")
private let teamledare = Actor(name: "tove", role: "teamledare")

/// `infornamnd` counts from the date field `namndmote`; `avveckling` counts from
/// the moment it opens, has a group that opens when `enhetenStangs` holds,
/// reminders that slow down after two, and completes with `allaKlara`.
private let checklistWorkflowYAML = """
workflow: checklist-flow
version: 1
title: Checklistor
roles:
  handlaggare: Handläggare
  regionjurist: Regionjurist
  enhetschef: Enhetschef
  teamledare: Teamledare
fields:
  vardgivare: { type: string, required: true }
  namndmote: { type: date, atOpening: true }
  enhetenStangs: { type: boolean, default: false }
events:
  starta: { roles: [handlaggare] }
  avvecklas: { roles: [handlaggare] }
  flyttaMote:
    roles: [handlaggare]
    payload: { namndmote: required }
  enhetenStanger: { roles: [handlaggare] }
  allaKlara: {}
  avsluta: { roles: [handlaggare] }
checklists:
  infornamnd:
    title: "Inför nämndmötet"
    from: namndmote
    items:
      - id: underlag
        title: "Underlag till nämnden"
        roles: [handlaggare]
        due: "-P14D"
      - id: juristgranskning
        title: "Juristgranskning av beslutsförslaget"
        roles: [regionjurist]
        due: "-2 working days"
      - id: motet
        title: "Nämndmötet"
        roles: [handlaggare]
        due: P0D
      - id: protokoll
        title: "Protokollet skickas"
        roles: [handlaggare]
        due: P1D
  avveckling:
    title: "Checklista vid plötsligt avslut"
    tickRoles: [teamledare]
    remind: { every: P1D, times: 2, then: P7D }
    urgent: true
    template: checklista
    completes: allaKlara
    groups:
      omEnhetenStangs:
        title: "Om enheten stängs"
        when: "enhetenStangs"
    items:
      - id: dialog
        title: "Dialog med ägaren"
        roles: [regionjurist, handlaggare]
        due: PT4H
      - id: informera
        title: "Informera enhetschefen"
        roles: [enhetschef]
        due: P1D
      - id: personal
        title: "Personalfrågor"
        roles: [handlaggare]
        due: P1D
        group: omEnhetenStangs
states:
  ny:
    initial: true
    on:
      starta: beredning
      avvecklas: avveckling
  beredning:
    checklists: [infornamnd]
    on:
      flyttaMote: {}
      avvecklas: avveckling
      avsluta: avslutad
  avveckling:
    checklists: [avveckling]
    on:
      allaKlara: avvecklad
      avsluta: avslutad
  avvecklad:
    final: true
  avslutad:
    final: true
anyState:
  enhetenStanger:
    set: { enhetenStangs: "true" }

"""

private func tickPayload(_ checklist: String, _ item: String, note: String? = nil) -> [String: JSONValue] {
    var payload: [String: JSONValue] = ["checklist": .string(checklist), "item": .string(item)]
    if let note { payload["note"] = .string(note) }
    return payload
}

private func itemTimer(_ name: String, due: Date, kind: TimerKind = .itemDue, at: Date? = nil) -> TimerSpec {
    TimerSpec(caseID: "c1", dueAt: at ?? due, deadline: name, kind: kind, stateEntry: 0, deadlineDue: due)
}

private func scheduledTimers(_ effects: [Effect]) -> [TimerSpec] {
    effects.compactMap { effect -> TimerSpec? in
        if case .scheduleTimer(let timer) = effect { return timer }
        return nil
    }
}

@Suite struct ChecklistTests {
    let engine: Engine

    init() throws {
        engine = Engine(workflow: try WorkflowLoader.load(yaml: checklistWorkflowYAML, path: "checklists.yaml"))
    }

    // MARK: Helpers

    /// A case opened Monday 2026-03-02 09:00 with the board meeting on Monday 2026-03-16.
    func opened() throws -> CaseRecord {
        try engine.open(id: "c1", owner: "sara",
                        fields: ["vardgivare": .string("Vårdcentralen Berga"), "namndmote": .string("2026-03-16")],
                        now: local("2026-03-02T09:00"), actor: sara).record
    }

    /// Enters `beredning` (opening `infornamnd`) on Monday 2026-03-02 at 10:00.
    func inBeredning() throws -> Transition {
        try engine.apply(event: "starta", payload: [:], reason: nil, to: try opened(), now: local("2026-03-02T10:00"), actor: sara)
    }

    /// Enters `avveckling` (opening `avveckling`) on Tuesday 2026-03-03 at 10:00.
    func inAvveckling() throws -> Transition {
        try engine.apply(event: "avvecklas", payload: [:], reason: nil, to: try opened(), now: local("2026-03-03T10:00"), actor: sara)
    }

    func tick(_ checklist: String, _ item: String, on record: CaseRecord, at text: String, by actor: Actor, note: String? = nil) throws -> Transition {
        try engine.apply(event: checklistTickEvent, payload: tickPayload(checklist, item, note: note), reason: nil, to: record,
                         now: local(text), actor: actor)
    }

    // MARK: (a) Opening

    @Test func theLoaderReadsTheChecklistsAsWritten() throws {
        let definition = try #require(engine.workflow.checklist("avveckling"))
        #expect(definition.title == "Checklista vid plötsligt avslut")
        #expect(definition.from == nil)
        #expect(definition.tickRoles == ["teamledare"])
        #expect(definition.remind.times == 2)
        #expect(definition.remind.every == .iso(.init(days: 1)))
        #expect(definition.remind.then == .iso(.init(days: 7)))
        #expect(definition.urgent)
        #expect(definition.template == "checklista")
        #expect(definition.completes == "allaKlara")
        #expect(definition.groups.map(\.name) == ["omEnhetenStangs"])
        #expect(definition.groups.first?.condition.source == "enhetenStangs")
        #expect(definition.items.map(\.id) == ["dialog", "informera", "personal"])
        #expect(definition.items.map(\.group) == [nil, nil, "omEnhetenStangs"])
        #expect(definition.item("dialog")?.roles == ["regionjurist", "handlaggare"])
        #expect(definition.item("dialog")?.due == ChecklistOffset(duration: .iso(.init(hours: 4)), before: false))

        let board = try #require(engine.workflow.checklist("infornamnd"))
        #expect(board.from == "namndmote")
        #expect(board.items.map(\.due.description) == ["-P14D", "-2 working days", "P0D", "P1D"])
        #expect(board.item("juristgranskning")?.due == ChecklistOffset(duration: .workingDays(2), before: true))
        // Defaults: remind every day for ever, not urgent, no template, nothing raised.
        #expect(board.remind.every == .iso(.init(days: 1)))
        #expect(board.remind.times == 0)
        #expect(board.remind.then == nil)
        #expect(board.urgent == false)
        #expect(board.completes == nil)
        #expect(engine.workflow.state("beredning")?.checklists == ["infornamnd"])
        #expect(engine.workflow.state("ny")?.checklists == [])
    }

    @Test func openingACaseInAStateWithoutChecklistsOpensNone() throws {
        #expect(try opened().checklists.isEmpty)
    }

    @Test func enteringAStateOpensItsChecklistWithDueDatesCountedFromTheDateField() throws {
        let entered = try inBeredning()
        let checklist = try #require(entered.record.checklists.first { $0.name == "infornamnd" })
        #expect(entered.record.checklists.count == 1)
        #expect(checklist.isOpen)
        #expect(checklist.openedAt == local("2026-03-02T10:00"))
        #expect(checklist.items.map(\.id) == ["underlag", "juristgranskning", "motet", "protokoll"])
        // The board meets Monday 2026-03-16. -P14D: Monday 2 March. -2 working days before a
        // Monday: Friday the 13th is one, Thursday 12 March is two (no holidays that week).
        // P0D: the meeting day itself. P1D: Tuesday 17 March. All at 17:00 Stockholm time.
        let dues = [at17("2026-03-02"), at17("2026-03-12"), at17("2026-03-16"), at17("2026-03-17")]
        #expect(checklist.items.map(\.dueAt) == dues.map { Optional($0) })
        #expect(checklist.items.map(\.dueAt).map { $0.map(SwedishCalendar.isoUTCString) }
                == ["2026-03-02T16:00:00Z", "2026-03-12T16:00:00Z", "2026-03-16T16:00:00Z", "2026-03-17T16:00:00Z"])
        #expect(checklist.items.allSatisfy { !$0.isDone && $0.overdueCount == 0 })

        let ids = ["underlag", "juristgranskning", "motet", "protokoll"]
        let expectedTimers = zip(ids, dues).map { itemTimer("infornamnd/\($0.0)", due: $0.1) }
        let expectedEffects: [Effect] = [.cancelTimers(deadline: nil)] + expectedTimers.map { Effect.scheduleTimer($0) }
        #expect(entered.effects == expectedEffects)
        #expect(scheduledTimers(entered.effects).allSatisfy { $0.kind == .itemDue && $0.stateEntry == 0 })
        #expect(entered.history.map(\.event) == ["starta"])
        #expect(entered.history.first?.notes == ["checklist infornamnd opened with 4 items"])
    }

    @Test func enteringAStateOpensItsChecklistWithoutTheItemsOfGroupsNotYetOpened() throws {
        let entered = try inAvveckling()
        let checklist = try #require(entered.record.checklists.first { $0.name == "avveckling" })
        #expect(checklist.items.map(\.id) == ["dialog", "informera"])
        #expect(checklist.item("personal") == nil)
        #expect(checklist.groupsOpened.isEmpty)
        // PT4H is exact from the opening moment (10:00 → 14:00); P1D names the next day, due at 17:00.
        #expect(checklist.item("dialog")?.dueAt == local("2026-03-03T14:00"))
        #expect(checklist.item("informera")?.dueAt == at17("2026-03-04"))
        #expect(entered.effects == [
            .cancelTimers(deadline: nil),
            .scheduleTimer(itemTimer("avveckling/dialog", due: local("2026-03-03T14:00"))),
            .scheduleTimer(itemTimer("avveckling/informera", due: at17("2026-03-04"))),
        ])
        #expect(entered.history.first?.notes == ["checklist avveckling opened with 2 items"])

        let definition = try #require(engine.workflow.checklist("avveckling"))
        #expect(checklist.statuses(definition, now: local("2026-03-03T11:00")).map { $0.1 } == [ChecklistItemStatus.open, .open, .waiting])
        #expect(checklist.statuses(definition, now: local("2026-03-03T14:00")).map { $0.1 } == [ChecklistItemStatus.overdue, .open, .waiting])
    }

    // MARK: (b) Moving the date field

    @Test func changingTheFromDateMovesTheItemsWithAHistoryNote() throws {
        let beredning = try inBeredning().record
        let moved = try engine.apply(event: "flyttaMote", payload: ["namndmote": .string("2026-06-22")], reason: nil,
                                     to: beredning, now: local("2026-03-05T10:00"), actor: sara)
        #expect(moved.record.state == "beredning")
        #expect(moved.record.stateEntry == beredning.stateEntry)
        // The meeting moves to Monday 2026-06-22. -P14D: 8 June. -2 working days: Friday 19 June is
        // Midsommarafton (a day off), so Thursday 18 is one and Wednesday 17 June is two.
        let ids = ["underlag", "juristgranskning", "motet", "protokoll"]
        let dues = [at17("2026-06-08"), at17("2026-06-17"), at17("2026-06-22"), at17("2026-06-23")]
        let checklist = try #require(moved.record.checklists.first { $0.name == "infornamnd" })
        #expect(checklist.items.map(\.dueAt) == dues.map { Optional($0) })
        #expect(checklist.openedAt == local("2026-03-02T10:00"))
        var expected: [Effect] = []
        for (id, due) in zip(ids, dues) {
            expected.append(.cancelTimers(deadline: "infornamnd/\(id)"))
            expected.append(.scheduleTimer(itemTimer("infornamnd/\(id)", due: due)))
        }
        #expect(moved.effects == expected)
        #expect(moved.history.first?.notes == [
            "checklist infornamnd: item underlag moved from 2026-03-02T16:00:00Z to 2026-06-08T15:00:00Z",
            "checklist infornamnd: item juristgranskning moved from 2026-03-12T16:00:00Z to 2026-06-17T15:00:00Z",
            "checklist infornamnd: item motet moved from 2026-03-16T16:00:00Z to 2026-06-22T15:00:00Z",
            "checklist infornamnd: item protokoll moved from 2026-03-17T16:00:00Z to 2026-06-23T15:00:00Z",
        ])
    }

    @Test func aTickedItemDoesNotMoveWithTheDateField() throws {
        let beredning = try inBeredning().record
        let ticked = try tick("infornamnd", "underlag", on: beredning, at: "2026-03-02T11:00", by: sara).record
        let moved = try engine.apply(event: "flyttaMote", payload: ["namndmote": .string("2026-03-23")], reason: nil,
                                     to: ticked, now: local("2026-03-03T10:00"), actor: sara)
        let checklist = try #require(moved.record.checklists.first { $0.name == "infornamnd" })
        #expect(checklist.item("underlag")?.dueAt == at17("2026-03-02"))
        #expect(checklist.item("underlag")?.isDone == true)
        // Monday 23 March: -2 working days is Thursday 19 March.
        #expect(checklist.item("juristgranskning")?.dueAt == at17("2026-03-19"))
        #expect(!moved.effects.contains(.cancelTimers(deadline: "infornamnd/underlag")))
        #expect(moved.effects.filter { if case .cancelTimers = $0 { true } else { false } }.count == 3)
        #expect(moved.history.first?.notes.count == 3)
    }

    @Test func settingTheSameDateAgainMovesNothing() throws {
        let beredning = try inBeredning().record
        let same = try engine.apply(event: "flyttaMote", payload: ["namndmote": .string("2026-03-16")], reason: nil,
                                    to: beredning, now: local("2026-03-03T10:00"), actor: sara)
        #expect(same.effects.isEmpty)
        #expect(same.history.first?.notes == [])
        #expect(same.record.checklists == beredning.checklists)
    }

    // MARK: (c) Ticking

    @Test func aResponsibleRoleTicksAnItemAndHistorySaysWho() throws {
        let avveckling = try inAvveckling().record
        let payload = tickPayload("avveckling", "dialog", note: "Ringt ägaren")
        let ticked = try engine.apply(event: checklistTickEvent, payload: payload, reason: nil, to: avveckling,
                                      now: local("2026-03-03T11:30"), actor: jurist)
        let item = try #require(ticked.record.checklists.first { $0.name == "avveckling" }?.item("dialog"))
        #expect(item.tickedAt == local("2026-03-03T11:30"))
        #expect(item.tickedBy == "jon")
        #expect(item.tickedRole == "regionjurist")
        #expect(item.note == "Ringt ägaren")
        #expect(item.isDone)
        #expect(ticked.record.state == "avveckling")
        #expect(ticked.record.stateEntry == avveckling.stateEntry)
        #expect(ticked.record.checklists.first?.isOpen == true)
        #expect(ticked.effects == [.cancelTimers(deadline: "avveckling/dialog")])
        #expect(ticked.history == [HistoryEntry(
            at: local("2026-03-03T11:30"), actor: "jon", role: "regionjurist", event: "checklist.tick",
            fromState: "avveckling", toState: "avveckling", payload: .object(payload), reason: nil,
            notes: ["checklist avveckling: 1 of 3 items done"])])
        #expect(ticked.handOver == nil)
    }

    @Test func anotherRoleMayNotTickTheItem() throws {
        let avveckling = try inAvveckling().record
        #expect(throws: EngineError.roleNotAllowed(event: "checklist.tick avveckling/dialog", role: "enhetschef",
                                                   allowed: ["regionjurist", "handlaggare", "teamledare"])) {
            try tick("avveckling", "dialog", on: avveckling, at: "2026-03-03T11:00", by: chef)
        }
    }

    @Test func aTickRoleMayTickAnyItem() throws {
        let avveckling = try inAvveckling().record
        // `informera` belongs to enhetschef; teamledare is in the checklist's tickRoles.
        let ticked = try tick("avveckling", "informera", on: avveckling, at: "2026-03-03T12:00", by: teamledare)
        let item = try #require(ticked.record.checklists.first?.item("informera"))
        #expect(item.tickedBy == "tove")
        #expect(item.tickedRole == "teamledare")
        #expect(item.note == nil)
        // …and so may the item's own role.
        let byOwner = try tick("avveckling", "informera", on: avveckling, at: "2026-03-03T12:00", by: chef)
        #expect(byOwner.record.checklists.first?.item("informera")?.tickedRole == "enhetschef")
    }

    @Test func anItemCannotBeTickedTwice() throws {
        let avveckling = try inAvveckling().record
        let once = try tick("avveckling", "dialog", on: avveckling, at: "2026-03-03T11:30", by: sara).record
        #expect(throws: EngineError.checklistItemNotOpen(checklist: "avveckling", item: "dialog",
                                                         why: "it was ticked by sara at 2026-03-03T10:30:00Z")) {
            try tick("avveckling", "dialog", on: once, at: "2026-03-03T12:00", by: jurist)
        }
    }

    @Test func anUnknownItemOrChecklistNamesTheAlternatives() throws {
        let avveckling = try inAvveckling().record
        #expect(throws: EngineError.invalidInput([FieldProblem(
            field: "item", problem: "checklist avveckling has no item 'ringa'; items: dialog, informera, personal")])) {
            try tick("avveckling", "ringa", on: avveckling, at: "2026-03-03T11:00", by: sara)
        }
        #expect(throws: EngineError.invalidInput([FieldProblem(
            field: "checklist", problem: "workflow checklist-flow has no checklist 'avslut'; checklists: infornamnd, avveckling")])) {
            try tick("avslut", "dialog", on: avveckling, at: "2026-03-03T11:00", by: sara)
        }
    }

    @Test func aTickWithoutItemOrWithAStrangeKeyIsInvalid() throws {
        let avveckling = try inAvveckling().record
        #expect {
            try engine.apply(event: checklistTickEvent, payload: ["checklist": .string("avveckling"), "punkt": .string("dialog")],
                             reason: nil, to: avveckling, now: local("2026-03-03T11:00"), actor: sara)
        } throws: { error in
            guard case EngineError.invalidInput(let problems) = error else { return false }
            return problems.map(\.field) == ["punkt", "item"]
        }
    }

    @Test func anItemOfAGroupNotYetOpenedCannotBeTicked() throws {
        let avveckling = try inAvveckling().record
        #expect(throws: EngineError.checklistItemNotOpen(
            checklist: "avveckling", item: "personal",
            why: "it belongs to the group 'Om enheten stängs', which opens when enhetenStangs")) {
            try tick("avveckling", "personal", on: avveckling, at: "2026-03-03T11:00", by: sara)
        }
    }

    @Test func aChecklistTheCaseHasNotOpenedCannotBeTicked() throws {
        let avveckling = try inAvveckling().record
        #expect(throws: EngineError.checklistNotOpen(checklist: "infornamnd", state: "avveckling")) {
            try tick("infornamnd", "underlag", on: avveckling, at: "2026-03-03T11:00", by: sara)
        }
    }

    @Test func tickRefusalsHaveTheirSlugs() {
        #expect(EngineError.checklistItemNotOpen(checklist: "a", item: "b", why: "c").slug == "checklist-item-not-open")
        #expect(EngineError.checklistNotOpen(checklist: "a", state: "s").slug == "checklist-not-open")
        #expect(EngineError.handOverRefused(to: "w", reasons: []).slug == "hand-over-refused")
    }

    // MARK: (d) Groups

    @Test func aGroupOpensWhenItsConditionFirstHoldsCountingFromThatMoment() throws {
        let avveckling = try inAvveckling().record
        let closing = try engine.apply(event: "enhetenStanger", payload: [:], reason: nil, to: avveckling,
                                       now: local("2026-03-05T09:30"), actor: sara)
        #expect(closing.record.fields["enhetenStangs"] == .boolean(true))
        #expect(closing.record.state == "avveckling")
        let checklist = try #require(closing.record.checklists.first { $0.name == "avveckling" })
        #expect(checklist.groupsOpened == ["omEnhetenStangs": local("2026-03-05T09:30")])
        #expect(checklist.items.map(\.id) == ["dialog", "informera", "personal"])
        // P1D from Thursday 5 March (when the group opened), not from the checklist's opening on the 3rd.
        #expect(checklist.item("personal")?.dueAt == at17("2026-03-06"))
        // Items already open keep their due instants.
        #expect(checklist.item("informera")?.dueAt == at17("2026-03-04"))
        #expect(closing.effects == [.scheduleTimer(itemTimer("avveckling/personal", due: at17("2026-03-06")))])
        #expect(closing.history.first?.notes == ["checklist avveckling: group omEnhetenStangs opened with 1 items"])

        // Now it can be ticked.
        let ticked = try tick("avveckling", "personal", on: closing.record, at: "2026-03-05T10:00", by: sara)
        #expect(ticked.record.checklists.first?.item("personal")?.tickedBy == "sara")
    }

    @Test func aGroupWhoseConditionAlreadyHoldsOpensWithTheChecklist() throws {
        let beredning = try inBeredning().record
        let closing = try engine.apply(event: "enhetenStanger", payload: [:], reason: nil, to: beredning,
                                       now: local("2026-03-02T11:00"), actor: sara)
        #expect(closing.record.checklists.map(\.name) == ["infornamnd"])
        let entered = try engine.apply(event: "avvecklas", payload: [:], reason: nil, to: closing.record,
                                       now: local("2026-03-04T10:00"), actor: sara)
        let checklist = try #require(entered.record.checklists.first { $0.name == "avveckling" })
        #expect(checklist.items.map(\.id) == ["dialog", "informera", "personal"])
        #expect(checklist.groupsOpened == ["omEnhetenStangs": local("2026-03-04T10:00")])
        #expect(checklist.item("personal")?.dueAt == at17("2026-03-05"))
        #expect(entered.history.first?.notes == ["checklist avveckling opened with 2 items",
                                                 "checklist avveckling: group omEnhetenStangs opened with 1 items"])
    }

    @Test func aGroupOpensOnlyOnce() throws {
        let avveckling = try inAvveckling().record
        let first = try engine.apply(event: "enhetenStanger", payload: [:], reason: nil, to: avveckling,
                                     now: local("2026-03-05T09:30"), actor: sara)
        let again = try engine.apply(event: "enhetenStanger", payload: [:], reason: nil, to: first.record,
                                     now: local("2026-03-09T09:30"), actor: sara)
        #expect(again.effects.isEmpty)
        #expect(again.record.checklists == first.record.checklists)
    }

    // MARK: (e) Overdue reminders

    @Test func anItemFallingDueRemindsItsRolesAndSchedulesTheFirstReminder() throws {
        let entered = try inAvveckling()
        let due = local("2026-03-03T14:00")
        let timer = itemTimer("avveckling/dialog", due: due)
        #expect(entered.effects.contains(.scheduleTimer(timer)))

        let fired = try #require(engine.fire(timer, on: entered.record, now: due))
        #expect(fired.effects == [
            .notify(NotificationEffect(type: "case.checklist.overdue", recipients: ["regionjurist", "handlaggare"], webhooks: [],
                                       template: "checklista", urgent: true, deadline: "avveckling/dialog", dueAt: due,
                                       event: nil, state: "avveckling")),
            .scheduleTimer(itemTimer("avveckling/dialog", due: due, kind: .itemOverdue(1), at: local("2026-03-04T14:00"))),
        ])
        #expect(fired.history == [HistoryEntry(
            at: due, actor: "bevaka", role: "system", event: "checklist.item.overdue", fromState: "avveckling",
            toState: "avveckling",
            payload: .object(["checklist": .string("avveckling"), "item": .string("dialog"), "title": .string("Dialog med ägaren"),
                              "dueAt": .string("2026-03-03T13:00:00Z"), "reminder": .int(1)]),
            reason: nil, notes: ["reminded regionjurist, handlaggare"])])
        #expect(fired.record.checklists.first?.item("dialog")?.overdueCount == 1)
        #expect(fired.record.checklists.first?.item("dialog")?.isDone == false)
        #expect(fired.record.state == "avveckling")
        #expect(fired.record.stateEntry == entered.record.stateEntry)
    }

    @Test func afterTimesRemindersTheIntervalSwitchesToThen() throws {
        var record = try inAvveckling().record
        let due = local("2026-03-03T14:00")
        var timer = itemTimer("avveckling/dialog", due: due)
        var next: [TimerSpec] = []
        for _ in 0..<4 {
            let fired = try #require(engine.fire(timer, on: record, now: timer.dueAt))
            record = fired.record
            timer = try #require(scheduledTimers(fired.effects).first)
            next.append(timer)
        }
        // every P1D for `times: 2` reminders, then every P7D; each still tied to the item's due instant.
        #expect(next.map(\.kind) == [.itemOverdue(1), .itemOverdue(2), .itemOverdue(3), .itemOverdue(4)])
        #expect(next.map(\.dueAt) == [local("2026-03-04T14:00"), local("2026-03-05T14:00"),
                                      local("2026-03-12T14:00"), local("2026-03-19T14:00")])
        #expect(next.allSatisfy { $0.deadlineDue == due && $0.deadline == "avveckling/dialog" })
        #expect(record.checklists.first?.item("dialog")?.overdueCount == 4)
    }

    @Test func aNoticeSentLateCountsTheNextReminderFromWhenItWent() throws {
        // The daemon was down for a week: the due notice goes on restart, and the next reminder
        // is a day after that, not six missed ones in a burst.
        let record = try inAvveckling().record
        let due = local("2026-03-03T14:00")
        let fired = try #require(engine.fire(itemTimer("avveckling/dialog", due: due), on: record, now: local("2026-03-10T09:15")))
        #expect(scheduledTimers(fired.effects) == [itemTimer("avveckling/dialog", due: due, kind: .itemOverdue(1), at: local("2026-03-11T09:15"))])
    }

    // MARK: Taking a tick back

    func untick(_ item: String, on record: CaseRecord, at text: String, by actor: Actor, reason: String?) throws -> Transition {
        try engine.apply(event: checklistUntickEvent, payload: tickPayload("avveckling", item), reason: reason, to: record,
                         now: local(text), actor: actor)
    }

    @Test func aTickTakenBackReopensTheItemWithItsReasonInTheHistory() throws {
        let entered = try inAvveckling()
        let ticked = try tick("avveckling", "dialog", on: entered.record, at: "2026-03-03T11:00", by: sara)
        let back = try untick("dialog", on: ticked.record, at: "2026-03-03T16:00", by: sara, reason: "Fel punkt bockad")
        let item = try #require(back.record.checklists.first?.item("dialog"))
        #expect(item == ChecklistItemState(id: "dialog", dueAt: local("2026-03-03T14:00")))
        #expect(back.history.map(\.event) == [checklistUntickEvent])
        #expect(back.history.first?.reason == "Fel punkt bockad")
        #expect(back.history.first?.notes.first?.contains("ticked by sara is open again") == true)
        // Its due moment has passed: the notice is scheduled at it, so it goes at once.
        #expect(scheduledTimers(back.effects) == [itemTimer("avveckling/dialog", due: local("2026-03-03T14:00"))])
    }

    @Test func takingATickBackNeedsAReasonAnAllowedRoleAndATickedItem() throws {
        let entered = try inAvveckling()
        let ticked = try tick("avveckling", "dialog", on: entered.record, at: "2026-03-03T11:00", by: sara)
        #expect(throws: EngineError.invalidInput([FieldProblem(field: "reason", problem: "'checklist.untick' requires a reason, which is kept in the history")])) {
            try untick("dialog", on: ticked.record, at: "2026-03-03T12:00", by: sara, reason: "  ")
        }
        #expect(throws: EngineError.self) {
            try untick("dialog", on: ticked.record, at: "2026-03-03T12:00", by: Actor(name: "eva", role: "enhetschef"), reason: "Fel")
        }
        do {
            _ = try untick("dialog", on: entered.record, at: "2026-03-03T12:00", by: sara, reason: "Fel")
            Issue.record("an unticked item was taken back")
        } catch {
            #expect((error as? EngineError)?.slug == "checklist-item-not-open")
        }
    }

    @Test func aChecklistWithoutRemindSettingsRemindsEveryDayForEver() throws {
        let entered = try inBeredning()
        let due = at17("2026-03-16")
        var record = entered.record
        var timer = itemTimer("infornamnd/motet", due: due)
        var dues: [Date] = []
        for _ in 0..<3 {
            let fired = try #require(engine.fire(timer, on: record, now: timer.dueAt))
            record = fired.record
            timer = try #require(scheduledTimers(fired.effects).first)
            dues.append(timer.dueAt)
            // Not urgent and no template by default.
            #expect(fired.effects.contains(.notify(NotificationEffect(
                type: "case.checklist.overdue", recipients: ["handlaggare"], webhooks: [], template: nil, urgent: false,
                deadline: "infornamnd/motet", dueAt: due, event: nil, state: "beredning"))))
        }
        #expect(dues == [at17("2026-03-17"), at17("2026-03-18"), at17("2026-03-19")])
    }

    @Test func aTimerForATickedItemIsStale() throws {
        let entered = try inAvveckling()
        let due = local("2026-03-03T14:00")
        let ticked = try tick("avveckling", "dialog", on: entered.record, at: "2026-03-03T11:00", by: sara)
        #expect(engine.fire(itemTimer("avveckling/dialog", due: due), on: ticked.record, now: due) == nil)
        #expect(engine.fire(itemTimer("avveckling/dialog", due: due, kind: .itemOverdue(1), at: local("2026-03-04T14:00")),
                            on: ticked.record, now: local("2026-03-04T14:00")) == nil)
        // The other item's timer still fires.
        #expect(engine.fire(itemTimer("avveckling/informera", due: at17("2026-03-04")), on: ticked.record, now: at17("2026-03-04")) != nil)
    }

    @Test func aTimerOfAMovedItemIsStale() throws {
        let entered = try inBeredning()
        let oldTimer = itemTimer("infornamnd/motet", due: at17("2026-03-16"))
        let moved = try engine.apply(event: "flyttaMote", payload: ["namndmote": .string("2026-03-23")], reason: nil,
                                     to: entered.record, now: local("2026-03-03T10:00"), actor: sara)
        #expect(engine.fire(oldTimer, on: moved.record, now: oldTimer.dueAt) == nil)
        // A deadlineDue off by as little as a second is stale too.
        let skewed = itemTimer("infornamnd/motet", due: at17("2026-03-23").addingTimeInterval(1))
        #expect(engine.fire(skewed, on: moved.record, now: skewed.dueAt) == nil)
        let newTimer = itemTimer("infornamnd/motet", due: at17("2026-03-23"))
        #expect(moved.effects.contains(.scheduleTimer(newTimer)))
        #expect(engine.fire(newTimer, on: moved.record, now: newTimer.dueAt) != nil)
    }

    @Test func aTimerForAnUnknownItemOrChecklistIsStale() throws {
        let entered = try inAvveckling()
        let due = local("2026-03-03T14:00")
        #expect(engine.fire(itemTimer("avveckling/okand", due: due), on: entered.record, now: due) == nil)
        #expect(engine.fire(itemTimer("infornamnd/motet", due: at17("2026-03-16")), on: entered.record, now: due) == nil)
        #expect(engine.fire(itemTimer("avveckling", due: due), on: entered.record, now: due) == nil)
    }

    // MARK: (f) Completing

    @Test func tickingTheLastOpenItemRaisesTheCompletesEventInTheSameTransition() throws {
        var record = try inAvveckling().record
        record = try engine.apply(event: "enhetenStanger", payload: [:], reason: nil, to: record,
                                  now: local("2026-03-03T10:30"), actor: sara).record
        let first = try tick("avveckling", "dialog", on: record, at: "2026-03-03T11:00", by: sara)
        #expect(first.history.map(\.event) == ["checklist.tick"])
        #expect(first.record.state == "avveckling")
        let second = try tick("avveckling", "informera", on: first.record, at: "2026-03-03T12:00", by: chef)
        #expect(second.history.map(\.event) == ["checklist.tick"])
        #expect(second.history.first?.notes == ["checklist avveckling: 2 of 3 items done"])

        let last = try tick("avveckling", "personal", on: second.record, at: "2026-03-03T13:00", by: sara)
        #expect(last.history.map(\.event) == ["checklist.tick", "allaKlara"])
        #expect(last.history[0].notes == ["checklist avveckling: 3 of 3 items done, every opened item ticked"])
        #expect(last.history[0].actor == "sara")
        #expect(last.history[1].actor == "bevaka")
        #expect(last.history[1].role == "system")
        #expect(last.history[1].fromState == "avveckling")
        #expect(last.history[1].toState == "avvecklad")
        #expect(last.record.state == "avvecklad")
        #expect(last.record.stateEntry == second.record.stateEntry + 1)
        #expect(last.effects.first == .cancelTimers(deadline: "avveckling/personal"))
        #expect(last.effects.contains(.cancelTimers(deadline: nil)))
        // `avvecklad` is final, so the checklist closes with it.
        let checklist = try #require(last.record.checklists.first { $0.name == "avveckling" })
        #expect(checklist.closedAt == local("2026-03-03T13:00"))
        #expect(checklist.items.allSatisfy { $0.isDone })
        #expect(last.effects.contains(.cancelChecklistTimers(checklist: "avveckling")))
    }

    // MARK: (g) Final states

    @Test func reachingAFinalStateClosesEveryOpenChecklist() throws {
        let beredning = try inBeredning().record
        let avveckling = try engine.apply(event: "avvecklas", payload: [:], reason: nil, to: beredning,
                                          now: local("2026-03-03T10:00"), actor: sara).record
        #expect(avveckling.checklists.map(\.name) == ["infornamnd", "avveckling"])
        let closed = try engine.apply(event: "avsluta", payload: [:], reason: nil, to: avveckling,
                                      now: local("2026-03-06T15:00"), actor: sara)
        #expect(closed.record.state == "avslutad")
        #expect(closed.record.checklists.map(\.closedAt) == [local("2026-03-06T15:00"), local("2026-03-06T15:00")])
        #expect(closed.record.checklists.map(\.closedBecause)
                == ["the case reached the final state avslutad", "the case reached the final state avslutad"])
        #expect(closed.record.checklists.allSatisfy { !$0.isOpen })
        // Unticked items stay unticked in the record.
        #expect(closed.record.checklists.map { $0.items.count } == [4, 2])
        #expect(closed.effects == [
            .cancelTimers(deadline: nil),
            .cancelChecklistTimers(checklist: "infornamnd"),
            .cancelChecklistTimers(checklist: "avveckling"),
        ])
        #expect(closed.history.first?.notes == [
            "checklist infornamnd closed (the case reached the final state avslutad) with 4 items not ticked",
            "checklist avveckling closed (the case reached the final state avslutad) with 2 items not ticked",
        ])

        // Nothing can be ticked in a final state, and the items' timers are stale.
        #expect(throws: EngineError.eventNotAccepted(event: "checklist.tick", state: "avslutad", accepted: [])) {
            try tick("avveckling", "dialog", on: closed.record, at: "2026-03-06T16:00", by: sara)
        }
        let due = local("2026-03-03T14:00")
        #expect(engine.fire(itemTimer("avveckling/dialog", due: due), on: closed.record, now: due) == nil)
    }

    // MARK: (h) State changes

    @Test func aStateChangeLeavesOpenChecklistsOpen() throws {
        let beredning = try inBeredning().record
        let before = try #require(beredning.checklists.first { $0.name == "infornamnd" })
        let moved = try engine.apply(event: "avvecklas", payload: [:], reason: nil, to: beredning,
                                     now: local("2026-03-03T10:00"), actor: sara)
        #expect(moved.record.state == "avveckling")
        #expect(moved.effects.first == .cancelTimers(deadline: nil))
        #expect(!moved.effects.contains { if case .cancelChecklistTimers = $0 { true } else { false } })
        #expect(!moved.effects.contains { if case .cancelTimers(let name?) = $0 { name.hasPrefix("infornamnd/") } else { false } })
        let after = try #require(moved.record.checklists.first { $0.name == "infornamnd" })
        #expect(after == before)
        #expect(after.isOpen)
        #expect(moved.record.checklists.map(\.name) == ["infornamnd", "avveckling"])

        // Its items still remind, now from the new state (item timers ignore stateEntry).
        let due = at17("2026-03-12")
        let fired = try #require(engine.fire(itemTimer("infornamnd/juristgranskning", due: due), on: moved.record, now: due))
        #expect(fired.effects.contains(.notify(NotificationEffect(
            type: "case.checklist.overdue", recipients: ["regionjurist"], webhooks: [], template: nil, urgent: false,
            deadline: "infornamnd/juristgranskning", dueAt: due, event: nil, state: "avveckling"))))

        // And can still be ticked there.
        let ticked = try tick("infornamnd", "juristgranskning", on: moved.record, at: "2026-03-04T09:00", by: jurist)
        #expect(ticked.record.checklists.first { $0.name == "infornamnd" }?.item("juristgranskning")?.tickedBy == "jon")
    }
}
