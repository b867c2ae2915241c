import BevakaCore
import BevakaStore
import Foundation

/// The JSON shapes of checklists and links.
enum ChecklistRepresentation {
    static func instant(_ date: Date?) -> JSONValue { date.map { .string(SwedishCalendar.isoUTCString($0)) } ?? .null }
    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// Every checklist opened on the case, with each item's status at `now`.
    static func checklists(_ record: CaseRecord, definition: WorkflowDefinition, now: Date) -> JSONValue {
        .array(record.checklists.compactMap { checklist in
            definition.checklist(checklist.name).map { checklistJSON(checklist, $0, calendar: definition.calendar, now: now) }
        })
    }

    static func checklistJSON(_ checklist: ChecklistState, _ definition: ChecklistDefinition, calendar: SwedishCalendar,
                              now: Date) -> JSONValue {
        let statuses = checklist.statuses(definition, now: now)
        var counts: [String: JSONValue] = [:]
        for status in [ChecklistItemStatus.done, .overdue, .open, .waiting] {
            counts[status.rawValue] = .int(statuses.filter { $0.1 == status }.count)
        }
        let groups: [JSONValue] = definition.groups.map { group in
            .object(["name": .string(group.name), "title": text(group.title), "when": .string(group.condition.source),
                     "openedAt": instant(checklist.groupsOpened[group.name])])
        }
        let items: [JSONValue] = statuses.map { item, status, state in itemJSON(item, status, state, calendar: calendar) }
        var object: [String: JSONValue] = [:]
        object["name"] = .string(checklist.name)
        object["title"] = text(definition.title)
        object["open"] = .bool(checklist.isOpen)
        object["openedAt"] = instant(checklist.openedAt)
        object["closedAt"] = instant(checklist.closedAt)
        object["closedBecause"] = text(checklist.closedBecause)
        object["total"] = .int(definition.items.count)
        object["counts"] = .object(counts)
        object["groups"] = .array(groups)
        object["items"] = .array(items)
        return .object(object)
    }

    static func itemJSON(_ item: ChecklistItemDefinition, _ status: ChecklistItemStatus, _ state: ChecklistItemState?,
                         calendar: SwedishCalendar) -> JSONValue {
        var object: [String: JSONValue] = [:]
        object["id"] = .string(item.id)
        object["title"] = .string(item.title)
        object["roles"] = .array(item.roles.map(JSONValue.string))
        object["group"] = text(item.group)
        object["due"] = .string(item.due.description)
        object["status"] = .string(status.rawValue)
        object["dueAt"] = instant(state?.dueAt)
        object["dueAtLocal"] = text(state?.dueAt.map(calendar.isoLocalString))
        object["tickedAt"] = instant(state?.tickedAt)
        object["tickedBy"] = text(state?.tickedBy)
        object["tickedRole"] = text(state?.tickedRole)
        object["note"] = text(state?.note)
        object["reminders"] = .int(state?.overdueCount ?? 0)
        return .object(object)
    }

    static func link(_ link: CaseLink) -> JSONValue {
        .object([
            "case": .string(link.linkedCaseID),
            "relation": .string(link.relation),
            "createdAt": .string(SwedishCalendar.isoUTCString(link.createdAt)),
        ])
    }
}
