import Foundation

/// CSV as RFC 4180 writes it: the register and case imports read it, the reports write it.
public enum CSV {
    /// RFC 4180: quoted cells may hold commas, quotes ("") and line breaks.
    public static func records(_ text: String) -> [(line: Int, cells: [String])] {
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

    /// One line: cells with a comma, quote or line break are quoted, quotes doubled.
    /// A cell starting with = + - @ gets a leading apostrophe, so a spreadsheet does not run it as a formula.
    public static func line(_ cells: [String]) -> String {
        cells.map { cell in
            var text = cell
            if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
