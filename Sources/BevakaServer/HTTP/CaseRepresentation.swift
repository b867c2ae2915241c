import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation

/// The JSON shapes the API answers with. Instants are given in UTC and in
/// Europe/Stockholm local time side by side.
enum CaseRepresentation {
    static func fields(_ values: [String: Value]) -> JSONValue {
        .object(values.mapValues(FieldValueCoder.encode))
    }

    /// A case as its viewer may see it; `hiddenFields` names the personal fields left out for them.
    static func summary(_ view: CaseView, now: Date) -> JSONValue {
        withHidden(summary(view.record, definition: view.definition, now: now), view)
    }

    static func detail(_ view: CaseView, now: Date) -> JSONValue {
        withHidden(detail(view.record, definition: view.definition, now: now), view)
    }

    private static func withHidden(_ json: JSONValue, _ view: CaseView) -> JSONValue {
        guard !view.hiddenFields.isEmpty, case .object(var members) = json else { return json }
        members["hiddenFields"] = .array(view.hiddenFields.map(JSONValue.string))
        return .object(members)
    }

    static func summary(_ record: CaseRecord, definition: WorkflowDefinition, now: Date) -> JSONValue {
        let state = definition.state(record.state)
        return .object([
            "id": .string(record.id),
            "workflow": .string(record.workflow.name),
            "workflowVersion": .int(record.workflow.version),
            "state": .string(record.state),
            "stateTitle": state?.title.map(JSONValue.string) ?? .null,
            "final": .bool(state?.isFinal ?? false),
            "owner": .string(record.owner),
            "unit": record.unit.map(JSONValue.string) ?? .null,
            "contract": record.contract.map(JSONValue.string) ?? .null,
            "version": .int(record.version),
            "createdAt": .string(SwedishCalendar.isoUTCString(record.createdAt)),
            "updatedAt": .string(SwedishCalendar.isoUTCString(record.updatedAt)),
            "overdue": .bool(record.nextDueAt.map { $0 <= now } ?? false),
            "nextDueAt": record.nextDueAt.map { .string(SwedishCalendar.isoUTCString($0)) } ?? .null,
        ])
    }

    /// Everything about a case: state, fields, derived values, deadlines and what may happen next.
    static func detail(_ record: CaseRecord, definition: WorkflowDefinition, now: Date) -> JSONValue {
        guard case .object(var object) = summary(record, definition: definition, now: now) else { return .null }
        let engine = Engine(workflow: definition)
        let calendar = definition.calendar
        let state = definition.state(record.state)
        object["fields"] = fields(record.fields)
        object["people"] = .object(record.people.mapValues { list in
            .array(list.map { .object(["name": .string($0.name), "email": .string($0.email)]) })
        })
        object["derived"] = fields(engine.derivedValues(of: record, now: now))
        object["stateEnteredAt"] = .string(SwedishCalendar.isoUTCString(record.stateEnteredAt))
        object["deadlines"] = .array(record.deadlines.sorted { $0.dueAt < $1.dueAt }.map { deadline in
            let definition = state?.deadlines.first { $0.name == deadline.name }
            return .object([
                "name": .string(deadline.name),
                "title": definition?.title.map(JSONValue.string) ?? .null,
                "dueAt": .string(SwedishCalendar.isoUTCString(deadline.dueAt)),
                "dueAtLocal": .string(calendar.isoLocalString(deadline.dueAt)),
                "expired": .bool(deadline.expired),
                "overdue": .bool(deadline.dueAt <= now),
                "raises": definition?.raises.map(JSONValue.string) ?? .null,
            ])
        })
        object["allowedEvents"] = .array(engine.allowedEvents(for: record).map(eventDescription))
        object["checklists"] = .array(record.checklists.map { checklist in
            .object(["name": .string(checklist.name), "open": .bool(checklist.isOpen),
                     "done": .int(checklist.items.filter(\.isDone).count),
                     "total": .int(definition.checklist(checklist.name)?.items.count ?? checklist.items.count)])
        })
        object["accruals"] = .array(record.accruals.map { accrual in
            .object([
                "name": .string(accrual.name), "running": .bool(accrual.isRunning), "currency": .string(accrual.currency),
                "rates": .array(accrual.layers.map { layer in
                    .object(["from": .string(layer.from.description), "until": layer.until.map { .string($0.description) } ?? .null,
                             "rate": .string("\(layer.rate)")])
                }),
                "quantities": .array(accrual.quantities.map { point in
                    .object(["from": point.from == .distantPast ? .null : .string(point.from.description), "quantity": .int(point.quantity)])
                }),
            ])
        })
        return .object(object)
    }

