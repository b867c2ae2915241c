import ArgumentParser
import BevakaCore
import BevakaStore
import Foundation
import Yams

extension Bevaka {
    /// `bevaka case import FILE.csv|FILE.yaml`: cases already running in spreadsheets, brought in mid-ladder.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring in cases already running elsewhere, each in its state with its dates.",
            discussion: """
                FILE is CSV (UTF-8, comma-separated, a header row, RFC 4180 quoting). Columns: workflow, owner, state, \
                enteredAt (when the case entered that state: YYYY-MM-DD or an RFC 3339 instant), firePast (ja/nej, \
                default nej: deadlines already past count as expired and fire nothing), unit and contract (the register's HSA-id and contract id, optional), person.ROLE ("Name <address>") \
                for the case's people, and one column per field of the workflow (empty: not given; booleans ja/nej; \
                lists separated by ;). A file ending in .yaml or .yml is a list of cases instead, each with workflow, \
                owner, state, enteredAt, firePast (true/false), fields (a mapping) and people (role: [{name, email}]). \
                Every case is checked first; if one is wrong, nothing is written and each problem is printed with its line.
                """)

        @OptionGroup var options: StoreOptions
        @Argument(help: "The CSV or YAML file.") var file: String
        @Flag(name: .long, help: "Check and show what would be brought in; write nothing.") var dryRun = false
        @Option(name: .long, help: "Who does it, kept in each case's history.")
        var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        func run() async throws {
            let text = try ImportFile.text(file)
            let (store, catalog) = try await options.open()
            let isYAML = file.hasSuffix(".yaml") || file.hasSuffix(".yml")
            let (rows, problems) = isYAML ? CaseImportYAML.rows(text, path: file, catalog: catalog) : CaseImportCSV.rows(text, catalog: catalog)
            if !problems.isEmpty { try ImportFile.refuse(problems, in: file) }
            do {
                let records = try await store.importCases(rows, actor: Actor(name: actor, role: "operator"), dryRun: dryRun)
                for record in records {
                    let due = record.deadlines.filter { !$0.expired }.map { "\($0.name) \(SwedishCalendar().isoLocalString($0.dueAt))" }
                    print("\(record.id)\t\(record.workflow)\t\(record.state)\t\(record.owner)\t\(due.joined(separator: ", "))")
                }
                print(dryRun ? "\(records.count) cases would be imported (dry run: nothing written)" : "\(records.count) cases imported")
            } catch let error as ImportProblems {
                try ImportFile.refuse(error.problems, in: file)
            }
        }
    }
}

/// An import file as the commands read it, and its refusal: every problem with the
/// file and line, then that nothing was written (exit status 1).
enum ImportFile {
    static func text(_ file: String) throws -> String {
        do { return try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ValidationError("cannot read \(file) as UTF-8 text")
        }
    }

    static func refuse(_ problems: [String], in file: String) throws -> Never {
        for problem in problems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
        FileHandle.standardError.write(Data("nothing was imported\n".utf8))
        throw ExitCode(1)
    }
}

/// Reads the import CSV into cases, typing each cell by its workflow field.
enum CaseImportCSV {
    static func rows(_ text: String, catalog: WorkflowCatalog) -> ([(line: Int, workflow: String, row: ImportedCase)], [String]) {
        let records = parse(text)
        guard let header = records.first?.cells else { return ([], ["line 1: the file is empty"]) }
        var rows: [(line: Int, workflow: String, row: ImportedCase)] = []
        var problems: [String] = []
        for required in ["workflow", "owner", "state", "enteredAt"] where !header.contains(required) {
            problems.append("line 1: the header has no '\(required)' column")
        }
        guard problems.isEmpty else { return ([], problems) }
        for record in records.dropFirst() where !record.cells.allSatisfy(\.isEmpty) {
            let line = record.line
            guard record.cells.count == header.count else {
                problems.append("line \(line): \(record.cells.count) cells, the header has \(header.count)")
                continue
            }
            var cells: [String: String] = [:]
            for (name, cell) in zip(header, record.cells) { cells[name] = cell }
            let definition = catalog.forOpening(named: cells["workflow"] ?? "")
            var fields: [String: JSONValue] = [:]
            var people: [String: JSONValue] = [:]
            for (name, cell) in cells where !cell.isEmpty && !["workflow", "owner", "state", "enteredAt", "firePast", "unit", "contract"].contains(name) {
                if name.hasPrefix("person.") {
                    let role = String(name.dropFirst("person.".count))
                    let parts = cell.split(separator: "<", maxSplits: 1)
                    let person: JSONValue = parts.count == 2
                        ? .object(["name": .string(parts[0].trimmingCharacters(in: .whitespaces)),
                                   "email": .string(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "> ")))])
                        : .object(["name": .string(cell), "email": .string("")])
                    people[role] = .array((people[role]?.array ?? []) + [person])
                } else {
                    fields[name] = definition?.field(name).map { typed(cell, $0.type) } ?? .string(cell)
                }
            }
            let firePast = ["ja", "true", "yes", "1"].contains((cells["firePast"] ?? "").lowercased())
            switch ImportRow.check(line: line, workflow: cells["workflow"] ?? "", owner: cells["owner"] ?? "", state: cells["state"] ?? "",
                                   enteredAt: cells["enteredAt"] ?? "", firePast: firePast, fields: fields, people: people,
                                   unit: cells["unit"].flatMap { $0.isEmpty ? nil : $0 }, contract: cells["contract"].flatMap { $0.isEmpty ? nil : $0 },
                                   catalog: catalog) {
            case .success(let row): rows.append(row)
            case .failure(let refused): problems.append(contentsOf: refused.problems)
            }
        }
        return (rows, problems)
    }

    /// A cell as the JSON its field's type reads (what does not parse is passed as text, for the engine to refuse by name).
    static func typed(_ cell: String, _ type: ValueType) -> JSONValue {
        switch type {
        case .integer: return Int(cell).map(JSONValue.int) ?? .string(cell)
        case .boolean:
            switch cell.lowercased() {
            case "ja", "true": return .bool(true)
            case "nej", "false": return .bool(false)
            default: return .string(cell)
            }
        case .stringList: return .array(cell.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) })
        default: return .string(cell)
        }
    }

    static func parse(_ text: String) -> [(line: Int, cells: [String])] { CSV.records(text) }
}

