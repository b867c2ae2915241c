import Foundation

/// The pure workflow engine: given a case, an event, the time and the actor,
/// it returns the new case and the effects to perform. It never reads the
/// clock and never does I/O, so every rule is testable without a database.
public struct Engine: Sendable {
    public let workflow: WorkflowDefinition

    public init(workflow: WorkflowDefinition) {
        self.workflow = workflow
    }

    // MARK: Opening a case

    /// Opens a case in the initial state with the given fields.
    public func open(id: String, owner: String, fields input: [String: JSONValue], people peopleInput: [String: JSONValue] = [:],
                     now: Date, actor: Actor) throws(EngineError) -> Transition {
        let (people, peopleProblems) = casePeople(peopleInput)
        var problems = peopleProblems
        if owner.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem(field: "owner", problem: "a case needs an owner"))
        } else if let problem = InputLimits.textProblem(owner, maximumLength: InputLimits.nameLength) {
            problems.append(FieldProblem(field: "owner", problem: problem))
        }
        var fields: [String: Value] = [:]
        for field in workflow.fields {
            if let json = input[field.name], json != .null {
                if !field.settableAtOpening && !actor.isSystem {
                    let setters = workflow.events.values.filter { $0.payload.contains { $0.field == field.name } }.map(\.name).sorted()
                    problems.append(FieldProblem(field: field.name, problem: setters.isEmpty
                        ? "is set by the workflow's transitions, not when a case is opened"
                        : "is set by the event\(setters.count == 1 ? "" : "s") \(setters.joined(separator: ", ")), under \(setters.count == 1 ? "its" : "their") mandate, not when a case is opened"))
                    continue
                }
                switch checkedValue(json, for: field) {
                case .success(let value): fields[field.name] = value
                case .failure(let problem): problems.append(problem)
                }
            } else if let value = field.defaultValue {
                fields[field.name] = value
            } else if field.required {
                problems.append(FieldProblem(field: field.name, problem: "required when a case is opened"))
            }
        }
        for key in input.keys.sorted() where workflow.field(key) == nil {
            problems.append(FieldProblem(field: key, problem: unknownFieldMessage(key)))
        }
        guard problems.isEmpty else { throw .invalidInput(problems) }

        let initial = workflow.initialState
        var record = CaseRecord(
            id: id, workflow: workflow.key, state: initial.name, stateEnteredAt: now, stateEntry: 1, owner: owner,
            fields: fields, deadlines: [], accruals: [], version: 0, createdAt: now, updatedAt: now)
        record.people = people
        var effects: [Effect] = []
        var notes: [String] = people.sorted { $0.key < $1.key }.map { role, list in
            "\(role): " + list.map { "\($0.name) <\($0.email)>" }.joined(separator: ", ")
        }
        enter(initial, record: &record, now: now, notificationType: "case.opened", effects: &effects, notes: &notes)
        try reconcile(record: &record, now: now, effects: &effects, notes: &notes)
        let entry = HistoryEntry(
            at: now, actor: actor.name, role: actor.role, event: "case.opened", fromState: nil, toState: initial.name,
            payload: .object(input), reason: nil, notes: notes)
        return Transition(record: record, effects: effects, history: [entry])
    }

    // MARK: Applying an event

    /// Applies `event` to the case. Throws, changing nothing, when the event is
    /// unknown, not accepted now, not allowed for the actor's role, carries a bad
    /// payload or meets no condition.
    public func apply(event name: String, payload: [String: JSONValue], reason: String?, to current: CaseRecord,
                      now: Date, actor: Actor) throws(EngineError) -> Transition {
        guard let state = workflow.state(current.state) else {
            throw .evaluationFailed("case is in state '\(current.state)', which workflow \(workflow.key) does not define")
        }
        if let reason, let problem = InputLimits.textProblem(reason) {
            throw .invalidInput([FieldProblem(field: "reason", problem: problem)])
        }
        if name == casePeopleEvent || name == caseReassignEvent {
            if state.isFinal { throw .eventNotAccepted(event: name, state: state.name, accepted: []) }
            return try applyBuiltIn(name, payload: payload, reason: reason, to: current, now: now, actor: actor)
        }
        if name == checklistTickEvent || name == checklistUntickEvent {
            if state.isFinal { throw .eventNotAccepted(event: name, state: state.name, accepted: []) }
            return name == checklistTickEvent
                ? try tick(payload: payload, reason: reason, to: current, now: now, actor: actor)
                : try untick(payload: payload, reason: reason, to: current, now: now, actor: actor)
        }
        // What the caller could fire instead: people are not offered events only deadlines raise.
        let offered = workflow.acceptedEvents(in: state).filter { actor.isSystem || workflow.events[$0]?.isSystemOnly == false }
        guard let event = workflow.events[name] else {
            throw .unknownEvent(event: name, accepted: offered)
        }
        if !actor.isSystem && !event.roles.contains(actor.role) {
            throw .roleNotAllowed(event: name, role: actor.role, allowed: event.roles)
        }
        guard let candidates = workflow.transitions(for: name, in: state) else {
            throw .eventNotAccepted(event: name, state: state.name, accepted: offered)
        }

        // The payload, checked field by field; every bad field is reported.
        var problems: [FieldProblem] = []
        var fields = current.fields
        let allowed = Dictionary(uniqueKeysWithValues: event.payload.map { ($0.field, $0) })
        for key in payload.keys.sorted() where allowed[key] == nil {
            let expected = event.payload.map(\.field)
            problems.append(FieldProblem(field: key, problem: "'\(name)' does not carry '\(key)'; it carries \(expected.isEmpty ? "nothing" : expected.joined(separator: ", "))"))
        }
        for entry in event.payload {
            guard let field = workflow.field(entry.field) else { continue }
            if let json = payload[entry.field], json != .null {
                switch checkedValue(json, for: field) {
                case .success(let value): fields[field.name] = value
                case .failure(let problem): problems.append(problem)
                }
            } else if entry.required {
                problems.append(FieldProblem(field: entry.field, problem: "required by '\(name)'"))
            }
        }
        let trimmedReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if event.reason == .required && (trimmedReason ?? "").isEmpty {
            problems.append(FieldProblem(field: "reason", problem: "'\(name)' requires a reason, which is kept in the history"))
        }
        let effective = effectiveTime(of: event, payload: payload, fields: fields, case: current, now: now, problems: &problems)
        guard problems.isEmpty else { throw .invalidInput(problems) }

        // The first branch whose condition holds.
        var scope = EvaluationScope(workflow: workflow, fields: fields, now: now, effective: effective)
        var chosen: TransitionDefinition?
        var failed: [String] = []
        for candidate in candidates {
            guard let condition = candidate.guardExpression else { chosen = candidate; break }
            do {
                if try scope.evaluate(condition) == .boolean(true) { chosen = candidate; break }
                failed.append(condition.source)
            } catch {
                failed.append("\(condition.source) (\(error))")
            }
        }
        guard let transition = chosen else {
            throw .conditionNotMet(event: name, state: state.name, conditions: failed)
        }
        if transition.reason == .required && (trimmedReason ?? "").isEmpty {
            let step = transition.target.map { "to '\($0)'" } ?? transition.handOver.map { "handing over to \($0.workflow)" } ?? "here"
            throw .invalidInput([FieldProblem(field: "reason", problem: "'\(name)' \(step) skips a step and requires a reason, which is kept in the history")])
        }
        // A soft guard: outside what normally holds, the officer says why.
        var outsideNormal: String?
        if let normally = transition.normally, (try? scope.evaluate(normally)) != .boolean(true) {
            outsideNormal = normally.source
            if (trimmedReason ?? "").isEmpty {
                throw .invalidInput([FieldProblem(field: "reason", problem: "'\(name)' is outside what normally holds (\(normally.source)); give a reason, which is kept in the history")])
            }
        }
        for assignment in transition.assignments {
            let value: Value
            do { value = try scope.evaluate(assignment.expression) } catch {
                throw .evaluationFailed("cannot set \(assignment.field) = \(assignment.expression.source): \(error)")
            }
            guard let field = workflow.field(assignment.field) else { continue }
            switch checkedValue(FieldValueCoder.encode(value), for: field) {
            case .success(let checked): fields[field.name] = checked
            case .failure(let problem):
                throw .evaluationFailed("cannot set \(assignment.field) = \(assignment.expression.source): \(problem.problem)")
            }
            scope = EvaluationScope(workflow: workflow, fields: fields, now: now, effective: effective)
        }

        var record = current
        var notes: [String] = outsideNormal.map { ["outside what normally holds (\($0)), with a reason"] } ?? []
        // A hand-over may name who takes the case over (the in-depth team's officer).
        if let ownerExpression = transition.handOverOwner, case .string(let owner)? = try? scope.evaluate(ownerExpression),
           !owner.trimmingCharacters(in: .whitespaces).isEmpty, owner != current.owner {
            if let problem = InputLimits.textProblem(owner, maximumLength: InputLimits.nameLength) {
                throw .invalidInput([FieldProblem(field: "owner", problem: problem)])
            }
            notes.append("owner \(current.owner) → \(owner)")
            record.owner = owner
        }
        let changed = Set(fields.keys.filter { fields[$0] != current.fields[$0] })
            .union(current.fields.keys.filter { fields[$0] == nil })
        record.fields = fields
        record.updatedAt = now
        var effects: [Effect] = []
        if let opens = transition.opens {
            var opened: [String: JSONValue] = [:]
            for assignment in opens.fields {
                // A value that cannot be computed (an unset field) is left for the new case's own checks.
                if let value = try? scope.evaluate(assignment.expression) { opened[assignment.field] = FieldValueCoder.encode(value) }
            }
            effects.append(.openCase(OpenCaseEffect(workflow: opens.workflow, relation: opens.relation, owner: record.owner, fields: opened)))
            notes.append("opens a linked \(opens.workflow) case (\(opens.relation))")
        }
        let targetName = transition.target ?? current.state
        if let target = workflow.state(targetName), targetName != current.state {
            effects.append(.cancelTimers(deadline: nil))
            record.state = target.name
            record.stateEntry += 1
            record.stateEnteredAt = now
            record.deadlines = []
            scheduleDeadlines(of: target, record: &record, now: now, effects: &effects, notes: &notes)
            openChecklists(of: target, record: &record, now: now, effects: &effects, notes: &notes)
            notify(transition.notifications, defaultType: "case.event", record: record, event: name, effects: &effects)
            notify(target.onEnter, defaultType: "case.state.entered", record: record, event: name, effects: &effects)
        } else {
            rescheduleDeadlines(in: state, changed: changed, record: &record, now: now, effects: &effects, notes: &notes)
            notify(transition.notifications, defaultType: "case.event", record: record, event: name, effects: &effects)
        }
        try reconcile(record: &record, now: now, effects: &effects, notes: &notes)
        var entry = HistoryEntry(
            at: now, actor: actor.name, role: actor.role, event: name, fromState: current.state, toState: record.state,
            payload: .object(payload), reason: trimmedReason, notes: notes)
        entry.effectiveAt = effective
        return Transition(record: record, effects: effects, history: [entry], handOver: transition.handOver)
    }

    /// When the event took effect, if its workflow says a payload field tells it (`effective:`)
    /// and the payload gives it: never in the future, never before the case was opened. A date
    /// alone means that day, by the workflow's due time (so a plan that arrived on its due date
    /// is in time), or now if that is still to come today.
    func effectiveTime(of event: EventDefinition, payload: [String: JSONValue], fields: [String: Value], case current: CaseRecord,
                       now: Date, problems: inout [FieldProblem]) -> Date? {
        guard let name = event.effective, let given = payload[name], given != .null, let value = fields[name] else { return nil }
        let calendar = workflow.calendar
        let opened = calendar.localDate(of: current.createdAt)
        switch value {
        case .date(let day):
            if day > calendar.localDate(of: now) {
                problems.append(FieldProblem(field: name, problem: "when '\(event.name)' took effect cannot be in the future (\(day))"))
            } else if day < opened {
                problems.append(FieldProblem(field: name, problem: "'\(event.name)' cannot have taken effect (\(day)) before the case was opened (\(opened))"))
            }
            return min(now, calendar.instant(on: day, at: workflow.dueTime))
        case .datetime(let instant):
            if instant > now {
                problems.append(FieldProblem(field: name, problem: "when '\(event.name)' took effect cannot be in the future (\(SwedishCalendar.isoUTCString(instant)))"))
            } else if instant < current.createdAt {
                problems.append(FieldProblem(field: name, problem: "'\(event.name)' cannot have taken effect before the case was opened (\(SwedishCalendar.isoUTCString(current.createdAt)))"))
            }
            return instant
        default:
            return nil
        }
    }

    // MARK: Timers

    /// Applies a fired timer. Returns nil when the timer is stale (its state was
    /// left or its deadline moved): the store then just drops it.
    public func fire(_ timer: TimerSpec, on current: CaseRecord, now: Date) -> Transition? {
        switch timer.kind {
        case .itemDue, .itemOverdue: return fireChecklistItem(timer, on: current, now: now)
        default: break
        }
        guard timer.stateEntry == current.stateEntry,
              let state = workflow.state(current.state),
              let definition = state.deadlines.first(where: { $0.name == timer.deadline }),
              let index = current.deadlines.firstIndex(where: { $0.name == timer.deadline }),
              current.deadlines[index].dueAt.isSameMillisecond(as: timer.deadlineDue)
        else { return nil }
        var record = current
        record.updatedAt = now
        var effects: [Effect] = []
        let due = timer.deadlineDue
        let payload: JSONValue = .object([
            "deadline": .string(definition.name),
            "dueAt": .string(SwedishCalendar.isoUTCString(due)),
            "timer": .string(timer.kind.description),
        ])
        switch timer.kind {
        case .reminder:
            notify(definition.notify, defaultType: "case.deadline.reminder", record: record, event: nil,
                   deadline: definition.name, dueAt: due, effects: &effects, forcedType: "case.deadline.reminder")
            let entry = HistoryEntry(at: now, actor: Actor.bevaka.name, role: systemRole, event: "deadline.reminder",
                                     fromState: record.state, toState: record.state, payload: payload, reason: nil, notes: [])
            return Transition(record: record, effects: effects, history: [entry])

        case .overdue(let n):
            record.deadlines[index].overdueCount = n
            notify(definition.notify, defaultType: "case.deadline.overdue", record: record, event: nil,
                   deadline: definition.name, dueAt: due, effects: &effects, forcedType: "case.deadline.overdue")
            // Counted from when this reminder went (a daemon that was down sends one, not a burst).
            scheduleOverdue(definition, number: n + 1, after: max(timer.dueAt, now), record: record, effects: &effects)
            let entry = HistoryEntry(at: now, actor: Actor.bevaka.name, role: systemRole, event: "deadline.overdue",
                                     fromState: record.state, toState: record.state, payload: payload, reason: nil, notes: [])
            return Transition(record: record, effects: effects, history: [entry])

        case .expiry:
            record.deadlines[index].expired = true
            notify(definition.notify, defaultType: "case.deadline.expired", record: record, event: definition.raises,
                   deadline: definition.name, dueAt: due, effects: &effects)
            var handOver: HandOverTarget?
            var history = [HistoryEntry(at: now, actor: Actor.bevaka.name, role: systemRole, event: "deadline.expired",
                                        fromState: record.state, toState: record.state, payload: payload, reason: nil,
                                        notes: [])]
            if let raised = definition.raises {
                handOver = raise(raised, record: &record, effects: &effects, history: &history, now: now)
            }
            if record.stateEntry == current.stateEntry && handOver == nil {
                scheduleOverdue(definition, number: 1, after: max(due, now), record: record, effects: &effects)
            }
            return Transition(record: record, effects: effects, history: history, handOver: handOver)

        case .itemDue, .itemOverdue:
            return nil  // dispatched to fireChecklistItem above
        }
    }

    /// Raises `event` as Bevaka within a transition under way (a deadline's escalation,
    /// a completed checklist): its record, effects and history rows join the transition's.
    /// When it cannot be applied (no condition held, say) the case stays where it is and
    /// the first history row says why, rather than the expiry or tick being lost.
    /// Returns the hand-over the raised event asks for, if any.
    func raise(_ event: String, record: inout CaseRecord, effects: inout [Effect], history: inout [HistoryEntry],
               now: Date) -> HandOverTarget? {
        do {
            let next = try apply(event: event, payload: [:], reason: nil, to: record, now: now, actor: .bevaka)
            record = next.record
            effects += next.effects.map { $0.shiftingHistory(by: history.count) }
            history += next.history
            return next.handOver
        } catch {
            history[0].notes.append("raising '\(event)' failed: \(error)")
            return nil
        }
    }

    /// Starts what a state does on entry: its deadlines, its checklists and its `onEnter` notifications.
    func enter(_ state: StateDefinition, record: inout CaseRecord, now: Date, notificationType: String,
               effects: inout [Effect], notes: inout [String]) {
        scheduleDeadlines(of: state, record: &record, now: now, effects: &effects, notes: &notes)
        openChecklists(of: state, record: &record, now: now, effects: &effects, notes: &notes)
        notify(state.onEnter, defaultType: notificationType, record: record, event: nil, effects: &effects)
    }

    /// Brings checklists and accruals in line with the case after any change.
    func reconcile(record: inout CaseRecord, now: Date, effects: inout [Effect], notes: inout [String]) throws(EngineError) {
        reconcileChecklists(record: &record, now: now, effects: &effects, notes: &notes)
        try reconcileAccruals(record: &record, now: now, effects: &effects, notes: &notes)
    }

    // MARK: Reading

    /// Derived values computable from the case's fields (unset inputs leave a value out).
    public func derivedValues(of record: CaseRecord, now: Date) -> [String: Value] {
        EvaluationScope(workflow: workflow, fields: record.fields, now: now).derived
    }

    /// Events a person may fire now (events raised only by deadlines are left out).
    public func allowedEvents(for record: CaseRecord) -> [EventDefinition] {
        guard let state = workflow.state(record.state) else { return [] }
        return workflow.acceptedEvents(in: state).compactMap { workflow.events[$0] }.filter { !$0.isSystemOnly }
    }
}
