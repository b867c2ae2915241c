import BevakaCore
import BevakaDelivery
import BevakaStore
import Foundation

/// What a notification says: the webhook body and the template context for
/// email. Personal fields are never in the outbox; an endpoint configured for
/// personal data gets them read from the case at the moment of sending.
struct MessageComposer: Sendable {
    let templates: TemplateSet

    /// `{type, timestamp, data}` as the Standard Webhooks specification suggests.
    func webhookBody(_ outbox: OutboxRecord, personalFields: [String: JSONValue]) -> [UInt8] {
        var data: [String: JSONValue] = [:]
        if case .object(let object) = outbox.data { data = object }
        if !personalFields.isEmpty, case .object(var fields)? = data["fields"] {
            fields.merge(personalFields) { _, personal in personal }
            data["fields"] = .object(fields)
        }
        data["state"] = .string(outbox.state)
        data["notificationId"] = .string(String(outbox.id))
        if let event = outbox.event { data["event"] = .string(event) }
        if let deadline = outbox.deadline {
            var object: [String: JSONValue] = ["name": .string(deadline)]
            if let dueAt = outbox.dueAt { object["dueAt"] = .string(SwedishCalendar.isoUTCString(dueAt)) }
            data["deadline"] = .object(object)
        }
        let body: JSONValue = .object([
            "type": .string(outbox.type),
            "timestamp": .string(SwedishCalendar.isoUTCString(outbox.createdAt)),
            "data": .object(data),
        ])
        return Array(body.canonicalText.utf8)
    }

