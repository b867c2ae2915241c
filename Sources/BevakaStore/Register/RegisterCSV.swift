import Foundation
import BevakaCore

/// The register's import file (`bevaka register import FILE.csv`): one CSV, a header
/// row, one row per board, provider, unit or contract (column `kind`). A unit's
/// listed patients over time are several rows of the same unit, each with `listed`
/// and `listedFrom`. Columns a kind does not use stay empty.
public enum RegisterCSV {
    public static let columns = ["kind", "key", "name", "group", "provider", "area", "board", "start", "end", "team", "units",
                                 "listed", "listedFrom"]

    /// The items and the line each came from, or every problem with its line.
    public static func items(_ text: String) -> (items: [RegisterItem], lines: [String], problems: [String]) {
        let records = CSV.records(text)
        guard let header = records.first?.cells else { return ([], [], ["line 1: the file is empty"]) }
        var problems: [String] = []
        for required in ["kind", "key"] where !header.contains(required) {
            problems.append("line 1: the header has no '\(required)' column (columns: \(columns.joined(separator: ", ")))")
        }
        for name in header where !columns.contains(name) {
            problems.append("line 1: unknown column '\(name.prefix(40))' (columns: \(columns.joined(separator: ", ")))")
        }
        guard problems.isEmpty else { return ([], [], problems) }
        var items: [RegisterItem] = []
        var lines: [String] = []
        var unitIndex: [String: Int] = [:]
        for record in records.dropFirst() where !record.cells.allSatisfy(\.isEmpty) {
            let at = "line \(record.line)"
            guard record.cells.count == header.count else {
                problems.append("\(at): \(record.cells.count) cells, the header has \(header.count)")
                continue
            }
            var cells: [String: String] = [:]
            for (name, cell) in zip(header, record.cells) { cells[name] = cell }
            func cell(_ name: String) -> String { cells[name] ?? "" }
            func optional(_ name: String) -> String? { cell(name).isEmpty ? nil : cell(name) }
            func date(_ name: String) -> LocalDate? {
                guard let text = optional(name) else { return nil }
                guard let value = LocalDate(iso: text) else {
                    problems.append("\(at): \(name): expected a date YYYY-MM-DD, got '\(text.prefix(40))'")
                    return nil
                }
                return value
            }
            func required(_ names: String...) -> Bool {
                let missing = names.filter { cell($0).isEmpty }
                for name in missing { problems.append("\(at): \(name): a \(cell("kind")) needs it") }
                return missing.isEmpty
            }
            let key = cell("key")
            switch cell("kind") {
            case "board":
                guard required("key", "name") else { continue }
                items.append(.board(Board(code: key, name: cell("name"))))
            case "provider":
                guard required("key", "name") else { continue }
                items.append(.provider(Provider(id: key, name: cell("name"), group: optional("group"))))
            case "unit":
                guard required("key", "name", "provider") else { continue }
                var count: ListedCount?
                if let text = optional("listed") {
                    guard let listed = Int(text), listed >= 0 else {
                        problems.append("\(at): listed: expected a whole number of patients, got '\(text.prefix(40))'")
                        continue
                    }
                    guard let from = date("listedFrom") else {
                        if optional("listedFrom") == nil { problems.append("\(at): listedFrom: the date the count holds from is needed with listed") }
                        continue
                    }
                    count = ListedCount(from: from, listed: listed)
                }
                if let index = unitIndex[key], case .unit(var unit) = items[index] {
                    guard unit.name == cell("name"), unit.provider == cell("provider") else {
                        problems.append("\(at): unit \(key) appears again with another name or provider (\(lines[index]))")
                        continue
                    }
                    if let count { unit.listed.append(count) }
                    items[index] = .unit(unit)
                    continue
                }
                unitIndex[key] = items.count
                items.append(.unit(CareUnit(hsaId: key, name: cell("name"), provider: cell("provider"), listed: count.map { [$0] } ?? [])))
            case "contract":
                guard required("key", "provider", "area", "board", "start") else { continue }
                guard let start = date("start") else { continue }
                let end = date("end")
                if optional("end") != nil && end == nil { continue }
                let units = cell("units").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                items.append(.contract(Contract(id: key, provider: cell("provider"), area: cell("area"), board: cell("board"),
                                                start: start, end: end, team: optional("team"), units: units)))
            case let other:
                problems.append("\(at): kind: expected board, provider, unit or contract, got '\(other.prefix(40))'")
                continue
            }
            lines.append(at)
        }
        return (items, lines, problems)
    }
}
