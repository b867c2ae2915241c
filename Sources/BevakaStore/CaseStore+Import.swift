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

    /// A row naming a workflow that cannot be opened.
    package static func unknownWorkflow(_ name: String, line: Int, catalog: WorkflowCatalog) -> String {
        "line \(line): workflow: no workflow named '\(name)'; known: \(catalog.openableNames.joined(separator: ", "))"
    }
}

extension ImportedCase {
    /// The transition that imports this row (its fields already taken from the register), placed
    /// in its unit and contract; or what is wrong with it, each problem with its line. Any store runs it.
    package func importing(line: Int, definition: WorkflowDefinition, now: Date, actor: Actor) -> Result<Transition, ImportProblems> {
        switch Result(catching: { () throws(EngineError) in
            try Engine(workflow: definition).importCase(self, id: CaseIDs.make(at: now), now: now, actor: actor)
        }) {
        case .success(var transition):
            transition.record.unit = unit
            transition.record.contract = contract
            return .success(transition)
        case .failure(.invalidInput(let problems)):
            return .failure(ImportProblems(problems: problems.map { "line \(line): \($0.field): \($0.problem)" }))
        case .failure(let error):
            return .failure(ImportProblems(problems: ["line \(line): \(error.description)"]))
        }
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
                    problems.append(ImportProblems.unknownWorkflow(name, line: line, catalog: self.catalog))
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
                switch row.importing(line: line, definition: definition, now: now, actor: actor) {
                case .success(let transition): planned.append((transition, definition))
                case .failure(let refused): problems += refused.problems
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
