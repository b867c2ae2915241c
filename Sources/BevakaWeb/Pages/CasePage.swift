import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation

/// The case page: where the case stands, what is due, what I may do now (forms from
/// the events' typed payloads), the checklists, its people, ledger and history.
enum CasePage {
    /// A form sent back with problems: the values as typed and a message per field.
    struct Submitted: Sendable {
        var event: String
        var values: [String: String]
        var errors: [String: String]
        var summary: [String]
    }

    /// A checklist item's row id, unique on the page: two checklists of a case may have an item of the same id.
    static func anchor(checklist: String, item: String) -> String {
        HTMLIdentifier.make("punkt", checklist, item)
    }

    static func context(_ view: CaseView, history: [HistoryRecord], segments: [AccrualSegment], principal: Principal,
                        now: Date, submitted: Submitted?, notice: String?) -> [String: Any] {
        let record = view.record, definition = view.definition
        let calendar = definition.calendar
        let engine = Engine(workflow: definition)
        let state = definition.state(record.state)
        var page: [String: Any] = CaseListPage.row(view, now: now)
        page["stateDescription"] = state?.isFinal == true ? "Ärendet är avslutat." : ""
        page["owner"] = record.owner
        page["caseId"] = record.id
        page["notice"] = notice as Any
        page["deadlines"] = record.deadlines.sorted { $0.dueAt < $1.dueAt }.map { deadline -> [String: Any] in
            [
                "title": definition.watch(named: deadline.name, in: record.state)?.title ?? deadline.name,
                "when": SwedishText.moment(deadline.dueAt, calendar: calendar),
                "countdown": Countdown.text(to: deadline.dueAt, now: now, calendar: calendar), "overdue": deadline.dueAt <= now,
            ]
        }
        // The events I may fire now, each a form.
        var forms: [[String: Any]] = []
        for event in engine.allowedEvents(for: record) where !event.isSystemOnly {
            let mine = event.roles.filter { principal.roles.contains($0) || principal.isAdmin && principal.kind == .development }
            guard !mine.isEmpty else { continue }
            let sent = submitted?.event == event.name ? submitted : nil
            var fields: [[String: Any]] = event.payload.compactMap { entry in
                guard let field = definition.field(entry.field) else { return nil }
                return input(field, required: entry.required, value: sent?.values[field.name], error: sent?.errors[field.name],
                             effective: event.effective == field.name)
            }
            if event.reason != .none {
                fields.append([
                    "name": "skal", "id": "\(event.name)-skal", "label": "Skäl", "textarea": true,
                    "required": event.reason == .required, "value": sent?.values["skal"] ?? "",
                    "error": sent?.errors["reason"] as Any, "hint": "Skälet sparas i ärendets historik.",
                ])
            }
            forms.append([
                "event": event.name, "title": event.title ?? event.name, "fields": fields,
                "roles": mine.map { role in
                    ["name": role, "title": definition.roles.first { $0.name == role }?.title ?? role,
                     "selected": sent?.values["roll"] == role] as [String: Any]
                },
                "oneRole": mine.count == 1, "role": mine[0], "open": sent != nil,
            ])
        }
        page["forms"] = forms
        // GOV.UK's error summary: each field's problem links to the field; then what concerns the event.
        var summaryItems: [[String: Any]] = []
        if let submitted, let event = definition.events[submitted.event] {
            for entry in event.payload {
                guard let text = submitted.errors[entry.field] else { continue }
                summaryItems.append(["text": "\(definition.field(entry.field)?.title ?? entry.field): \(text)", "href": "#f-\(entry.field)"])
            }
            if let text = submitted.errors["reason"] { summaryItems.append(["text": "Skäl: \(text)", "href": "#\(event.name)-skal"]) }
        }
        summaryItems += (submitted?.summary ?? []).map { ["text": $0] }
        page["errorSummary"] = summaryItems
        page["hasErrors"] = !summaryItems.isEmpty
        // Checklists, each item with its status and, where my role may, a tick form.
        page["checklists"] = record.checklists.map { checklist -> [String: Any] in
            let list = definition.checklist(checklist.name)
            return [
                "name": checklist.name, "title": list?.title ?? checklist.name, "open": checklist.isOpen,
                "items": checklist.items.map { item -> [String: Any] in
                    let itemDefinition = list?.item(item.id)
                    let roles = (itemDefinition?.roles ?? []) + (list?.tickRoles ?? [])
                    let mayTick = checklist.isOpen && !item.isDone && roles.contains { principal.roles.contains($0) }
                    return [
                        "id": item.id, "title": itemDefinition?.title ?? item.id, "done": item.isDone,
                        "when": item.dueAt.map { SwedishText.moment($0, calendar: calendar) } ?? "",
                        "countdown": item.dueAt.map { item.isDone ? "" : Countdown.text(to: $0, now: now, calendar: calendar) } ?? "",
                        "overdue": !item.isDone && (item.dueAt.map { $0 <= now } ?? false),
                        "tickedBy": item.tickedBy ?? "", "tickedAt": item.tickedAt.map { SwedishText.moment($0, calendar: calendar) } ?? "",
                        "note": item.note ?? "", "mayTick": mayTick, "anchor": anchor(checklist: checklist.name, item: item.id),
                        "role": roles.first { principal.roles.contains($0) } ?? "",
                    ]
                },
            ]
        }
        page["people"] = record.people.sorted { $0.key < $1.key }.map { role, people -> [String: Any] in
            ["role": definition.roles.first { $0.name == role }?.title ?? role,
             "people": people.map { ["name": $0.name, "email": $0.email] }]
        }
        page["fields"] = definition.fields.filter { !view.hiddenFields.contains($0.name) }.compactMap { field -> [String: Any]? in
            guard let value = record.fields[field.name] else { return nil }
            return ["title": field.title ?? field.name, "value": display(value, field, calendar)]
        }
        page["ledger"] = Ledger.totalsByMonth(Ledger.monthly(segments, asOf: calendar.localDate(of: now), workflow: definition)).map {
            ["month": $0.month, "amount": SwedishText.kronor($0.amount)]
        }
        page["history"] = history.reversed().map { row -> [String: Any] in
            let entry = row.entry
            let title = definition.events[entry.event]?.title ?? builtInTitles[entry.event] ?? entry.event
            return [
                "title": title, "at": SwedishText.moment(entry.at, calendar: calendar), "actor": entry.actor,
                "effective": entry.effectiveAt.map { SwedishText.moment($0, calendar: calendar) } ?? "",
                "reason": entry.reason ?? "", "state": definition.state(entry.toState)?.title ?? entry.toState,
            ]
        }
        page["hasDeadlines"] = !record.deadlines.isEmpty
        page["hasPeople"] = !record.people.isEmpty
        page["hasLedger"] = !((page["ledger"] as? [Any])?.isEmpty ?? true)
        return page
    }

