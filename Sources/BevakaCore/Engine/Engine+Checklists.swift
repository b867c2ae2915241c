import Foundation

/// The built-in event that ticks a checklist item: payload `{checklist, item, note?}`.
public let checklistTickEvent = "checklist.tick"
/// The built-in event that takes a tick back: the same payload, and a reason.
public let checklistUntickEvent = "checklist.untick"

extension Engine {
    static func timerName(checklist: String, item: String) -> String { ChecklistState.timerName(checklist: checklist, item: item) }

    // MARK: Due instants

    /// When an item falls due, or nil while the date field it counts from is unset.
    ///
    /// Ungrouped items of a checklist with `from` count from that date field
    /// (`-P14D`: fourteen days before it, at the due time); others count from
    /// the moment the checklist, or their group, opened. Date-only durations
    /// name a day and fall due at the workflow's due time, like deadlines.
    public func dueInstant(of item: ChecklistItemDefinition, in checklist: ChecklistDefinition, state: ChecklistState,
                           fields: [String: Value]) -> Date? {
        let calendar = workflow.calendar
        let time = workflow.dueTime
        let duration = item.due.duration
        if item.group == nil, let field = checklist.from {
            guard case .date(let day)? = fields[field] else { return nil }
            if item.due.before { return calendar.subtracting(duration, from: calendar.instant(on: day, at: time)) }
            return calendar.instant(on: calendar.adding(duration, to: day), at: time)
        }
        let start = item.group.flatMap { state.groupsOpened[$0] } ?? state.openedAt
        if duration.isDateOnly {
            return calendar.instant(on: calendar.adding(duration, to: calendar.localDate(of: start)), at: time)
        }
        return calendar.adding(duration, to: start)
    }

    // MARK: Opening, groups and closing

    /// Opens the checklists a state just entered names; one already open stays as it is.
    func openChecklists(of state: StateDefinition, record: inout CaseRecord, now: Date, effects: inout [Effect], notes: inout [String]) {
        for name in state.checklists {
            guard let definition = workflow.checklist(name), !record.checklists.contains(where: { $0.name == name && $0.isOpen }) else { continue }
            // A checklist closed earlier (a final state reopened by migration, say) starts afresh; its ticks stay in the history.
            record.checklists.removeAll { $0.name == name }
            var checklist = ChecklistState(name: name, openedAt: now)
            for item in definition.items where item.group == nil {
                addItem(item, of: definition, to: &checklist, record: record, effects: &effects)
            }
            record.checklists.append(checklist)
            notes.append("checklist \(name) opened with \(checklist.items.count) items")
        }
    }

    private func addItem(_ item: ChecklistItemDefinition, of definition: ChecklistDefinition, to checklist: inout ChecklistState,
                         record: CaseRecord, effects: inout [Effect]) {
        let due = dueInstant(of: item, in: definition, state: checklist, fields: record.fields)
        checklist.items.append(ChecklistItemState(id: item.id, dueAt: due))
        if let due { scheduleItem(checklist: definition.name, item: item.id, due: due, record: record, effects: &effects) }
    }

    private func scheduleItem(checklist: String, item: String, due: Date, record: CaseRecord, effects: inout [Effect]) {
        effects.append(.scheduleTimer(TimerSpec(caseID: record.id, dueAt: due, deadline: Self.timerName(checklist: checklist, item: item),
                                                kind: .itemDue, stateEntry: 0, deadlineDue: due)))
    }

