import BevakaCore
import BevakaStore
import Logging
import PostgresNIO

/// What the lists search by, kept by the writer in the transition's transaction, as
/// SQLite's CaseTerms, CaseTasks and CaseParties are: the terms of the fields a
/// transition changed, the case's due items per role when what it has due changed, and
/// who the case is for when its owner or people changed.
struct PostgresCaseIndexes: Sendable {
    let logger: Logger

    func update(_ record: CaseRecord, previous: CaseRecord?, definition: WorkflowDefinition,
                on connection: PostgresConnection) async throws {
        try await updateTerms(record, previous: previous, definition: definition, on: connection)
        try await updateTasks(record, previous: previous, definition: definition, on: connection)
        try await updateParties(record, previous: previous, on: connection)
    }

    private func updateTerms(_ record: CaseRecord, previous: CaseRecord?, definition: WorkflowDefinition,
                             on connection: PostgresConnection) async throws {
        let old = previous?.fields ?? [:]
        for field in definition.fields where !field.personal && old[field.name] != record.fields[field.name] {
            if let before = old[field.name].flatMap(CaseTerms.term) {
                try await connection.run("""
                    DELETE FROM case_terms WHERE name = \(field.name) AND value = \(before) AND case_id = \(record.id)
                    """, logger: logger)
            }
            if let after = record.fields[field.name].flatMap(CaseTerms.term) {
                try await connection.run("""
                    INSERT INTO case_terms (name, value, case_id) VALUES (\(field.name), \(after), \(record.id)) ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
        }
    }

    private func updateTasks(_ record: CaseRecord, previous: CaseRecord?, definition: WorkflowDefinition,
                             on connection: PostgresConnection) async throws {
        if let previous, previous.state == record.state, previous.workflow == record.workflow,
           previous.deadlines == record.deadlines, previous.checklists == record.checklists { return }
        if previous != nil { try await connection.run("DELETE FROM case_tasks WHERE case_id = \(record.id)", logger: logger) }
        for item in record.dueItems(definition) {
            for role in item.workedBy.sorted() {
                try await connection.run("""
                    INSERT INTO case_tasks (role, due_at, case_id, item) VALUES (\(role), \(item.dueAt.millis), \(record.id), \(item.timerName))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
        }
    }

    private func updateParties(_ record: CaseRecord, previous: CaseRecord?, on connection: PostgresConnection) async throws {
        if let previous, previous.owner == record.owner, previous.people == record.people { return }
        if previous != nil { try await connection.run("DELETE FROM case_parties WHERE case_id = \(record.id)", logger: logger) }
        for who in Set([record.owner] + record.people.values.flatMap { $0.map(\.email) }).sorted() {
            try await connection.run("INSERT INTO case_parties (who, case_id) VALUES (\(who), \(record.id))", logger: logger)
        }
    }
}
