import BevakaApplication
import BevakaCore
import Testing

/// The access policy, without HTTP, SQL or a clock: who sees which case and which fields.
struct AccessPolicyTests {
    static let workflow: WorkflowDefinition = {
        let source = """
            workflow: vard
            version: 1
            title: Vård
            roles: { handlaggare: Handläggare, teamledare: Teamledare }
            fields:
              id: { type: string, required: true }
              namn: { type: string, required: true, personal: [handlaggare] }
              adress: { type: string, personal: true }
            events:
              klar: { roles: [handlaggare] }
            states:
              ny: { initial: true, on: { klar: { to: klar } } }
              klar: { final: true }
            """
        return try! WorkflowLoader.load(yaml: source, path: "vard.yaml")
    }()
    static let other: WorkflowDefinition = {
        try! WorkflowLoader.load(yaml: """
            workflow: annat
            version: 1
            title: Annat
            roles: { beslutsfattare: Beslutsfattare }
            fields:
              x: { type: string }
            events:
              klar: { roles: [beslutsfattare] }
            states:
              ny: { initial: true, on: { klar: { to: klar } } }
              klar: { final: true }
            """, path: "annat.yaml")
    }()

    static func person(_ roles: Set<String>, _ subject: String = "p", identifiers: Set<String> = []) -> Principal {
        Principal(kind: .person, subject: subject, name: subject.capitalized, roles: roles, identifiers: identifiers)
    }

    let facts = AccessPolicy.CaseFacts(owner: "anna", workflowRoles: ["handlaggare", "teamledare"])

    @Test func aCaseIsSeenByItsOwnerItsWorkflowsRolesAndAdminsOnly() {
        #expect(AccessPolicy.maySee(Self.person(["teamledare"]), facts))
        #expect(AccessPolicy.maySee(Self.person([], "anna"), facts), "the owner, by subject")
        #expect(AccessPolicy.maySee(Self.person([], "x-17", identifiers: ["anna"]), facts), "the owner, by user name")
        #expect(AccessPolicy.maySee(Self.person([AccessPolicy.adminRole]), facts))
        #expect(!AccessPolicy.maySee(Self.person(["beslutsfattare"]), facts))
        #expect(!AccessPolicy.maySee(Self.person([AccessPolicy.auditorRole]), facts), "the auditor reads the log, not the cases")
        #expect(AccessPolicy.maySee(Self.person([], "bo"), .init(owner: "anna", people: ["bo"], workflowRoles: [])))
    }

    @Test func listsAreScopedToTheSameCases() {
        let scope = AccessPolicy.listScope(Self.person(["teamledare"], "tea"), workflows: [Self.workflow, Self.other])
        #expect(scope?.workflows == ["vard"])
        #expect(scope?.owners == ["tea"])
        #expect(AccessPolicy.listScope(Self.person([AccessPolicy.adminRole]), workflows: [Self.workflow]) == nil)
        #expect(AccessPolicy.listScope(Self.person([]), workflows: [Self.workflow])?.workflows == [])
    }

    @Test func personalFieldsAreShownOnlyToTheRolesNamedForThem() {
        #expect(AccessPolicy.hiddenFields(Self.person(["handlaggare"]), Self.workflow) == [])
        #expect(AccessPolicy.hiddenFields(Self.person(["teamledare"]), Self.workflow) == ["namn"], "personal: true names every role")
        #expect(AccessPolicy.hiddenFields(Self.person([AccessPolicy.adminRole]), Self.workflow) == ["namn", "adress"])
        #expect(AccessPolicy.readIsLogged(Self.workflow))
        #expect(!AccessPolicy.readIsLogged(Self.other))
    }

    @Test func actingNeedsOneHeldRoleOfTheWorkflow() {
        let roles: Set<String> = ["handlaggare", "teamledare"]
        #expect(AccessPolicy.mayActOn(Self.person(["handlaggare"]), workflowRoles: roles) == nil)
        #expect(AccessPolicy.mayActOn(Self.person(["beslutsfattare"]), workflowRoles: roles)
                == .roleNotAllowed(role: "beslutsfattare", allowed: ["handlaggare", "teamledare"]))
        let two = Self.person(["handlaggare", "beslutsfattare"])
        #expect(AccessPolicy.mayActOn(two, workflowRoles: roles) == .noActingRole(held: ["beslutsfattare", "handlaggare"]))
        #expect(AccessPolicy.mayActOn(two.acting(as: "handlaggare"), workflowRoles: roles) == nil)
        #expect(two.acting(as: "handlaggare").actor == Actor(name: "P (p)", role: "handlaggare"))
    }

    @Test func operationsAreAdminsAndTheLogIsAuditors() {
        #expect(AccessPolicy.mayOperate(Self.person([AccessPolicy.adminRole])) == nil)
        #expect(AccessPolicy.mayOperate(Self.person(["handlaggare"])) == .needsRole(AccessPolicy.adminRole))
        #expect(AccessPolicy.mayReadAccessLog(Self.person([AccessPolicy.auditorRole])) == nil)
        #expect(AccessPolicy.mayReadAccessLog(Self.person([AccessPolicy.adminRole])) == .needsRole(AccessPolicy.auditorRole))
    }

    @Test func aWorkflowNamingAnUnknownRoleForAPersonalFieldDoesNotLoad() {
        let source = """
            workflow: fel
            version: 1
            title: Fel
            roles: { handlaggare: Handläggare }
            fields:
              namn: { type: string, personal: [lakare] }
            events:
              klar: { roles: [handlaggare] }
            states:
              ny: { initial: true, on: { klar: { to: klar } } }
              klar: { final: true }
            """
        #expect(throws: WorkflowLoadErrors.self) { try WorkflowLoader.load(yaml: source, path: "fel.yaml") }
    }
}
