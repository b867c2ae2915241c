import BevakaApplication
import BevakaCore
import Foundation

/// "Mina uppgifter": for people who are not case owners (finance, communications, the
/// lawyer), what falls on their roles: open checklist items they may tick, and the
/// deadlines whose notices go to their roles, soonest first.
enum TaskListPage {
    static func rows(_ views: [CaseView], roles: Set<String>, now: Date) -> [[String: Any]] {
        var rows: [(Date, [String: Any])] = []
        for view in views {
            let record = view.record, definition = view.definition
            let calendar = definition.calendar
            let base: [String: Any] = ["caseId": record.id, "reference": record.reference, "workflowTitle": definition.title,
                                       "unit": record.text("enhet") ?? ""]
            func row(_ title: String, _ due: Date, extra: [String: Any]) -> (Date, [String: Any]) {
                var row = base.merging(extra) { $1 }
                row["title"] = title
                row["when"] = SwedishText.moment(due, calendar: calendar)
                row["countdown"] = Countdown.text(to: due, now: now, calendar: calendar)
                row["overdue"] = due <= now
                return (due, row)
            }
            for deadline in record.deadlines {
                guard let watch = definition.watch(named: deadline.name, in: record.state), !roles.isDisjoint(with: watch.roles) else { continue }
                rows.append(row(watch.title ?? deadline.name, deadline.dueAt, extra: ["deadline": true]))
            }
            for checklist in record.checklists where checklist.isOpen {
                guard let list = definition.checklist(checklist.name) else { continue }
                for item in checklist.items where !item.isDone {
                    guard let itemDefinition = list.item(item.id), let due = item.dueAt,
                          let role = (itemDefinition.roles + list.tickRoles).first(where: roles.contains) else { continue }
                    rows.append(row(itemDefinition.title, due, extra: ["checklist": checklist.name, "item": item.id, "role": role,
                                                                       "listTitle": list.title ?? checklist.name]))
                }
            }
        }
        return rows.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
