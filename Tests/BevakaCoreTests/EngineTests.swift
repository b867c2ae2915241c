import BevakaCore
import Foundation
import Testing

private let officer = Actor(name: "anna", role: "handlaggare")
private let calendar = SwedishCalendar()

private func local(_ text: String) -> Date { Scenario.localInstant(text)! }

/// The engine, driven without any database: every rule is a pure function.
@Suite struct EngineTests {
    let engine: Engine

    init() throws {
        // Adds an event that moves the due date while staying in the state, and a guarded one.
        let yaml = validWorkflow
            .replacingOccurrences(of: "  finish:\n    roles: [handlaggare]\n", with: """
              finish:
                roles: [handlaggare]
              move:
                roles: [handlaggare]
                payload: { dueOn: required }
              escalate:
                roles: [handlaggare]
                reason: required

            """)
            .replacingOccurrences(of: "      finish: done\n  done:", with: """
                  finish: done
                  move: {}
                  escalate: { if: "level == 'high'", to: done }
              done:
            """)
        engine = Engine(workflow: try load(yaml))
    }

    func opened(at text: String = "2026-06-01T09:00") throws -> CaseRecord {
        try engine.open(id: "c1", owner: "anna", fields: ["unit": .string("VC Berga")], now: local(text), actor: officer).record
    }

    func started(dueOn: String, at text: String = "2026-06-01T10:00") throws -> Transition {
        try engine.apply(event: "start", payload: ["dueOn": .string(dueOn)], reason: nil, to: try opened(), now: local(text), actor: officer)
    }

