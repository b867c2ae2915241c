import Foundation

/// The history row that says what a late registration undid.
public let caseUndoneEvent = "case.undone"
/// The notification to those told of something that was undone.
public let caseWithdrawnNotification = "case.withdrawn"

extension Engine {
    /// When an event's payload says it took effect (its workflow's `effective` field), as
    /// `apply` will read it; nil when it does not say. Not checked: `apply` refuses what is wrong.
    public func statedEffectiveTime(of event: String, payload: [String: JSONValue], now: Date) -> Date? {
        guard let name = workflow.events[event]?.effective, let field = workflow.field(name), let json = payload[name], json != .null,
              case .success(let value) = FieldValueCoder.decode(json, as: field.type) else { return nil }
        switch value {
        case .date(let day): return min(now, workflow.calendar.instant(on: day, at: workflow.dueTime))
        case .datetime(let instant): return instant
        default: return nil
        }
    }

    /// An event registered late that took effect before what Bevaka did meanwhile
    /// (a deadline's expiry, the escalation it raised) is judged by when it took
    /// effect: it is applied to the case as it was before those (`snapshot`), at
    /// its effective time, and what they did is undone. The case's sanction is then
    /// what it would have been, its ledger is rewritten for every accrual, and the
    /// people those notified are told it is withdrawn (`withdrawals`). The history
    /// keeps everything: what was undone stays, a `case.undone` row names it, and
    /// the event's row follows.
    ///
    /// Returns nil when the event, applied to the earlier case, would not move it
    /// out of the state it was in (then nothing that followed is contradicted, and
    /// the event is applied to the case as it is now), or would hand it over.
    public func backdate(event name: String, payload: [String: JSONValue], reason: String?, before snapshot: CaseRecord,
                         current: CaseRecord, undone: [(seq: Int, event: String)], effective: Date, now: Date, actor: Actor,
                         withdrawals: [NotificationEffect]) throws(EngineError) -> Transition? {
        var base = snapshot
        // Entries counted on from today's: a timer of anything undone can only be stale.
        base.stateEntry = max(snapshot.stateEntry, current.stateEntry)
        let applied = try apply(event: name, payload: payload, reason: reason, to: base, now: effective, actor: actor)
        guard applied.record.state != snapshot.state, applied.handOver == nil else { return nil }
        var record = applied.record
        record.updatedAt = now
        record.createdAt = current.createdAt
        var effects = puttingBack(record, over: current, telling: withdrawals, as: caseWithdrawnNotification)
        // A reminder whose moment passed while the event went unregistered is not sent late.
        effects += applied.effects.compactMap { effect -> Effect? in
            if case .scheduleTimer(let spec) = effect, case .reminder = spec.kind, spec.dueAt <= now { return nil }
            return effect.shiftingHistory(by: 1)
        }
        let calendar = workflow.calendar
        let undo = HistoryEntry(
            at: now, actor: actor.name, role: actor.role, event: caseUndoneEvent, fromState: current.state, toState: snapshot.state,
            payload: .object(["undone": .array(undone.map { .int($0.seq) }), "because": .string(name),
                              "tookEffect": .string(SwedishCalendar.isoUTCString(effective))]),
            reason: nil,
            notes: ["undone: " + undone.map { "\($0.event) (#\($0.seq))" }.joined(separator: ", ")
                    + "; \(name) took effect \(calendar.isoLocalString(effective)), no later than they happened"])
        var history = applied.history
        history[0].at = now
        return Transition(record: record, effects: effects, history: [undo] + history)
    }
}

/// The built-in event that annuls a registered event (`{"seq": N}`, with a reason).
public let caseAnnulEvent = "case.annul"
/// The history row of an annulment.
public let caseAnnulledEvent = "case.annulled"
/// The notification to those told of something that was annulled.
public let caseCorrectedNotification = "case.corrected"

extension Engine {
    /// Annuls the event of history row `seq` (`annulled`), registered by mistake: the
    /// case is put back as it was before it (`snapshot`), with what Bevaka did since
    /// (`undone`) undone too; deadlines get their timers again, every accrual's ledger
    /// is rewritten, and those told of it get `case.corrected`. Only the workflow's
    /// `corrections` roles may, with a reason; the history keeps the event and its annulment.
    public func annul(seq: Int, event annulled: String, snapshot: CaseRecord, current: CaseRecord, undone: [(seq: Int, event: String)],
                      reason: String?, now: Date, actor: Actor, notices: [NotificationEffect]) throws(EngineError) -> Transition {
        guard workflow.correctionRoles.contains(actor.role) else {
            throw .roleNotAllowed(event: caseAnnulEvent, role: actor.role, allowed: workflow.correctionRoles)
        }
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !trimmed.isEmpty else {
            throw .invalidInput([FieldProblem(field: "reason", problem: "an annulment needs a reason, which is kept in the history")])
        }
        let reopened = snapshot.checklists.filter(\.isOpen).map(\.name).filter { name in !current.checklists.contains { $0.name == name && $0.isOpen } }
        guard reopened.isEmpty else {
            throw .correctionRefused(reasons: ["checklist \(reopened.joined(separator: ", ")) closed since; its ticks cannot be put back"])
        }
        var record = snapshot
        record.stateEntry = max(snapshot.stateEntry, current.stateEntry) + 1
        record.updatedAt = now
        record.createdAt = current.createdAt
        let effects = puttingBack(record, over: current, telling: notices, as: caseCorrectedNotification) + timersAgain(for: record, now: now)
        let with = undone.isEmpty ? "" : "; with it: " + undone.map { "\($0.event) (#\($0.seq))" }.joined(separator: ", ")
        let entry = HistoryEntry(
            at: now, actor: actor.name, role: actor.role, event: caseAnnulledEvent, fromState: current.state, toState: record.state,
            payload: .object(["annulled": .int(seq), "event": .string(annulled), "undone": .array(undone.map { .int($0.seq) })]),
            reason: trimmed, notes: ["annulled: \(annulled) (#\(seq))" + with])
        return Transition(record: record, effects: effects, history: [entry])
    }

    /// What putting a case back to an earlier `record` takes, whatever the reason: the
    /// current deadlines' timers and the timers of checklists it no longer has open are
    /// cancelled, every accrual's ledger (had or had again) is rewritten, and those told of
    /// what is undone are told again (`type`), on the transition's first history row.
    func puttingBack(_ record: CaseRecord, over current: CaseRecord, telling notices: [NotificationEffect], as type: String) -> [Effect] {
        var effects: [Effect] = [.cancelTimers(deadline: nil)]
        for checklist in current.checklists where checklist.isOpen && !record.checklists.contains(where: { $0.name == checklist.name && $0.isOpen }) {
            effects.append(.cancelChecklistTimers(checklist: checklist.name))
        }
        let accruals = Set(current.accruals.map(\.name)).union(record.accruals.map(\.name))
        for accrual in accruals.sorted() {
            effects.append(.setSegments(accrual: accrual, record.accruals.first { $0.name == accrual }?.segments ?? []))
        }
        return effects + notices.map { notice in
            var told = notice
            told.type = type
            told.state = record.state
            told.historyIndex = 0
            return .notify(told)
        }
    }
}