    /// Bevaka's own history rows, as people read them.
    static let builtInTitles: [String: String] = [
        "case.opened": "Ärendet öppnat", "case.imported": "Ärendet infört från tidigare register",
        "deadline.reminder": "Påminnelse om frist", "deadline.expired": "Fristen gick ut", "deadline.overdue": "Påminnelse om försenad frist",
        "checklist.tick": "Punkt avbockad", "checklist.untick": "Avbockning ångrad", "checklist.item.overdue": "Punkt försenad",
        "case.undone": "Ångrat: det som fristen ledde till (sen registrering av något som kom i tid)",
        "case.annulled": "Felregistrering annullerad", "case.people": "Ärendets personer ändrade", "case.reassign": "Ny handläggare",
        "case.handedOver": "Överlämnat till en annan process", "case.linked": "Länkat till ett annat ärende",
        "case.migrated": "Flyttat till en ny version av processen",
    ]

    /// One payload field as a form control: dates as date inputs, enums as choices with their titles.
    static func input(_ field: FieldDefinition, required: Bool, value: String?, error: String?, effective: Bool) -> [String: Any] {
        var input: [String: Any] = [
            "name": "f.\(field.name)", "id": "f-\(field.name)", "label": field.title ?? field.name, "required": required,
            "value": value ?? "", "error": error as Any,
        ]
        switch field.type {
        case .date:
            input["type"] = "date"
            input["hint"] = effective ? "Dagen det hände, inte dagen du registrerar det (ÅÅÅÅ-MM-DD)." : "ÅÅÅÅ-MM-DD"
        case .datetime:
            input["type"] = "datetime-local"
            input["hint"] = "Svensk tid."
        case .integer:
            input["type"] = "text"
            input["inputmode"] = "numeric"
        case .decimal:
            input["type"] = "text"
            input["inputmode"] = "decimal"
        case .boolean:
            input["choices"] = [["value": "ja", "title": "Ja", "selected": value == "ja"], ["value": "nej", "title": "Nej", "selected": value == "nej"]]
        case .enumeration(let values):
            input["choices"] = values.map { ["value": $0, "title": field.title(ofValue: $0), "selected": value == $0] as [String: Any] }
        case .stringList:
            input["textarea"] = true
            input["hint"] = "En per rad."
        case .string where ["beskrivning", "anteckning", "fragestallning", "atgardsstrategi", "iakttagelser"].contains(field.name):
            input["textarea"] = true
        default:
            input["type"] = "text"
        }
        if let error { input["error"] = error }
        input["fieldset"] = input["choices"] != nil
        return input
    }

