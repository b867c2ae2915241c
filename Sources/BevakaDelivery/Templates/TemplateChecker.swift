import Foundation

/// One place where a workflow sends a notification with a template: what the
/// render context will hold there.
public struct TemplateUse: Sendable, Hashable {
    /// The template's name (`standard` when the notification names none).
    public var template: String
    /// The workflow's name.
    public var workflow: String
    /// Where in the workflow, e.g. "state vantarHandlingsplan, deadline handlingsplan".
    public var `where`: String
    /// True when the notification comes from a deadline (reminder, expiry,
    /// overdue), so the context has `deadline`.
    public var fromDeadline: Bool
    /// The workflow's non-personal field names: the members of `fields`.
    public var fields: Set<String>
    /// The workflow's personal field names, which never reach an email.
    public var personalFields: Set<String>

    public init(template: String, workflow: String, where: String, fromDeadline: Bool,
                fields: Set<String>, personalFields: Set<String>) {
        self.template = template
        self.workflow = workflow
        self.where = `where`
        self.fromDeadline = fromDeadline
        self.fields = fields
        self.personalFields = personalFields
    }
}

/// A problem found by `TemplateSet.check`: a file and, where there is one, the
/// 1-based line and column (in characters) of the tag.
public struct TemplateProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int?, column: Int?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if let line, let column { return "\(file):\(line):\(column): \(message)" }
        return "\(file): \(message)"
    }
}

/// The names the daemon puts in every render context (see the README of the templates).
public enum TemplateContext {
    public static let topLevel = ["type", "event", "case", "deadline", "fields"]
    public static let caseMembers = ["id", "number", "reference", "unit", "provider", "workflow", "workflowTitle",
                                     "state", "stateTitle", "owner"]
    public static let deadlineMembers = ["name", "title", "due", "dueDate", "dueTime", "daysLeft"]
}

extension TemplateSet {
    /// Checks every template that `uses` name against the context each use
    /// will render with. One problem per file position and kind, with the uses
    /// that hit it merged into its message.
    public func check(_ uses: [TemplateUse]) -> [TemplateProblem] {
        var problems: [TemplateProblem] = []
        var usesByTemplate: [String: [TemplateUse]] = [:]
        for use in uses where !(usesByTemplate[use.template]?.contains(use) ?? false) {
            usesByTemplate[use.template, default: []].append(use)
        }

        for (name, templateUses) in usesByTemplate {
            guard let languages = templates[name], languages[Self.requiredLanguage] != nil else {
                problems.append(missingTemplateProblem(name, uses: templateUses))
                continue
            }
            var findings = FindingCollector()
            for language in self.languages(of: name) {
                guard let files = languages[language] else { continue }
                var segments = [(files.text.path, files.text.subjectSource), (files.text.path, files.text.bodySource)]
                if let html = files.html { segments.append((html.path, html.source)) }
                for (path, segment) in segments {
                    let tags = TagScanner.scan(segment)
                    for use in templateUses {
                        var walker = ScopeWalker(use: use, path: path)
                        walker.walk(tags, into: &findings)
                    }
                }
            }
            problems += findings.problems()
        }
        return problems.sorted {
            ($0.file, $0.line ?? 0, $0.column ?? 0, $0.message) < ($1.file, $1.line ?? 0, $1.column ?? 0, $1.message)
        }
    }

    func missingTemplateProblem(_ name: String, uses: [TemplateUse]) -> TemplateProblem {
        let file = folder.appendingPathComponent("\(name).\(Self.requiredLanguage).mustache").path
        var message: String
        let others = languages(of: name)
        if others.isEmpty {
            message = "no template '\(name)' (\(name).\(Self.requiredLanguage).mustache is missing)"
        } else {
            message = "template '\(name)' has no Swedish version (\(name).\(Self.requiredLanguage).mustache); "
                + "it has only \(others.joined(separator: ", ")), and Swedish is required"
        }
        message += "; \(describeUses(uses))"
        let existing = templates.filter { $0.value[Self.requiredLanguage] != nil }.keys.sorted()
        message += existing.isEmpty ? "; the folder has no templates" : "; templates: \(existing.joined(separator: ", "))"
        if others.isEmpty, let suggestion = closestMatch(to: name, in: existing) {
            message += "; did you mean '\(suggestion)'?"
        }
        return TemplateProblem(file: file, line: nil, column: nil, message: message)
    }
}

