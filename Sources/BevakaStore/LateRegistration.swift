import BevakaCore
import Foundation
import GRDB

// Late registration of what happened in time (issue 11): the store keeps the case
// as it was before each transition a timer made, finds what an event registered
// late took effect before, and hands both to the engine, which decides.

/// What late registration reads of a case besides the case itself, whichever store it
/// lives in: its history, the case as it was before a history row (a snapshot), and the
/// notices that history rows sent. The store reads them in the change's transaction.
package struct CaseRecollection {
    package let history: [HistoryRecord]
    /// The case as it was before the transition whose first history row is `seq`, if kept.
    package let snapshot: (_ seq: Int) throws -> CaseRecord?
    /// The (recipients, webhooks, type) of the outbox rows that these history rows made, in outbox order.
    package let notices: (_ historyIDs: [Int64]) throws -> [(recipients: [String], webhooks: [String], type: String)]

    package init(history: [HistoryRecord], snapshot: @escaping (Int) throws -> CaseRecord?,
                 notices: @escaping ([Int64]) throws -> [(recipients: [String], webhooks: [String], type: String)]) {
        self.history = history
        self.snapshot = snapshot
        self.notices = notices
    }
}

/// Late registration on SQLite, read in the writer's transaction.
extension CaseStore {
    /// What late registration reads of a case in SQLite.
    func recollection(of caseID: String, definition: WorkflowDefinition, db: Database) throws -> CaseRecollection {
        CaseRecollection(
            history: try Self.historyRecords(caseID: caseID, db: db),
            snapshot: { seq in
                try Row.fetchOne(db, sql: "SELECT * FROM case_snapshots WHERE id = ? AND first_seq = ?", arguments: [caseID, seq])
                    .flatMap { try? StoredFields.record(from: $0, definition: definition) }
            },
            notices: { ids in
                guard !ids.isEmpty else { return [] }
                let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
                return try Row.fetchAll(db, sql: "SELECT recipients, webhooks, type FROM outbox WHERE history_id IN (\(marks)) ORDER BY id",
                                        arguments: StatementArguments(ids)).map {
                    (try StoredFields.decodeJSON([String].self, $0["recipients"]), try StoredFields.decodeJSON([String].self, $0["webhooks"]),
                     $0["type"])
                }
            })
    }

    func backdated(event: String, payload: [String: JSONValue], reason: String?, on current: CaseRecord,
                   definition: WorkflowDefinition, now: Date, actor: Actor, db: Database) throws -> Transition? {
        // Read only when the event says it took effect earlier.
        guard let effective = Engine(workflow: definition).statedEffectiveTime(of: event, payload: payload, now: now), effective < now else {
            return nil
        }
        return try LateRegistration.backdated(event: event, payload: payload, reason: reason, on: current, definition: definition,
                                              now: now, actor: actor, recollection: try recollection(of: current.id, definition: definition, db: db))
    }

    func annulment(payload: [String: JSONValue], reason: String?, on current: CaseRecord, definition: WorkflowDefinition,
                   now: Date, actor: Actor, db: Database) throws -> Transition {
        try LateRegistration.annulment(payload: payload, reason: reason, on: current, definition: definition, now: now, actor: actor,
                                       recollection: try recollection(of: current.id, definition: definition, db: db))
    }
}

