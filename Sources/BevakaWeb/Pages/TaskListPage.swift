import BevakaApplication
import BevakaCore
import Foundation

/// "Mina uppgifter": for people who are not case owners (finance, communications, the
/// lawyer), what falls on their roles: open checklist items they may tick, and the
/// deadlines whose notices go to their roles, soonest first.
enum TaskListPage {
    /// How many tasks the page lists (the soonest).
    static let limit = 200

    static func rows(_ views: [CaseView], roles: Set<String>, now: Date) -> [[String: Any]] {
        var rows: [(DueItem, String, [String: Any])] = []
        for view in views {
            let record = view.record, definition = view.definition
            let calendar = definition.calendar
            for item in record.dueItems(definition) where !roles.isDisjoint(with: item.workedBy) {
                var row: [String: Any] = [
                    "caseId": record.id, "reference": record.reference, "workflowTitle": definition.title,
                    "unit": record.text("enhet") ?? "", "title": item.title,
                    "when": SwedishText.moment(item.dueAt, calendar: calendar),
                    "countdown": Countdown.text(to: item.dueAt, now: now, calendar: calendar), "overdue": item.dueAt <= now,
                ]
                switch item.kind {
                case .deadline: row["deadline"] = true
                case .checklistItem(let checklist, let id):
                    // Ticked as the first of the caller's roles that is responsible, else may tick.
                    guard let role = (item.roles + item.tickRoles).first(where: roles.contains) else { continue }
                    row["checklist"] = checklist
                    row["item"] = id
                    row["role"] = role
                    row["listTitle"] = definition.checklist(checklist)?.title ?? checklist
                }
                rows.append((item, record.id, row))
            }
        }
        return rows.sorted { ($0.0.dueAt, $0.1, $0.0.timerName) < ($1.0.dueAt, $1.1, $1.0.timerName) }.prefix(limit).map(\.2)
    }
}
