import Foundation

/// Who a case names for its roles, and who owns it: set at opening, changed by
/// the built-in events `case.people` and `case.reassign`, each a history row.
public let casePeopleEvent = "case.people"
public let caseReassignEvent = "case.reassign"

extension Engine {
    /// Reads `{"ROLE": [{"name", "email"}, …]}`: each role one of the workflow's, each person
    /// with a name and an e-mail address, at most 20 a role. Every problem is listed.
    public func casePeople(_ input: [String: JSONValue], field: String = "people") -> ([String: [CasePerson]], [FieldProblem]) {
        var people: [String: [CasePerson]] = [:]
        var problems: [FieldProblem] = []
        let roles = workflow.roles.map(\.name)
        for (role, value) in input.sorted(by: { $0.key < $1.key }) {
            guard roles.contains(role) else {
                problems.append(FieldProblem(field: "\(field).\(role)", problem: "not a role of \(workflow.name); roles: \(roles.joined(separator: ", "))"))
                continue
            }
            guard case .array(let items) = value, items.count <= 20 else {
                problems.append(FieldProblem(field: "\(field).\(role)", problem: "a list of at most 20 people, each {\"name\", \"email\"}"))
                continue
            }
            var list: [CasePerson] = []
            for (index, item) in items.enumerated() {
                let path = "\(field).\(role)[\(index)]"
                guard case .object(let members) = item, case .string(let name)? = members["name"], case .string(let email)? = members["email"],
                      members.count == 2 else {
                    problems.append(FieldProblem(field: path, problem: "a person is {\"name\", \"email\"}, both text"))
                    continue
                }
                if name.trimmingCharacters(in: .whitespaces).isEmpty {
                    problems.append(FieldProblem(field: path + ".name", problem: "a name is needed"))
                } else if let problem = InputLimits.textProblem(name, maximumLength: InputLimits.nameLength) {
                    problems.append(FieldProblem(field: path + ".name", problem: problem))
                }
                if !Self.isEmailAddress(email) {
                    problems.append(FieldProblem(field: path + ".email", problem: "an e-mail address such as namn@region.se, got '\(email.prefix(80))'"))
                }
                list.append(CasePerson(name: name.trimmingCharacters(in: .whitespaces), email: email))
            }
            if !list.isEmpty { people[role] = list }
        }
        return (people, problems)
    }

    /// One address, as a person types it: a local part, one @, a domain with a dot; no spaces or angle brackets.
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !"<>(),;:\\\"[]".unicodeScalars.contains($0) }
    }

    /// `case.people` (`{"role", "people": [...]}`: the role's people replaced; an empty list
    /// leaves the role to the directory) and `case.reassign` (`{"owner"}`, with a reason).
    /// Any role of the workflow may do either; the history keeps what changed.
    func applyBuiltIn(_ name: String, payload: [String: JSONValue], reason: String?, to current: CaseRecord,
                      now: Date, actor: Actor) throws(EngineError) -> Transition {
        let roles = workflow.roles.map(\.name)
        if !actor.isSystem && !roles.contains(actor.role) {
            throw .roleNotAllowed(event: name, role: actor.role, allowed: roles)
        }
        var record = current
        var notes: [String] = []
        let trimmedReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if name == casePeopleEvent {
            guard case .string(let role)? = payload["role"], case .array? = payload["people"], payload.count == 2 else {
                throw .invalidInput([FieldProblem(field: "payload", problem: "case.people carries {\"role\", \"people\": [{\"name\", \"email\"}, …]}")])
            }
            let (people, problems) = casePeople([role: payload["people"]!], field: "payload.people")
            guard problems.isEmpty else { throw .invalidInput(problems) }
            record.people[role] = people[role]
            let named = people[role].map { $0.map { "\($0.name) <\($0.email)>" }.joined(separator: ", ") } ?? "nobody (the directory's)"
            notes.append("\(role): \(named)")
        } else {
            guard case .string(let owner)? = payload["owner"], payload.count == 1 else {
                throw .invalidInput([FieldProblem(field: "payload", problem: "case.reassign carries {\"owner\"}")])
            }
            var problems: [FieldProblem] = []
            if owner.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(FieldProblem(field: "payload.owner", problem: "a case needs an owner"))
            } else if let problem = InputLimits.textProblem(owner, maximumLength: InputLimits.nameLength) {
                problems.append(FieldProblem(field: "payload.owner", problem: problem))
            } else if owner == current.owner {
                problems.append(FieldProblem(field: "payload.owner", problem: "'\(owner)' owns the case already"))
            }
            if (trimmedReason ?? "").isEmpty {
                problems.append(FieldProblem(field: "reason", problem: "a new owner needs a reason, which is kept in the history"))
            }
            guard problems.isEmpty else { throw .invalidInput(problems) }
            notes.append("owner \(current.owner) → \(owner)")
            record.owner = owner
        }
        record.updatedAt = now
        let entry = HistoryEntry(at: now, actor: actor.name, role: actor.role, event: name, fromState: current.state,
                                 toState: current.state, payload: .object(payload), reason: trimmedReason, notes: notes)
        return Transition(record: record, effects: [], history: [entry])
    }
}
