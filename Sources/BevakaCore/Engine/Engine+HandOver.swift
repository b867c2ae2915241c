import Foundation

extension Engine {
    /// Completes a hand-over: `transition` (from `source`) asked for the case to
    /// move into this engine's workflow. The case keeps its id and history and
    /// every field this workflow declares with the same type; other fields are
    /// kept in the `case.handedOver` history entry, so nothing is lost. The old
    /// workflow's deadlines and checklists end; the entry state's deadlines and
    /// checklists start. Refused, changing nothing, while an accrual runs (a
    /// sanction ends only by its own decision) or when a field this workflow
    /// requires has no value.
    public func receive(_ transition: Transition, from source: WorkflowDefinition, now: Date, actor: Actor) throws(EngineError) -> Transition {
        guard let target = transition.handOver else { return transition }
        let entryState = target.state.flatMap(workflow.state) ?? workflow.initialState
        var record = transition.record
        var reasons: [String] = []
        for accrual in record.accruals where accrual.isRunning {
            reasons.append("accrual '\(accrual.name)' is running; it must end before the case leaves \(source.key)")
        }
        var kept: [String: Value] = [:]
        var notCarried: [String: JSONValue] = [:]
        for (name, value) in record.fields {
            if let field = workflow.field(name), case .success(let checked) = checkedValue(FieldValueCoder.encode(value), for: field) {
                kept[name] = checked
            } else {
                notCarried[name] = FieldValueCoder.encode(value)
            }
        }
        for field in workflow.fields where kept[field.name] == nil {
            if let value = field.defaultValue { kept[field.name] = value } else if field.required {
                reasons.append("\(workflow.key) requires '\(field.name)', which the case does not hold")
            }
        }
        guard reasons.isEmpty else { throw .handOverRefused(to: workflow.name, reasons: reasons) }

        var effects = transition.effects
        var notes: [String] = []
        for index in record.checklists.indices where record.checklists[index].isOpen {
            close(&record.checklists[index], because: "the case was handed over to \(workflow.name)", now: now,
                  effects: &effects, notes: &notes)
        }
        effects.append(.cancelTimers(deadline: nil))
        let fromState = record.state
        record.workflow = workflow.key
        record.fields = kept
        record.state = entryState.name
        record.stateEntry += 1
        record.stateEnteredAt = now
        record.deadlines = []
        record.updatedAt = now
        notes.append("handed over from \(source.key) state \(fromState) to \(workflow.key) state \(entryState.name)")
        if !notCarried.isEmpty {
            notes.append("fields kept only in this entry: \(notCarried.keys.sorted().joined(separator: ", "))")
        }
        let historyIndex = transition.history.count
        var entered: [Effect] = []
        enter(entryState, record: &record, now: now, notificationType: "case.state.entered", effects: &entered, notes: &notes)
        try reconcile(record: &record, now: now, effects: &entered, notes: &notes)
        effects += entered.map { $0.shiftingHistory(by: historyIndex) }
        let entry = HistoryEntry(
            at: now, actor: actor.name, role: actor.role, event: "case.handedOver", fromState: fromState, toState: entryState.name,
            payload: .object([
                "fromWorkflow": .string(source.key.description), "toWorkflow": .string(workflow.key.description),
                "fieldsNotCarried": .object(notCarried),
            ]),
            reason: nil, notes: notes)
        return Transition(record: record, effects: effects, history: transition.history + [entry])
    }
}
