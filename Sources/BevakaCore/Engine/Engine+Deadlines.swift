import Foundation

extension Engine {
    /// When a deadline falls due for these fields, or nil while the field it hangs on is unset.
    ///
    /// A date-only deadline (a date field, or days, weeks, months or working days
    /// after something) falls due at a local wall-clock time in Europe/Stockholm
    /// (the deadline's `time` or the workflow's `dueTime`), so DST never moves it.
    /// A duration with hours, minutes or seconds is exact.
    public func dueInstant(of deadline: DeadlineDefinition, fields: [String: Value], enteredAt: Date) -> Date? {
        let calendar = workflow.calendar
        let time = deadline.time ?? workflow.dueTime
        switch deadline.anchor {
        case .field(let name):
            switch fields[name] {
            case .date(let day)?: return calendar.instant(on: day, at: time)
            case .datetime(let instant)?: return instant
            default: return nil
            }
        case .afterEntry(let duration) where duration.isDateOnly:
            // "10 working days" or P14D after entry names a day: due at that day's due time.
            return calendar.instant(on: calendar.adding(duration, to: calendar.localDate(of: enteredAt)), at: time)
        case .afterEntry(let duration):
            return calendar.adding(duration, to: enteredAt)
        case .afterField(let duration, let name):
            guard case .date(let day)? = fields[name] else { return nil }
            return calendar.instant(on: calendar.adding(duration, to: day), at: time)
        }
    }

    /// Schedules the reminders and expiry of every deadline of a state just entered.
    func scheduleDeadlines(of state: StateDefinition, record: inout CaseRecord, now: Date,
                           effects: inout [Effect], notes: inout [String]) {
        for deadline in state.deadlines {
            guard let due = dueInstant(of: deadline, fields: record.fields, enteredAt: record.stateEnteredAt) else {
                notes.append("deadline \(deadline.name) waits for \(deadline.anchor.field ?? "its field") to be set")
                continue
            }
            schedule(deadline, due: due, record: &record, now: now, effects: &effects)
            notes.append("deadline \(deadline.name) due \(SwedishCalendar.isoUTCString(due))")
        }
    }

    /// Staying in a state: deadlines whose field changed move (with a history note).
    func rescheduleDeadlines(in state: StateDefinition, changed: Set<String>, record: inout CaseRecord, now: Date,
                             effects: inout [Effect], notes: inout [String]) {
        for deadline in state.deadlines {
            guard let field = deadline.anchor.field, changed.contains(field) else { continue }
            let old = record.deadlines.first { $0.name == deadline.name }
            let due = dueInstant(of: deadline, fields: record.fields, enteredAt: record.stateEnteredAt)
            if let old, let due, old.dueAt.isSameMillisecond(as: due) { continue }
            if old == nil && due == nil { continue }
            effects.append(.cancelTimers(deadline: deadline.name))
            record.deadlines.removeAll { $0.name == deadline.name }
            if let due {
                schedule(deadline, due: due, record: &record, now: now, effects: &effects)
            }
            let from = old.map { SwedishCalendar.isoUTCString($0.dueAt) } ?? "unset"
            let to = due.map { SwedishCalendar.isoUTCString($0) } ?? "unset"
            notes.append("deadline \(deadline.name) moved from \(from) to \(to)")
        }
    }

    private func schedule(_ deadline: DeadlineDefinition, due: Date, record: inout CaseRecord, now: Date, effects: inout [Effect]) {
        record.deadlines.append(ActiveDeadline(name: deadline.name, dueAt: due))
        for (index, before) in deadline.reminders.enumerated() {
            let at = workflow.calendar.subtracting(before, from: due)
            // A reminder whose moment has passed is not sent late: the expiry follows soon.
            guard at > now else { continue }
            effects.append(.scheduleTimer(TimerSpec(caseID: record.id, dueAt: at, deadline: deadline.name,
                                                    kind: .reminder(index), stateEntry: record.stateEntry, deadlineDue: due)))
        }
        // An expiry already past fires at once: the TimerService picks it up immediately.
        effects.append(.scheduleTimer(TimerSpec(caseID: record.id, dueAt: due, deadline: deadline.name,
                                                kind: .expiry, stateEntry: record.stateEntry, deadlineDue: due)))
    }

    /// The next overdue reminder: `every` for the first `times`, then `then` (or `every` forever).
    func scheduleOverdue(_ deadline: DeadlineDefinition, number: Int, after previous: Date, record: CaseRecord, effects: inout [Effect]) {
        guard let overdue = deadline.overdue,
              let due = record.deadlines.first(where: { $0.name == deadline.name })?.dueAt,
              let next = nextReminder(overdue, number: number, after: previous) else { return }
        effects.append(.scheduleTimer(TimerSpec(caseID: record.id, dueAt: next,
                                                deadline: deadline.name, kind: .overdue(number),
                                                stateEntry: record.stateEntry, deadlineDue: due)))
    }

    /// Timers for every deadline the case has, as if newly set: reminders still ahead,
    /// the expiry (at once if it is past), and the next overdue reminder of one that
    /// expired. For a case put back as it was (an annulled event).
    func timersAgain(for record: CaseRecord, now: Date) -> [Effect] {
        guard let state = workflow.state(record.state) else { return [] }
        var effects: [Effect] = []
        for active in record.deadlines {
            guard let deadline = state.deadlines.first(where: { $0.name == active.name }) else { continue }
            if active.expired {
                scheduleOverdue(deadline, number: active.overdueCount + 1, after: now, record: record, effects: &effects)
                continue
            }
            for (index, before) in deadline.reminders.enumerated() {
                let at = workflow.calendar.subtracting(before, from: active.dueAt)
                guard at > now else { continue }
                effects.append(.scheduleTimer(TimerSpec(caseID: record.id, dueAt: at, deadline: deadline.name, kind: .reminder(index),
                                                        stateEntry: record.stateEntry, deadlineDue: active.dueAt)))
            }
            effects.append(.scheduleTimer(TimerSpec(caseID: record.id, dueAt: active.dueAt, deadline: deadline.name, kind: .expiry,
                                                    stateEntry: record.stateEntry, deadlineDue: active.dueAt)))
        }
        return effects
    }
}
