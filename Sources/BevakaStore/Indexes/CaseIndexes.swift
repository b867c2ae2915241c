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

    /// The ids of the cases holding the `limit` soonest items that fall on any of `roles`
    /// after `after` (a due time in milliseconds, a case id and an item, the index's order),
    /// soonest first: per role one index range, merged.
    static func caseIDs(roles: Set<String>, after: TaskPosition?, limit: Int, db: Database) throws -> [String] {
        guard !roles.isEmpty, limit > 0 else { return [] }
        var soonest: [TaskPosition] = []
        for role in roles.sorted() {
            var sql = "SELECT due_at, case_id, item FROM case_tasks WHERE role = ?"
            var arguments: StatementArguments = [role]
            if let after {
                sql += " AND (due_at, case_id, item) > (?, ?, ?)"
                arguments += [after.dueAt, after.caseID, after.item]
            }
            arguments += [limit]
            soonest += try Row.fetchAll(db, sql: sql + " ORDER BY due_at, case_id, item LIMIT ?", arguments: arguments)
                .map { TaskPosition(dueAt: $0["due_at"], caseID: $0["case_id"], item: $0["item"]) }
        }
        var seen = Set<String>()
        return soonest.sorted().prefix(limit).compactMap { seen.insert($0.caseID).inserted ? $0.caseID : nil }
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

/// Where an item stands in a role's list of tasks: by due time (milliseconds), case and item
/// (its timer name), the order of the `case_tasks` index. A page of tasks continues after one.
public struct TaskPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let dueAt: Int64
    public let caseID: String
    public let item: String

    public init(dueAt: Int64, caseID: String, item: String) {
        self.dueAt = dueAt
        self.caseID = caseID
        self.item = item
    }

    /// `MILLIS~CASE~ITEM`, as a page's link carries it.
    public init?(_ text: String) {
        let parts = text.split(separator: "~", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let dueAt = Int64(parts[0]), !parts[1].isEmpty, !parts[2].isEmpty,
              parts[1].count <= 100, parts[2].count <= 400 else { return nil }
        self.init(dueAt: dueAt, caseID: parts[1], item: parts[2])
    }

    public var description: String { "\(dueAt)~\(caseID)~\(item)" }

    public static func < (a: TaskPosition, b: TaskPosition) -> Bool { (a.dueAt, a.caseID, a.item) < (b.dueAt, b.caseID, b.item) }
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
