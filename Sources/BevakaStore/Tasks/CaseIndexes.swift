import BevakaCore
import Foundation
import GRDB

/// The index of what falls on each role (`case_tasks`): one row per role and due item of
/// an open case (`CaseRecord.dueItems`), so that "Mina uppgifter" finds a role's next tasks
/// among 100,000 cases in one index range. The writer keeps it, rewriting a case's rows
/// only when a transition changed what the case has due.
enum CaseTasks {
    /// Rewrites the case's rows when its state, deadlines or checklists changed.
    static func update(_ record: CaseRecord, previous: CaseRecord?, definition: WorkflowDefinition, db: Database) throws {
        if let previous, previous.state == record.state, previous.workflow == record.workflow,
           previous.deadlines == record.deadlines, previous.checklists == record.checklists { return }
        if previous != nil { try db.run("DELETE FROM case_tasks WHERE case_id = ?", arguments: [record.id]) }
        try insert(record, definition: definition, db: db)
    }

    static func insert(_ record: CaseRecord, definition: WorkflowDefinition, db: Database) throws {
        for item in record.dueItems(definition) {
            for role in item.workedBy.sorted() {
                try db.run("INSERT OR IGNORE INTO case_tasks (role, due_at, case_id, item) VALUES (?, ?, ?, ?)",
                           arguments: [role, item.dueAt.millis, record.id, item.timerName])
            }
        }
    }

    /// The ids of the cases holding the `limit` soonest items that fall on any of `roles`,
    /// soonest first: per role one index range, merged.
    static func caseIDs(roles: Set<String>, limit: Int, db: Database) throws -> [String] {
        guard !roles.isEmpty, limit > 0 else { return [] }
        var soonest: [(at: Int64, caseID: String)] = []
        for role in roles.sorted() {
            let rows = try Row.fetchAll(db, sql: "SELECT due_at, case_id FROM case_tasks WHERE role = ? ORDER BY due_at LIMIT ?",
                                        arguments: [role, limit])
            soonest += rows.map { ($0["due_at"], $0["case_id"]) }
        }
        var seen = Set<String>()
        return soonest.sorted { ($0.at, $0.caseID) < ($1.at, $1.caseID) }.prefix(limit).compactMap { seen.insert($0.caseID).inserted ? $0.caseID : nil }
    }

    /// After the tasks' migration: the rows of every open case already there.
    static func backfillIfPending(_ db: Database, definition: (WorkflowKey) -> WorkflowDefinition?) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM pending_backfills WHERE name = 'case_tasks'") == true else { return }
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM cases WHERE NOT is_final")
        while let row = try rows.next() {
            guard let definition = definition(WorkflowKey(name: row["workflow"], version: row["workflow_version"])),
                  let record = try? StoredFields.record(from: row, definition: definition) else { continue }
            try insert(record, definition: definition, db: db)
        }
        try db.execute(sql: "DELETE FROM pending_backfills WHERE name = 'case_tasks'")
    }
}

/// Who each case is for (`case_parties`): its owner and its people's addresses, so that a
/// person's cases are found in an index. The writer keeps it when the owner or people change.
enum CaseParties {
    static func update(_ record: CaseRecord, previous: CaseRecord?, db: Database) throws {
        if let previous, previous.owner == record.owner, previous.people == record.people { return }
        if previous != nil { try db.run("DELETE FROM case_parties WHERE case_id = ?", arguments: [record.id]) }
        let parties = Set([record.owner] + record.people.values.flatMap { $0.map(\.email) })
        for who in parties.sorted() {
            try db.run("INSERT INTO case_parties (who, case_id) VALUES (?, ?)", arguments: [who, record.id])
        }
    }
}