    @Test func openingChecksEveryFieldAndListsEveryProblem() {
        #expect {
            _ = try engine.open(id: "c1", owner: "", fields: ["level": .string("medium"), "x": .int(1)], now: Date(), actor: officer)
        } throws: { error in
            guard case EngineError.invalidInput(let problems) = error else { return false }
            return Set(problems.map(\.field)) == ["owner", "unit", "level", "x"]
                && problems.contains { $0.field == "level" && $0.problem == "is set by the workflow's transitions, not when a case is opened" }
        }
    }

    @Test func aRequiredTextFieldMayNotBeEmpty() {
        #expect(throws: EngineError.invalidInput([FieldProblem(field: "unit", problem: "required, so it may not be empty")])) {
            try engine.open(id: "c1", owner: "anna", fields: ["unit": .string("  ")], now: Date(), actor: officer)
        }
    }

    @Test func peopleAreNotOfferedEventsOnlyDeadlinesRaise() throws {
        let waiting = try started(dueOn: "2026-07-01").record
        #expect(throws: EngineError.eventNotAccepted(event: "start", state: "waiting", accepted: ["escalate", "finish", "move"])) {
            try engine.apply(event: "start", payload: [:], reason: nil, to: waiting, now: Date(), actor: officer)
        }
    }

    @Test func openingAppliesDefaults() throws {
        let record = try opened()
        #expect(record.state == "open")
        #expect(record.fields["level"] == .string("low"))
        #expect(record.stateEntry == 1)
    }

    @Test func aRoleNotNamedByTheEventIsRefused() throws {
        let record = try opened()
        #expect(throws: EngineError.roleNotAllowed(event: "start", role: "verksamhetschef", allowed: ["handlaggare"])) {
            try engine.apply(event: "start", payload: ["dueOn": .string("2026-07-01")], reason: nil, to: record, now: Date(),
                             actor: Actor(name: "x", role: "verksamhetschef"))
        }
    }

    @Test func anEventRaisedOnlyByDeadlinesIsRefusedToPeople() throws {
        let record = try opened()
        #expect(throws: EngineError.roleNotAllowed(event: "missed", role: "handlaggare", allowed: [])) {
            try engine.apply(event: "missed", payload: [:], reason: nil, to: record, now: Date(), actor: officer)
        }
    }

    @Test func anEventNotAcceptedNowListsTheAcceptedOnes() throws {
        let record = try opened()
        #expect(throws: EngineError.eventNotAccepted(event: "finish", state: "open", accepted: ["start"])) {
            try engine.apply(event: "finish", payload: [:], reason: nil, to: record, now: Date(), actor: officer)
        }
        #expect(throws: EngineError.unknownEvent(event: "fly", accepted: ["start"])) {
            try engine.apply(event: "fly", payload: [:], reason: nil, to: record, now: Date(), actor: officer)
        }
    }

    @Test func payloadProblemsAreAllListed() throws {
        let record = try opened()
        #expect {
            try engine.apply(event: "start", payload: ["dueOn": .string("2026-02-30"), "unit": .string("x")], reason: nil,
                             to: record, now: Date(), actor: officer)
        } throws: { error in
            guard case EngineError.invalidInput(let problems) = error else { return false }
            return problems.map(\.field).sorted() == ["dueOn", "unit"]
        }
    }

    @Test func aRequiredReasonMustBeGiven() throws {
        let waiting = try started(dueOn: "2026-07-01").record
        #expect(throws: EngineError.invalidInput([FieldProblem(field: "reason", problem: "'escalate' requires a reason, which is kept in the history")])) {
            try engine.apply(event: "escalate", payload: [:], reason: "  ", to: waiting, now: Date(), actor: officer)
        }
        #expect(throws: EngineError.conditionNotMet(event: "escalate", state: "waiting", conditions: ["level == 'high'"])) {
            try engine.apply(event: "escalate", payload: [:], reason: "because", to: waiting, now: Date(), actor: officer)
        }
    }

    @Test func aDateDeadlineFallsDueAt17StockholmWhateverTheSeason() throws {
        let summer = try started(dueOn: "2026-07-01")
        #expect(summer.record.deadlines == [ActiveDeadline(name: "due", dueAt: ISO8601DateFormatter().date(from: "2026-07-01T15:00:00Z")!)])
        let winter = try started(dueOn: "2026-12-01")
        #expect(winter.record.deadlines.first?.dueAt == ISO8601DateFormatter().date(from: "2026-12-01T16:00:00Z")!)
        // The reminder one civil day before, at 17:00 local too; the expiry at the due instant.
        let timers = summer.effects.compactMap { effect -> TimerSpec? in
            if case .scheduleTimer(let timer) = effect { return timer }
            return nil
        }
        #expect(timers.map(\.kind) == [.reminder(0), .expiry])
        #expect(timers.map(\.dueAt) == [local("2026-06-30T17:00"), local("2026-07-01T17:00")])
        #expect(summer.effects.first == .cancelTimers(deadline: nil))
    }

    @Test func aReminderWhoseMomentHasPassedIsNotScheduled() throws {
        let transition = try started(dueOn: "2026-06-02", at: "2026-06-01T18:00")
        let kinds = transition.effects.compactMap { effect -> TimerKind? in
            if case .scheduleTimer(let timer) = effect { return timer.kind }
            return nil
        }
        #expect(kinds == [.expiry])
    }

    @Test func expiryRaisesTheEventAsBevaka() throws {
        let waiting = try started(dueOn: "2026-07-01")
        guard case .scheduleTimer(let expiry)? = waiting.effects.last else { Issue.record("no expiry"); return }
        let fired = try #require(engine.fire(expiry, on: waiting.record, now: expiry.dueAt))
        #expect(fired.record.state == "done")
        #expect(fired.record.fields["level"] == .string("high"))
        #expect(fired.history.map(\.event) == ["deadline.expired", "missed"])
        #expect(fired.history.map(\.role) == ["system", "system"])
        #expect(fired.effects.contains { if case .notify(let n) = $0 { n.type == "case.deadline.expired" } else { false } })
    }

    @Test func aTimerFromAStateAlreadyLeftIsStale() throws {
        let waiting = try started(dueOn: "2026-07-01")
        guard case .scheduleTimer(let expiry)? = waiting.effects.last else { Issue.record("no expiry"); return }
        let done = try engine.apply(event: "finish", payload: [:], reason: nil, to: waiting.record, now: local("2026-06-10T10:00"), actor: officer)
        #expect(engine.fire(expiry, on: done.record, now: expiry.dueAt) == nil)
    }

    @Test func changingTheDateFieldMovesTheDeadlineWithAHistoryNote() throws {
        let waiting = try started(dueOn: "2026-07-01")
        let moved = try engine.apply(event: "move", payload: ["dueOn": .string("2026-07-15")], reason: nil, to: waiting.record,
                                     now: local("2026-06-05T10:00"), actor: officer)
        #expect(moved.record.state == "waiting")
        #expect(moved.record.stateEntry == waiting.record.stateEntry)
        #expect(moved.record.deadlines.first?.dueAt == local("2026-07-15T17:00"))
        #expect(moved.effects.first == .cancelTimers(deadline: "due"))
        #expect(moved.history.first?.notes == ["deadline due moved from 2026-07-01T15:00:00Z to 2026-07-15T15:00:00Z"])
        // The old expiry is now stale: it belongs to a deadline that moved.
        guard case .scheduleTimer(let oldExpiry)? = waiting.effects.last else { Issue.record("no expiry"); return }
        #expect(engine.fire(oldExpiry, on: moved.record, now: oldExpiry.dueAt) == nil)
    }
}

