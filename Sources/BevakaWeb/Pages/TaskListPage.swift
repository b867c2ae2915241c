import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation

/// "Mina uppgifter": for people who are not case owners (finance, communications, the
/// lawyer), what falls on their roles: open checklist items they may tick, and the
/// deadlines whose notices go to their roles, soonest first, a page at a time.
enum TaskListPage {
    /// How many tasks a page lists.
    static let limit = 100

    /// The page's rows after `after`, and where the next page begins (nil: this is the last).
    static func rows(_ views: [CaseView], roles: Set<String>, after: TaskPosition?, now: Date) -> (rows: [[String: Any]], next: TaskPosition?) {
        var rows: [(TaskPosition, [String: Any])] = []
        for view in views {
            let record = view.record, definition = view.definition
            let calendar = definition.calendar
            for item in record.dueItems(definition) where !roles.isDisjoint(with: item.workedBy) {
                let position = TaskPosition(dueAt: item.dueAt.millis, caseID: record.id, item: item.timerName)
                if let after, position <= after { continue }
                var row: [String: Any] = [
                    "caseId": record.id, "reference": record.reference, "workflowTitle": definition.title,
                    "unit": record.text("enhet") ?? "", "title": item.title,
                    "when": SwedishText.moment(item.dueAt, calendar: calendar),
                    "countdown": Countdown.text(to: item.dueAt, now: now, calendar: calendar), "overdue": item.dueAt <= now,
                ]
                switch item.kind {
                case .deadline(let name):
                    row["deadline"] = true
                    row["rowId"] = HTMLIdentifier.make("frist", record.id, name)
                case .checklistItem(let checklist, let id):
                    // Ticked as the first of the caller's roles that is responsible, else may tick.
                    guard let role = (item.roles + item.tickRoles).first(where: roles.contains) else { continue }
                    row["checklist"] = checklist
                    row["item"] = id
                    row["role"] = role
                    row["listTitle"] = definition.checklist(checklist)?.title ?? checklist
                    row["rowId"] = HTMLIdentifier.make("uppgift", record.id, checklist, id)
                }
                rows.append((position, row))
            }
        }
        rows.sort { $0.0 < $1.0 }
        let page = rows.prefix(limit)
        return (page.map(\.1), rows.count > limit ? page.last?.0 : nil)
    }
}