    /// Brings open checklists in line with the case after a change: groups whose
    /// condition now holds open their items, items counting from a date field
    /// move when it changes, and a final state closes every checklist.
    func reconcileChecklists(record: inout CaseRecord, now: Date, effects: inout [Effect], notes: inout [String]) {
        guard record.checklists.contains(where: \.isOpen) else { return }
        let isFinal = workflow.state(record.state)?.isFinal ?? false
        let scope = EvaluationScope(workflow: workflow, fields: record.fields, now: now)
        for index in record.checklists.indices where record.checklists[index].isOpen {
            var checklist = record.checklists[index]
            guard let definition = workflow.checklist(checklist.name) else { continue }
            if isFinal {
                close(&checklist, because: "the case reached the final state \(record.state)", now: now, effects: &effects, notes: &notes)
                record.checklists[index] = checklist
                continue
            }
            for group in definition.groups where checklist.groupsOpened[group.name] == nil {
                // A condition over unset fields simply does not hold yet.
                guard (try? scope.evaluate(group.condition)) == .boolean(true) else { continue }
                checklist.groupsOpened[group.name] = now
                let items = definition.items.filter { $0.group == group.name }
                for item in items { addItem(item, of: definition, to: &checklist, record: record, effects: &effects) }
                notes.append("checklist \(checklist.name): group \(group.name) opened with \(items.count) items")
            }
            if definition.from != nil {
                for itemIndex in checklist.items.indices where !checklist.items[itemIndex].isDone {
                    guard let item = definition.item(checklist.items[itemIndex].id), item.group == nil else { continue }
                    let old = checklist.items[itemIndex].dueAt
                    let due = dueInstant(of: item, in: definition, state: checklist, fields: record.fields)
                    if old == nil && due == nil { continue }
                    if let old, let due, old.isSameMillisecond(as: due) { continue }
                    effects.append(.cancelTimers(deadline: Self.timerName(checklist: checklist.name, item: item.id)))
                    checklist.items[itemIndex].dueAt = due
                    checklist.items[itemIndex].overdueCount = 0
                    if let due { scheduleItem(checklist: checklist.name, item: item.id, due: due, record: record, effects: &effects) }
                    let from = old.map { SwedishCalendar.isoUTCString($0) } ?? "unset"
                    let to = due.map { SwedishCalendar.isoUTCString($0) } ?? "unset"
                    notes.append("checklist \(checklist.name): item \(item.id) moved from \(from) to \(to)")
                }
            }
            record.checklists[index] = checklist
        }
    }

    /// Closes a checklist and cancels its reminders; unticked items stay unticked in the record.
    func close(_ checklist: inout ChecklistState, because reason: String, now: Date, effects: inout [Effect], notes: inout [String]) {
        checklist.closedAt = now
        checklist.closedBecause = reason
        effects.append(.cancelChecklistTimers(checklist: checklist.name))
        let open = checklist.items.filter { !$0.isDone }.count
        notes.append("checklist \(checklist.name) closed (\(reason))" + (open > 0 ? " with \(open) items not ticked" : ""))
    }

    // MARK: Ticking

    /// The item a tick or untick names, checked: payload, checklist, item, the actor's role and that the list is open.
    private struct ItemReference {
        let definition: ChecklistDefinition
        let item: ChecklistItemDefinition
        let checklistIndex: Int
        let note: String?
    }

    private func reference(_ event: String, payload: [String: JSONValue], in current: CaseRecord,
                           actor: Actor) throws(EngineError) -> ItemReference {
        var problems: [FieldProblem] = []
        for key in payload.keys.sorted() where !["checklist", "item", "note"].contains(key) {
            problems.append(FieldProblem(field: key, problem: "'\(event)' carries checklist, item and note"))
        }
        func text(_ key: String, required: Bool) -> String? {
            switch payload[key] {
            case .string(let value)? where !value.trimmingCharacters(in: .whitespaces).isEmpty:
                if let problem = InputLimits.textProblem(value) {
                    problems.append(FieldProblem(field: key, problem: problem))
                    return nil
                }
                return value
            case nil, .null?: if required { problems.append(FieldProblem(field: key, problem: "required by '\(event)'")) }
            default: problems.append(FieldProblem(field: key, problem: "must be a non-empty text"))
            }
            return nil
        }
        let checklistName = text("checklist", required: true)
        let itemID = text("item", required: true)
        let note = text("note", required: false)
        var definition: ChecklistDefinition?
        if let checklistName {
            definition = workflow.checklist(checklistName)
            if definition == nil {
                let names = workflow.checklists.map(\.name)
                problems.append(FieldProblem(field: "checklist", problem: "workflow \(workflow.name) has no checklist '\(checklistName)'; checklists: \(names.isEmpty ? "none" : names.joined(separator: ", "))"))
            }
        }
        var item: ChecklistItemDefinition?
        if let definition, let itemID {
            item = definition.item(itemID)
            if item == nil {
                problems.append(FieldProblem(field: "item", problem: "checklist \(definition.name) has no item '\(itemID)'; items: \(definition.items.map(\.id).joined(separator: ", "))"))
            }
        }
        guard problems.isEmpty, let definition, let item else { throw .invalidInput(problems) }

        let allowed = item.roles + definition.tickRoles.filter { !item.roles.contains($0) }
        if !actor.isSystem && !allowed.contains(actor.role) {
            throw .roleNotAllowed(event: "\(event) \(definition.name)/\(item.id)", role: actor.role, allowed: allowed)
        }
        guard let index = current.checklists.firstIndex(where: { $0.name == definition.name && $0.isOpen }) else {
            throw .checklistNotOpen(checklist: definition.name, state: current.state)
        }
        return ItemReference(definition: definition, item: item, checklistIndex: index, note: note)
    }