/// A deadline a number of days or working days after entering a state is a
/// date: it falls due at the workflow's due time on that day.
@Suite struct AfterEntryDeadlineTests {
    @Test func workingDaysAfterEntryFallDueAtTheDueTime() throws {
        let yaml = validWorkflow.replacingOccurrences(of: "        at: dueOn\n", with: "        after: \"10 working days\"\n")
        let engine = Engine(workflow: try load(yaml))
        let record = try engine.open(id: "c", owner: "o", fields: ["unit": .string("u")], now: Date(), actor: officer).record
        // Entered Friday 2026-06-12 at 10:15; ten working days skip Midsummer Eve (19 June).
        let waiting = try engine.apply(event: "start", payload: ["dueOn": .string("2026-07-01")], reason: nil, to: record,
                                       now: local("2026-06-12T10:15"), actor: officer)
        #expect(waiting.record.deadlines.first?.dueAt == local("2026-06-29T17:00"))
    }
}

/// Accruals: the policies written in the file decide replace or add, and when a new quantity applies.
@Suite struct AccrualEngineTests {
    static func workflow(policy: String) throws -> WorkflowDefinition {
        try WorkflowLoader.load(yaml: """
        workflow: fee
        version: 1
        title: Fee
        roles: { officer: Officer }
        fields:
          from: { type: date }
          level: { type: enum, values: [none, low, high], default: none }
          count: { type: integer, default: 100 }
        events:
          set:
            roles: [officer]
            payload: { level: required, from: optional, count: optional }
          close: { roles: [officer] }
        states:
          open:
            initial: true
            on: { set: {}, close: closed }
          closed: { final: true }
        accruals:
          fee:
            when: "level != 'none'"
            from: from
            rate: "level == 'low' ? 3 : 6"
            times: count
            per: month
            proration: days
            onRateChange: \(policy)
            quantityChangesFrom: month-start
        """, path: "fee.yaml")
    }

    func run(_ policy: String) throws -> (Engine, CaseRecord, [Effect]) {
        let engine = Engine(workflow: try Self.workflow(policy: policy))
        let actor = Actor(name: "o", role: "officer")
        var record = try engine.open(id: "f", owner: "o", fields: [:], now: local("2026-01-01T09:00"), actor: actor).record
        var effects: [Effect] = []
        for (payload, at) in [
            (["level": JSONValue.string("low"), "from": .string("2026-01-10")], "2026-02-01T09:00"),
            (["level": .string("high"), "from": .string("2026-03-01")], "2026-03-20T09:00"),
        ] {
            let t = try engine.apply(event: "set", payload: payload, reason: nil, to: record, now: local(at), actor: actor)
            record = t.record
            effects += t.effects
        }
        return (engine, record, effects)
    }

    func segments(_ record: CaseRecord) -> [String] {
        record.accruals.flatMap(\.segments).map { "\($0.from)…\($0.until?.description ?? "") \($0.rate)×\($0.quantity)" }
    }

    @Test func aHigherRateReplacesFromItsFromDate() throws {
        let (_, record, effects) = try run("replace")
        #expect(segments(record) == ["2026-01-10…2026-03-01 3×100", "2026-03-01… 6×100"])
        #expect(effects.last == .setSegments(accrual: "fee", record.accruals[0].segments))
    }