    static func eventDescription(_ event: EventDefinition) -> JSONValue {
        var payload: [String: JSONValue] = [:]
        for entry in event.payload { payload[entry.field] = .string(entry.required ? "required" : "optional") }
        return .object([
            "event": .string(event.name),
            "title": event.title.map(JSONValue.string) ?? .null,
            "roles": .array(event.roles.map(JSONValue.string)),
            "payload": .object(payload),
            "reason": .string(event.reason.rawValue),
        ])
    }

    static func history(_ record: HistoryRecord) -> JSONValue {
        let entry = record.entry
        return .object([
            "seq": .int(record.seq),
            "at": .string(SwedishCalendar.isoUTCString(entry.at)),
            // When it took effect, where that is not when it was registered (`at`).
            "effectiveAt": entry.effectiveAt.map { .string(SwedishCalendar.isoUTCString($0)) } ?? .null,
            "effectiveAtLocal": entry.effectiveAt.map { .string(SwedishCalendar().isoLocalString($0)) } ?? .null,
            "actor": .string(entry.actor),
            "role": .string(entry.role),
            "event": .string(entry.event),
            "fromState": entry.fromState.map(JSONValue.string) ?? .null,
            "toState": .string(entry.toState),
            "payload": entry.payload,
            "reason": entry.reason.map(JSONValue.string) ?? .null,
            "notes": .array(entry.notes.map(JSONValue.string)),
            "previousHash": .string(record.previousHash),
            "hash": .string(record.hash),
        ])
    }

    static func notification(_ record: OutboxRecord) -> JSONValue {
        .object([
            "id": .int(Int(record.id)),
            "createdAt": .string(SwedishCalendar.isoUTCString(record.createdAt)),
            "type": .string(record.type),
            "recipients": .array(record.recipients.map(JSONValue.string)),
            "webhooks": .array(record.webhooks.map(JSONValue.string)),
            "template": record.template.map(JSONValue.string) ?? .null,
            "urgent": .bool(record.urgent),
            "deadline": record.deadline.map(JSONValue.string) ?? .null,
            "dueAt": record.dueAt.map { .string(SwedishCalendar.isoUTCString($0)) } ?? .null,
            "event": record.event.map(JSONValue.string) ?? .null,
            "state": .string(record.state),
            "status": .string(record.status),
            "data": record.data,
        ])
    }

    static func ledger(_ rows: [LedgerRow], asOf: LocalDate) -> JSONValue {
        let total = rows.reduce(Decimal(0)) { $0 + $1.amount }
        let byMonth = Dictionary(grouping: rows, by: \.month)
        let months = Ledger.totalsByMonth(rows).map { month in
            JSONValue.object([
                "month": .string(month.month),
                "amount": .string(Ledger.format(month.amount)),
                "rows": .array((byMonth[month.month] ?? []).map { row in
                    .object([
                        "accrual": .string(row.accrual), "segment": .int(row.seq), "from": .string(row.from.description),
                        "through": .string(row.through.description), "days": .int(row.days),
                        "daysInMonth": .int(row.daysInMonth), "rate": .string("\(row.rate)"), "quantity": .int(row.quantity),
                        "amount": .string(Ledger.format(row.amount)), "currency": .string(row.currency),
                    ])
                }),
            ])
        }
        return .object([
            "asOf": .string(asOf.description),
            "currency": .string(rows.first?.currency ?? "SEK"),
            "total": .string(Ledger.format(total)),
            "months": .array(months),
        ])
    }
}