    static func display(_ value: Value, _ field: FieldDefinition, _ calendar: SwedishCalendar) -> String {
        switch value {
        case .string(let text): if case .enumeration = field.type { field.title(ofValue: text) } else { text }
        case .date(let date): SwedishText.date(date)
        case .datetime(let instant): SwedishText.moment(instant, calendar: calendar)
        case .boolean(let flag): SwedishText.yesNo(flag)
        case .decimal(let number): SwedishText.decimal(number)
        case .integer(let number): String(number)
        case .stringList(let items): items.joined(separator: ", ")
        case .duration(let duration): duration.description
        }
    }

    /// A sent form's fields as the event's payload, typed by the workflow: what does not
    /// parse is passed on as text, for the engine to refuse by name.
    static func payload(_ form: [String: String], event: EventDefinition, definition: WorkflowDefinition) -> [String: JSONValue] {
        var payload: [String: JSONValue] = [:]
        for entry in event.payload {
            guard let field = definition.field(entry.field), let raw = form["f.\(entry.field)"]?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !raw.isEmpty else { continue }
            switch field.type {
            case .integer: payload[field.name] = Int(raw).map(JSONValue.int) ?? .string(raw)
            case .decimal: payload[field.name] = .string(raw.replacingOccurrences(of: ",", with: "."))
            case .boolean: payload[field.name] = raw == "ja" ? .bool(true) : raw == "nej" ? .bool(false) : .string(raw)
            case .stringList:
                payload[field.name] = .array(raw.split(whereSeparator: \.isNewline).map { .string($0.trimmingCharacters(in: .whitespaces)) })
            case .datetime:
                // A datetime-local value is Stockholm wall-clock time.
                let parts = raw.split(separator: "T")
                if parts.count == 2, let day = LocalDate(iso: String(parts[0])), let time = LocalTime(String(parts[1].prefix(5))) {
                    payload[field.name] = .string(SwedishCalendar.isoUTCString(definition.calendar.instant(on: day, at: time)))
                } else {
                    payload[field.name] = .string(raw)
                }
            default: payload[field.name] = .string(raw)
            }
        }
        return payload
    }
}
