import ArgumentParser
import BevakaCore
import BevakaStore
import Foundation

extension Bevaka {
    /// `bevaka case import FILE.csv`: cases already running in spreadsheets, brought in mid-ladder.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring in cases already running elsewhere, each in its state with its dates.",
            discussion: """
                FILE is CSV (UTF-8, comma-separated, a header row, RFC 4180 quoting). Columns: workflow, owner, state, \
                enteredAt (when the case entered that state: YYYY-MM-DD or an RFC 3339 instant), firePast (ja/nej, \
                default nej: deadlines already past count as expired and fire nothing), person.ROLE ("Name <address>") \
                for the case's people, and one column per field of the workflow (empty: not given; booleans ja/nej; \
                lists separated by ;). Every row is checked first; if one is wrong, nothing is written and each problem \
                is printed with its line.
                """)

        @OptionGroup var options: TokenOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(name: .long, help: "Check and show what would be brought in; write nothing.") var dryRun = false
        @Option(name: .long, help: "Who does it, kept in each case's history.")
        var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        func run() async throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ValidationError("cannot read \(file) as UTF-8 text")
            }
            let (store, catalog) = try options.open()
            let (rows, problems) = CaseImportCSV.rows(text, catalog: catalog)
            guard problems.isEmpty else {
                for problem in problems { FileHandle.standardError.write(Data("\(file):\(problem)\n".utf8)) }
                FileHandle.standardError.write(Data("nothing was imported\n".utf8))
                throw ExitCode(1)
            }
            do {
                let records = try await store.importCases(rows, actor: Actor(name: actor, role: "operator"), dryRun: dryRun)
                for record in records {
                    let due = record.deadlines.filter { !$0.expired }.map { "\($0.name) \(SwedishCalendar().isoLocalString($0.dueAt))" }
                    print("\(record.id)\t\(record.workflow)\t\(record.state)\t\(record.owner)\t\(due.joined(separator: ", "))")
                }
                print(dryRun ? "\(records.count) cases would be imported (dry run: nothing written)" : "\(records.count) cases imported")
            } catch let error as ImportProblems {
                for problem in error.problems { FileHandle.standardError.write(Data("\(file):\(problem)\n".utf8)) }
                FileHandle.standardError.write(Data("nothing was imported\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

/// Reads the import CSV into cases, typing each cell by its workflow field.
enum CaseImportCSV {
    static func rows(_ text: String, catalog: WorkflowCatalog) -> ([(line: Int, workflow: String, row: ImportedCase)], [String]) {
        let records = parse(text)
        guard let header = records.first?.cells else { return ([], ["1: the file is empty"]) }
        var rows: [(line: Int, workflow: String, row: ImportedCase)] = []
        var problems: [String] = []
        for required in ["workflow", "owner", "state", "enteredAt"] where !header.contains(required) {
            problems.append("1: the header has no '\(required)' column")
        }
        guard problems.isEmpty else { return ([], problems) }
        for record in records.dropFirst() where !record.cells.allSatisfy(\.isEmpty) {
            let line = record.line
            guard record.cells.count == header.count else {
                problems.append("\(line): \(record.cells.count) cells, the header has \(header.count)")
                continue
            }
            var cells: [String: String] = [:]
            for (name, cell) in zip(header, record.cells) { cells[name] = cell }
            let workflow = cells["workflow"] ?? ""
            guard let definition = catalog.forOpening(named: workflow) else {
                problems.append("\(line): workflow: no workflow named '\(workflow)'")
                continue
            }
            let enteredText = cells["enteredAt"] ?? ""
            guard let entered = (try? RFC3339.parse(enteredText)) ?? LocalDate(iso: enteredText).map({ definition.calendar.instant(on: $0, at: LocalTime(hour: 0, minute: 0)) }) else {
                problems.append("\(line): enteredAt: expected YYYY-MM-DD or an RFC 3339 instant, got '\(enteredText.prefix(40))'")
                continue
            }
            var fields: [String: JSONValue] = [:]
            var people: [String: JSONValue] = [:]
            for (name, cell) in cells where !cell.isEmpty && !["workflow", "owner", "state", "enteredAt", "firePast"].contains(name) {
                if name.hasPrefix("person.") {
                    let role = String(name.dropFirst("person.".count))
                    let parts = cell.split(separator: "<", maxSplits: 1)
                    let person: JSONValue = parts.count == 2
                        ? .object(["name": .string(parts[0].trimmingCharacters(in: .whitespaces)),
                                   "email": .string(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "> ")))])
                        : .object(["name": .string(cell), "email": .string("")])
                    people[role] = .array((people[role]?.array ?? []) + [person])
                    continue
                }
                guard let field = definition.field(name) else {
                    problems.append("\(line): \(name): \(definition.name) has no field '\(name)'")
                    continue
                }
                fields[name] = typed(cell, field.type)
            }
            let firePast = ["ja", "true", "yes", "1"].contains((cells["firePast"] ?? "").lowercased())
            rows.append((line, workflow, ImportedCase(owner: cells["owner"] ?? "", state: cells["state"] ?? "", enteredAt: entered,
                                                     fields: fields, people: people, firePast: firePast)))
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

    /// RFC 4180: quoted cells may hold commas, quotes ("") and line breaks.
    static func parse(_ text: String) -> [(line: Int, cells: [String])] {
        var records: [(line: Int, cells: [String])] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var line = 1
        var start = 1
        var iterator = text.replacingOccurrences(of: "\r\n", with: "\n").makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { cell.append("\"") } else {
                            quoted = false
                            if next == "," { cells.append(cell); cell = "" } else if next == "\n" {
                                cells.append(cell); cell = ""; records.append((start, cells)); cells = []; line += 1; start = line
                            } else { cell.append(next) }
                        }
                    } else { quoted = false }
                } else {
                    if character == "\n" { line += 1 }
                    cell.append(character)
                }
            } else if character == "\"" && cell.isEmpty {
                quoted = true
            } else if character == "," {
                cells.append(cell); cell = ""
            } else if character == "\n" {
                cells.append(cell); cell = ""; records.append((start, cells)); cells = []; line += 1; start = line
            } else {
                cell.append(character)
            }
        }
        if !cell.isEmpty || !cells.isEmpty { cells.append(cell); records.append((start, cells)) }
        return records.map { ($0.line, $0.cells.map { $0.trimmingCharacters(in: .whitespaces) }) }
    }
}
