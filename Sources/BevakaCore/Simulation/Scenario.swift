import Foundation
import Yams

/// A scenario for `bevaka simulate`: a case opened at a moment, then timed
/// events; deadlines in between fire on a virtual clock.
///
/// ```yaml
/// workflow: kalmar-sanktionstrappa
/// start: 2026-01-12T09:00          # Europe/Stockholm wall-clock time
/// until: 2026-06-30T17:00          # run timers up to here (default: 90 days after the last step)
/// case:
///   owner: anna
///   actor: { name: anna, role: handlaggare }
///   fields: { enhet: "Vårdcentralen Berga", listade: 8000 }
/// steps:
///   - at: 2026-01-12T10:00
///     actor: { name: anna, role: handlaggare }
///     event: klassificera
///     payload: { allvarlighetsgrad: 2, avsteg: 3 }
/// expect:
///   state: stallningstagandeHavning
///   ledgerTotal: "123.45"
/// ```
public struct Scenario: Sendable {
    public struct Step: Sendable {
        public let at: Date
        public let actor: Actor
        public let event: String
        public let payload: [String: JSONValue]
        public let reason: String?
        /// The problem slug this step must be refused with (e.g. `role-not-allowed`).
        public let expectError: String?
        public let line: Int
    }

    public struct Expectations: Sendable {
        public var state: String?
        public var fields: [String: JSONValue] = [:]
        public var ledgerTotal: String?
        public var ledgerMonths: [String: String] = [:]
        /// History events that must occur in this order (others may come between).
        public var events: [String] = []
        /// Notification types that must have been recorded, in this order.
        public var notifications: [String] = []
        /// The workflow the case is on at the end (after hand-overs).
        public var workflow: String?
        /// Who owns the case at the end (after reassignments and hand-overs).
        public var owner: String?
        /// Checklist name → status → the item ids expected in that status (exact sets).
        public var checklists: [String: [ChecklistItemStatus: [String]]] = [:]
        /// Relations of the case's links, in order.
        public var links: [String]?
    }

    public let path: String
    public let workflow: String
    public let start: Date
    public let until: Date
    public let owner: String
    public let opener: Actor
    public let fields: [String: JSONValue]
    public let steps: [Step]
    public let expect: Expectations

    /// Parses `YYYY-MM-DDTHH:MM` (or `YYYY-MM-DD`, meaning 09:00) as Stockholm wall-clock time.
    public static func localInstant(_ text: String, calendar: SwedishCalendar = SwedishCalendar()) -> Date? {
        let parts = text.split(separator: "T", maxSplits: 1)
        guard let first = parts.first, let date = LocalDate(iso: String(first)) else { return nil }
        let time = parts.count == 2 ? LocalTime(String(parts[1])) : LocalTime(hour: 9, minute: 0)
        guard let time else { return nil }
        return calendar.instant(on: date, at: time)
    }

