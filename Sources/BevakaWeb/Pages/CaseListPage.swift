import BevakaApplication
import BevakaCore
import Foundation

/// "Mina ärenden": the cases a person works on, by what is due next, overdue first.
enum CaseListPage {
    /// One case's row: what it is, what is due next and when, where.
    static func row(_ view: CaseView, now: Date) -> [String: Any] {
        let record = view.record, definition = view.definition
        let calendar = definition.calendar
        var row: [String: Any] = [
            "id": record.id, "reference": record.reference, "workflowTitle": definition.title,
            "stateTitle": definition.state(record.state)?.title ?? record.state,
            "unit": record.text("enhet") ?? "", "provider": record.text("vardgivare") ?? "",
        ]
        if let next = nextDue(record, definition) {
            row["due"] = [
                "title": next.title, "when": SwedishText.moment(next.at, calendar: calendar),
                "countdown": Countdown.text(to: next.at, now: now, calendar: calendar), "overdue": next.at <= now,
            ] as [String: Any]
        }
        return row
    }

    /// The earliest deadline or unticked checklist item, with its title.
    static func nextDue(_ record: CaseRecord, _ definition: WorkflowDefinition) -> (title: String, at: Date)? {
        guard let first = record.dueItems(definition).first else { return nil }
        if case .checklistItem = first.kind { return ("Checklista: " + first.title, first.dueAt) }
        return (first.title, first.dueAt)
    }
}