/// "used by workflow W (state a, on b; state c, deadline d)", per workflow.
func describeUses(_ uses: [TemplateUse]) -> String {
    var order: [String] = []
    var places: [String: [String]] = [:]
    for use in uses {
        if places[use.workflow] == nil { order.append(use.workflow) }
        if !(places[use.workflow]?.contains(use.where) ?? false) { places[use.workflow, default: []].append(use.where) }
    }
    return "used by " + order.map { "workflow \($0) (\(places[$0]!.joined(separator: "; ")))" }.joined(separator: " and ")
}

// MARK: - Findings

enum FindingKind: Hashable {
    case unknownName(String)
    case unknownMember(parent: String, member: String)
    case notAField(String)
    case personalField(String)
    case deadlineUnavailable(String)
    case memberOfValue(path: String, member: String)
    case unknownTransform(transform: String, name: String, valueKind: String)
    case partial
    case inheritance
}

struct FindingKey: Hashable {
    let file: String
    let line: Int
    let column: Int
    let kind: FindingKind
}

struct FindingCollector {
    struct Entry {
        var uses: [TemplateUse] = []
        var candidates: Set<String> = []
    }
    var order: [FindingKey] = []
    var entries: [FindingKey: Entry] = [:]

    mutating func add(_ key: FindingKey, use: TemplateUse, candidates: some Sequence<String> = [String]()) {
        if entries[key] == nil { order.append(key) }
        var entry = entries[key, default: Entry()]
        if !entry.uses.contains(use) { entry.uses.append(use) }
        entry.candidates.formUnion(candidates)
        entries[key] = entry
    }

    func problems() -> [TemplateProblem] {
        order.map { key in
            let entry = entries[key]!
            return TemplateProblem(file: key.file, line: key.line, column: key.column,
                                   message: message(key.kind, entry))
        }
    }

    func message(_ kind: FindingKind, _ entry: Entry) -> String {
        let uses = describeUses(entry.uses)
        let workflows = Array(Set(entry.uses.map(\.workflow))).sorted().joined(separator: ", ")
        func suggestion(_ name: String) -> String {
            // A bare member name: point to its qualified form.
            if let qualified = entry.candidates.sorted().first(where: { $0.hasSuffix(".\(name)") }) {
                return "; did you mean '\(qualified)'?"
            }
            return closestMatch(to: name, in: entry.candidates).map { "; did you mean '\($0)'?" } ?? ""
        }
        switch kind {
        case .unknownName(let name):
            return "unknown name '\(name)': the email context has \(TemplateContext.topLevel.joined(separator: ", "))"
                + suggestion(name)
        case .unknownMember(let parent, let member):
            let members = entry.candidates.sorted().joined(separator: ", ")
            return "'\(parent)' has no '\(member)'; it has \(members)" + suggestion(member)
        case .notAField(let field):
            let fields = entry.candidates.sorted().joined(separator: ", ")
            return "'\(field)' is not a field of workflow \(workflows) (fields: \(fields))" + suggestion(field)
                + "; \(uses)"
        case .personalField(let field):
            return "'fields.\(field)' is a personal field of workflow \(workflows): personal data never goes into email; "
                + uses
        case .deadlineUnavailable(let name):
            let notFromDeadline = entry.uses.filter { !$0.fromDeadline }
            return "'\(name)' exists only in notifications from a deadline, but this template is "
                + describeUses(notFromDeadline) + ", which is not a deadline; "
                + "wrap it in {{#deadline}}…{{/deadline}} or give that notification another template"
        case .memberOfValue(let path, let member):
            return "'\(path)' is a value, not a group: it has no '\(member)'"
        case .unknownTransform(let transform, let name, let valueKind):
            let known = valueKind == "number" ? "equalzero, plusone, minusone, even, odd"
                : valueKind == "text" ? "empty, capitalized, lowercased, uppercased, reversed"
                : valueKind == "group" ? "count, empty" : "none"
            return "'\(transform)' cannot be applied to '\(name)' (\(valueKind)); transforms for \(valueKind): \(known)"
        case .partial:
            return "partials ({{> name}}) are not supported in email templates: each template stands alone"
        case .inheritance:
            return "template inheritance ({{< name}}, {{$ block}}) is not supported in email templates"
        }
    }
}

