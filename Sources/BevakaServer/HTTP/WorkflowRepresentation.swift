import BevakaCore
import Foundation

/// A workflow described as JSON for `GET /workflows/{name}`.
enum WorkflowRepresentation {
    static func summary(_ definition: WorkflowDefinition, versions: [Int]) -> JSONValue {
        .object([
            "name": .string(definition.name), "version": .int(definition.version), "title": .string(definition.title),
            "versions": .array(versions.map(JSONValue.int)),
        ])
    }

    static func detail(_ definition: WorkflowDefinition, versions: [Int]) -> JSONValue {
        guard case .object(var object) = summary(definition, versions: versions) else { return .null }
        object["description"] = definition.description.map(JSONValue.string) ?? .null
        object["dueTime"] = .string(definition.dueTime.description)
        object["timeZone"] = .string("Europe/Stockholm")
        object["roles"] = .object(Dictionary(uniqueKeysWithValues: definition.roles.map { ($0.name, JSONValue.string($0.title)) }))
        object["fields"] = .array(definition.fields.map { field in
            var f: [String: JSONValue] = ["name": .string(field.name), "type": .string(typeName(field.type)),
                                          "required": .bool(field.required), "personal": .bool(field.personal)]
            if case .enumeration(let values) = field.type {
                f["values"] = .array(values.map(JSONValue.string))
                f["valueTitles"] = .object(Dictionary(uniqueKeysWithValues: values.map { ($0, JSONValue.string(field.title(ofValue: $0))) }))
            }
            if let title = field.title { f["title"] = .string(title) }
            if let minimum = field.minimum { f["min"] = .string("\(minimum)") }
            if let maximum = field.maximum { f["max"] = .string("\(maximum)") }
            if let value = field.defaultValue { f["default"] = FieldValueCoder.encode(value) }
            return .object(f)
        })
        object["derived"] = .array(definition.derived.map {
            .object(["name": .string($0.name), "expression": .string($0.expression.source), "type": .string(typeName($0.expression.type))])
        })
        object["events"] = .array(definition.events.values.sorted { $0.name < $1.name }.map(CaseRepresentation.eventDescription))
        object["states"] = .array(definition.states.map { state in
            .object([
                "name": .string(state.name), "title": state.title.map(JSONValue.string) ?? .null,
                "initial": .bool(state.isInitial), "final": .bool(state.isFinal),
                "deadlines": .array(state.deadlines.map(deadline)),
                "on": .object(state.transitions.mapValues { .array($0.map(transition)) }),
            ])
        })
        object["anyState"] = .object(definition.anyState.mapValues { .array($0.map(transition)) })
        object["accruals"] = .array(definition.accruals.map { accrual in
            .object([
                "name": .string(accrual.name), "title": accrual.title.map(JSONValue.string) ?? .null,
                "in": .array(accrual.states.map(JSONValue.string)),
                "when": accrual.condition.map { .string($0.source) } ?? .null,
                "from": .string(accrual.from.source), "until": accrual.until.map { .string($0.source) } ?? .null,
                "rate": .string(accrual.rate.source), "times": accrual.quantity.map { .string($0.source) } ?? .null,
                "per": .string("month"), "proration": .string(accrual.proration.rawValue),
                "onRateChange": .string(accrual.onRateChange.rawValue),
                "quantityChangesFrom": .string(accrual.quantityChangesFrom.rawValue), "currency": .string(accrual.currency),
            ])
        })
        return .object(object)
    }

    static func typeName(_ type: ValueType) -> String {
        switch type {
        case .enumeration: "enum"
        case .stringList: "list"
        default: type.description
        }
    }

    static func deadline(_ deadline: DeadlineDefinition) -> JSONValue {
        var anchor: [String: JSONValue] = [:]
        switch deadline.anchor {
        case .field(let field): anchor["at"] = .string(field)
        case .afterEntry(let duration): anchor["after"] = .string(duration.description)
        case .afterField(let duration, let field):
            anchor["after"] = .string(duration.description)
            anchor["from"] = .string(field)
        }
        anchor["name"] = .string(deadline.name)
        anchor["title"] = deadline.title.map(JSONValue.string) ?? .null
        anchor["time"] = deadline.time.map { .string($0.description) } ?? .null
        anchor["remind"] = .array(deadline.reminders.map { .string($0.description) })
        anchor["raises"] = deadline.raises.map(JSONValue.string) ?? .null
        return .object(anchor)
    }

    static func transition(_ transition: TransitionDefinition) -> JSONValue {
        .object([
            "if": transition.guardExpression.map { .string($0.source) } ?? .null,
            "to": transition.target.map(JSONValue.string) ?? .null,
            "set": .object(Dictionary(uniqueKeysWithValues: transition.assignments.map { ($0.field, JSONValue.string($0.expression.source)) })),
        ])
    }
}