    public static func load(path: String) throws(WorkflowLoadErrors) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw WorkflowLoadErrors([WorkflowDiagnostic(file: path, line: 1, column: 1, message: "cannot read the scenario file")])
        }
        guard let root = try YAMLReader.compose(text, path: path) else {
            throw WorkflowLoadErrors([WorkflowDiagnostic(file: path, line: 1, column: 1, message: "the file is empty")])
        }
        var reader = YAMLReader(file: path)
        let scenario = parse(root, reader: &reader, path: path)
        guard reader.diagnostics.isEmpty, let scenario else { throw WorkflowLoadErrors(reader.diagnostics) }
        return scenario
    }

    private static func parse(_ root: Node, reader: inout YAMLReader, path: String) -> Scenario? {
        guard let entries = reader.mapping(root, "a scenario") else { return nil }
        reader.checkKeys(entries, allowed: ["workflow", "start", "until", "case", "steps", "expect", "title"], in: "a scenario")
        func value(_ key: String) -> Node? { entries.first { $0.key == key }?.value }
        func instant(_ node: Node, _ what: String, reader: inout YAMLReader) -> Date? {
            guard let text = reader.string(node, what) else { return nil }
            guard let date = localInstant(text) else {
                reader.error(node, "\(what) '\(text)' is not a local time YYYY-MM-DDTHH:MM (Europe/Stockholm)")
                return nil
            }
            return date
        }
        func actor(_ node: Node?, reader: inout YAMLReader) -> Actor? {
            guard let node else { return nil }
            guard let props = reader.mapping(node, "actor") else { return nil }
            reader.checkKeys(props, allowed: ["name", "role"], in: "actor")
            guard let name = props.first(where: { $0.key == "name" }).flatMap({ reader.string($0.value, "name") }),
                  let role = props.first(where: { $0.key == "role" }).flatMap({ reader.string($0.value, "role") })
            else {
                reader.error(node, "actor needs name and role")
                return nil
            }
            return Actor(name: name, role: role)
        }
        func object(_ node: Node?, _ what: String, reader: inout YAMLReader) -> [String: JSONValue] {
            guard let node else { return [:] }
            guard case .object(let object) = JSONValue(yaml: node) else {
                reader.error(node, "\(what) must be a mapping")
                return [:]
            }
            return object
        }

        let workflow = value("workflow").flatMap { reader.string($0, "workflow") }
        if value("workflow") == nil { reader.error(root, "missing 'workflow'") }
        let start = value("start").flatMap { instant($0, "start", reader: &reader) }
        if value("start") == nil { reader.error(root, "missing 'start'") }

        var owner: String?, opener: Actor?, fields: [String: JSONValue] = [:]
        if let caseNode = value("case"), let props = reader.mapping(caseNode, "case") {
            reader.checkKeys(props, allowed: ["owner", "actor", "fields"], in: "case")
            owner = props.first { $0.key == "owner" }.flatMap { reader.string($0.value, "owner") }
            opener = actor(props.first { $0.key == "actor" }?.value, reader: &reader)
            fields = object(props.first { $0.key == "fields" }?.value, "fields", reader: &reader)
            if owner == nil || opener == nil { reader.error(caseNode, "case needs owner and actor") }
        } else if value("case") == nil {
            reader.error(root, "missing 'case'")
        }

        var steps: [Step] = []
        var previous = start
        for node in value("steps")?.sequence.map(Array.init) ?? [] {
            guard let props = reader.mapping(node, "a step") else { continue }
            reader.checkKeys(props, allowed: ["at", "actor", "event", "payload", "reason", "expectError"], in: "a step")
            func prop(_ key: String) -> Node? { props.first { $0.key == key }?.value }
            var at: Date?
            if let atNode = prop("at"), let text = reader.string(atNode, "at") {
                if text.hasPrefix("+") {
                    if let base = previous, let duration = try? WorkflowDuration(parsing: String(text.dropFirst())) {
                        at = SwedishCalendar().adding(duration, to: base)
                    } else {
                        reader.error(atNode, "'\(text)' is not +DURATION (e.g. +P14D, +PT2H)")
                    }
                } else {
                    at = instant(atNode, "at", reader: &reader)
                }
            } else {
                reader.error(node, "a step needs 'at'")
            }
            if let at, let previous, at < previous {
                reader.error(prop("at"), "steps must be in time order; this one is before the previous")
            }
            let stepActor = actor(prop("actor"), reader: &reader)
            let event = prop("event").flatMap { reader.string($0, "event") }
            if stepActor == nil || event == nil { reader.error(node, "a step needs actor and event") }
            guard let at, let stepActor, let event else { continue }
            previous = at
            steps.append(Step(at: at, actor: stepActor, event: event, payload: object(prop("payload"), "payload", reader: &reader),
                              reason: prop("reason").flatMap { reader.string($0, "reason") },
                              expectError: prop("expectError").flatMap { reader.string($0, "expectError") },
                              line: node.mark?.line ?? 0))
        }

        var expect = Expectations()
        if let node = value("expect"), let props = reader.mapping(node, "expect") {
            reader.checkKeys(props, allowed: ["state", "fields", "ledgerTotal", "ledgerMonths", "events", "notifications",
                                              "workflow", "checklists", "links", "owner"], in: "expect")
            for prop in props {
                switch prop.key {
                case "state": expect.state = reader.string(prop.value, "state")
                case "fields": expect.fields = object(prop.value, "fields", reader: &reader)
                case "ledgerTotal": expect.ledgerTotal = reader.string(prop.value, "ledgerTotal")
                case "ledgerMonths":
                    for (month, amount) in object(prop.value, "ledgerMonths", reader: &reader) {
                        if case .string(let text) = amount { expect.ledgerMonths[month] = text } else {
                            reader.error(prop.value, "ledgerMonths amounts must be quoted, e.g. \"1234.50\"")
                        }
                    }
                case "events": expect.events = reader.stringList(prop.value, "events")?.map(\.0) ?? []
                case "notifications": expect.notifications = reader.stringList(prop.value, "notifications")?.map(\.0) ?? []
                case "workflow": expect.workflow = reader.string(prop.value, "workflow")
                case "owner": expect.owner = reader.string(prop.value, "owner")
                case "links": expect.links = reader.stringList(prop.value, "links")?.map(\.0) ?? []
                case "checklists":
                    for checklist in reader.mapping(prop.value, "checklists") ?? [] {
                        var statuses: [ChecklistItemStatus: [String]] = [:]
                        for entry in reader.mapping(checklist.value, "checklist '\(checklist.key)'") ?? [] {
                            guard let status = ChecklistItemStatus(rawValue: entry.key) else {
                                reader.error(entry.keyNode, "unknown item status '\(entry.key)'; expected done, overdue, open or waiting")
                                continue
                            }
                            statuses[status] = reader.stringList(entry.value, entry.key)?.map(\.0) ?? []
                        }
                        expect.checklists[checklist.key] = statuses
                    }
                default: break
                }
            }
        }

        var until = (previous ?? start ?? Date()).addingTimeInterval(90 * 86_400)
        if let node = value("until"), let date = instant(node, "until", reader: &reader) { until = date }
        guard let workflow, let start, let owner, let opener else { return nil }
        return Scenario(path: path, workflow: workflow, start: start, until: until, owner: owner, opener: opener,
                        fields: fields, steps: steps, expect: expect)
    }
}
