import Foundation
import Yams

/// Reads a composed YAML tree while collecting diagnostics with positions.
///
/// Every accessor reports what is wrong and returns nil, so the loader can go
/// on and find the next problem instead of stopping at the first.
package struct YAMLReader {
    package let file: String
    package private(set) var diagnostics: [WorkflowDiagnostic] = []

    package init(file: String) { self.file = file }

    /// The most nodes a file may hold once its aliases are expanded. A YAML alias
    /// repeats a whole subtree without repeating its text, so a few kilobytes of
    /// nested aliases ("billion laughs") stand for billions of nodes; everything
    /// that walks the tree would then run out of memory or time.
    package static let maximumNodes = 200_000
    /// The largest file read, in bytes.
    package static let maximumBytes = 4 << 20

    /// Composes `yaml` into a tree (nil for an empty file), refusing with a
    /// diagnostic a file too large, not YAML, or whose aliases expand past ``maximumNodes``.
    package static func compose(_ yaml: String, path: String) throws(WorkflowLoadErrors) -> Node? {
        guard yaml.utf8.count <= maximumBytes else {
            throw WorkflowLoadErrors([WorkflowDiagnostic(file: path, line: 1, column: 1,
                                                         message: "the file is larger than \(maximumBytes >> 20) MiB")])
        }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch let error as YamlError {
            throw WorkflowLoadErrors(WorkflowLoader.diagnostics(for: error, path: path, yaml: yaml))
        } catch {
            throw WorkflowLoadErrors([WorkflowDiagnostic(file: path, line: 1, column: 1, message: "not valid YAML: \(error)")])
        }
        if let root, let mark = expansionOverflow(root) {
            throw WorkflowLoadErrors([WorkflowDiagnostic(
                file: path, line: mark?.line ?? 1, column: mark?.column ?? 1,
                message: "the file expands to more than \(maximumNodes) values through its aliases (*name); write the values out or use fewer aliases")])
        }
        return root
    }

    /// Counts the nodes of the expanded tree, stopping as soon as the count passes
    /// ``maximumNodes`` (so the check itself is bounded); returns where it stopped
    /// (that node's position, when it has one), or nil when the tree is within bounds.
    static func expansionOverflow(_ root: Node) -> Mark?? {
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            if count > maximumNodes { return .some(node.mark) }
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            } else if let sequence = node.sequence {
                stack.append(contentsOf: sequence)
            }
        }
        return nil
    }

    package struct Entry {
        package let key: String
        package let keyNode: Node
        package let value: Node
    }

    package mutating func error(_ node: Node?, _ message: String, columnOffset: Int = 0) {
        let mark = node?.mark
        diagnostics.append(WorkflowDiagnostic(
            file: file, line: mark?.line ?? 1, column: (mark?.column ?? 1) + columnOffset, message: message))
    }

    /// The entries of a mapping in file order; reports duplicate and non-string keys.
    package mutating func mapping(_ node: Node, _ what: String) -> [Entry]? {
        guard let mapping = node.mapping else {
            error(node, "\(what) must be a mapping (key: value)")
            return nil
        }
        var seen = Set<String>()
        var entries: [Entry] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error(keyNode, "keys in \(what) must be plain names")
                continue
            }
            if !seen.insert(key).inserted {
                error(keyNode, "duplicate key '\(key)' in \(what)")
                continue
            }
            entries.append(Entry(key: key, keyNode: keyNode, value: value))
        }
        return entries
    }

    /// Reports keys that are not allowed, naming the allowed ones.
    package mutating func checkKeys(_ entries: [Entry], allowed: [String], in what: String) {
        for entry in entries where !allowed.contains(entry.key) {
            let hint = closest(entry.key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            error(entry.keyNode, "unknown key '\(entry.key)' in \(what)\(hint); allowed: \(allowed.joined(separator: ", "))")
        }
    }

    package mutating func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            error(node, "\(what) must be a text value")
            return nil
        }
        return scalar.string
    }

    package mutating func identifier(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard YAMLReader.isIdentifier(text) else {
            error(node, "\(what) '\(text)' is not a valid name (letters, digits, '_' or '-', starting with a letter)")
            return nil
        }
        return text
    }

    package mutating func integer(_ node: Node, _ what: String) -> Int? {
        guard let scalar = node.scalar, let value = Int(scalar.string) else {
            error(node, "\(what) must be a whole number")
            return nil
        }
        return value
    }

    package mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain,
              let value = ["true": true, "false": false][scalar.string]
        else {
            error(node, "\(what) must be true or false")
            return nil
        }
        return value
    }

    /// A list of texts; a single text counts as a list of one.
    package mutating func stringList(_ node: Node, _ what: String) -> [(String, Node)]? {
        if node.scalar != nil { return string(node, what).map { [($0, node)] } }
        guard let sequence = node.sequence else {
            error(node, "\(what) must be a list")
            return nil
        }
        var items: [(String, Node)] = []
        for item in sequence {
            if let text = string(item, "an item of \(what)") { items.append((text, item)) }
        }
        return items
    }

    package mutating func duration(_ node: Node, _ what: String) -> WorkflowDuration? {
        guard let text = string(node, what) else { return nil }
        do {
            return try WorkflowDuration(parsing: text)
        } catch {
            self.error(node, "\(what): \(error.message)")
            return nil
        }
    }

    package mutating func localTime(_ node: Node, _ what: String) -> LocalTime? {
        guard let text = string(node, what) else { return nil }
        guard let time = LocalTime(text) else {
            error(node, "\(what) '\(text)' is not a time of day (HH:MM, 24-hour)")
            return nil
        }
        return time
    }

    /// Compiles an expression, placing its diagnostics at the right column of the scalar.
    /// Names whose definition already failed (e.g. a derived value with an error):
    /// an expression using one is not valid, but is not reported again.
    var failedNames: Set<String> = []

    package mutating func expression(_ node: Node, _ what: String, names: [String: ValueType], expect: ValueType? = nil) -> CheckedExpression? {
        guard let scalar = node.scalar else {
            error(node, "\(what) must be an expression in quotes")
            return nil
        }
        let quoteOffset = scalar.style == .singleQuoted || scalar.style == .doubleQuoted ? 1 : 0
        do {
            let compiled = try CheckedExpression.compile(scalar.string, names: names)
            if let expect, !YAMLReader.fits(compiled.type, into: expect) {
                error(node, "\(what) must be \(expect) but '\(scalar.string)' is \(compiled.type)")
                return nil
            }
            return compiled
        } catch {
            for diagnostic in error.diagnostics where !failedNames.contains(where: { diagnostic.message.hasPrefix("unknown name '\($0)'") }) {
                self.error(node, "\(what): \(diagnostic.message)", columnOffset: quoteOffset + diagnostic.offset)
            }
            return nil
        }
    }

    /// Whether a value of type `type` may be stored where `target` is expected.
    package static func fits(_ type: ValueType, into target: ValueType) -> Bool {
        switch (type, target) {
        case (let a, let b) where a == b: true
        case (.integer, .decimal): true
        // A string expression may be stored in an enum field; the value is checked when it is set.
        case (.string, .enumeration), (.enumeration, .string), (.enumeration, .enumeration): true
        default: false
        }
    }

    package static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, CharacterSet.letters.contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }
    }

    /// Expression identifiers may not contain '-'.
    package static func isExpressionName(_ text: String) -> Bool {
        isIdentifier(text) && !text.contains("-")
    }

    package func closest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, YAMLReader.editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    package static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = a[i - 1] == b[j - 1] ? previous : min(previous, row[j], row[j - 1]) + 1
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
