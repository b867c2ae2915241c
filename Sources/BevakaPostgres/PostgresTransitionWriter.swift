import BevakaCore
import BevakaStore
import Foundation
import Logging
import PostgresNIO

/// Writes completed transitions into the PostgreSQL tables, inside the caller's
/// transaction, as ``BevakaStore``'s TransitionWriter does in SQLite: the case row on
/// the condition that it is still at the version the transition was made from, its
/// hash-chained history, its timers, outbox and ledger rows, the cases it opened and
/// their links. It decides nothing: the engines did.
///
/// The caller holds the case row's lock (`SELECT … FOR UPDATE`), so the newest history
/// row read here is the newest there is, whichever node writes.
struct PostgresTransitionWriter: Sendable {
    let logger: Logger
    /// When snapshots past their retention were last dropped (once a minute, as in SQLite).
    let pruning = SnapshotPruning()

    /// Writes a transition and all its effects; returns the case as written and the timers scheduled.
    /// - Parameter keepingSnapshot: first keep the case row as it is, for an event registered later that took effect before it.
    func write(_ completed: CompletedTransition, previous: CaseRecord?, keepingSnapshot: Bool = false,
               on connection: PostgresConnection, now: Date) async throws -> (CaseRecord, [ScheduledTimer]) {
        let transition = completed.transition
        let caseID = transition.record.id
        let last = try await connection.firstRow(
            "SELECT seq, hash FROM history WHERE case_id = \(caseID) ORDER BY seq DESC LIMIT 1", logger: logger)
        var seq: Int = try last?.value("seq") ?? 0
        var previousHash: String = try last?.value("hash") ?? HistoryHasher.genesis
        if keepingSnapshot {
            try await keepSnapshot(of: caseID, firstSeq: seq + 1, on: connection, now: now)
        }
        let definition = completed.definition
        var record = transition.record
        record.version = (previous?.version ?? 0) + 1
        let nextDue = record.nextDueAt?.millis
        let isFinal = definition.state(record.state)?.isFinal == true
        if let previous {
            try await updateCaseRow(record, previous: previous, isFinal: isFinal, nextDue: nextDue, on: connection)
        } else {
            let fields = StoredFields.encode(record.fields)
            let deadlines = try StoredFields.deadlinesJSON(record.deadlines)
            let accruals = try StoredFields.json(record.accruals)
            let checklists = try StoredFields.json(record.checklists)
            let people = try StoredFields.json(record.people)
            try await connection.run("""
                INSERT INTO cases (id, workflow, workflow_version, state, state_entered_at, state_entry, owner, fields,
                    deadlines, accruals, checklists, version, is_final, next_due_at, created_at, updated_at, people, unit_id, contract_id)
                VALUES (\(record.id), \(record.workflow.name), \(record.workflow.version), \(record.state),
                    \(record.stateEnteredAt.millis), \(record.stateEntry), \(record.owner), \(fields), \(deadlines), \(accruals),
                    \(checklists), \(record.version), \(isFinal), \(nextDue), \(record.createdAt.millis), \(record.updatedAt.millis),
                    \(people), \(record.unit), \(record.contract))
                """, logger: logger)
        }
        if record.unit != nil || record.contract != nil, previous == nil || previous?.unit != record.unit || previous?.contract != record.contract {
            // Placed by the register as it is when this commits: a change to it waits for this, or this for it.
            try await connection.run("SELECT pg_advisory_xact_lock_shared(\(PostgresStore.registerLock))", logger: logger)
            try await PostgresStore.placeInRegister(caseIDs: [record.id], on: connection, logger: logger)
        }
        try await PostgresCaseIndexes(logger: logger).update(record, previous: previous, definition: definition, on: connection)

        var historyIDs: [Int64] = []
        for entry in transition.history {
            seq += 1
            let at = entry.at.millis
            let payload = entry.payload.canonicalText
            let notes = JSONValue.array(entry.notes.map(JSONValue.string)).canonicalText
            let hash = HistoryHasher.hash(previous: previousHash, caseID: record.id, seq: seq, at: at, entry: entry,
                                          payload: payload, notes: notes)
            let row = try await connection.firstRow("""
                INSERT INTO history (case_id, seq, at, actor, role, event, from_state, to_state, payload, reason, notes,
                    prev_hash, hash, effective_at)
                VALUES (\(record.id), \(seq), \(at), \(entry.actor), \(entry.role), \(entry.event), \(entry.fromState),
                    \(entry.toState), \(payload), \(entry.reason), \(notes), \(previousHash), \(hash), \(entry.effectiveAt?.millis))
                RETURNING id
                """, logger: logger)
            historyIDs.append(try row?.value("id") ?? 0)
            previousHash = hash
        }

        let historyID = historyIDs.last ?? 0
        var scheduled: [ScheduledTimer] = []
        for effect in transition.effects {
            switch effect {
            case .scheduleTimer(let timer):
                let row = try await connection.firstRow("""
                    INSERT INTO timers (case_id, due_at, deadline, kind, state_entry, deadline_due)
                    VALUES (\(timer.caseID), \(timer.dueAt.millis), \(timer.deadline), \(timer.kind.description),
                        \(timer.stateEntry), \(timer.deadlineDue.millis))
                    RETURNING id
                    """, logger: logger)
                scheduled.append(ScheduledTimer(id: try row?.value("id") ?? 0, dueAt: timer.dueAt))
            case .cancelTimers(let deadline?):
                try await connection.run("DELETE FROM timers WHERE case_id = \(record.id) AND deadline = \(deadline)", logger: logger)
            case .cancelTimers(nil):
                try await connection.run("DELETE FROM timers WHERE case_id = \(record.id) AND kind NOT LIKE 'item-%'", logger: logger)
            case .cancelChecklistTimers(let checklist):
                let prefix = checklist + "/"
                try await connection.run("""
                    DELETE FROM timers WHERE case_id = \(record.id) AND kind LIKE 'item-%' AND starts_with(deadline, \(prefix))
                    """, logger: logger)
            case .openCase:
                break  // opened by the engine already: `completed.linked`
            case .notify(let notification):
                let recipients = JSONValue.array(notification.recipients.map(JSONValue.string)).canonicalText
                let webhooks = JSONValue.array(notification.webhooks.map(JSONValue.string)).canonicalText
                let data = StoredFields.notificationData(record, definition: definition).canonicalText
                let historyRow = historyIDs[min(notification.historyIndex, historyIDs.count - 1)]
                try await connection.run("""
                    INSERT INTO outbox (case_id, history_id, created_at, type, recipients, webhooks, template, urgent,
                        deadline, due_at, event, state, data)
                    VALUES (\(record.id), \(historyRow), \(now.millis), \(notification.type), \(recipients), \(webhooks),
                        \(notification.template), \(notification.urgent), \(notification.deadline), \(notification.dueAt?.millis),
                        \(notification.event), \(notification.state), \(data))
                    """, logger: logger)
            case .setSegments(let accrual, let segments):
                try await connection.run("DELETE FROM ledger_segments WHERE case_id = \(record.id) AND accrual = \(accrual)", logger: logger)
                for segment in segments {
                    try await connection.run("""
                        INSERT INTO ledger_segments (case_id, accrual, seq, from_date, until_date, rate, quantity, currency, changed_by)
                        VALUES (\(record.id), \(accrual), \(segment.seq), \(segment.from.description), \(segment.until?.description),
                            \("\(segment.rate)"), \(segment.quantity), \(segment.currency), \(historyID))
                        """, logger: logger)
                }
            }
        }
        for opening in completed.linked {
            let (opened, timers) = try await write(CompletedTransition(transition: opening.transition, definition: opening.definition),
                                                   previous: nil, on: connection, now: now)
            scheduled += timers
            try await insertLink(record.id, opened.id, relation: opening.relation, historyID: historyID, on: connection, now: now)
            try await insertLink(opened.id, record.id, relation: opening.relation,
                                 historyID: try await lastHistoryID(of: opened.id, on: connection), on: connection, now: now)
        }
        return (record, scheduled)
    }