    /// Ticks an item for the actor, who must hold one of its roles or the checklist's
    /// `tickRoles`. When that was the last open item and the checklist `completes`
    /// with an event, Bevaka raises it in the same transition.
    func tick(payload: [String: JSONValue], reason: String?, to current: CaseRecord, now: Date, actor: Actor) throws(EngineError) -> Transition {
        let reference = try reference(checklistTickEvent, payload: payload, in: current, actor: actor)
        let (definition, item, index) = (reference.definition, reference.item, reference.checklistIndex)
        var checklist = current.checklists[index]
        guard let itemIndex = checklist.items.firstIndex(where: { $0.id == item.id }) else {
            let group = item.group.flatMap(definition.group)
            throw .checklistItemNotOpen(checklist: definition.name, item: item.id,
                                        why: "it belongs to the group '\(group?.title ?? item.group ?? "")', which opens when \(group?.condition.source ?? "its condition holds")")
        }
        if let at = checklist.items[itemIndex].tickedAt {
            throw .checklistItemNotOpen(checklist: definition.name, item: item.id,
                                        why: "it was ticked by \(checklist.items[itemIndex].tickedBy ?? "someone") at \(SwedishCalendar.isoUTCString(at))")
        }
        checklist.items[itemIndex].tickedAt = now
        checklist.items[itemIndex].tickedBy = actor.name
        checklist.items[itemIndex].tickedRole = actor.role
        checklist.items[itemIndex].note = reference.note
        var record = current
        record.checklists[index] = checklist
        record.updatedAt = now
        var effects: [Effect] = [.cancelTimers(deadline: Self.timerName(checklist: definition.name, item: item.id))]
        let done = checklist.items.filter(\.isDone).count
        let complete = done == checklist.items.count
        let notes = ["checklist \(definition.name): \(done) of \(definition.items.count) items done" + (complete ? ", every opened item ticked" : "")]
        let trimmedReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        var history = [HistoryEntry(at: now, actor: actor.name, role: actor.role, event: checklistTickEvent, fromState: current.state,
                                    toState: current.state, payload: .object(payload),
                                    reason: trimmedReason?.isEmpty == false ? trimmedReason : nil, notes: notes)]
        var handOver: HandOverTarget?
        if complete, let raised = definition.completes {
            handOver = raise(raised, record: &record, effects: &effects, history: &history, now: now)
        }
        return Transition(record: record, effects: effects, history: history, handOver: handOver)
    }

    /// Takes a tick back (ticked by mistake, or the work turned out not done): the
    /// item is open again, its due notice and reminders run again (at once when
    /// it is past due), and the reason is kept in the history. Same roles as ticking.
    func untick(payload: [String: JSONValue], reason: String?, to current: CaseRecord, now: Date, actor: Actor) throws(EngineError) -> Transition {
        let trimmedReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let reference: ItemReference
        do {
            reference = try self.reference(checklistUntickEvent, payload: payload, in: current, actor: actor)
        } catch .invalidInput(let problems) where trimmedReason.isEmpty {
            throw .invalidInput(problems + [Self.untickNeedsReason])
        }
        if trimmedReason.isEmpty { throw .invalidInput([Self.untickNeedsReason]) }
        let (definition, item, index) = (reference.definition, reference.item, reference.checklistIndex)
        var checklist = current.checklists[index]
        guard let itemIndex = checklist.items.firstIndex(where: { $0.id == item.id }), checklist.items[itemIndex].isDone else {
            throw .checklistItemNotOpen(checklist: definition.name, item: item.id, why: "it is not ticked, so there is nothing to take back")
        }
        let was = checklist.items[itemIndex]
        checklist.items[itemIndex] = ChecklistItemState(id: item.id, dueAt: was.dueAt)
        var record = current
        record.checklists[index] = checklist
        record.updatedAt = now
        var effects: [Effect] = []
        if let due = was.dueAt { scheduleItem(checklist: definition.name, item: item.id, due: due, record: record, effects: &effects) }
        let done = checklist.items.filter(\.isDone).count
        let notes = ["checklist \(definition.name): item \(item.id) ticked by \(was.tickedBy ?? "someone") is open again; \(done) of \(definition.items.count) items done"]
        let entry = HistoryEntry(at: now, actor: actor.name, role: actor.role, event: checklistUntickEvent, fromState: current.state,
                                 toState: current.state, payload: .object(payload), reason: trimmedReason, notes: notes)
        return Transition(record: record, effects: effects, history: [entry])
    }

