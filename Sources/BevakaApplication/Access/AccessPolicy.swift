import BevakaCore

/// Who may see and do what: the one place it is decided. Pure: it looks only at
/// the principal and at facts about a case and its workflow, so it is tested
/// without HTTP, SQL or a clock, and the API, the CLI and the pages all ask it.
public enum AccessPolicy {
    /// Sees every case (not personal fields, unless it also holds a role named for them)
    /// and runs the daemon's operations: deliveries, webhooks, sessions.
    public static let adminRole = "admin"
    /// Reads the access log; sees no case by that role alone.
    public static let auditorRole = "auditor"
    /// Roles that mean something to Bevaka itself rather than to a workflow.
    public static let bevakaRoles: Set<String> = [adminRole, auditorRole]

    /// What a case looks like to the policy.
    public struct CaseFacts: Sendable {
        public var owner: String
        /// Other people named on the case (none until cases name their people).
        public var people: Set<String>
        public var workflowRoles: Set<String>

        public init(owner: String, people: Set<String> = [], workflowRoles: Set<String>) {
            self.owner = owner
            self.people = people
            self.workflowRoles = workflowRoles
        }

        public init(_ record: CaseRecord, _ definition: WorkflowDefinition) {
            self.init(owner: record.owner, people: Set(record.people.values.joined().map(\.email)),
                      workflowRoles: Set(definition.roles.map(\.name)))
        }
    }

    /// A case is visible to its owner, the people named on it, the holders of its
    /// workflow's roles and admins. To anyone else it does not exist (404, not 403).
    public static func maySee(_ principal: Principal, _ facts: CaseFacts) -> Bool {
        principal.isAdmin || !principal.roles.isDisjoint(with: facts.workflowRoles)
            || principal.identifiers.contains(facts.owner) || !principal.identifiers.isDisjoint(with: facts.people)
    }

    /// Which cases a list may show, as the store filters them: nil for every case,
    /// else those of the workflows whose roles the principal holds, or that it owns.
    public static func listScope(_ principal: Principal, workflows: [WorkflowDefinition]) -> (workflows: [String], owners: [String])? {
        if principal.isAdmin { return nil }
        let names = workflows.filter { !principal.roles.isDisjoint(with: $0.roles.map(\.name)) }.map(\.name)
        return (Array(Set(names)).sorted(), principal.identifiers.sorted())
    }

    /// The personal fields of a workflow the principal may not see: those whose
    /// named roles it holds none of. Admins are no exception.
    public static func hiddenFields(_ principal: Principal, _ definition: WorkflowDefinition) -> Set<String> {
        Set(definition.fields.filter { $0.personal && principal.roles.isDisjoint(with: $0.personalRoles) }.map(\.name))
    }

    /// Whether a read of a case of this workflow must be written to the access log.
    public static func readIsLogged(_ definition: WorkflowDefinition) -> Bool {
        definition.fields.contains { $0.personal }
    }

    /// Every change is made in one role the principal holds (which events that role
    /// may fire is the workflow's to say, and the engine checks it).
    public static func mayAct(_ principal: Principal) -> Refusal? {
        guard let role = principal.actingRole, !role.isEmpty else { return .noActingRole(held: principal.roles.sorted()) }
        return nil
    }

    /// Opening a case, or linking one, is done in a role of its workflow.
    public static func mayActOn(_ principal: Principal, workflowRoles: Set<String>) -> Refusal? {
        if let refusal = mayAct(principal) { return refusal }
        guard let role = principal.actingRole, workflowRoles.contains(role) else {
            return .roleNotAllowed(role: principal.actingRole ?? "", allowed: workflowRoles.sorted())
        }
        return nil
    }

    /// Deliveries, webhooks and sessions are the operators'.
    public static func mayOperate(_ principal: Principal) -> Refusal? {
        principal.isAdmin ? nil : .needsRole(adminRole)
    }