    @Test func aHigherRateAddsWhenTheFileSaysAdd() throws {
        let (_, record, _) = try run("add")
        #expect(segments(record) == ["2026-01-10… 3×100", "2026-03-01… 6×100"])
    }

    @Test func aNewQuantityAppliesFromTheFirstOfTheMonthAndClosingStops() throws {
        let (engine, record, _) = try run("replace")
        let actor = Actor(name: "o", role: "officer")
        let updated = try engine.apply(event: "set", payload: ["level": .string("high"), "count": .int(120)], reason: nil,
                                       to: record, now: local("2026-04-17T09:00"), actor: actor)
        #expect(segments(updated.record) == ["2026-01-10…2026-03-01 3×100", "2026-03-01…2026-04-01 6×100", "2026-04-01… 6×120"])
        let closed = try engine.apply(event: "close", payload: [:], reason: nil, to: updated.record, now: local("2026-05-05T09:00"), actor: actor)
        #expect(closed.record.accruals[0].isRunning == false)
        #expect(segments(closed.record).last == "2026-04-01…2026-05-05 6×120")
    }

    /// A rate that starts back in time is cut by the quantities in force then.
    @Test func aBackDatedStartUsesTheQuantitiesOfThePast() throws {
        let engine = Engine(workflow: try Self.workflow(policy: "replace"))
        let actor = Actor(name: "o", role: "officer")
        var record = try engine.open(id: "f", owner: "o", fields: [:], now: local("2026-01-05T09:00"), actor: actor).record
        record = try engine.apply(event: "set", payload: ["level": .string("none"), "count": .int(90)], reason: nil, to: record,
                                  now: local("2026-02-10T09:00"), actor: actor).record
        record = try engine.apply(event: "set", payload: ["level": .string("low"), "from": .string("2026-01-15")], reason: nil,
                                  to: record, now: local("2026-02-16T17:00"), actor: actor).record
        #expect(segments(record) == ["2026-01-15…2026-02-01 3×100", "2026-02-01… 3×90"])
        // A later quantity report, then a replacing rate back-dated before it.
        record = try engine.apply(event: "set", payload: ["level": .string("low"), "count": .int(95)], reason: nil, to: record,
                                  now: local("2026-03-05T09:00"), actor: actor).record
        record = try engine.apply(event: "set", payload: ["level": .string("high"), "from": .string("2026-02-18")], reason: nil,
                                  to: record, now: local("2026-03-18T17:00"), actor: actor).record
        #expect(segments(record) == ["2026-01-15…2026-02-01 3×100", "2026-02-01…2026-02-18 3×90",
                                     "2026-02-18…2026-03-01 6×90", "2026-03-01… 6×95"])
    }
}

@Suite struct LedgerTests {
    let workflow: WorkflowDefinition

    init() throws { workflow = try AccrualEngineTests.workflow(policy: "replace") }

    func segment(_ from: String, _ until: String?, rate: Decimal = 3, quantity: Int = 8000, seq: Int = 1) -> AccrualSegment {
        AccrualSegment(accrual: "fee", seq: seq, from: LocalDate(iso: from)!, until: until.flatMap(LocalDate.init(iso:)),
                       rate: rate, quantity: quantity, currency: "SEK")
    }

    @Test func partMonthsAreProratedByDaysAndRoundedToOre() {
        let rows = Ledger.monthly([segment("2026-01-15", "2026-02-18")], asOf: LocalDate(iso: "2026-12-31")!, workflow: workflow)
        #expect(rows.map(\.month) == ["2026-01", "2026-02"])
        #expect(rows.map(\.days) == [17, 17])
        #expect(rows.map(\.amount) == [Decimal(string: "13161.29")!, Decimal(string: "14571.43")!])
    }

    @Test func aRunningSegmentCountsThroughAsOfInclusive() {
        let rows = Ledger.monthly([segment("2026-03-01", nil, rate: 6)], asOf: LocalDate(iso: "2026-03-31")!, workflow: workflow)
        #expect(rows.map(\.amount) == [48000])
        #expect(Ledger.monthly([segment("2026-03-01", nil)], asOf: LocalDate(iso: "2026-02-28")!, workflow: workflow).isEmpty)
    }