// MARK: - The context's shape and the walk through a template's scopes

/// The shape of a value in the render context.
struct Shape {
    indirect enum Kind {
        case text, number, boolean
        case group([String: Shape])
        /// Unknown (after an error): accepts anything, so one mistake gives one report.
        case any
    }
    /// Dotted path from the root ("" for the root, "case", "fields.enhet").
    let path: String
    let kind: Kind

    var isDeadline: Bool { path == "deadline" || path.hasPrefix("deadline.") }

    static func root(for use: TemplateUse) -> Shape {
        func group(_ path: String, _ members: [String], number: Set<String> = []) -> Shape {
            var shapes: [String: Shape] = [:]
            for member in members {
                shapes[member] = Shape(path: "\(path).\(member)", kind: number.contains(member) ? .number : .text)
            }
            return Shape(path: path, kind: .group(shapes))
        }
        return Shape(path: "", kind: .group([
            "type": Shape(path: "type", kind: .text),
            "event": Shape(path: "event", kind: .text),
            "case": group("case", TemplateContext.caseMembers),
            "deadline": group("deadline", TemplateContext.deadlineMembers, number: ["daysLeft"]),
            "fields": group("fields", use.fields.sorted()),
        ]))
    }

    var valueKindName: String {
        switch kind {
        case .text: "text"
        case .number: "number"
        case .boolean: "true/false"
        case .group: "group"
        case .any: "any"
        }
    }

    /// The shape after a swift-mustache transform, or nil when it has none by that name.
    func transformed(by transform: String) -> Shape? {
        let result: Kind? = switch (kind, transform) {
        case (.any, _): .any
        case (.text, "empty"): .boolean
        case (.text, "capitalized"), (.text, "lowercased"), (.text, "uppercased"), (.text, "reversed"): .text
        case (.number, "equalzero"), (.number, "even"), (.number, "odd"): .boolean
        case (.number, "plusone"), (.number, "minusone"): .number
        case (.group, "count"): .number
        case (.group, "empty"): .boolean
        default: nil
        }
        return result.map { Shape(path: path, kind: $0) }
    }
}

/// Walks one template segment's tags for one use, keeping mustache's stack of
/// section scopes.
struct ScopeWalker {
    struct Frame {
        let shape: Shape
        /// A true/false section or an inverted section: renders with the outer scope.
        let transparent: Bool
        /// The section renders only when `deadline` is there.
        let guardsDeadline: Bool
    }

    let use: TemplateUse
    let path: String
    var frames: [Frame]

    init(use: TemplateUse, path: String) {
        self.use = use
        self.path = path
        self.frames = [Frame(shape: Shape.root(for: use), transparent: false, guardsDeadline: false)]
    }

    var deadlineGuarded: Bool { frames.contains(where: \.guardsDeadline) }

