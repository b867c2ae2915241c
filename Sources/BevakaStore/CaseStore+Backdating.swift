import BevakaCore
import Foundation
import GRDB

/// Late registration of what happened in time (issue 11): the store keeps the case
/// as it was before each transition a timer made, finds what an event registered
/// late took effect before, and hands both to the engine, which decides.
extension CaseStore {
    static let snapshotRetention: TimeInterval = 400 * 86_400

    /// Keeps the case row as it is now, before a timer's transition is written.
    func keepSnapshot(of caseID: String, db: Database, now: Date) throws {
        let next = (try Int.fetchOne(db, sql: "SELECT max(seq) FROM history WHERE case_id = ?", arguments: [caseID]) ?? 0) + 1
        try db.execute(sql: "DELETE FROM case_snapshots WHERE taken_at < ?", arguments: [now.addingTimeInterval(-Self.snapshotRetention).millis])
        try db.execute(sql: "INSERT OR REPLACE INTO case_snapshots SELECT *, ?, ? FROM cases WHERE id = ?",
                       arguments: [next, now.millis, caseID])
    }

    /// The transition of an event that took effect before what Bevaka did since (only
    /// Bevaka's own rows followed, and the case as it was before them is kept); nil
    /// when the event is to be applied as usual.
    func backdated(event: String, payload: [String: JSONValue], reason: String?, on current: CaseRecord,
                   definition: WorkflowDefinition, now: Date, actor: Actor, db: Database) throws -> Transition? {
        let engine = Engine(workflow: definition)
        guard let effective = engine.statedEffectiveTime(of: event, payload: payload, now: now), effective < now else { return nil }
        let history = try Self.historyRecords(caseID: current.id, db: db)
        let after = history.filter { $0.entry.at >= effective }  // an expiry at the very moment it took effect came too soon
        let ownRows: Set<String> = [caseUndoneEvent, "case.handedOver", "case.linked", "case.migrated"]
        guard let first = after.first, after.allSatisfy({ $0.entry.role == systemRole && !ownRows.contains($0.entry.event) }),
              let row = try Row.fetchOne(db, sql: "SELECT * FROM case_snapshots WHERE id = ? AND first_seq = ?",
                                         arguments: [current.id, first.seq]),
              let snapshot = try? StoredFields.record(from: row, definition: definition) else { return nil }
        // Everyone told of what is undone is told it is withdrawn, once per kind of notice.
        var withdrawals: [NotificationEffect] = []
        let ids = after.map(\.id)
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        for notice in try Row.fetchAll(db, sql: "SELECT recipients, webhooks, type FROM outbox WHERE history_id IN (\(marks)) ORDER BY id",
                                       arguments: StatementArguments(ids)) {
            let recipients = try StoredFields.decodeJSON([String].self, notice["recipients"])
            let webhooks = try StoredFields.decodeJSON([String].self, notice["webhooks"])
            var withdrawal = NotificationEffect(type: caseWithdrawnNotification, recipients: recipients, webhooks: webhooks, template: nil,
                                                urgent: false, event: notice["type"], state: current.state)
            withdrawal.historyIndex = 0
            if !withdrawals.contains(withdrawal) { withdrawals.append(withdrawal) }
        }
        do {
            return try engine.backdate(event: event, payload: payload, reason: reason, before: snapshot, current: current,
                                       undone: after.map { ($0.seq, $0.entry.event) }, effective: effective, now: now,
                                       actor: actor, withdrawals: withdrawals)
        } catch {
            return nil  // refused on the earlier case: the event is tried on the case as it is, and refused there if it must be
        }
    }
}
