import BevakaCore
import Foundation
import GRDB

/// Why an import wrote nothing: every problem, each with its line.
public struct ImportProblems: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}

extension CaseStore {
    /// Brings cases in mid-ladder (`bevaka case import`): every row is checked first, and if
    /// any is wrong nothing is written; otherwise all are written in one transaction. With
    /// `dryRun` nothing is written either way, and the cases are returned as they would be.
    public func importCases(_ rows: [(line: Int, workflow: String, row: ImportedCase)], actor: Actor, dryRun: Bool) async throws -> [CaseRecord] {
        let now = self.now().wholeMilliseconds
        var problems: [String] = []
        var planned: [(Transition, WorkflowDefinition)] = []
        for (line, name, row) in rows {
            guard let definition = catalog.forOpening(named: name) else {
                problems.append("line \(line): workflow: no workflow named '\(name)'; known: \(catalog.openableNames.joined(separator: ", "))")
                continue
            }
            do {
                planned.append((try Engine(workflow: definition).importCase(row, id: UUID().uuidString.lowercased(), now: now, actor: actor),
                                definition))
            } catch {
                if case .invalidInput(let fieldProblems) = error {
                    problems += fieldProblems.map { "line \(line): \($0.field): \($0.problem)" }
                } else {
                    problems.append("line \(line): \(error.description)")
                }
            }
        }
        guard problems.isEmpty else { throw ImportProblems(problems: problems) }
        if dryRun { return planned.map(\.0.record) }
        let transitions = planned
        return try await writer.perform { db in
            var records: [CaseRecord] = []
            var timers: [ScheduledTimer] = []
            for (transition, definition) in transitions {
                let (record, scheduled) = try self.persist(transition, previous: nil, definition: definition, db: db, now: now)
                records.append(record)
                timers += scheduled
            }
            return (records, timers)
        }
    }
}