    mutating func walk(_ tags: [MustacheTag], into findings: inout FindingCollector) {
        for tag in tags {
            func report(_ kind: FindingKind, _ candidates: some Sequence<String> = [String]()) {
                findings.add(FindingKey(file: path, line: tag.line, column: tag.column, kind: kind),
                             use: use, candidates: candidates)
            }
            switch tag.kind {
            case .comment, .pragma, .setDelimiter:
                continue
            case .partial:
                report(.partial)
            case .inheritance:
                report(.inheritance)
            case .sectionEnd:
                if frames.count > 1 { frames.removeLast() }
            case .variable, .unescapedVariable:
                _ = resolve(tag, isTest: false, report: report)
            case .section:
                let shape = resolve(tag, isTest: true, report: report)
                    ?? Shape(path: "", kind: .any)
                let transparent = if case .boolean = shape.kind { true } else { false }
                frames.append(Frame(shape: shape, transparent: transparent, guardsDeadline: shape.isDeadline))
            case .invertedSection:
                _ = resolve(tag, isTest: true, report: report)
                frames.append(Frame(shape: Shape(path: "", kind: .boolean), transparent: true, guardsDeadline: false))
            }
        }
    }

    /// The shape a tag's name (with its transforms) resolves to, reporting what
    /// does not exist for this use. Nil after a problem.
    func resolve(_ tag: MustacheTag, isTest: Bool,
                 report: (FindingKind, [String]) -> Void) -> Shape? {
        guard let (transforms, name) = tag.nameAndTransforms else { return nil }
        guard var shape = resolveName(name, isTest: isTest, report: report) else { return nil }
        for transform in transforms.reversed() {
            guard let next = shape.transformed(by: transform) else {
                report(.unknownTransform(transform: transform, name: name, valueKind: shape.valueKindName), [])
                return nil
            }
            shape = next
        }
        return shape
    }

    func resolveName(_ name: String, isTest: Bool, report: (FindingKind, [String]) -> Void) -> Shape? {
        let innermost = frames.last(where: { !$0.transparent })!.shape
        if name == "." { return innermost }
        let components = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let relative = name.hasPrefix(".")
        let names = relative ? Array(components.dropFirst()) : components
        guard let first = names.first, !names.contains("") else {
            report(.unknownName(name), [])
            return nil
        }

        // The first name: searched from the innermost scope outwards (only the
        // innermost one for a name that starts with '.').
        var found: Shape?
        let searched = relative ? [innermost] : frames.reversed().map(\.shape)
        for scope in searched {
            switch scope.kind {
            case .any:
                return Shape(path: "", kind: .any)
            case .group(let members):
                if scope.path == "fields", use.personalFields.contains(first) {
                    report(.personalField(first), [])
                    return nil
                }
                if let member = members[first] { found = member }
            case .text, .number, .boolean:
                break
            }
            if found != nil { break }
        }
        guard var shape = found else {
            var candidates: [String] = []
            for scope in searched {
                guard case .group(let members) = scope.kind else { continue }
                candidates += members.keys
                if scope.path == "" {
                    for (key, member) in members {
                        if case .group(let inner) = member.kind { candidates += inner.keys.map { "\(key).\($0)" } }
                    }
                }
            }
            report(.unknownName(name), candidates)
            return nil
        }

        // The rest: members of what was found.
        for member in names.dropFirst() {
            switch shape.kind {
            case .any:
                return shape
            case .group(let members):
                if let next = members[member] {
                    shape = next
                } else if shape.path == "fields" {
                    if use.personalFields.contains(member) {
                        report(.personalField(member), [])
                    } else {
                        report(.notAField(member), Array(members.keys))
                    }
                    return nil
                } else {
                    report(.unknownMember(parent: shape.path, member: member), Array(members.keys))
                    return nil
                }
            case .text, .number, .boolean:
                report(.memberOfValue(path: shape.path, member: member), [])
                return nil
            }
        }

        if shape.isDeadline, !use.fromDeadline, !isTest, !deadlineGuarded {
            report(.deadlineUnavailable(name), [])
        }
        return shape
    }
}