    /// Writes the columns of a case row that the transition changed, and its version, on the
    /// condition that the row is still at the version the transition was made from.
    private func updateCaseRow(_ record: CaseRecord, previous: CaseRecord, isFinal: Bool, nextDue: Int64?,
                               on connection: PostgresConnection) async throws {
        var statement = BoundSQL()
        var assignments = ["version = \(try statement.bind(record.version))", "updated_at = \(try statement.bind(record.updatedAt.millis))"]
        func set<T: PostgresThrowingDynamicTypeEncodable>(_ column: String, _ value: @autoclosure () throws -> T?, when changed: Bool) throws {
            guard changed else { return }
            assignments.append("\(column) = \(try statement.bind(try value()))")
        }
        let workflowChanged = record.workflow != previous.workflow
        try set("workflow", record.workflow.name, when: record.workflow.name != previous.workflow.name)
        try set("workflow_version", record.workflow.version, when: workflowChanged)
        try set("state", record.state, when: record.state != previous.state)
        try set("state_entered_at", record.stateEnteredAt.millis, when: record.stateEnteredAt != previous.stateEnteredAt)
        try set("state_entry", record.stateEntry, when: record.stateEntry != previous.stateEntry)
        try set("owner", record.owner, when: record.owner != previous.owner)
        try set("fields", StoredFields.encode(record.fields), when: record.fields != previous.fields)
        try set("deadlines", try StoredFields.deadlinesJSON(record.deadlines), when: record.deadlines != previous.deadlines)
        try set("accruals", try StoredFields.json(record.accruals), when: record.accruals != previous.accruals)
        try set("checklists", try StoredFields.json(record.checklists), when: record.checklists != previous.checklists)
        try set("is_final", isFinal, when: record.state != previous.state || workflowChanged)
        try set("next_due_at", nextDue, when: nextDue != previous.nextDueAt?.millis)
        try set("people", try StoredFields.json(record.people), when: record.people != previous.people)
        try set("unit_id", record.unit, when: record.unit != previous.unit)
        try set("contract_id", record.contract, when: record.contract != previous.contract)
        statement.sql = "UPDATE cases SET \(assignments.joined(separator: ", ")) WHERE id = \(try statement.bind(record.id))"
            + " AND version = \(try statement.bind(previous.version)) RETURNING version"
        guard try await connection.firstRow(statement.query, logger: logger) != nil else {
            throw StoreError.corrupt("case \(record.id) changed under the writer")
        }
    }

