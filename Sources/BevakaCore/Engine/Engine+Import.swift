import Foundation

/// The history row of a case brought in from a spreadsheet.
public let caseImportedEvent = "case.imported"

/// One case to bring in mid-ladder (`bevaka case import`).
public struct ImportedCase: Sendable {
    public var owner: String
    public var state: String
    /// When the case entered `state` (the request sent, the sanction decided): its deadlines count from it.
    public var enteredAt: Date
    public var fields: [String: JSONValue]
    public var people: [String: JSONValue]
    /// Whether deadlines already past fire at once (true), or count as expired without raising anything (false).
    public var firePast: Bool
    /// The register's unit (HSA-id) and contract the case belongs to, if the row names them.
    public var unit: String?
    public var contract: String?

    public init(owner: String, state: String, enteredAt: Date, fields: [String: JSONValue], people: [String: JSONValue] = [:], firePast: Bool) {
        self.owner = owner
        self.state = state
        self.enteredAt = enteredAt
        self.fields = fields
        self.people = people
        self.firePast = firePast
    }
}

extension Engine {
    /// Opens a case directly in a state, as it stands in the spreadsheet it comes from:
    /// every field checked by its type and bounds (an import may give what events set),
    /// the state's deadlines counted from `enteredAt`, its checklists opened, its accruals
    /// running from their own dates (a sanction since last month has last month's ledger).
    /// A deadline already past fires at once only if `firePast`; otherwise it counts as
    /// expired. One `case.imported` history row, effective at `enteredAt`.
    public func importCase(_ row: ImportedCase, id: String, now: Date, actor: Actor) throws(EngineError) -> Transition {
        var problems: [FieldProblem] = []
        guard let state = workflow.state(row.state), !state.isFinal else {
            let open = workflow.states.filter { !$0.isFinal }.map(\.name)
            throw .invalidInput([FieldProblem(field: "state", problem: "'\(row.state)' is not a state a case can be brought into; states: \(open.joined(separator: ", "))")])
        }
        if row.enteredAt > now {
            problems.append(FieldProblem(field: "enteredAt", problem: "cannot be in the future"))
        }
        if let problem = InputLimits.dateProblem(workflow.calendar.localDate(of: row.enteredAt)) {
            problems.append(FieldProblem(field: "enteredAt", problem: problem))
        }
        // Checked as a system's opening: what events set may be given too.
        var opened: Transition?
        do {
            opened = try open(id: id, owner: row.owner, fields: row.fields, people: row.people, now: now, actor: Actor(name: actor.name, role: systemRole))
        } catch {
            if case .invalidInput(let fieldProblems) = error { problems += fieldProblems } else { throw error }
        }
        guard problems.isEmpty, let base = opened?.record else { throw .invalidInput(problems) }
        var record = base
        record.state = state.name
        record.stateEntry = 1
        record.stateEnteredAt = row.enteredAt
        // The case was running at least since it entered the state: what happened since
        // (a plan that came in on time, registered today) may take effect then.
        record.createdAt = min(row.enteredAt, now)
        record.deadlines = []
        record.checklists = []
        record.accruals = []
        var effects: [Effect] = []
        var notes: [String] = ["brought in at state \(state.name), entered \(workflow.calendar.isoLocalString(row.enteredAt))"]
        scheduleDeadlines(of: state, record: &record, now: now, effects: &effects, notes: &notes)
        if !row.firePast {
            // Past deadlines count as expired: nothing fires for them now.
            let past = Set(record.deadlines.filter { $0.dueAt <= now }.map(\.name))
            effects.removeAll { effect in
                if case .scheduleTimer(let spec) = effect { return past.contains(spec.deadline) }
                return false
            }
            for index in record.deadlines.indices where past.contains(record.deadlines[index].name) {
                record.deadlines[index].expired = true
                notes.append("deadline \(record.deadlines[index].name) already past: counted as expired, not fired")
            }
        }
        openChecklists(of: state, record: &record, now: now, effects: &effects, notes: &notes)
        try reconcile(record: &record, now: now, effects: &effects, notes: &notes)
        var entry = HistoryEntry(at: now, actor: actor.name, role: actor.role, event: caseImportedEvent, fromState: nil, toState: state.name,
                                 payload: .object(row.fields), reason: nil, notes: notes + (opened?.history.first?.notes.filter { $0.contains("<") } ?? []))
        entry.effectiveAt = row.enteredAt
        return Transition(record: record, effects: effects, history: [entry])
    }
}
