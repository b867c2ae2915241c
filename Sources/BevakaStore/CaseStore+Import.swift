import BevakaCore
import Foundation
import GRDB

/// Why an import wrote nothing: every problem, each with its line.
public struct ImportProblems: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { problems.joined(separator: "\n") }

    package init(problems: [String]) {
        self.problems = problems
    }
}

extension CaseStore {
    /// Brings cases in mid-ladder (`bevaka case import`): every row is checked first, and if
    /// any is wrong nothing is written; otherwise all are written in one transaction. With
    /// `dryRun` nothing is written either way, and the cases are returned as they would be.
    public func importCases(_ rows: [(line: Int, workflow: String, row: ImportedCase)], actor: Actor, dryRun: Bool) async throws -> [CaseRecord] {
        let now = self.now().wholeMilliseconds
        let (planned, problems) = try await database.read { db -> ([(Transition, WorkflowDefinition)], [String]) in
            var problems: [String] = []
            var planned: [(Transition, WorkflowDefinition)] = []
            for (line, name, given) in rows {
                guard let definition = self.catalog.forOpening(named: name) else {
                    problems.append("line \(line): workflow: no workflow named '\(name)'; known: \(self.catalog.openableNames.joined(separator: ", "))")
                    continue
                }
                var row = given
                if row.unit != nil || row.contract != nil {
                    do {
                        row.fields = try Self.fillingFromRegister(row.fields, unit: row.unit, contract: row.contract, definition: definition,
                                                                  db: db, today: definition.calendar.localDate(of: row.enteredAt))
                    } catch let refused as RegisterProblems {
                        problems += refused.problems.map { "line \(line): \($0)" }
                        continue
                    }
                }
                switch Result(catching: { () throws(EngineError) in
                    try Engine(workflow: definition).importCase(row, id: CaseIDs.make(at: now), now: now, actor: actor)
                }) {
                case .success(var transition):
                    transition.record.unit = row.unit
                    transition.record.contract = row.contract
                    planned.append((transition, definition))
                case .failure(let error):
                    if case .invalidInput(let fieldProblems) = error {
                        problems += fieldProblems.map { "line \(line): \($0.field): \($0.problem)" }
                    } else {
                        problems.append("line \(line): \(error.description)")
                    }
                }
            }
            return (planned, problems)
        }
        guard problems.isEmpty else { throw ImportProblems(problems: problems) }
        if dryRun { return planned.map(\.0.record) }
        let transitions = planned
        return try await writer.perform { db in
            var records: [CaseRecord] = []
            var timers: [ScheduledTimer] = []
            for (transition, definition) in transitions {
                let (record, scheduled) = try self.transitions.write(try self.completed(transition, from: definition, now: now, actor: actor),
                                                           previous: nil, db: db, now: now)
                records.append(record)
                timers += scheduled
            }
            return (records, timers)
        }
    }
}