    public static func mayReadAccessLog(_ principal: Principal) -> Refusal? {
        principal.roles.contains(auditorRole) ? nil : .needsRole(auditorRole)
    }

    /// The follow-up team's roles by default (`auth.teamRoles`): they keep the register
    /// and alone see the traffic light, which is internal to the team (seed 000 ch. 2).
    public static let defaultTeamRoles: Set<String> = ["handlaggare", "teamledare", "enhetschef"]

    /// The traffic light: only someone acting in one of the team's roles, not even an admin.
    public static func maySeeTrafficLight(_ principal: Principal, teamRoles: Set<String>) -> Refusal? {
        if let refusal = mayAct(principal) { return refusal }
        guard let role = principal.actingRole, teamRoles.contains(role) else {
            return .outsideTeam(role: principal.actingRole ?? "", team: teamRoles.sorted())
        }
        return nil
    }

    /// Providers, units, contracts and boards are kept by the team (or an admin, e.g. an import).
    public static func mayKeepRegister(_ principal: Principal, teamRoles: Set<String>) -> Refusal? {
        principal.isAdmin ? nil : maySeeTrafficLight(principal, teamRoles: teamRoles)
    }

    // MARK: Calendars

    /// Whose calendar a feed is: a person's (the cases they own or are named on, by any of
    /// the names a case may use for them) or a team role's (the deadlines and checklist
    /// items that fall on the role).
    public enum CalendarOwner: Sendable, Equatable {
        case person(subject: String, identifiers: Set<String>)
        case team(role: String)
    }

    /// A person makes their own feed (a system has no calendar of its own), an admin one for
    /// anyone (operators, `bevaka calendar create`, are admins); a team's feed only someone
    /// holding that role, or an admin.
    public static func mayMakeCalendar(_ principal: Principal, for owner: CalendarOwner) -> Refusal? {
        switch owner {
        case .person(let subject, _):
            if subject != principal.subject { return principal.isAdmin ? nil : .needsRole(adminRole) }
            return principal.kind == .system ? .personOnly : nil
        case .team(let role):
            return principal.isAdmin || principal.roles.contains(role) ? nil : .needsRole(role)
        }
    }

    /// A feed is renewed or revoked by the person it is for, by whoever made it (a team's), or
    /// by an admin (operators, `bevaka calendar`). Anyone else is told it does not exist.
    public static func mayManageCalendar(_ principal: Principal, subject: String?, createdBy: String) -> Bool {
        principal.isAdmin || principal.subject == createdBy || (subject != nil && principal.subject == subject)
    }

    /// Which cases a feed reads, as the store filters them: a person's the cases they own or
    /// are named on (never all the cases their roles could see: a calendar is theirs, not the
    /// unit's); a team's the cases of the workflows that have the role.
    public static func calendarScope(_ owner: CalendarOwner, workflows: [WorkflowDefinition]) -> (workflows: [String], owners: [String]) {
        switch owner {
        case .person(_, let identifiers): return ([], identifiers.sorted())
        case .team(let role): return (Array(Set(workflows.filter { $0.roles.contains { $0.name == role } }.map(\.name))).sorted(), [])
        }
    }

    /// Whether a case belongs in the feed: always a case its owner could see (an owner and
    /// the people named see their cases; a role's holders the cases of its workflows).
    public static func calendarShows(_ owner: CalendarOwner, _ facts: CaseFacts) -> Bool {
        switch owner {
        case .person(_, let identifiers): identifiers.contains(facts.owner) || !identifiers.isDisjoint(with: facts.people)
        case .team(let role): facts.workflowRoles.contains(role)
        }
    }

    /// Why the policy says no (a 403; a case one may not see is a 404 instead).
    public enum Refusal: Error, Equatable, Sendable {
        case noActingRole(held: [String])
        case roleNotAllowed(role: String, allowed: [String])
        case needsRole(String)
        case outsideTeam(role: String, team: [String])
        /// Only a person has a calendar (not a system's token).
        case personOnly
    }
}
