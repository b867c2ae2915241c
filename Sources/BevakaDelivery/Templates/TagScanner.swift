/// A mustache tag found in a template's text, with the position of its
/// opening `{{` (1-based line and column, the column counted in characters).
struct MustacheTag: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case variable            // {{name}}
        case unescapedVariable   // {{{name}}} or {{&name}}
        case section             // {{#name}}
        case invertedSection     // {{^name}}
        case sectionEnd          // {{/name}}
        case comment             // {{! … }}
        case pragma              // {{% … }}
        case partial             // {{> name}}
        case inheritance         // {{< name}} or {{$ name}}
        case setDelimiter        // {{=<% %>=}}
    }

    let kind: Kind
    /// The tag's content without its sigil, trimmed (for a variable: the name,
    /// perhaps with transforms such as `lowercased(case.id)`).
    let content: String
    let line: Int
    let column: Int

    /// The variable name inside any transforms: `a(b(x))` → (["a", "b"], "x").
    /// Nil when the parentheses do not balance.
    var nameAndTransforms: (transforms: [String], name: String)? {
        var transforms: [String] = []
        var rest = Substring(content)
        while let open = rest.firstIndex(of: "(") {
            guard rest.last == ")" else { return nil }
            transforms.append(String(rest[..<open]).trimmingCharacters(in: .whitespacesAndNewlines))
            rest = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
        }
        guard !rest.contains(")") else { return nil }
        return (transforms, String(rest).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A small scanner for the tags of a mustache template with the default
/// delimiters. It does not validate: swift-mustache's parser does that. It
/// stops at a set-delimiter tag (which the loader refuses) or at an unclosed tag.
enum TagScanner {
    static func scan(_ segment: TemplateSet.Segment) -> [MustacheTag] {
        scan(segment.text, line: segment.line, column: segment.column)
    }

    static func scan(_ text: String, line startLine: Int = 1, column startColumn: Int = 1) -> [MustacheTag] {
        let characters = Array(text)
        var tags: [MustacheTag] = []
        var line = startLine
        var column = startColumn
        var index = 0

        func hasPrefix(_ string: String, at position: Int) -> Bool {
            var position = position
            for character in string {
                guard position < characters.count, characters[position] == character else { return false }
                position += 1
            }
            return true
        }
        func advance(to end: Int) {
            while index < end {
                if characters[index].isNewline {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index += 1
            }
        }

        while index < characters.count {
            guard hasPrefix("{{", at: index) else {
                advance(to: index + 1)
                continue
            }
            let tagLine = line
            let tagColumn = column
            let triple = hasPrefix("{{{", at: index)
            let contentStart = index + (triple ? 3 : 2)
            let closer = triple ? "}}}" : "}}"
            var end = contentStart
            while end < characters.count, !hasPrefix(closer, at: end) { end += 1 }
            guard end < characters.count else { return tags }
            var content = String(characters[contentStart..<end])
            var kind: MustacheTag.Kind = .variable
            if triple {
                kind = .unescapedVariable
            } else if let sigil = content.first {
                let kinds: [Character: MustacheTag.Kind] = [
                    "&": .unescapedVariable, "#": .section, "^": .invertedSection, "/": .sectionEnd,
                    "!": .comment, "%": .pragma, ">": .partial, "<": .inheritance, "$": .inheritance,
                    "=": .setDelimiter,
                ]
                if let sigilKind = kinds[sigil] {
                    kind = sigilKind
                    content.removeFirst()
                }
            }
            tags.append(MustacheTag(kind: kind, content: content.trimmingCharacters(in: .whitespacesAndNewlines), line: tagLine, column: tagColumn))
            if kind == .setDelimiter { return tags }
            advance(to: end + closer.count)
        }
        return tags
    }
}