/// Late registration of what happened in time, for any store: finds what an event
/// registered late took effect before, and what an annulment takes back, and hands
/// both to the engine, which decides.
package enum LateRegistration {
    /// The transition of an event that took effect before what Bevaka did since (only
    /// Bevaka's own rows followed, and the case as it was before them is kept); nil
    /// when the event is to be applied as usual.
    package static func backdated(event: String, payload: [String: JSONValue], reason: String?, on current: CaseRecord,
                                  definition: WorkflowDefinition, now: Date, actor: Actor,
                                  recollection: CaseRecollection) throws -> Transition? {
        let engine = Engine(workflow: definition)
        guard let effective = engine.statedEffectiveTime(of: event, payload: payload, now: now), effective < now else { return nil }
        let history = recollection.history
        // The rows that came after the event took effect: the tail of the history from the
        // last one before it. A row counts by when it took effect (an imported case's
        // `case.imported` is recorded today but stands for its `enteredAt`); an expiry at
        // the very moment the event took effect came too soon.
        let before = history.lastIndex { ($0.entry.effectiveAt ?? $0.entry.at) < effective }
        let after = Array(history[(before.map { $0 + 1 } ?? 0)...])
        let ownRows: Set<String> = [caseUndoneEvent, "case.handedOver", "case.linked", "case.migrated"]
        guard let first = after.first, after.allSatisfy({ $0.entry.role == systemRole && !ownRows.contains($0.entry.event) }),
              let snapshot = try recollection.snapshot(first.seq) else { return nil }
        // A reminder of something that had in fact come in is not worth a notice of its own.
        let withdrawals = try notices(of: after.map(\.id), type: caseWithdrawnNotification, state: current.state, recollection: recollection)
            .filter { $0.event != "case.deadline.reminder" }
        do {
            return try engine.backdate(event: event, payload: payload, reason: reason, before: snapshot, current: current,
                                       undone: after.map { ($0.seq, $0.entry.event) }, effective: effective, now: now,
                                       actor: actor, withdrawals: withdrawals)
        } catch {
            return nil  // refused on the earlier case: the event is tried on the case as it is, and refused there if it must be
        }
    }

    /// Everyone told of what these history rows did is told again, once per kind of notice.
    static func notices(of historyIDs: [Int64], type: String, state: String, recollection: CaseRecollection) throws -> [NotificationEffect] {
        var notices: [NotificationEffect] = []
        for row in try recollection.notices(historyIDs) {
            let notice = NotificationEffect(type: type, recipients: row.recipients, webhooks: row.webhooks, template: nil,
                                            urgent: false, event: row.type, state: state)
            if !notices.contains(notice) { notices.append(notice) }
        }
        return notices
    }

    /// `case.annul` (`{"seq": N}`, with a reason): the event of history row N is annulled,
    /// if people registered it, nobody registered anything after it, and the case as it
    /// was before it is kept. Refused with the reasons otherwise.
    package static func annulment(payload: [String: JSONValue], reason: String?, on current: CaseRecord, definition: WorkflowDefinition,
                                  now: Date, actor: Actor, recollection: CaseRecollection) throws -> Transition {
        guard case .int(let seq)? = payload["seq"], payload.count == 1 else {
            throw StoreError.engine(.invalidInput([FieldProblem(field: "payload", problem: "case.annul carries {\"seq\": the history row's number}")]))
        }
        let history = recollection.history
        guard let target = history.first(where: { $0.seq == seq }) else {
            throw StoreError.engine(.invalidInput([FieldProblem(field: "payload.seq", problem: "the case has no history row #\(seq)")]))
        }
        let entry = target.entry
        if entry.role == systemRole || entry.event.hasPrefix("case.") || entry.event.hasPrefix("checklist.") {
            throw StoreError.engine(.correctionRefused(reasons: [
                "#\(seq) is \(entry.event)\(entry.role == systemRole ? ", done by Bevaka" : ""): only an event people registered can be annulled"
                    + (entry.event.hasPrefix("checklist.") ? " (take a tick back with checklist.untick)" : "")]))
        }
        let after = history.filter { $0.seq > seq }
        let later = after.filter { $0.entry.role != systemRole }
        guard later.isEmpty else {
            throw StoreError.engine(.correctionRefused(reasons: later.map { row in
                row.entry.event == caseAnnulledEvent && row.entry.payload["annulled"] == .int(seq)
                    ? "#\(seq) is annulled already (#\(row.seq))"
                    : "#\(row.seq) \(row.entry.event) by \(row.entry.actor) was registered after it and may build on it; annul that first"
            }))
        }
        // An event registered late came with the undoing of what it made needless (one
        // transaction, the `case.undone` row just before it): annulled, both go, and the
        // case is put back as it was before that undoing.
        var from = target
        if let undoing = history.last(where: { $0.seq == seq - 1 }), undoing.entry.event == caseUndoneEvent,
           undoing.entry.payload["because"] == .string(entry.event), undoing.entry.at == entry.at {
            from = undoing
        }
        guard let snapshot = try recollection.snapshot(from.seq) else {
            throw StoreError.engine(.correctionRefused(reasons: [
                "the case as it was before #\(seq) is not kept (registered before corrections were, more than 400 days ago, or before a hand-over)"]))
        }
        let undone = history.filter { $0.seq >= from.seq && $0.seq != seq }
        let notices = try notices(of: [target.id] + undone.map(\.id), type: caseCorrectedNotification, state: current.state,
                                  recollection: recollection)
        do {
            return try Engine(workflow: definition).annul(seq: seq, event: entry.event, snapshot: snapshot, current: current,
                                                          undone: undone.map { ($0.seq, $0.entry.event) }, reason: reason, now: now,
                                                          actor: actor, notices: notices)
        } catch {
            throw StoreError.engine(error)
        }
    }
}