    /// The id of the case's newest history row.
    func lastHistoryID(of caseID: String, on connection: PostgresConnection) async throws -> Int64 {
        guard let row = try await connection.firstRow(
            "SELECT id FROM history WHERE case_id = \(caseID) ORDER BY seq DESC LIMIT 1", logger: logger) else {
            throw StoreError.corrupt("case \(caseID) has no history")
        }
        return try row.value("id")
    }

    func insertLink(_ caseID: String, _ linked: String, relation: String, historyID: Int64, on connection: PostgresConnection,
                    now: Date) async throws {
        try await connection.run("""
            INSERT INTO case_links (case_id, linked_case_id, relation, created_at, history_id)
            VALUES (\(caseID), \(linked), \(relation), \(now.millis), \(historyID)) ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// The columns of a case row, named (not `cases.*`), so that a column added to cases later cannot shift a snapshot's.
    static let caseColumns = ["id", "workflow", "workflow_version", "state", "state_entered_at", "state_entry", "owner", "fields",
                              "deadlines", "accruals", "checklists", "version", "is_final", "next_due_at", "created_at", "updated_at",
                              "people", "unit_id", "contract_id", "provider_id", "board", "area"]

    /// Keeps the case row as it is now, before a transition whose first history row is `firstSeq`.
    func keepSnapshot(of caseID: String, firstSeq: Int, on connection: PostgresConnection, now: Date) async throws {
        if pruning.isDue(at: now) {
            let cutoff = now.addingTimeInterval(-SnapshotPruning.retention).millis
            try await connection.run("DELETE FROM case_snapshots WHERE taken_at < \(cutoff)", logger: logger)
        }
        // Replaced, as SQLite's INSERT OR REPLACE does, when a rewind wrote that seq again.
        try await connection.run("DELETE FROM case_snapshots WHERE id = \(caseID) AND first_seq = \(firstSeq)", logger: logger)
        let columns = Self.caseColumns.joined(separator: ", ")
        var statement = BoundSQL()
        let (seq, at, id) = (try statement.bind(firstSeq), try statement.bind(now.millis), try statement.bind(caseID))
        statement.sql = "INSERT INTO case_snapshots (\(columns), first_seq, taken_at) SELECT \(columns), \(seq), \(at) FROM cases WHERE id = \(id)"
        try await connection.run(statement.query, logger: logger)
    }
}
