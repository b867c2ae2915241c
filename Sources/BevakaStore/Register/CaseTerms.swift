import BevakaCore
import GRDB

/// The search index of case fields (`case_terms`): one row per non-personal field
/// value that can be searched for exactly (text, enum, integer, date), so that a
/// case is found by its diarienummer or a referral id among 100,000 in an index
/// lookup. The writer keeps it, touching only the fields a transition changed.
package enum CaseTerms {
    /// A value as it is searched for, or nil for what is not a term (long text,
    /// booleans, lists, decimals, instants).
    package static func term(_ value: Value) -> String? {
        switch value {
        case .string(let text): text.isEmpty || text.utf8.count > 200 ? nil : text
        case .integer(let number): String(number)
        case .date(let date): date.description
        default: nil
        }
    }

    /// Writes the terms of the fields that differ between `old` and `new`.
    static func update(caseID: String, old: [String: Value], new: [String: Value], definition: WorkflowDefinition, db: Database) throws {
        for field in definition.fields where !field.personal && old[field.name] != new[field.name] {
            if let before = old[field.name].flatMap(term) {
                try db.run("DELETE FROM case_terms WHERE name = ? AND value = ? AND case_id = ?", arguments: [field.name, before, caseID])
            }
            if let after = new[field.name].flatMap(term) {
                try db.run("INSERT OR IGNORE INTO case_terms (name, value, case_id) VALUES (?, ?, ?)", arguments: [field.name, after, caseID])
            }
        }
    }

    /// After the register's migration: the terms of every case already there.
    static func backfillIfPending(_ db: Database, definition: (WorkflowKey) -> WorkflowDefinition?) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM pending_backfills WHERE name = 'case_terms'") == true else { return }
        let rows = try Row.fetchCursor(db, sql: "SELECT id, workflow, workflow_version, fields FROM cases")
        while let row = try rows.next() {
            guard let definition = definition(WorkflowKey(name: row["workflow"], version: row["workflow_version"])),
                  let fields = try? StoredFields.decode(row["fields"], definition: definition) else { continue }
            try update(caseID: row["id"], old: [:], new: fields, definition: definition, db: db)
        }
        try db.execute(sql: "DELETE FROM pending_backfills WHERE name = 'case_terms'")
    }
}
