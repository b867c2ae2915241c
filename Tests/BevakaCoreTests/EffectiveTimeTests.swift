import BevakaCore
import Foundation
import Testing

/// Issue 11, first part: an event may say when it took effect (the plan's arrival,
/// the board's meeting) beside when it was registered; expressions read it as
/// `effectiveDate`/`effectiveAt`, and the history keeps both times.
@Suite struct EffectiveTimeTests {
    static let yaml = """
        workflow: plan
        version: 1
        title: Plan
        dueTime: "17:00"
        roles: { handlaggare: Handläggare }
        fields:
          enhet: { type: string, required: true }
          inkom: { type: date }
          beslutad: { type: datetime }
          registrerad: { type: date }
          mottagen: { type: date }
          iTid: { type: boolean }
          planSenast: { type: date, default: "2026-02-16" }
        events:
          planInkom:
            roles: [handlaggare]
            payload: { inkom: required }
            effective: inkom
          beslut:
            roles: [handlaggare]
            payload: { beslutad: optional }
            effective: beslutad
          anteckna:
            roles: [handlaggare]
        states:
          vantar:
            initial: true
            on:
              planInkom: { to: klar, set: { mottagen: effectiveDate, registrerad: today, iTid: "effectiveDate <= planSenast" } }
              beslut: { to: klar, set: { registrerad: effectiveDate } }
              anteckna: { set: { registrerad: effectiveDate } }
          klar: { final: true }
        """

    let engine: Engine
    let officer = Actor(name: "anna", role: "handlaggare")
    static func local(_ text: String) -> Date { Scenario.localInstant(text)! }

    init() throws { engine = Engine(workflow: try WorkflowLoader.load(yaml: Self.yaml, path: "plan.yaml")) }

    func opened() throws -> CaseRecord {
        try engine.open(id: "c1", owner: "anna", fields: ["enhet": .string("VC Berga")], now: Self.local("2026-02-01T09:00"), actor: officer).record
    }

    @Test func aPlanThatArrivedOnItsDueDateButWasRegisteredTheNextMorningIsInTime() throws {
        let now = Self.local("2026-02-17T08:30")
        let transition = try engine.apply(event: "planInkom", payload: ["inkom": .string("2026-02-16")], reason: nil,
                                          to: try opened(), now: now, actor: officer)
        #expect(transition.record.fields["mottagen"] == .date(LocalDate(iso: "2026-02-16")!))
        #expect(transition.record.fields["registrerad"] == .date(LocalDate(iso: "2026-02-17")!), "today is still when it was registered")
        #expect(transition.record.fields["iTid"] == .boolean(true))
        let entry = try #require(transition.history.first)
        #expect(entry.at == now)
        #expect(entry.effectiveAt == Self.local("2026-02-16T17:00"), "a date alone means that day, by the workflow's due time")
    }

    @Test func aDateOfTodayIsNotLaterThanNow() throws {
        let now = Self.local("2026-02-17T08:30")
        let transition = try engine.apply(event: "planInkom", payload: ["inkom": .string("2026-02-17")], reason: nil,
                                          to: try opened(), now: now, actor: officer)
        #expect(transition.history.first?.effectiveAt == now)
        #expect(transition.record.fields["iTid"] == .boolean(false))
    }

    @Test func anEffectiveTimeInTheFutureOrBeforeTheCaseIsRefused() throws {
        let now = Self.local("2026-02-17T08:30")
        #expect {
            try engine.apply(event: "planInkom", payload: ["inkom": .string("2026-02-18")], reason: nil, to: try opened(), now: now, actor: officer)
        } throws: { error in
            guard case EngineError.invalidInput(let problems) = error else { return false }
            return problems.map(\.field) == ["inkom"] && problems[0].problem.contains("future")
        }
        #expect {
            try engine.apply(event: "planInkom", payload: ["inkom": .string("2026-01-31")], reason: nil, to: try opened(), now: now, actor: officer)
        } throws: { error in
            guard case EngineError.invalidInput(let problems) = error else { return false }
            return problems.map(\.field) == ["inkom"] && problems[0].problem.contains("before the case was opened")
        }
        #expect {
            try engine.apply(event: "beslut", payload: ["beslutad": .string("2026-02-17T09:00:00Z")], reason: nil, to: try opened(),
                             now: now, actor: officer)
        } throws: { error in
            guard case EngineError.invalidInput(let problems) = error else { return false }
            return problems.map(\.field) == ["beslutad"]
        }
    }

    @Test func anInstantIsTakenAsItIsAndWithoutOneTheEventTookEffectWhenRegistered() throws {
        let now = Self.local("2026-02-17T08:30")
        let meeting = try engine.apply(event: "beslut", payload: ["beslutad": .string("2026-02-16T13:00:00Z")], reason: nil,
                                       to: try opened(), now: now, actor: officer)
        #expect(meeting.history.first?.effectiveAt == RFC3339.parseForTests("2026-02-16T13:00:00Z"))
        #expect(meeting.record.fields["registrerad"] == .date(LocalDate(iso: "2026-02-16")!))
        let unsaid = try engine.apply(event: "beslut", payload: [:], reason: nil, to: try opened(), now: now, actor: officer)
        #expect(unsaid.history.first?.effectiveAt == nil)
        #expect(unsaid.record.fields["registrerad"] == .date(LocalDate(iso: "2026-02-17")!))
        let note = try engine.apply(event: "anteckna", payload: [:], reason: nil, to: try opened(), now: now, actor: officer)
        #expect(note.record.fields["registrerad"] == .date(LocalDate(iso: "2026-02-17")!))
    }

    @Test func effectiveMustNameADateInThePayload() {
        for (change, message) in [("effective: inkom\n", "effective: registrerad\n"), ("effective: inkom\n", "effective: enhet\n")] {
            let broken = Self.yaml.replacingOccurrences(of: "payload: { inkom: required }\n    " + change, with: "payload: { inkom: required }\n    " + message)
            #expect(throws: WorkflowLoadErrors.self, "\(message)") { try WorkflowLoader.load(yaml: broken, path: "plan.yaml") }
        }
        let payloadEnhet = Self.yaml.replacingOccurrences(of: "payload: { inkom: required }\n    effective: inkom",
                                                          with: "payload: { inkom: required, enhet: optional }\n    effective: enhet")
        #expect(throws: WorkflowLoadErrors.self) { try WorkflowLoader.load(yaml: payloadEnhet, path: "plan.yaml") }
    }
}

extension RFC3339 {
    static func parseForTests(_ text: String) -> Date? { try? parse(text) }
}
