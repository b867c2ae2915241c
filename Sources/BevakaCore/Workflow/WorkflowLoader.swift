import Foundation
import Yams

/// Loads and checks workflow files completely.
///
/// A file is either accepted whole or refused with every problem found,
/// each as `file:line:column: message`.
public enum WorkflowLoader {
    static let reservedNames: Set<String> = Set(WorkflowDefinition.timeNames.keys).union(["owner", "true", "false", "and", "or", "not", "in"])
    static let ownerRole = "owner"

    /// Loads every `*.yaml`/`*.yml` file directly in `directory` (not subfolders such as `scenarios/`).
    public static func loadDirectory(_ directory: String) throws(WorkflowLoadErrors) -> WorkflowCatalog {
        let url = URL(fileURLWithPath: directory)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw WorkflowLoadErrors([WorkflowDiagnostic(file: directory, line: 1, column: 1,
                                                         message: "cannot read the workflow folder: \(error.localizedDescription)")])
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var definitions: [WorkflowDefinition] = []
        var diagnostics: [WorkflowDiagnostic] = []
        if files.isEmpty {
            diagnostics.append(WorkflowDiagnostic(file: directory, line: 1, column: 1, message: "no workflow files (*.yaml) in this folder"))
        }
        for file in files {
            let path = url.appendingPathComponent(file).path
            do {
                definitions.append(try load(path: path))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        var seen: [WorkflowKey: String] = [:]
        for definition in definitions {
            if let other = seen[definition.key] {
                diagnostics.append(WorkflowDiagnostic(file: definition.sourcePath, line: 1, column: 1,
                                                      message: "workflow \(definition.key) is also defined in \(other)"))
            }
            seen[definition.key] = definition.sourcePath
        }
        diagnostics += crossChecks(definitions)
        guard diagnostics.isEmpty else { throw WorkflowLoadErrors(diagnostics) }
        return WorkflowCatalog(definitions)
    }

    /// Checks what one file says about another: hand-overs and opened cases must
    /// name a workflow of the folder, a state it has, and fields of the same type.
    static func crossChecks(_ definitions: [WorkflowDefinition]) -> [WorkflowDiagnostic] {
        var latest: [String: WorkflowDefinition] = [:]
        for definition in definitions where (latest[definition.name]?.version ?? 0) < definition.version {
            latest[definition.name] = definition
        }
        var diagnostics: [WorkflowDiagnostic] = []
        for definition in definitions {
            func problem(_ line: Int, _ column: Int, _ message: String) {
                diagnostics.append(WorkflowDiagnostic(file: definition.sourcePath, line: line, column: column, message: message))
            }
            func target(_ name: String, _ line: Int, _ column: Int) -> WorkflowDefinition? {
                if let found = latest[name] { return found }
                let hint = YAMLReader(file: "").closest(name, in: Array(latest.keys)).map { " (did you mean '\($0)'?)" } ?? ""
                problem(line, column, "workflow '\(name)' is not in this folder\(hint)")
                return nil
            }
            for transition in definition.allTransitions {
                if let handOver = transition.handOver, let other = target(handOver.workflow, handOver.line, handOver.column) {
                    if let state = handOver.state, other.state(state) == nil {
                        problem(handOver.line, handOver.column, "workflow \(other.key) has no state '\(state)'")
                    } else if let state = handOver.state, other.state(state)?.isFinal == true {
                        problem(handOver.line, handOver.column, "state '\(state)' of \(other.key) is final; a handed-over case must be able to go on")
                    }
                    for field in definition.fields {
                        guard let theirs = other.field(field.name), theirs.type != field.type else { continue }
                        problem(handOver.line, handOver.column,
                                "field '\(field.name)' is \(field.type) here but \(theirs.type) in \(other.key), so a hand-over cannot keep it")
                    }
                }
                if let opens = transition.opens, let other = target(opens.workflow, opens.line, opens.column) {
                    for assignment in opens.fields {
                        guard let field = other.field(assignment.field) else {
                            problem(opens.line, opens.column, "workflow \(other.key) has no field '\(assignment.field)'")
                            continue
                        }
                        if !YAMLReader.fits(assignment.expression.type, into: field.type) {
                            problem(opens.line, opens.column,
                                    "'\(assignment.expression.source)' is \(assignment.expression.type) but '\(field.name)' of \(other.key) is \(field.type)")
                        }
                    }
                    let given = Set(opens.fields.map(\.field))
                    for field in other.fields where field.required && field.defaultValue == nil && !given.contains(field.name) {
                        problem(opens.line, opens.column, "the new \(other.key) case needs its required field '\(field.name)'")
                    }
                }
            }
        }
        return diagnostics
    }

    public static func load(path: String) throws(WorkflowLoadErrors) -> WorkflowDefinition {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw WorkflowLoadErrors([WorkflowDiagnostic(file: path, line: 1, column: 1, message: "cannot read the file as UTF-8 text")])
        }
        return try load(yaml: text, path: path)
    }

    public static func load(yaml: String, path: String) throws(WorkflowLoadErrors) -> WorkflowDefinition {
        guard let root = try YAMLReader.compose(yaml, path: path) else {
            throw WorkflowLoadErrors([WorkflowDiagnostic(file: path, line: 1, column: 1, message: "the file is empty")])
        }
        var loader = Loader(reader: YAMLReader(file: path), path: path, source: yaml)
        let definition = loader.workflow(root)
        guard loader.reader.diagnostics.isEmpty, let definition else {
            // A node shared through a YAML alias is checked once per use; report each problem once.
            var seen = Set<String>()
            let unique = loader.reader.diagnostics.filter { seen.insert($0.description).inserted }
            throw WorkflowLoadErrors(unique.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return definition
    }

    /// YAML errors as diagnostics; a duplicated key is reported where it is repeated.
    package static func diagnostics(for error: YamlError, path: String, yaml: String) -> [WorkflowDiagnostic] {
        guard case .duplicatedKeysInMapping(let keys, let context) = error else { return [diagnostic(for: error, path: path)] }
        let lines = yaml.components(separatedBy: "\n")
        let indent = String(repeating: " ", count: max(context.mark.column - 1, 0))
        return keys.sorted().map { key in
            var seen = 0
            for (index, line) in lines.enumerated() where index >= context.mark.line - 1 {
                guard line.hasPrefix(indent + key + ":") else { continue }
                seen += 1
                if seen == 2 {
                    return WorkflowDiagnostic(file: path, line: index + 1, column: indent.count + 1, message: "duplicate key '\(key)'")
                }
            }
            return WorkflowDiagnostic(file: path, line: context.mark.line, column: context.mark.column,
                                      message: "duplicate key '\(key)' in this mapping")
        }
    }

    static func diagnostic(for error: YamlError, path: String) -> WorkflowDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return WorkflowDiagnostic(file: path, line: mark.line, column: mark.column, message: "not valid YAML: \(text)")
        default:
            return WorkflowDiagnostic(file: path, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
    }
}

/// The state of one load: the reader with its diagnostics and what is known so far.
private struct Loader {
    var reader: YAMLReader
    let path: String
    let source: String
    var roles: [String] = []
    var fieldTypes: [String: ValueType] = [:]
    var names: [String: ValueType] = [:]
    var eventNames: [String: Node] = [:]
    var checklists: [ChecklistDefinition] = []

    init(reader: YAMLReader, path: String, source: String) {
        self.reader = reader
        self.path = path
        self.source = source
    }

    static let topKeys = ["workflow", "version", "title", "description", "calendar", "dueTime", "roles", "fields",
                          "derived", "events", "states", "anyState", "accruals", "checklists", "questions", "corrections", "reporting"]

    mutating func workflow(_ root: Node) -> WorkflowDefinition? {
        guard let entries = reader.mapping(root, "a workflow file") else { return nil }
        reader.checkKeys(entries, allowed: Loader.topKeys, in: "a workflow file")
        func value(_ key: String) -> Node? { entries.first { $0.key == key }?.value }
        func required(_ key: String) -> Node? {
            if let node = value(key) { return node }
            reader.error(root, "missing '\(key)'")
            return nil
        }

        let name = required("workflow").flatMap { reader.identifier($0, "workflow") }
        var version: Int?
        if let node = required("version"), let v = reader.integer(node, "version") {
            if v < 1 { reader.error(node, "version must be 1 or more") } else { version = v }
        }
        let title = required("title").flatMap { reader.string($0, "title") }
        let description = value("description").flatMap { reader.string($0, "description") }
        if let node = value("calendar"), let text = reader.string(node, "calendar"), text != "sweden" {
            reader.error(node, "calendar '\(text)' is not known; the only calendar is 'sweden' (Swedish working days, Europe/Stockholm)")
        }
        let dueTime = value("dueTime").flatMap { reader.localTime($0, "dueTime") } ?? LocalTime(hour: 17, minute: 0)
        if let node = value("questions"), node.sequence == nil && node.mapping == nil {
            reader.error(node, "questions must be a list or mapping of answered policy questions")
        }

        if let node = value("roles") { roles = readRoles(node) }
        var fields: [FieldDefinition] = []
        if let node = required("fields") { fields = readFields(node) }
        var derived: [DerivedValue] = []
        if let node = value("derived") { derived = readDerived(node) }
        var events: [String: EventDefinition] = [:]
        if let node = required("events") { events = readEvents(node) }
        if let node = value("checklists") { checklists = readChecklists(node, events: events) }
        let stateEntries = required("states").flatMap { reader.mapping($0, "states") } ?? []
        let stateNames = Set(stateEntries.map(\.key))
        var states: [StateDefinition] = []
        for entry in stateEntries {
            if let state = readState(entry, stateNames: stateNames, events: events) { states.append(state) }
        }
        var anyState: [String: [TransitionDefinition]] = [:]
        if let node = value("anyState") {
            anyState = readTransitions(node, in: "anyState", stateNames: stateNames, events: events)
        }
        var accruals: [AccrualDefinition] = []
        if let node = value("accruals") { accruals = readAccruals(node, stateNames: stateNames) }

        checkStates(states, stateEntries: stateEntries, anyState: anyState, events: events, root: value("states") ?? root)
        decideOpening(&fields, events: events, transitions: states.flatMap { $0.transitions.values.joined() } + anyState.values.joined())

        var correctionRoles: [String] = []
        if let node = value("corrections") {
            for (role, roleNode) in reader.stringList(node, "corrections") ?? [] {
                if roles.contains(role) { correctionRoles.append(role) } else {
                    reader.error(roleNode, "corrections names the roles that may annul a registered event; '\(role)' is not a role of this workflow")
                }
            }
        }
        var reporting: [ReportCategory: Set<String>] = [:]
        if let node = value("reporting"), let entries = reader.mapping(node, "reporting") {
            for entry in entries {
                guard let category = ReportCategory(rawValue: entry.key) else {
                    reader.error(entry.keyNode, "reporting counts \(ReportCategory.allCases.map(\.rawValue).joined(separator: ", ")); '\(entry.key)' is not one of them")
                    continue
                }
                for (event, eventNode) in reader.stringList(entry.value, "reporting.\(entry.key)") ?? [] {
                    if events[event] == nil {
                        reader.error(eventNode, "reporting.\(entry.key) names '\(event)', which is not an event of this workflow")
                    } else {
                        reporting[category, default: []].insert(event)
                    }
                }
            }
        }
        guard reader.diagnostics.isEmpty, let name, let version, let title else { return nil }
        var definition = WorkflowDefinition(
            name: name, version: version, title: title, description: description,
            calendar: SwedishCalendar(), dueTime: dueTime,
            roles: roles.map { RoleDefinition(name: $0, title: roleTitles[$0] ?? $0) },
            fields: fields, derived: derived, events: events, states: states, anyState: anyState,
            accruals: accruals, checklists: checklists, sourcePath: path, source: source,
            canonicalForm: JSONValue(yaml: root).canonicalText)
        definition.correctionRoles = correctionRoles
        definition.reporting = reporting
        return definition
    }

    var roleTitles: [String: String] = [:]

    mutating func readRoles(_ node: Node) -> [String] {
        guard let entries = reader.mapping(node, "roles") else { return [] }
        var names: [String] = []
        for entry in entries {
            guard let name = reader.identifier(entry.keyNode, "role") else { continue }
            if name == WorkflowLoader.ownerRole || name == systemRole {
                reader.error(entry.keyNode, "'\(name)' is built in and cannot be declared")
                continue
            }
            roleTitles[name] = reader.string(entry.value, "the title of role '\(name)'")
            names.append(name)
        }
        return names
    }

    // MARK: Fields

    /// Which fields may be given when a case is opened. A field that an event
    /// carries or a transition sets belongs to that event's mandate: opening a
    /// Kalmar case already `svart` would start a sanction nobody decided. Such a
    /// field is refused at opening unless the workflow says `atOpening: true`
    /// (or requires it at opening, which says the same).
    mutating func decideOpening(_ fields: inout [FieldDefinition], events: [String: EventDefinition],
                                transitions: [TransitionDefinition]) {
        let setByEvents = Set(events.values.flatMap { $0.payload.map(\.field) })
            .union(transitions.flatMap { $0.assignments.map(\.field) })
        for index in fields.indices {
            let field = fields[index]
            let explicit = atOpeningNodes[field.name]
            let stated = explicit.flatMap { reader.bool($0, "atOpening") }
            if stated == false && field.required, let explicit {
                reader.error(explicit, "field '\(field.name)' is required when a case is opened, so it cannot be 'atOpening: false'")
            }
            fields[index].settableAtOpening = stated ?? (field.required || !setByEvents.contains(field.name))
        }
    }

    /// Where each field said `atOpening`, read once all events and transitions are known.
    var atOpeningNodes: [String: Node] = [:]

    static let fieldKeys = ["type", "title", "required", "min", "max", "values", "valueTitles", "default", "personal", "atOpening", "meeting"]
    static let typeNames = ["string", "integer", "decimal", "boolean", "date", "datetime", "duration", "enum", "list"]

    mutating func readFields(_ node: Node) -> [FieldDefinition] {
        guard let entries = reader.mapping(node, "fields") else { return [] }
        var fields: [FieldDefinition] = []
        for entry in entries {
            guard let name = reader.identifier(entry.keyNode, "field name") else { continue }
            guard YAMLReader.isExpressionName(name) else {
                reader.error(entry.keyNode, "field name '\(name)' may not contain '-' (it is used in expressions)")
                continue
            }
            if WorkflowLoader.reservedNames.contains(name) {
                reader.error(entry.keyNode, "'\(name)' is a reserved name and cannot be a field")
                continue
            }
            guard let props = reader.mapping(entry.value, "field '\(name)'") else { continue }
            reader.checkKeys(props, allowed: Loader.fieldKeys, in: "field '\(name)'")
            func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
            guard let typeNode = prop("type") else {
                reader.error(entry.value, "field '\(name)' needs a type (\(Loader.typeNames.joined(separator: ", ")))")
                continue
            }
            guard let typeName = reader.string(typeNode, "type") else { continue }
            var type: ValueType?
            switch typeName {
            case "string": type = .string
            case "integer": type = .integer
            case "decimal": type = .decimal
            case "boolean": type = .boolean
            case "date": type = .date
            case "datetime": type = .datetime
            case "duration": type = .duration
            case "list": type = .stringList
            case "enum":
                if let valuesNode = prop("values"), let values = reader.stringList(valuesNode, "values of '\(name)'") {
                    if values.isEmpty { reader.error(valuesNode, "enum field '\(name)' needs at least one value") }
                    if Set(values.map(\.0)).count != values.count { reader.error(valuesNode, "enum field '\(name)' lists a value twice") }
                    type = .enumeration(values.map(\.0))
                } else if prop("values") == nil {
                    reader.error(typeNode, "enum field '\(name)' needs 'values: [...]'")
                }
            default:
                reader.error(typeNode, "unknown type '\(typeName)'; expected one of \(Loader.typeNames.joined(separator: ", "))")
            }
            if typeName != "enum", let valuesNode = prop("values") {
                reader.error(valuesNode, "'values' is only for enum fields")
            }
            var valueTitles: [String: String] = [:]
            if let titlesNode = prop("valueTitles") {
                if case .enumeration(let values)? = type, let entries = reader.mapping(titlesNode, "valueTitles of '\(name)'") {
                    for entry in entries {
                        guard let text = reader.string(entry.value, "title of '\(entry.key)'") else { continue }
                        if !values.contains(entry.key) {
                            reader.error(entry.keyNode, "valueTitles of '\(name)' names '\(entry.key)', which is not one of its values (\(values.joined(separator: ", ")))")
                        } else if text.isEmpty {
                            reader.error(entry.value, "the title of '\(entry.key)' is empty")
                        } else {
                            valueTitles[entry.key] = text
                        }
                    }
                } else if typeName != "enum" {
                    reader.error(titlesNode, "'valueTitles' is only for enum fields")
                }
            }
            guard let type else { continue }
            var minimum: Decimal?, maximum: Decimal?
            for (key, isMin) in [("min", true), ("max", false)] {
                guard let boundNode = prop(key) else { continue }
                guard type == .integer || type == .decimal else {
                    reader.error(boundNode, "'\(key)' is only for integer and decimal fields")
                    continue
                }
                guard let text = reader.string(boundNode, key), let bound = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                    reader.error(boundNode, "'\(key)' must be a number")
                    continue
                }
                if isMin { minimum = bound } else { maximum = bound }
            }
            if let minimum, let maximum, minimum > maximum, let node = prop("max") {
                reader.error(node, "max is below min")
            }
            var defaultValue: Value?
            if let defaultNode = prop("default") {
                switch FieldValueCoder.decode(JSONValue(yaml: defaultNode), as: type) {
                case .success(let value): defaultValue = value
                case .failure(let problem): reader.error(defaultNode, "default of '\(name)': \(problem)")
                }
            }
            let required = prop("required").flatMap { reader.bool($0, "required") } ?? false
            var personalRoles: Set<String> = []
            if let node = prop("personal") {
                if node.sequence != nil {
                    for (role, roleNode) in reader.stringList(node, "personal") ?? [] {
                        if roles.contains(role) { personalRoles.insert(role) } else {
                            reader.error(roleNode, "personal names the roles that may see '\(name)'; '\(role)' is not a role of this workflow (roles: \(roles.joined(separator: ", ")))")
                        }
                    }
                    if personalRoles.isEmpty { reader.error(node, "personal lists at least one role that may see '\(name)'") }
                } else if reader.bool(node, "personal (true, false or a list of roles)") == true {
                    personalRoles = Set(roles)
                    if roles.isEmpty { reader.error(node, "personal: true shows '\(name)' to the workflow's roles, and it has none; add roles") }
                }
            }
            if let node = prop("atOpening") { atOpeningNodes[name] = node }
            var meeting = false
            if let node = prop("meeting"), let stated = reader.bool(node, "meeting") {
                if stated && type != .date && type != .datetime {
                    reader.error(node, "'meeting' is only for date and datetime fields (the day or time of a booked meeting); '\(name)' is \(typeName)")
                } else {
                    meeting = stated
                }
            }
            let title = prop("title").flatMap { reader.string($0, "title") }
            fieldTypes[name] = type
            names[name] = type
            fields.append(FieldDefinition(name: name, title: title, type: type, required: required,
                                          minimum: minimum, maximum: maximum, defaultValue: defaultValue, personalRoles: personalRoles,
                                          valueTitles: valueTitles, meeting: meeting))
        }
        names.merge(WorkflowDefinition.timeNames) { $1 }
        return fields
    }

    mutating func readDerived(_ node: Node) -> [DerivedValue] {
        guard let entries = reader.mapping(node, "derived") else { return [] }
        var derived: [DerivedValue] = []
        for entry in entries {
            guard let name = reader.identifier(entry.keyNode, "derived value name") else { continue }
            if names[name] != nil || WorkflowLoader.reservedNames.contains(name) || !YAMLReader.isExpressionName(name) {
                reader.error(entry.keyNode, "derived value '\(name)' clashes with a field or reserved name")
                continue
            }
            // Each derived value may read fields and the derived values above it.
            guard let expression = reader.expression(entry.value, "derived '\(name)'", names: names) else {
                reader.failedNames.insert(name)
                continue
            }
            names[name] = expression.type
            derived.append(DerivedValue(name: name, expression: expression))
        }
        return derived
    }

    // MARK: Events

    static let eventKeys = ["title", "roles", "payload", "reason", "effective"]

    mutating func readEvents(_ node: Node) -> [String: EventDefinition] {
        guard let entries = reader.mapping(node, "events") else { return [:] }
        var events: [String: EventDefinition] = [:]
        for entry in entries {
            guard let name = reader.identifier(entry.keyNode, "event name") else { continue }
            eventNames[name] = entry.keyNode
            var props: [YAMLReader.Entry] = []
            if entry.value.scalar?.string.isEmpty == false || entry.value.mapping != nil {
                props = reader.mapping(entry.value, "event '\(name)'") ?? []
            }
            reader.checkKeys(props, allowed: Loader.eventKeys, in: "event '\(name)'")
            func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
            var eventRoles: [String] = []
            if let rolesNode = prop("roles"), let list = reader.stringList(rolesNode, "roles of '\(name)'") {
                for (role, roleNode) in list {
                    if role == systemRole || role == WorkflowLoader.ownerRole {
                        reader.error(roleNode, "role '\(role)' cannot fire events: list the roles that decide (system events have no roles)")
                    } else if !roles.contains(role) {
                        let hint = reader.closest(role, in: roles).map { " (did you mean '\($0)'?)" } ?? ""
                        reader.error(roleNode, "role '\(role)' is not declared under roles\(hint)")
                    } else {
                        eventRoles.append(role)
                    }
                }
            }
            var payload: [EventDefinition.PayloadEntry] = []
            if let payloadNode = prop("payload"), let payloadEntries = reader.mapping(payloadNode, "payload of '\(name)'") {
                for item in payloadEntries {
                    guard fieldTypes[item.key] != nil else {
                        let hint = reader.closest(item.key, in: Array(fieldTypes.keys)).map { " (did you mean '\($0)'?)" } ?? ""
                        reader.error(item.keyNode, "payload of '\(name)' sets '\(item.key)', which is not a field\(hint)")
                        continue
                    }
                    guard let mode = reader.string(item.value, "payload entry"), mode == "required" || mode == "optional" else {
                        reader.error(item.value, "payload entry '\(item.key)' must be 'required' or 'optional'")
                        continue
                    }
                    payload.append(.init(field: item.key, required: mode == "required"))
                }
            }
            var reason = EventDefinition.ReasonRequirement.none
            if let reasonNode = prop("reason"), let text = reader.string(reasonNode, "reason") {
                if let value = EventDefinition.ReasonRequirement(rawValue: text) { reason = value } else {
                    reader.error(reasonNode, "reason must be none, optional or required")
                }
            }
            var event = EventDefinition(name: name, title: prop("title").flatMap { reader.string($0, "title") },
                                        roles: eventRoles, payload: payload, reason: reason)
            if let node = prop("effective"), let field = reader.string(node, "effective") {
                if !payload.contains(where: { $0.field == field }) {
                    reader.error(node, "effective names the payload field that says when '\(name)' took effect; '\(field)' is not in its payload")
                } else if fieldTypes[field] != .date && fieldTypes[field] != .datetime {
                    reader.error(node, "effective: '\(field)' must be a date or datetime field")
                } else {
                    event.effective = field
                }
            }
            events[name] = event
        }
        return events
    }

    // MARK: States

    static let stateKeys = ["title", "initial", "final", "deadlines", "on", "onEnter", "checklists"]

    mutating func readState(_ entry: YAMLReader.Entry, stateNames: Set<String>, events: [String: EventDefinition]) -> StateDefinition? {
        guard let name = reader.identifier(entry.keyNode, "state name") else { return nil }
        let props = reader.mapping(entry.value, "state '\(name)'") ?? []
        reader.checkKeys(props, allowed: Loader.stateKeys, in: "state '\(name)'")
        func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
        let isInitial = prop("initial").flatMap { reader.bool($0, "initial") } ?? false
        let isFinal = prop("final").flatMap { reader.bool($0, "final") } ?? false
        var transitions: [String: [TransitionDefinition]] = [:]
        if let onNode = prop("on") {
            if isFinal { reader.error(onNode, "final state '\(name)' cannot accept events") }
            transitions = readTransitions(onNode, in: "state '\(name)'", stateNames: stateNames, events: events)
        }
        var deadlines: [DeadlineDefinition] = []
        if let node = prop("deadlines") {
            if isFinal { reader.error(node, "final state '\(name)' cannot hold deadlines") }
            deadlines = readDeadlines(node, state: name)
        }
        let onEnter = prop("onEnter").map { readNotifications($0, "onEnter of '\(name)'") } ?? []
        var opened: [String] = []
        if let node = prop("checklists"), let list = reader.stringList(node, "checklists of '\(name)'") {
            if isFinal { reader.error(node, "final state '\(name)' cannot open checklists") }
            for (checklist, checklistNode) in list {
                if checklists.contains(where: { $0.name == checklist }) { opened.append(checklist) } else {
                    let hint = reader.closest(checklist, in: checklists.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                    reader.error(checklistNode, "checklist '\(checklist)' is not declared under checklists\(hint)")
                }
            }
        }
        return StateDefinition(name: name, title: prop("title").flatMap { reader.string($0, "title") },
                               isInitial: isInitial, isFinal: isFinal, deadlines: deadlines,
                               transitions: transitions, onEnter: onEnter, checklists: opened)
    }

    static let transitionKeys = ["to", "if", "normally", "set", "notify", "reason", "handOver", "opens"]

    mutating func readTransitions(_ node: Node, in what: String, stateNames: Set<String>, events: [String: EventDefinition]) -> [String: [TransitionDefinition]] {
        guard let entries = reader.mapping(node, "'on' of \(what)") else { return [:] }
        var result: [String: [TransitionDefinition]] = [:]
        for entry in entries {
            let event = entry.key
            guard let definition = events[event] else {
                let hint = reader.closest(event, in: Array(events.keys)).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error(entry.keyNode, "event '\(event)' is not declared under events\(hint)")
                continue
            }
            let items: [Node] = entry.value.sequence.map(Array.init) ?? [entry.value]
            var list: [TransitionDefinition] = []
            for (index, item) in items.enumerated() {
                guard let transition = readTransition(item, event: definition, in: what, stateNames: stateNames) else { continue }
                let hasCondition = item.mapping?["if"] != nil
                if !hasCondition && index < items.count - 1 {
                    reader.error(item, "this branch of '\(event)' has no 'if', so the branches after it can never be taken")
                }
                list.append(transition)
            }
            result[event] = list
        }
        return result
    }

    mutating func readTransition(_ node: Node, event: EventDefinition, in what: String, stateNames: Set<String>) -> TransitionDefinition? {
        var target: String?
        var guardExpression: CheckedExpression?
        var assignments: [TransitionDefinition.Assignment] = []
        var notifications: [NotificationDefinition] = []
        var reason = EventDefinition.ReasonRequirement.none
        var handOver: HandOverTarget?
        var opens: OpenCaseDefinition?
        var normally: CheckedExpression?
        var handOverOwner: CheckedExpression?
        if let scalar = node.scalar {
            target = scalar.string
            if !stateNames.contains(scalar.string) { reportUnknownState(scalar.string, node, stateNames) }
        } else {
            guard let props = reader.mapping(node, "transition of '\(event.name)'") else { return nil }
            reader.checkKeys(props, allowed: Loader.transitionKeys, in: "transition of '\(event.name)' in \(what)")
            for prop in props {
                switch prop.key {
                case "to":
                    target = reader.string(prop.value, "to")
                    if let t = target, !stateNames.contains(t) { reportUnknownState(t, prop.value, stateNames) }
                case "if":
                    guardExpression = reader.expression(prop.value, "if", names: names, expect: .boolean)
                case "normally":
                    normally = reader.expression(prop.value, "normally", names: names, expect: .boolean)
                case "set":
                    assignments = readAssignments(prop.value)
                case "notify":
                    notifications = readNotifications(prop.value, "notify of '\(event.name)'")
                case "reason":
                    if let text = reader.string(prop.value, "reason") {
                        if text == "required" { reason = .required } else {
                            reader.error(prop.value, "a transition's reason can only be 'required' (the event's own 'reason' sets optional)")
                        }
                    }
                case "handOver":
                    handOver = readHandOver(prop.value)
                    if let ownerNode = prop.value.mapping?["owner"] {
                        handOverOwner = reader.expression(ownerNode, "handOver owner", names: names, expect: .string)
                    }
                case "opens":
                    opens = readOpens(prop.value)
                default: break
                }
            }
            if handOver != nil, let toNode = node.mapping?["to"] {
                reader.error(toNode, "a transition either goes 'to' a state or makes a 'handOver' to another workflow, not both")
            }
        }
        var transition = TransitionDefinition(event: event.name, guardExpression: guardExpression, target: target,
                                              assignments: assignments, notifications: notifications, reason: reason,
                                              handOver: handOver, opens: opens)
        transition.normally = normally
        transition.handOverOwner = handOverOwner
        return transition
    }

    mutating func readHandOver(_ node: Node) -> HandOverTarget? {
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        if node.scalar != nil {
            return reader.identifier(node, "handOver").map { HandOverTarget(workflow: $0, state: nil, line: line, column: column) }
        }
        guard let props = reader.mapping(node, "handOver") else { return nil }
        reader.checkKeys(props, allowed: ["workflow", "state", "owner"], in: "handOver")
        guard let workflowNode = props.first(where: { $0.key == "workflow" })?.value else {
            reader.error(node, "handOver needs 'workflow' (the workflow the case moves into)")
            return nil
        }
        guard let workflow = reader.identifier(workflowNode, "handOver workflow") else { return nil }
        let state = props.first { $0.key == "state" }.flatMap { reader.identifier($0.value, "handOver state") }
        return HandOverTarget(workflow: workflow, state: state, line: line, column: column)
    }

    mutating func readOpens(_ node: Node) -> OpenCaseDefinition? {
        guard let props = reader.mapping(node, "opens") else { return nil }
        reader.checkKeys(props, allowed: ["workflow", "relation", "fields"], in: "opens")
        func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
        guard let workflowNode = prop("workflow") else {
            reader.error(node, "opens needs 'workflow' (the workflow of the new case)")
            return nil
        }
        let workflow = reader.identifier(workflowNode, "opens workflow")
        let relation = prop("relation").flatMap { reader.identifier($0, "relation") } ?? "opened"
        var fields: [TransitionDefinition.Assignment] = []
        if let fieldsNode = prop("fields"), let entries = reader.mapping(fieldsNode, "fields of opens") {
            for entry in entries {
                if let expression = reader.expression(entry.value, "opens field \(entry.key)", names: names) {
                    fields.append(.init(field: entry.key, expression: expression))
                }
            }
        }
        guard let workflow else { return nil }
        return OpenCaseDefinition(workflow: workflow, relation: relation, fields: fields,
                                  line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    // MARK: Checklists

    static let checklistKeys = ["title", "from", "tickRoles", "remind", "urgent", "template", "completes", "groups", "items"]
    static let checklistItemKeys = ["id", "title", "roles", "due", "group"]

    mutating func readChecklists(_ node: Node, events: [String: EventDefinition]) -> [ChecklistDefinition] {
        guard let entries = reader.mapping(node, "checklists") else { return [] }
        var result: [ChecklistDefinition] = []
        for entry in entries {
            guard let name = reader.identifier(entry.keyNode, "checklist name"),
                  let props = reader.mapping(entry.value, "checklist '\(name)'") else { continue }
            reader.checkKeys(props, allowed: Loader.checklistKeys, in: "checklist '\(name)'")
            func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
            var from: String?
            if let fromNode = prop("from"), let field = reader.string(fromNode, "from") {
                if fieldTypes[field] == .date { from = field } else {
                    reader.error(fromNode, "'from' must name a date field; '\(field)' is \(fieldTypes[field].map { "\($0)" } ?? "not a field")")
                }
            }
            let tickRoles = prop("tickRoles").map { readDeclaredRoles($0, "tickRoles of '\(name)'") } ?? []
            var remind = OverdueReminders(every: .iso(.init(days: 1)), times: 0, then: nil)
            if let remindNode = prop("remind"), let reminders = readOverdue(remindNode, "remind") { remind = reminders }
            var completes: String?
            if let completesNode = prop("completes"), let event = reader.string(completesNode, "completes") {
                if events[event] == nil {
                    reader.error(completesNode, "checklist '\(name)' completes with '\(event)', which is not declared under events")
                } else { completes = event }
            }
            var groups: [ChecklistGroupDefinition] = []
            if let groupsNode = prop("groups"), let groupEntries = reader.mapping(groupsNode, "groups of '\(name)'") {
                for group in groupEntries {
                    guard let groupName = reader.identifier(group.keyNode, "group name"),
                          let groupProps = reader.mapping(group.value, "group '\(groupName)'") else { continue }
                    reader.checkKeys(groupProps, allowed: ["title", "when"], in: "group '\(groupName)'")
                    guard let whenNode = groupProps.first(where: { $0.key == "when" })?.value else {
                        reader.error(group.value, "group '\(groupName)' needs 'when' (the condition that opens its items)")
                        continue
                    }
                    guard let condition = reader.expression(whenNode, "when", names: names, expect: .boolean) else { continue }
                    groups.append(ChecklistGroupDefinition(
                        name: groupName, title: groupProps.first { $0.key == "title" }.flatMap { reader.string($0.value, "title") },
                        condition: condition))
                }
            }
            var items: [ChecklistItemDefinition] = []
            guard let itemsNode = prop("items") else {
                reader.error(entry.value, "checklist '\(name)' needs 'items'")
                continue
            }
            guard let itemNodes = itemsNode.sequence, itemNodes.count > 0 else {
                reader.error(itemsNode, "items of '\(name)' must be a list with at least one item")
                continue
            }
            for itemNode in itemNodes {
                guard let itemProps = reader.mapping(itemNode, "an item of '\(name)'") else { continue }
                reader.checkKeys(itemProps, allowed: Loader.checklistItemKeys, in: "an item of '\(name)'")
                func itemProp(_ key: String) -> Node? { itemProps.first { $0.key == key }?.value }
                guard let idNode = itemProp("id"), let id = reader.identifier(idNode, "item id") else {
                    if itemProp("id") == nil { reader.error(itemNode, "an item needs 'id'") }
                    continue
                }
                if items.contains(where: { $0.id == id }) { reader.error(idNode, "item '\(id)' appears twice in '\(name)'") }
                let title = itemProp("title").flatMap { reader.string($0, "title") }
                if itemProp("title") == nil { reader.error(itemNode, "item '\(id)' needs a 'title'") }
                let roles = itemProp("roles").map { readDeclaredRoles($0, "roles of item '\(id)'") } ?? []
                if roles.isEmpty && itemProp("roles") == nil { reader.error(itemNode, "item '\(id)' needs 'roles' (who is responsible)") }
                if let rolesNode = itemProp("roles"), rolesNode.sequence?.isEmpty == true {
                    reader.error(rolesNode, "item '\(id)' needs at least one responsible role (they tick it and are reminded)")
                }
                var due: ChecklistOffset?
                if let dueNode = itemProp("due"), let text = reader.string(dueNode, "due") {
                    let before = text.hasPrefix("-")
                    do {
                        let duration = try WorkflowDuration(parsing: before ? String(text.dropFirst()) : text)
                        if from != nil && !duration.isDateOnly {
                            reader.error(dueNode, "counted from the date field '\(from!)', due must be in days, weeks, months, years or working days")
                        } else if before && from == nil {
                            reader.error(dueNode, "'\(text)' lies before the checklist opens; a negative due needs the checklist's 'from: dateField'")
                        } else { due = ChecklistOffset(duration: duration, before: before) }
                    } catch {
                        reader.error(dueNode, "due: \(error.message)")
                    }
                } else if itemProp("due") == nil {
                    reader.error(itemNode, "item '\(id)' needs 'due' (e.g. PT4H, P1D, -P14D before the 'from' date)")
                }
                var group: String?
                if let groupNode = itemProp("group"), let groupName = reader.string(groupNode, "group") {
                    if groups.contains(where: { $0.name == groupName }) { group = groupName } else {
                        reader.error(groupNode, "group '\(groupName)' is not declared under groups of '\(name)'")
                    }
                }
                guard let title, let due else { continue }
                items.append(ChecklistItemDefinition(id: id, title: title, roles: roles, due: due, group: group))
            }
            result.append(ChecklistDefinition(
                name: name, title: prop("title").flatMap { reader.string($0, "title") }, from: from, tickRoles: tickRoles,
                remind: remind, urgent: prop("urgent").flatMap { reader.bool($0, "urgent") } ?? false,
                template: prop("template").flatMap { reader.string($0, "template") }, completes: completes,
                groups: groups, items: items))
        }
        return result
    }

    /// A list of roles that must be declared (not `owner`, not `system`).
    mutating func readDeclaredRoles(_ node: Node, _ what: String) -> [String] {
        guard let list = reader.stringList(node, what) else { return [] }
        var result: [String] = []
        for (role, roleNode) in list {
            if roles.contains(role) { result.append(role) } else {
                let hint = reader.closest(role, in: roles).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error(roleNode, "role '\(role)' is not declared under roles\(hint)")
            }
        }
        return result
    }

    mutating func reportUnknownState(_ name: String, _ node: Node, _ stateNames: Set<String>) {
        let hint = reader.closest(name, in: Array(stateNames)).map { " (did you mean '\($0)'?)" } ?? ""
        reader.error(node, "target state '\(name)' is not declared under states\(hint)")
    }

    mutating func readAssignments(_ node: Node) -> [TransitionDefinition.Assignment] {
        guard let entries = reader.mapping(node, "set") else { return [] }
        var result: [TransitionDefinition.Assignment] = []
        for entry in entries {
            guard let type = fieldTypes[entry.key] else {
                reader.error(entry.keyNode, "'set' names '\(entry.key)', which is not a field")
                continue
            }
            if let expression = reader.expression(entry.value, "set \(entry.key)", names: names, expect: type) {
                if case .enumeration(let allowed) = type, let literal = Loader.stringLiteral(expression.source), !allowed.contains(literal) {
                    reader.error(entry.value, "'\(literal)' is not a value of \(entry.key) (\(allowed.joined(separator: ", ")))")
                    continue
                }
                result.append(.init(field: entry.key, expression: expression))
            }
        }
        return result
    }

    static func stringLiteral(_ source: String) -> String? {
        let trimmed = source.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 2, let first = trimmed.first, first == "'" || first == "\"", trimmed.last == first else { return nil }
        let inner = trimmed.dropFirst().dropLast()
        return inner.contains(first) ? nil : String(inner)
    }

    static let notificationKeys = ["to", "webhooks", "template", "type", "urgent"]

    mutating func readNotifications(_ node: Node, _ what: String) -> [NotificationDefinition] {
        guard let sequence = node.sequence else {
            reader.error(node, "\(what) must be a list of notifications")
            return []
        }
        var result: [NotificationDefinition] = []
        for item in sequence {
            guard let props = reader.mapping(item, "a notification") else { continue }
            reader.checkKeys(props, allowed: Loader.notificationKeys, in: "a notification")
            func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
            var to: [String] = []
            if let toNode = prop("to"), let list = reader.stringList(toNode, "to") {
                for (role, roleNode) in list {
                    if role == WorkflowLoader.ownerRole || roles.contains(role) { to.append(role) } else {
                        let hint = reader.closest(role, in: roles + [WorkflowLoader.ownerRole]).map { " (did you mean '\($0)'?)" } ?? ""
                        reader.error(roleNode, "notification to '\(role)', which is neither 'owner' nor a declared role\(hint)")
                    }
                }
            }
            let webhooks = prop("webhooks").flatMap { reader.stringList($0, "webhooks") }?.map(\.0) ?? []
            if to.isEmpty && webhooks.isEmpty {
                reader.error(item, "a notification needs 'to' (roles) or 'webhooks'")
            }
            var type: String?
            if let typeNode = prop("type"), let text = reader.string(typeNode, "type") {
                if text.range(of: #"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"#, options: .regularExpression) == nil {
                    reader.error(typeNode, "notification type '\(text)' must be dotted lower-case words, e.g. case.escalated")
                } else { type = text }
            }
            result.append(NotificationDefinition(
                to: to, webhooks: webhooks, template: prop("template").flatMap { reader.string($0, "template") },
                type: type, urgent: prop("urgent").flatMap { reader.bool($0, "urgent") } ?? false))
        }
        return result
    }

    // MARK: Deadlines

    static let deadlineKeys = ["title", "at", "after", "from", "time", "remind", "notify", "raises", "overdue"]

    mutating func readDeadlines(_ node: Node, state: String) -> [DeadlineDefinition] {
        guard let entries = reader.mapping(node, "deadlines of '\(state)'") else { return [] }
        var result: [DeadlineDefinition] = []
        for entry in entries {
            guard let name = reader.identifier(entry.keyNode, "deadline name") else { continue }
            guard let props = reader.mapping(entry.value, "deadline '\(name)'") else { continue }
            reader.checkKeys(props, allowed: Loader.deadlineKeys, in: "deadline '\(name)'")
            func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
            var anchor: DeadlineAnchor?
            let at = prop("at"), after = prop("after"), from = prop("from")
            switch (at, after, from) {
            case (let at?, nil, nil):
                if let field = reader.string(at, "at") {
                    if fieldTypes[field] == .date || fieldTypes[field] == .datetime { anchor = .field(field) } else {
                        reader.error(at, "'at' must name a date or datetime field; '\(field)' is \(fieldTypes[field].map { "\($0)" } ?? "not a field")")
                    }
                }
            case (nil, let after?, let from):
                if let duration = reader.duration(after, "after") {
                    if let from {
                        if let field = reader.string(from, "from") {
                            if fieldTypes[field] == .date { anchor = .afterField(duration, field) } else {
                                reader.error(from, "'from' must name a date field; '\(field)' is \(fieldTypes[field].map { "\($0)" } ?? "not a field")")
                            }
                            if !duration.isDateOnly { reader.error(after, "after a date field the duration must be in days, weeks, months, years or working days") }
                        }
                    } else {
                        anchor = .afterEntry(duration)
                    }
                }
            case (nil, nil, _):
                reader.error(entry.value, "deadline '\(name)' needs 'at: dateField' or 'after: duration' (optionally 'from: dateField')")
            default:
                reader.error(entry.value, "deadline '\(name)' takes either 'at' or 'after' (with optional 'from'), not both")
            }
            let time = prop("time").flatMap { reader.localTime($0, "time") }
            var reminders: [WorkflowDuration] = []
            if let remindNode = prop("remind") {
                if let list = remindNode.sequence {
                    reminders = list.compactMap { reader.duration($0, "remind") }
                } else if let single = reader.duration(remindNode, "remind") {
                    reminders = [single]
                }
            }
            var raises: String?
            if let raisesNode = prop("raises"), let event = reader.string(raisesNode, "raises") {
                raises = event
                pendingRaises.append((event, raisesNode, state))
            }
            let overdue = prop("overdue").flatMap { readOverdue($0, "overdue") }
            let notify = prop("notify").map { readNotifications($0, "notify of deadline '\(name)'") } ?? []
            if raises == nil && notify.isEmpty {
                reader.error(entry.value, "deadline '\(name)' neither raises an event nor notifies anyone, so its expiry would go unnoticed")
            }
            if !reminders.isEmpty && notify.isEmpty {
                reader.error(prop("remind") ?? entry.value, "deadline '\(name)' has reminders but no 'notify' saying whom to remind")
            }
            guard let anchor else { continue }
            result.append(DeadlineDefinition(name: name, title: prop("title").flatMap { reader.string($0, "title") },
                                             anchor: anchor, time: time, reminders: reminders, notify: notify,
                                             raises: raises, overdue: overdue))
        }
        return result
    }

    var pendingRaises: [(String, Node, String)] = []

    /// `{every, times, then}`: reminders after something fell due.
    mutating func readOverdue(_ node: Node, _ what: String) -> OverdueReminders? {
        guard let props = reader.mapping(node, what) else { return nil }
        reader.checkKeys(props, allowed: ["every", "times", "then"], in: what)
        func o(_ key: String) -> Node? { props.first { $0.key == key }?.value }
        guard let everyNode = o("every") else {
            reader.error(node, "\(what) needs 'every: duration'")
            return nil
        }
        guard let every = reader.duration(everyNode, "every") else { return nil }
        let times = o("times").flatMap { reader.integer($0, "times") } ?? 0
        let then = o("then").flatMap { reader.duration($0, "then") }
        if then != nil && times < 1 { reader.error(node, "'then' needs 'times' (how many 'every' reminders come first)") }
        if times < 0 || times > 1_000 { reader.error(o("times"), "'times' must be from 0 to 1000, got \(times)") }
        // A zero or tiny interval would write a history row per reminder as fast as the writer goes.
        for (key, interval) in [("every", every), ("then", then)] {
            guard let interval else { continue }
            if case .workingDays(let n) = interval, n < 1 {
                reader.error(o(key), "'\(key): \(interval)' does not move forward; use at least 1 working day")
            } else if let seconds = interval.exactSeconds, Double(seconds) < InputLimits.shortestRepeat {
                reader.error(o(key), "'\(key): \(interval)' repeats too often; reminders repeat at most once an hour (PT1H)")
            }
        }
        return OverdueReminders(every: every, times: times, then: then)
    }

    // MARK: Accruals

    static let accrualKeys = ["title", "in", "when", "from", "until", "rate", "times", "per", "proration", "onRateChange",
                              "quantityChangesFrom", "currency"]

    mutating func readAccruals(_ node: Node, stateNames: Set<String>) -> [AccrualDefinition] {
        guard let entries = reader.mapping(node, "accruals") else { return [] }
        var result: [AccrualDefinition] = []
        for entry in entries {
            guard let name = reader.identifier(entry.keyNode, "accrual name"),
                  let props = reader.mapping(entry.value, "accrual '\(name)'") else { continue }
            reader.checkKeys(props, allowed: Loader.accrualKeys, in: "accrual '\(name)'")
            func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
            func needed(_ key: String, _ hint: String) -> Node? {
                if let node = prop(key) { return node }
                reader.error(entry.value, "accrual '\(name)' needs '\(key)' (\(hint))")
                return nil
            }
            var states: [String] = []
            if let inNode = prop("in"), let list = reader.stringList(inNode, "in") {
                for (state, stateNode) in list {
                    if stateNames.contains(state) { states.append(state) } else { reportUnknownState(state, stateNode, stateNames) }
                }
            }
            let condition = prop("when").flatMap { reader.expression($0, "when", names: names, expect: .boolean) }
            let from = needed("from", "the date it counts from, e.g. requestSentOn").flatMap { reader.expression($0, "from", names: names, expect: .date) }
            let until = prop("until").flatMap { reader.expression($0, "until", names: names, expect: .date) }
            let rate = needed("rate", "amount per unit and month").flatMap { reader.expression($0, "rate", names: names, expect: .decimal) }
            let quantity = prop("times").flatMap { reader.expression($0, "times", names: names, expect: .integer) }
            if let perNode = needed("per", "the period; only 'month'"), let per = reader.string(perNode, "per"), per != "month" {
                reader.error(perNode, "per '\(per)' is not supported; accruals run per month")
            }
            var proration: AccrualDefinition.Proration?
            if let node = needed("proration", "days or whole-months: the file must say how a part month counts"), let text = reader.string(node, "proration") {
                proration = .init(rawValue: text)
                if proration == nil { reader.error(node, "proration must be 'days' or 'whole-months'") }
            }
            var policy: AccrualDefinition.RateChangePolicy?
            if let node = needed("onRateChange", "replace or add: the file must say what a higher rate does to the running one"), let text = reader.string(node, "onRateChange") {
                policy = .init(rawValue: text)
                if policy == nil { reader.error(node, "onRateChange must be 'replace' or 'add'") }
            }
            var quantityFrom = AccrualDefinition.QuantityChangeDate.monthStart
            if let node = prop("quantityChangesFrom"), let text = reader.string(node, "quantityChangesFrom") {
                if let value = AccrualDefinition.QuantityChangeDate(rawValue: text) { quantityFrom = value } else {
                    reader.error(node, "quantityChangesFrom must be 'month-start' or 'event-date'")
                }
            }
            let currency = prop("currency").flatMap { reader.string($0, "currency") } ?? "SEK"
            guard let from, let rate, let proration, let policy else { continue }
            result.append(AccrualDefinition(
                name: name, title: prop("title").flatMap { reader.string($0, "title") }, states: states,
                condition: condition, from: from, until: until, rate: rate, quantity: quantity,
                proration: proration, onRateChange: policy, quantityChangesFrom: quantityFrom, currency: currency))
        }
        return result
    }

    // MARK: Whole-machine checks

    mutating func checkStates(_ states: [StateDefinition], stateEntries: [YAMLReader.Entry], anyState: [String: [TransitionDefinition]],
                              events: [String: EventDefinition], root: Node) {
        let initial = states.filter(\.isInitial)
        if initial.isEmpty && !states.isEmpty { reader.error(root, "no state is marked 'initial: true'") }
        if initial.count > 1 {
            for state in initial.dropFirst() {
                reader.error(stateEntries.first { $0.key == state.name }?.keyNode, "more than one initial state ('\(initial[0].name)' and '\(state.name)')")
            }
        }
        if !states.isEmpty && !states.contains(where: \.isFinal) { reader.error(root, "no state is marked 'final: true'") }
        for state in states where !state.isFinal && state.transitions.isEmpty && anyState.isEmpty {
            reader.error(stateEntries.first { $0.key == state.name }?.keyNode, "state '\(state.name)' is not final but accepts no event, so a case there is stuck")
        }
        for (event, node, stateName) in pendingRaises {
            guard events[event] != nil else {
                reader.error(node, "deadline raises '\(event)', which is not declared under events")
                continue
            }
            if let state = states.first(where: { $0.name == stateName }), state.transitions[event] == nil && anyState[event] == nil {
                reader.error(node, "deadline raises '\(event)', but state '\(stateName)' does not accept it (add it under 'on')")
            }
        }
        // Every state must be reachable, or it is a typo or a forgotten transition.
        guard let start = initial.first else { return }
        var reached: Set<String> = [start.name]
        var queue = [start.name]
        let anyTargets = anyState.values.flatMap { $0 }.compactMap(\.target)
        while let name = queue.popLast() {
            guard let state = states.first(where: { $0.name == name }) else { continue }
            var targets = state.transitions.values.flatMap { $0 }.compactMap(\.target)
            if !state.isFinal { targets += anyTargets }
            for target in targets where reached.insert(target).inserted { queue.append(target) }
        }
        for entry in stateEntries where !reached.contains(entry.key) {
            reader.error(entry.keyNode, "state '\(entry.key)' cannot be reached from the initial state '\(start.name)'")
        }
        for (name, node) in eventNames {
            let used = states.contains { $0.transitions[name] != nil } || anyState[name] != nil
            if !used { reader.error(node, "event '\(name)' is accepted in no state") }
        }
    }
}
