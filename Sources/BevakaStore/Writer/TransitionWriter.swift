import BevakaCore
import Foundation
import GRDB
import Synchronization

/// Writes completed transitions (``CompletedTransition``) into the SQLite tables, inside the
/// writer's transaction: the case row (on the condition that it is still at the version the
/// transition was made from), its hash-chained history, its timers, outbox and ledger rows,
/// the cases it opened and their links, and what is derived from the row for search and
/// lists (terms, tasks, parties). It decides nothing: the engines did.
struct TransitionWriter: Sendable {
    /// When snapshots past their retention were last dropped, and the statement that keeps one.
    let pruning = SnapshotPruning()

    /// Writes a transition and all its effects; runs inside the writer's transaction.
    /// - Parameter keepingSnapshot: first keep the case row as it is, for an event registered
    ///   later that took effect before this transition (``keepSnapshot(of:firstSeq:db:now:)``).
    func write(_ completed: CompletedTransition, previous: CaseRecord?, keepingSnapshot: Bool = false, db: Database,
               now: Date) throws -> (CaseRecord, [ScheduledTimer]) {
        let transition = completed.transition
        // The case's newest history row: where the chain goes on, and the first row a snapshot stands before.
        let last = try db.fetchOneRow("SELECT seq, hash FROM history WHERE case_id = ? ORDER BY seq DESC LIMIT 1",
                                      arguments: [transition.record.id])
        if keepingSnapshot {
            try keepSnapshot(of: transition.record.id, firstSeq: (last?["seq"] ?? 0) + 1, db: db, now: now)
        }
        let definition = completed.definition
        let previousVersion = previous?.version
        var record = transition.record
        record.version = (previousVersion ?? 0) + 1
        let nextDue = record.nextDueAt?.millis
        let isFinal = definition.state(record.state)?.isFinal == true
        if let previous, let previousVersion {
            try Self.updateCaseRow(record, previous: previous, previousVersion: previousVersion, isFinal: isFinal, nextDue: nextDue, db: db)
        } else {
            try db.run("""
                INSERT INTO cases (id, workflow, workflow_version, state, state_entered_at, state_entry, owner, fields,
                    deadlines, accruals, checklists, version, is_final, next_due_at, created_at, updated_at, people, unit_id, contract_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.id, record.workflow.name, record.workflow.version, record.state,
                                 record.stateEnteredAt.millis, record.stateEntry, record.owner, StoredFields.encode(record.fields),
                                 try StoredFields.deadlinesJSON(record.deadlines), try StoredFields.json(record.accruals),
                                 try StoredFields.json(record.checklists), record.version, isFinal, nextDue,
                                 record.createdAt.millis, record.updatedAt.millis, try StoredFields.json(record.people),
                                 record.unit, record.contract])
        }
        try CaseTerms.update(caseID: record.id, old: previous?.fields ?? [:], new: record.fields, definition: definition, db: db)
        try CaseTasks.update(record, previous: previous, definition: definition, db: db)
        try CaseParties.update(record, previous: previous, db: db)
        if (record.unit != nil || record.contract != nil) && (previous == nil || previous?.unit != record.unit || previous?.contract != record.contract) {
            try CaseStore.placeInRegister(caseIDs: [record.id], db: db)
        }

        var historyIDs: [Int64] = []
        var seq: Int = last?["seq"] ?? 0
        var previousHash: String = last?["hash"] ?? HistoryHasher.genesis
        for entry in transition.history {
            seq += 1
            let at = entry.at.millis
            let payload = entry.payload.canonicalText
            let notes = JSONValue.array(entry.notes.map(JSONValue.string)).canonicalText
            let hash = HistoryHasher.hash(previous: previousHash, caseID: record.id, seq: seq, at: at, entry: entry,
                                          payload: payload, notes: notes)
            try db.run("""
                INSERT INTO history (case_id, seq, at, actor, role, event, from_state, to_state, payload, reason, notes,
                    prev_hash, hash, effective_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.id, seq, at, entry.actor, entry.role, entry.event, entry.fromState, entry.toState,
                                 payload, entry.reason, notes, previousHash, hash, entry.effectiveAt?.millis])
            historyIDs.append(db.lastInsertedRowID)
            previousHash = hash
        }

        let historyID = historyIDs.last ?? 0
        var scheduled: [ScheduledTimer] = []
        for effect in transition.effects {
            switch effect {
            case .scheduleTimer(let timer):
                try db.run("""
                    INSERT INTO timers (case_id, due_at, deadline, kind, state_entry, deadline_due) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [timer.caseID, timer.dueAt.millis, timer.deadline, timer.kind.description,
                                     timer.stateEntry, timer.deadlineDue.millis])
                scheduled.append(ScheduledTimer(id: db.lastInsertedRowID, dueAt: timer.dueAt))
            case .cancelTimers(let deadline?):
                try db.run("DELETE FROM timers WHERE case_id = ? AND deadline = ?", arguments: [record.id, deadline])
            case .cancelTimers(nil):
                try db.run("DELETE FROM timers WHERE case_id = ? AND kind NOT LIKE 'item-%'", arguments: [record.id])
            case .cancelChecklistTimers(let checklist):
                try db.run("""
                    DELETE FROM timers WHERE case_id = ? AND kind LIKE 'item-%' AND substr(deadline, 1, ?) = ?
                    """, arguments: [record.id, checklist.count + 1, checklist + "/"])
            case .openCase:
                break  // opened by the engine already: `completed.linked`
            case .notify(let notification):
                try db.run("""
                    INSERT INTO outbox (case_id, history_id, created_at, type, recipients, webhooks, template, urgent,
                        deadline, due_at, event, state, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [record.id, historyIDs[min(notification.historyIndex, historyIDs.count - 1)], now.millis,
                                     notification.type,
                                     JSONValue.array(notification.recipients.map(JSONValue.string)).canonicalText,
                                     JSONValue.array(notification.webhooks.map(JSONValue.string)).canonicalText,
                                     notification.template, notification.urgent, notification.deadline,
                                     notification.dueAt?.millis, notification.event, notification.state,
                                     StoredFields.notificationData(record, definition: definition).canonicalText])
            case .setSegments(let accrual, let segments):
                try db.run("DELETE FROM ledger_segments WHERE case_id = ? AND accrual = ?", arguments: [record.id, accrual])
                for segment in segments {
                    try db.run("""
                        INSERT INTO ledger_segments (case_id, accrual, seq, from_date, until_date, rate, quantity, currency, changed_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [record.id, accrual, segment.seq, segment.from.description, segment.until?.description,
                                         "\(segment.rate)", segment.quantity, segment.currency, historyID])
                }
            }
        }
        for opening in completed.linked {
            scheduled += try writeLinkedCase(opening, from: record, historyID: historyID, db: db, now: now)
        }
        return (record, scheduled)
    }

    /// Writes the columns of a case row that the transition changed, and its version, on
    /// the condition that the row is still at the version the transition was made from.
    /// Leaving the others out spares their index entries and CHECKs: SQLite rewrites every
    /// index over a column named in SET, changed or not.
    private static func updateCaseRow(_ record: CaseRecord, previous: CaseRecord, previousVersion: Int, isFinal: Bool,
                                      nextDue: Int64?, db: Database) throws {
        var columns = ["version", "updated_at"]
        var values: [(any DatabaseValueConvertible)?] = [record.version, record.updatedAt.millis]
        func set(_ column: String, _ value: @autoclosure () throws -> (any DatabaseValueConvertible)?, when changed: Bool) rethrows {
            guard changed else { return }
            columns.append(column)
            values.append(try value())
        }
        let workflowChanged = record.workflow != previous.workflow
        set("workflow", record.workflow.name, when: record.workflow.name != previous.workflow.name)
        set("workflow_version", record.workflow.version, when: workflowChanged)
        set("state", record.state, when: record.state != previous.state)
        set("state_entered_at", record.stateEnteredAt.millis, when: record.stateEnteredAt != previous.stateEnteredAt)
        set("state_entry", record.stateEntry, when: record.stateEntry != previous.stateEntry)
        set("owner", record.owner, when: record.owner != previous.owner)
        set("fields", StoredFields.encode(record.fields), when: record.fields != previous.fields)
        try set("deadlines", try StoredFields.deadlinesJSON(record.deadlines), when: record.deadlines != previous.deadlines)
        try set("accruals", try StoredFields.json(record.accruals), when: record.accruals != previous.accruals)
        try set("checklists", try StoredFields.json(record.checklists), when: record.checklists != previous.checklists)
        // Whether the state is final depends on the workflow version too (a migration may change it).
        set("is_final", isFinal, when: record.state != previous.state || workflowChanged)
        set("next_due_at", nextDue, when: nextDue != previous.nextDueAt?.millis)
        try set("people", try StoredFields.json(record.people), when: record.people != previous.people)
        set("unit_id", record.unit, when: record.unit != previous.unit)
        set("contract_id", record.contract, when: record.contract != previous.contract)
        let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
        try db.run("UPDATE cases SET \(assignments) WHERE id = ? AND version = ?",
                   arguments: StatementArguments(values + [record.id, previousVersion]))
        guard db.changesCount == 1 else { throw StoreError.corrupt("case \(record.id) changed under the writer") }
    }

    /// Writes a case the transition opened and links the two, in the same transaction.
    private func writeLinkedCase(_ opening: LinkedOpening, from source: CaseRecord, historyID: Int64, db: Database,
                                 now: Date) throws -> [ScheduledTimer] {
        let (record, timers) = try write(CompletedTransition(transition: opening.transition, definition: opening.definition),
                                           previous: nil, db: db, now: now)
        try insertLink(source.id, record.id, relation: opening.relation, historyID: historyID, db: db, now: now)
        try insertLink(record.id, source.id, relation: opening.relation, historyID: try lastHistoryID(of: record.id, db: db), db: db, now: now)
        return timers
    }

    /// The id of the case's newest history row.
    func lastHistoryID(of caseID: String, db: Database) throws -> Int64 {
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM history WHERE case_id = ? ORDER BY seq DESC LIMIT 1"),
                                          arguments: [caseID]) else {
            throw StoreError.corrupt("case \(caseID) has no history")
        }
        return id
    }

    func insertLink(_ caseID: String, _ linked: String, relation: String, historyID: Int64, db: Database, now: Date) throws {
        try db.run("""
            INSERT OR IGNORE INTO case_links (case_id, linked_case_id, relation, created_at, history_id) VALUES (?, ?, ?, ?, ?)
            """, arguments: [caseID, linked, relation, now.millis, historyID])
    }

    /// Keeps the case row as it is now, before a transition whose first history row is
    /// `firstSeq` is written. It runs for every timer fired, so its statements are prepared
    /// once per connection (their text is the same each time), as the writer's others are.
    func keepSnapshot(of caseID: String, firstSeq next: Int, db: Database, now: Date) throws {
        if pruning.isDue(at: now) {
            try db.run("DELETE FROM case_snapshots WHERE taken_at < ?", arguments: [now.addingTimeInterval(-SnapshotPruning.retention).millis])
        }
        try db.run(try snapshotInsertSQL(db), arguments: [next, now.millis, caseID])
    }

    /// The statement that copies a case row into case_snapshots, built once from the
    /// table's columns (by name, not position: columns added to cases later come after
    /// first_seq there).
    private func snapshotInsertSQL(_ db: Database) throws -> String {
        if let sql = pruning.insertSQL { return sql }
        let columns = try db.columns(in: "cases").map { "\"\($0.name)\"" }.joined(separator: ", ")
        let sql = "INSERT OR REPLACE INTO case_snapshots (\(columns), first_seq, taken_at) SELECT \(columns), ?, ? FROM cases WHERE id = ?"
        pruning.insertSQL = sql
        return sql
    }
}

/// When the writer last dropped snapshots past their retention, and the statement it
/// copies a case row with. Dropping them once a minute instead of at every timer took a
/// range scan out of each firing; a snapshot kept a minute past 400 days harms nothing.
package final class SnapshotPruning: Sendable {
    private struct State {
        var lastPrune: Date?
        var insertSQL: String?
    }
    private let state = Mutex(State())
    static let interval: TimeInterval = 60
    /// How long a snapshot is kept: a registration later than that cannot rewind past it.
    package static let retention: TimeInterval = 400 * 86_400

    package init() {}

    /// Whether to prune now (and, if so, notes that it is done); a clock set back prunes at once.
    package func isDue(at now: Date) -> Bool {
        state.withLock { state in
            if let last = state.lastPrune, now >= last, now.timeIntervalSince(last) < Self.interval { return false }
            state.lastPrune = now
            return true
        }
    }

    var insertSQL: String? {
        get { state.withLock { $0.insertSQL } }
        set { state.withLock { $0.insertSQL = newValue } }
    }
}
