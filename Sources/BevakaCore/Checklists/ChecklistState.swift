import Foundation

/// A checklist as it stands on one case: when it opened, which groups have
/// opened, and each opened item with its due instant and who ticked it.
public struct ChecklistState: Sendable, Equatable, Codable {
    public var name: String
    public var openedAt: Date
    /// Set when every item is ticked, the case reaches a final state, or it is handed over.
    public var closedAt: Date?
    public var closedBecause: String?
    /// Group name → when its condition first held.
    public var groupsOpened: [String: Date]
    /// Items that have opened, in the definition's order; items of unopened groups are absent.
    public var items: [ChecklistItemState]

    public init(name: String, openedAt: Date, closedAt: Date? = nil, closedBecause: String? = nil,
                groupsOpened: [String: Date] = [:], items: [ChecklistItemState] = []) {
        self.name = name
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.closedBecause = closedBecause
        self.groupsOpened = groupsOpened
        self.items = items
    }

    public var isOpen: Bool { closedAt == nil }

    /// The name a checklist item's timers and due listings carry: `checklist/item`
    /// (``WorkflowDefinition/checklistItem(timerName:)`` reads it back).
    public static func timerName(checklist: String, item: String) -> String { "\(checklist)/\(item)" }

    public func item(_ id: String) -> ChecklistItemState? { items.first { $0.id == id } }
}

/// One opened item.
public struct ChecklistItemState: Sendable, Equatable, Codable {
    public var id: String
    /// Nil while the date field it counts from is unset.
    public var dueAt: Date?
    public var tickedAt: Date?
    public var tickedBy: String?
    public var tickedRole: String?
    public var note: String?
    /// Overdue reminders sent so far.
    public var overdueCount: Int

    public init(id: String, dueAt: Date?, tickedAt: Date? = nil, tickedBy: String? = nil, tickedRole: String? = nil,
                note: String? = nil, overdueCount: Int = 0) {
        self.id = id
        self.dueAt = dueAt
        self.tickedAt = tickedAt
        self.tickedBy = tickedBy
        self.tickedRole = tickedRole
        self.note = note
        self.overdueCount = overdueCount
    }

    public var isDone: Bool { tickedAt != nil }
}

/// How an item stands at a moment, as the API and scenarios report it.
public enum ChecklistItemStatus: String, Sendable {
    /// In a group whose condition has not held yet.
    case waiting
    /// Not ticked and not yet due (or its date field is unset).
    case open
    /// Not ticked and past due.
    case overdue
    /// Ticked.
    case done
}

extension ChecklistState {
    /// The status of every item of the definition, in its order.
    public func statuses(_ definition: ChecklistDefinition, now: Date) -> [(ChecklistItemDefinition, ChecklistItemStatus, ChecklistItemState?)] {
        definition.items.map { item in
            guard let state = self.item(item.id) else { return (item, .waiting, nil) }
            if state.isDone { return (item, .done, state) }
            if let due = state.dueAt, due <= now { return (item, .overdue, state) }
            return (item, .open, state)
        }
    }
}