    /// The values a template can use (README "Templates" lists them). Field values
    /// are as people read them: an enum value's title, dates as "16 februari 2026".
    static func templateContext(_ outbox: OutboxRecord, definition: WorkflowDefinition?, now: Date) -> [String: Any] {
        let data = outbox.data
        let calendar = definition?.calendar ?? SwedishCalendar()
        var fields: [String: Any] = [:]
        var raw: [String: JSONValue] = [:]
        if case .object(let object)? = data["fields"] {
            raw = object
            for (name, value) in object { fields[name] = Self.displayText(value, field: definition?.field(name), calendar: calendar) }
        }
        var caseInfo: [String: Any] = ["id": outbox.caseID, "state": outbox.state]
        caseInfo["owner"] = data["owner"]?.string ?? ""
        caseInfo["workflow"] = data["workflow"]?.string ?? ""
        caseInfo["workflowTitle"] = definition?.title ?? caseInfo["workflow"]
        caseInfo["stateTitle"] = definition?.state(outbox.state)?.title ?? outbox.state
        caseInfo["number"] = CaseRecord.shortNumber(of: outbox.caseID)
        let diarienummer = raw["diarienummer"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        caseInfo["reference"] = diarienummer ?? CaseRecord.shortNumber(of: outbox.caseID)
        caseInfo["unit"] = raw["enhet"]?.string ?? ""
        caseInfo["provider"] = raw["vardgivare"]?.string ?? ""
        var context: [String: Any] = ["type": outbox.type, "case": caseInfo, "fields": fields]
        if let event = outbox.event { context["event"] = event }
        if let name = outbox.deadline, let dueAt = outbox.dueAt {
            let dueDate = calendar.localDate(of: dueAt)
            let title = definition?.watch(named: name, in: outbox.state)?.title ?? name
            context["deadline"] = [
                "name": name, "title": title, "due": SwedishText.moment(dueAt, calendar: calendar),
                "dueDate": SwedishText.date(dueDate), "dueTime": SwedishText.clock(calendar.localTime(of: dueAt)),
                "daysLeft": dueDate.dayNumber - calendar.localDate(of: now).dayNumber,
            ] as [String: Any]
        }
        return context
    }

    /// A field value as a person reads it: Swedish yes/no, an enum value's
    /// title, dates and instants in Swedish form, decimals with a comma.
    static func displayText(_ value: JSONValue, field: FieldDefinition?, calendar: SwedishCalendar) -> String {
        if let field, case .success(let typed) = FieldValueCoder.decode(value, as: field.type) {
            switch typed {
            case .string(let text):
                if case .enumeration = field.type { return field.title(ofValue: text) }
                return text
            case .date(let date): return SwedishText.date(date)
            case .datetime(let instant): return SwedishText.moment(instant, calendar: calendar)
            case .decimal(let number): return SwedishText.decimal(number)
            default: break
            }
        }
        switch value {
        case .null: return ""
        case .bool(let b): return SwedishText.yesNo(b)
        case .int(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s): return s
        case .array(let items): return items.map { displayText($0, field: nil, calendar: calendar) }.joined(separator: ", ")
        case .object: return value.canonicalText
        }
    }

    // MARK: Messages Bevaka writes itself

    static func alert(for delivery: DeliveryRecord, error: String, to administrator: String, baseURL: String) -> ComposedEmail {
        let what = delivery.caseID.map { " i ärende \($0)" } ?? ""
        return ComposedEmail(
            target: administrator, type: "delivery.dead",
            subject: "Bevaka: leverans \(delivery.id) gav upp (\(delivery.type))",
            body: """
                Leverans \(delivery.id) (\(delivery.type)\(what)) till \(delivery.target) via \(delivery.channel.rawValue) \
                lyckades inte efter \(delivery.attempts + 1) försök.

                Senaste fel: \(error)

                Skicka den igen när felet är åtgärdat:
                  curl -X POST \(baseURL)/deliveries/\(delivery.id)/retry

                Alla leveranser som gett upp: \(baseURL)/deliveries?status=dead
                """)
    }

    static func endpointDisabledAlert(endpoint: String, reason: String, to administrator: String, baseURL: String) -> ComposedEmail {
        ComposedEmail(
            target: administrator, type: "endpoint.disabled",
            subject: "Bevaka: webhook-mottagaren \(endpoint) är avstängd",
            body: """
                Webhook-mottagaren \(endpoint) svarade \(reason) och får inga fler meddelanden.

                Slå på den igen när mottagaren finns:
                  curl -X POST \(baseURL)/webhooks/\(endpoint)/enable
                och skicka om det som inte kom fram (\(baseURL)/deliveries?status=dead).
                """)
    }

    /// One recipient's daily list: deadlines due today and those already overdue.
    static func digest(for address: String, items: [DueDeadline], catalog: (WorkflowKey) -> WorkflowDefinition?,
                       today: LocalDate, now: Date) -> ComposedEmail {
        var overdue: [String] = []
        var dueToday: [String] = []
        for item in items.sorted(by: { ($0.deadline.dueAt, $0.caseID) < ($1.deadline.dueAt, $1.caseID) }) {
            let definition = catalog(item.workflow)
            let calendar = definition?.calendar ?? SwedishCalendar()
            let state = definition?.state(item.state)
            let watch = definition?.watch(named: item.deadline.name, in: item.state)
            let title = watch.flatMap { watch in watch.title.map { watch.isChecklistItem ? "Checklista: \($0)" : $0 } }
                ?? item.deadline.name
            let due = SwedishText.moment(item.deadline.dueAt, calendar: calendar)
            let line = "- \(title): ärende \(item.caseID) (\(definition?.title ?? item.workflow.name); \(state?.title ?? item.state)), senast \(due)"
            if item.deadline.dueAt <= now { overdue.append(line) } else { dueToday.append(line) }
        }
        var body = "Hej,\n\nDina bevakningar \(SwedishText.date(today)):\n"
        if !overdue.isEmpty { body += "\nFörsenade (\(overdue.count)):\n" + overdue.joined(separator: "\n") + "\n" }
        if !dueToday.isEmpty { body += "\nFörfaller i dag (\(dueToday.count)):\n" + dueToday.joined(separator: "\n") + "\n" }
        body += "\nDu får den här sammanställningen i stället för en påminnelse per bevakning.\n"
        return ComposedEmail(target: address, type: "digest.daily",
                             subject: "Bevakningar \(today): \(overdue.count) försenade, \(dueToday.count) i dag", body: body)
    }
}
