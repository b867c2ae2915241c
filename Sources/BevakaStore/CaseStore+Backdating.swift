import BevakaCore
import Foundation
import GRDB

/// Late registration of what happened in time (issue 11): the store keeps the case
/// as it was before each transition a timer made, finds what an event registered
/// late took effect before, and hands both to the engine, which decides.
extension CaseStore {
    /// The transition of an event that took effect before what Bevaka did since (only
    /// Bevaka's own rows followed, and the case as it was before them is kept); nil
    /// when the event is to be applied as usual.
    func backdated(event: String, payload: [String: JSONValue], reason: String?, on current: CaseRecord,
                   definition: WorkflowDefinition, now: Date, actor: Actor, db: Database) throws -> Transition? {
        let engine = Engine(workflow: definition)
        guard let effective = engine.statedEffectiveTime(of: event, payload: payload, now: now), effective < now else { return nil }
        let history = try Self.historyRecords(caseID: current.id, db: db)
        // The rows that came after the event took effect: the tail of the history from the
        // last one before it. A row counts by when it took effect (an imported case's
        // `case.imported` is recorded today but stands for its `enteredAt`); an expiry at
        // the very moment the event took effect came too soon.
        let before = history.lastIndex { ($0.entry.effectiveAt ?? $0.entry.at) < effective }
        let after = Array(history[(before.map { $0 + 1 } ?? 0)...])
        let ownRows: Set<String> = [caseUndoneEvent, "case.handedOver", "case.linked", "case.migrated"]
        guard let first = after.first, after.allSatisfy({ $0.entry.role == systemRole && !ownRows.contains($0.entry.event) }),
              let row = try Row.fetchOne(db, sql: "SELECT * FROM case_snapshots WHERE id = ? AND first_seq = ?",
                                         arguments: [current.id, first.seq]),
              let snapshot = try? StoredFields.record(from: row, definition: definition) else { return nil }
        // A reminder of something that had in fact come in is not worth a notice of its own.
        let withdrawals = try notices(of: after.map(\.id), type: caseWithdrawnNotification, state: current.state, db: db)
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
    func notices(of historyIDs: [Int64], type: String, state: String, db: Database) throws -> [NotificationEffect] {
        guard !historyIDs.isEmpty else { return [] }
        var notices: [NotificationEffect] = []
        let marks = Array(repeating: "?", count: historyIDs.count).joined(separator: ", ")
        for row in try Row.fetchAll(db, sql: "SELECT recipients, webhooks, type FROM outbox WHERE history_id IN (\(marks)) ORDER BY id",
                                    arguments: StatementArguments(historyIDs)) {
            let notice = NotificationEffect(type: type, recipients: try StoredFields.decodeJSON([String].self, row["recipients"]),
                                            webhooks: try StoredFields.decodeJSON([String].self, row["webhooks"]), template: nil,
                                            urgent: false, event: row["type"], state: state)
            if !notices.contains(notice) { notices.append(notice) }
        }
        return notices
    }

    /// `case.annul` (`{"seq": N}`, with a reason): the event of history row N is annulled,
    /// if people registered it, nobody registered anything after it, and the case as it
    /// was before it is kept. Refused with the reasons otherwise.
    func annulment(payload: [String: JSONValue], reason: String?, on current: CaseRecord, definition: WorkflowDefinition,
                   now: Date, actor: Actor, db: Database) throws -> Transition {
        guard case .int(let seq)? = payload["seq"], payload.count == 1 else {
            throw StoreError.engine(.invalidInput([FieldProblem(field: "payload", problem: "case.annul carries {\"seq\": the history row's number}")]))
        }
        let history = try Self.historyRecords(caseID: current.id, db: db)
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
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM case_snapshots WHERE id = ? AND first_seq = ?", arguments: [current.id, from.seq]),
              let snapshot = try? StoredFields.record(from: row, definition: definition) else {
            throw StoreError.engine(.correctionRefused(reasons: [
                "the case as it was before #\(seq) is not kept (registered before corrections were, more than 400 days ago, or before a hand-over)"]))
        }
        let undone = history.filter { $0.seq >= from.seq && $0.seq != seq }
        let notices = try notices(of: [target.id] + undone.map(\.id), type: caseCorrectedNotification, state: current.state, db: db)
        do {
            return try Engine(workflow: definition).annul(seq: seq, event: entry.event, snapshot: snapshot, current: current,
                                                          undone: undone.map { ($0.seq, $0.entry.event) }, reason: reason, now: now,
                                                          actor: actor, notices: notices)
        } catch {
            throw StoreError.engine(error)
        }
    }
}