    private static let untickNeedsReason = FieldProblem(
        field: "reason", problem: "'\(checklistUntickEvent)' requires a reason, which is kept in the history")

    // MARK: Overdue reminders

    /// An item's due moment or one of its overdue reminders: the item's roles are told.
    func fireChecklistItem(_ timer: TimerSpec, on current: CaseRecord, now: Date) -> Transition? {
        let parts = timer.deadline.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2,
              let definition = workflow.checklist(parts[0]), let item = definition.item(parts[1]),
              let index = current.checklists.firstIndex(where: { $0.name == parts[0] && $0.isOpen }),
              let itemIndex = current.checklists[index].items.firstIndex(where: { $0.id == parts[1] }),
              !current.checklists[index].items[itemIndex].isDone,
              let due = current.checklists[index].items[itemIndex].dueAt, due.isSameMillisecond(as: timer.deadlineDue)
        else { return nil }
        var record = current
        record.updatedAt = now
        let number: Int
        switch timer.kind {
        case .itemOverdue(let n): number = n
        default: number = 0
        }
        record.checklists[index].items[itemIndex].overdueCount = number + 1
        var effects: [Effect] = []
        let notification = NotificationDefinition(to: item.roles, webhooks: [], template: definition.template,
                                                  type: "case.checklist.overdue", urgent: definition.urgent)
        notify([notification], defaultType: "case.checklist.overdue", record: record, event: nil,
               deadline: timer.deadline, dueAt: due, effects: &effects)
        // Counted from when this notice went: an item opened or ticked back long after its due
        // moment, or a daemon that was down, sends one reminder now, not one for every missed day.
        if let next = nextReminder(definition.remind, number: number + 1, after: max(timer.dueAt, now)) {
            effects.append(.scheduleTimer(TimerSpec(caseID: record.id, dueAt: next, deadline: timer.deadline,
                                                    kind: .itemOverdue(number + 1), stateEntry: 0, deadlineDue: due)))
        }
        let payload: JSONValue = .object([
            "checklist": .string(definition.name), "item": .string(item.id), "title": .string(item.title),
            "dueAt": .string(SwedishCalendar.isoUTCString(due)), "reminder": .int(number + 1),
        ])
        let entry = HistoryEntry(at: now, actor: Actor.bevaka.name, role: systemRole, event: "checklist.item.overdue",
                                 fromState: record.state, toState: record.state, payload: payload, reason: nil,
                                 notes: ["reminded \(item.roles.joined(separator: ", "))"])
        return Transition(record: record, effects: effects, history: [entry])
    }

    /// The moment of the `number`-th reminder after `previous`: `every` for the first `times`, then `then`
    /// (or `every` for ever); nil when reminders stop.
    func nextReminder(_ reminders: OverdueReminders, number: Int, after previous: Date) -> Date? {
        if reminders.times > 0 && number > reminders.times {
            guard let then = reminders.then else { return nil }
            return workflow.calendar.adding(then, to: previous)
        }
        return workflow.calendar.adding(reminders.every, to: previous)
    }
}

extension Effect {
    /// The same effect, its notification moved to a later history entry of a combined transition.
    func shiftingHistory(by offset: Int) -> Effect {
        guard case .notify(var notification) = self else { return self }
        notification.historyIndex += offset
        return .notify(notification)
    }
}