    @Test func leapYearFebruaryHas29Days() {
        let rows = Ledger.monthly([segment("2028-02-01", "2028-03-01")], asOf: LocalDate(iso: "2028-12-31")!, workflow: workflow)
        #expect(rows.map(\.daysInMonth) == [29])
        #expect(rows.map(\.amount) == [24000])
    }

    @Test func csvHasAHeaderAndOneLinePerMonth() {
        let csv = Ledger.csv(Ledger.monthly([segment("2026-01-15", "2026-02-18")], asOf: LocalDate(iso: "2026-12-31")!, workflow: workflow))
        let lines = csv.split(separator: "\r\n")
        #expect(lines.first == "accrual,segment,month,from,through,days,days_in_month,rate,quantity,amount,currency")
        #expect(lines.dropFirst().first == "fee,1,2026-01,2026-01-15,2026-01-31,17,31,3,8000,13161.29,SEK")
        #expect(lines.count == 3)
    }
}

/// Reminders after a deadline expired are counted from when the previous one went.
@Suite struct OverdueReminderTests {
    let engine: Engine

    init() throws {
        engine = Engine(workflow: try WorkflowLoader.load(yaml: """
            workflow: overdue
            version: 1
            title: Overdue
            roles: { handlaggare: Handläggare }
            fields: { dueOn: { type: date } }
            events:
              start: { roles: [handlaggare], payload: { dueOn: required } }
              finish: { roles: [handlaggare] }
            states:
              open:
                initial: true
                on: { start: waiting }
              waiting:
                deadlines:
                  plan: { at: dueOn, notify: [{ to: [owner] }], overdue: { every: P1D, times: 2, then: P7D } }
                on: { finish: done }
              done: { final: true }
            """, path: "overdue.yaml"))
    }

    func expiry() throws -> (CaseRecord, TimerSpec) {
        let opened = try engine.open(id: "c1", owner: "anna", fields: [:], now: local("2026-05-25T09:00"), actor: officer)
        let waiting = try engine.apply(event: "start", payload: ["dueOn": .string("2026-06-01")], reason: nil, to: opened.record,
                                       now: local("2026-05-25T10:00"), actor: officer)
        guard case .scheduleTimer(let timer)? = waiting.effects.last else { throw EngineError.evaluationFailed("no expiry") }
        return (waiting.record, timer)
    }

    static func scheduled(_ effects: [Effect]) -> [TimerSpec] {
        effects.compactMap { if case .scheduleTimer(let timer) = $0 { timer } else { nil } }
    }

    @Test func onTimeTheRemindersFollowTheirScheduleFromTheDueMoment() throws {
        let (record, timer) = try expiry()
        #expect(timer.dueAt == local("2026-06-01T17:00"))
        var fired = try #require(engine.fire(timer, on: record, now: timer.dueAt))
        var next = try #require(Self.scheduled(fired.effects).first)
        #expect(next.kind == .overdue(1))
        #expect(next.dueAt == local("2026-06-02T17:00"))
        fired = try #require(engine.fire(next, on: fired.record, now: next.dueAt))
        next = try #require(Self.scheduled(fired.effects).first)
        #expect(next.dueAt == local("2026-06-03T17:00"))
        fired = try #require(engine.fire(next, on: fired.record, now: next.dueAt))
        #expect(Self.scheduled(fired.effects).first?.dueAt == local("2026-06-10T17:00"))  // then: P7D
    }

    @Test func anExpiryFiredAfterDowntimeSendsOneNoticeAndRemindsADayLater() throws {
        let (record, timer) = try expiry()
        // The daemon was down from 31 May to 8 June 09:00: one expiry notice now, not a
        // burst of the reminders of 2 and 3 June, and the next reminder a day after it.
        let fired = try #require(engine.fire(timer, on: record, now: local("2026-06-08T09:00")))
        #expect(Self.scheduled(fired.effects).map(\.dueAt) == [local("2026-06-09T09:00")])
        #expect(fired.effects.filter { if case .notify = $0 { true } else { false } }.count == 1)
    }
}