/// What the CSV and the YAML reader share: one case's row checked against its workflow.
enum ImportRow {
    struct Refused: Error { var problems: [String] }

    static func check(line: Int, workflow: String, owner: String, state: String, enteredAt enteredText: String, firePast: Bool,
                      fields: [String: JSONValue], people: [String: JSONValue], unit: String?, contract: String?,
                      catalog: WorkflowCatalog) -> Result<(line: Int, workflow: String, row: ImportedCase), Refused> {
        guard let definition = catalog.forOpening(named: workflow) else {
            return .failure(Refused(problems: ["line \(line): workflow: no workflow named '\(workflow.prefix(80))'"]))
        }
        var problems: [String] = []
        let entered = (try? RFC3339.parse(enteredText))
            ?? LocalDate(iso: enteredText).map { definition.calendar.instant(on: $0, at: LocalTime(hour: 0, minute: 0)) }
        if entered == nil {
            problems.append("line \(line): enteredAt: expected YYYY-MM-DD or an RFC 3339 instant, got '\(enteredText.prefix(40))'")
        }
        for name in fields.keys.sorted() where definition.field(name) == nil {
            problems.append("line \(line): \(name): \(definition.name) has no field '\(name.prefix(80))'")
        }
        guard problems.isEmpty, let entered else { return .failure(Refused(problems: problems)) }
        var row = ImportedCase(owner: owner, state: state, enteredAt: entered, fields: fields, people: people, firePast: firePast)
        row.unit = unit
        row.contract = contract
        return .success((line, workflow, row))
    }
}

/// Reads the import YAML: a list of cases, each a mapping; problems carry the line of the case.
enum CaseImportYAML {
    static let keys = ["workflow", "owner", "state", "enteredAt", "firePast", "fields", "people", "unit", "contract"]

    static func rows(_ text: String, path: String, catalog: WorkflowCatalog) -> ([(line: Int, workflow: String, row: ImportedCase)], [String]) {
        let root: Node?
        do { root = try YAMLReader.compose(text, path: path) } catch {
            return ([], error.diagnostics.map { "line \($0.line): \($0.message)" })
        }
        guard let root, let cases = root.sequence else { return ([], ["line 1: expected a list of cases (- workflow: …)"]) }
        var rows: [(line: Int, workflow: String, row: ImportedCase)] = []
        var problems: [String] = []
        for node in cases {
            let line = (node.mark?.line ?? 0)
            guard let mapping = node.mapping else {
                problems.append("line \(line): each case is a mapping with \(keys.joined(separator: ", "))")
                continue
            }
            var values: [String: JSONValue] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard keys.contains(name) else {
                    problems.append("line \(key.mark?.line ?? line): unknown key '\(name.prefix(40))'; a case has \(keys.joined(separator: ", "))")
                    continue
                }
                values[name] = JSONValue(yaml: value)
            }
            func text(_ key: String) -> String {
                switch values[key] {
                case .string(let s)?: s
                case .int(let i)?: String(i)
                default: ""
                }
            }
            for required in ["workflow", "owner", "state", "enteredAt"] where text(required).isEmpty {
                problems.append("line \(line): \(required): missing")
            }
            var fields: [String: JSONValue] = [:]
            if let given = values["fields"] {
                guard case .object(let object) = given else { problems.append("line \(line): fields: expected a mapping of field: value"); continue }
                fields = object
            }
            var people: [String: JSONValue] = [:]
            if let given = values["people"] {
                guard case .object(let object) = given else { problems.append("line \(line): people: expected role: [{name, email}]"); continue }
                people = object
            }
            let firePast: Bool
            switch values["firePast"] {
            case nil, .null?: firePast = false
            case .bool(let b)?: firePast = b
            default: problems.append("line \(line): firePast: expected true or false"); continue
            }
            switch ImportRow.check(line: line, workflow: text("workflow"), owner: text("owner"), state: text("state"),
                                   enteredAt: text("enteredAt"), firePast: firePast, fields: fields, people: people,
                                   unit: text("unit").isEmpty ? nil : text("unit"), contract: text("contract").isEmpty ? nil : text("contract"),
                                   catalog: catalog) {
            case .success(let row): rows.append(row)
            case .failure(let refused): problems.append(contentsOf: refused.problems)
            }
        }
        return (rows, problems)
    }
}
