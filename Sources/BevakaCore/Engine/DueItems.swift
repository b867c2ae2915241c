import Foundation

/// Something a case has due, and on whom it falls: a deadline of its state (on the
/// roles its notices go to) or an open checklist item with a due time (on the roles
/// responsible for it, and those that may tick it). "Mina ärenden", "Mina uppgifter",
/// the calendars and the writer's `case_tasks` index all read this one list.
public struct DueItem: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case deadline(name: String)
        case checklistItem(checklist: String, item: String)
    }

    public let kind: Kind
    /// The workflow's words for it: the deadline's title (else its state's), the item's title.
    public let title: String
    public let dueAt: Date
    /// The deadline's `notify` roles, or the item's responsible roles.
    public let roles: [String]
    /// For an item, the checklist's `tickRoles` that are not already responsible.
    public let tickRoles: [String]

    /// The name its timer carries: the deadline's, or `checklist/item`.
    public var timerName: String {
        switch kind {
        case .deadline(let name): name
        case .checklistItem(let checklist, let item): ChecklistState.timerName(checklist: checklist, item: item)
        }
    }

    /// The roles it falls on, for a list of what is due per role (not `owner`: what falls
    /// on a case's owner is on "Mina ärenden").
    public var workedBy: Set<String> { Set(roles + tickRoles).subtracting(["owner"]) }
}

extension CaseRecord {
    /// What the case has due, soonest first (ties by timer name, so the order is stable).
    /// A case in a final state has nothing due.
    public func dueItems(_ definition: WorkflowDefinition) -> [DueItem] {
        guard let state = definition.state(self.state), !state.isFinal else { return [] }
        var items: [DueItem] = []
        for active in deadlines {
            let deadline = state.deadlines.first { $0.name == active.name }
            let roles = deadline.map { Array(Set($0.notify.flatMap(\.to))).sorted() } ?? []
            items.append(DueItem(kind: .deadline(name: active.name), title: deadline?.title ?? state.title ?? active.name,
                                 dueAt: active.dueAt, roles: roles, tickRoles: []))
        }
        for checklist in checklists where checklist.isOpen {
            let list = definition.checklist(checklist.name)
            for item in checklist.items where !item.isDone {
                guard let due = item.dueAt else { continue }
                let itemDefinition = list?.item(item.id)
                let roles = itemDefinition?.roles ?? []
                items.append(DueItem(kind: .checklistItem(checklist: checklist.name, item: item.id), title: itemDefinition?.title ?? item.id,
                                     dueAt: due, roles: roles, tickRoles: (list?.tickRoles ?? []).filter { !roles.contains($0) }))
            }
        }
        return items.sorted { ($0.dueAt, $0.timerName) < ($1.dueAt, $1.timerName) }
    }
}
