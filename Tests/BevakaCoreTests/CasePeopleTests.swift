import BevakaCore
import Foundation
import Testing

/// Issue 11: a case names people for its roles and can change owner, each a history row.
@Suite struct CasePeopleTests {
    let engine: Engine
    let officer = Actor(name: "anna", role: "handlaggare")
    let now = Scenario.localInstant("2026-03-02T09:00")!

    init() throws { engine = Engine(workflow: try WorkflowLoader.load(yaml: EffectiveTimeTests.yaml, path: "plan.yaml")) }

    static func person(_ name: String, _ email: String) -> JSONValue { .object(["name": .string(name), "email": .string(email)]) }

    @Test func peopleAreNamedAtOpeningForTheWorkflowsRolesOnly() throws {
        let opened = try engine.open(id: "c1", owner: "anna", fields: ["enhet": .string("VC Berga")],
                                     people: ["handlaggare": .array([Self.person("Anna Berg", "anna.berg@region.se")])], now: now, actor: officer)
        #expect(opened.record.people == ["handlaggare": [CasePerson(name: "Anna Berg", email: "anna.berg@region.se")]])
        #expect(opened.history.first?.notes.first == "handlaggare: Anna Berg <anna.berg@region.se>")
        #expect {
            try engine.open(id: "c1", owner: "anna", fields: ["enhet": .string("VC Berga")],
                            people: ["verksamhetschef": .array([Self.person("Eva", "eva@vc.se")]),
                                     "handlaggare": .array([Self.person("", "not-an-address"), .string("x")])], now: now, actor: officer)
        } throws: { error in
            guard case EngineError.invalidInput(let problems) = error else { return false }
            return Set(problems.map(\.field)) == ["people.verksamhetschef", "people.handlaggare[0].name", "people.handlaggare[0].email",
                                                  "people.handlaggare[1]"]
        }
    }

    @Test func peopleChangeAndTheOwnerIsReassignedWithAReason() throws {
        let opened = try engine.open(id: "c1", owner: "anna", fields: ["enhet": .string("VC Berga")], now: now, actor: officer).record
        let named = try engine.apply(event: casePeopleEvent, payload: ["role": .string("handlaggare"),
                                                                       "people": .array([Self.person("Bo Berg", "bo@region.se")])],
                                     reason: nil, to: opened, now: now, actor: officer)
        #expect(named.record.people["handlaggare"]?.map(\.email) == ["bo@region.se"])
        #expect(named.record.state == opened.state)
        let cleared = try engine.apply(event: casePeopleEvent, payload: ["role": .string("handlaggare"), "people": .array([])],
                                       reason: nil, to: named.record, now: now, actor: officer)
        #expect(cleared.record.people.isEmpty)
        #expect(cleared.history.first?.notes == ["handlaggare: nobody (the directory's)"])

        #expect(throws: EngineError.self) {
            try engine.apply(event: caseReassignEvent, payload: ["owner": .string("bo")], reason: nil, to: opened, now: now, actor: officer)
        }
        #expect(throws: EngineError.self) {
            try engine.apply(event: caseReassignEvent, payload: ["owner": .string("bo")], reason: "Tar över", to: opened, now: now,
                             actor: Actor(name: "x", role: "ekonom"))
        }
        let moved = try engine.apply(event: caseReassignEvent, payload: ["owner": .string("bo")], reason: "Fördjupad uppföljning tar över",
                                     to: opened, now: now, actor: officer)
        #expect(moved.record.owner == "bo")
        #expect(moved.history.first?.notes == ["owner anna → bo"])
        #expect(moved.history.first?.reason == "Fördjupad uppföljning tar över")
    }
}
