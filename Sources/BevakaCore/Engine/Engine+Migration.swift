import Foundation

extension Engine {
    /// Moves a case to another version of its workflow (this engine's), keeping
    /// its id, state, fields, running deadlines and history. Refused, with
    /// every reason, when the case's state, a field it holds (or its type) or
    /// a running accrual does not exist in the target version. Deadlines
    /// already running keep their due instants; the target's definitions apply
    /// from the case's next state change.
    public func migrate(_ record: CaseRecord, now: Date, actor: Actor, reason: String?) throws(EngineError) -> Transition {
        let from = record.workflow
        let to = workflow.key
        var reasons: [String] = []
        if from.name != to.name { reasons.append("the case runs on workflow '\(from.name)', not '\(to.name)'") }
        if from == to { reasons.append("the case already runs on \(to)") }
        if workflow.state(record.state) == nil {
            reasons.append("state '\(record.state)' does not exist in \(to)")
        }
        for (name, value) in record.fields.sorted(by: { $0.key < $1.key }) {
            guard let field = workflow.field(name) else {
                reasons.append("field '\(name)' does not exist in \(to)")
                continue
            }
            if case .failure(let problem) = FieldValueCoder.decode(FieldValueCoder.encode(value), as: field.type) {
                reasons.append("field '\(name)' holds a value \(to) does not accept: \(problem.text)")
            }
        }
        for accrual in record.accruals where !workflow.accruals.contains(where: { $0.name == accrual.name }) {
            reasons.append("accrual '\(accrual.name)' does not exist in \(to)")
        }
        guard reasons.isEmpty else { throw .migrationRefused(to: to, reasons: reasons) }

        var migrated = record
        migrated.workflow = to
        migrated.updatedAt = now
        let entry = HistoryEntry(
            at: now, actor: actor.name, role: actor.role, event: "case.migrated", fromState: record.state, toState: record.state,
            payload: .object(["fromVersion": .int(from.version), "toVersion": .int(to.version)]), reason: reason,
            notes: ["moved from \(from) to \(to)"])
        return Transition(record: migrated, effects: [], history: [entry])
    }
}
