import Foundation

/// A checklist a state opens (WORKFLOWS.md requirement 7): items with the roles
/// responsible for them, each due a set time after the checklist starts (or
/// before or after a date field), some in groups that open only when a
/// condition first holds ("if the unit closes").
public struct ChecklistDefinition: Sendable {
    public let name: String
    public let title: String?
    /// The date field the items' `due` counts from; nil: the moment the checklist opens.
    public let from: String?
    /// Roles that may tick any item, besides each item's own roles.
    public let tickRoles: [String]
    /// How often an overdue item reminds its roles.
    public let remind: OverdueReminders
    public let urgent: Bool
    public let template: String?
    /// Raised by Bevaka when the last open item is ticked.
    public let completes: String?
    public let groups: [ChecklistGroupDefinition]
    public let items: [ChecklistItemDefinition]

    public func item(_ id: String) -> ChecklistItemDefinition? { items.first { $0.id == id } }
    public func group(_ name: String) -> ChecklistGroupDefinition? { groups.first { $0.name == name } }
}

/// Items that open together when `condition` first holds.
public struct ChecklistGroupDefinition: Sendable {
    public let name: String
    public let title: String?
    public let condition: CheckedExpression
}

/// One thing to do, by whom, by when.
public struct ChecklistItemDefinition: Sendable {
    public let id: String
    public let title: String
    /// Responsible roles: they may tick it and are reminded when it is overdue.
    public let roles: [String]
    public let due: ChecklistOffset
    /// The group it belongs to; nil: it opens with the checklist.
    public let group: String?
}

/// When an item falls due relative to its start: `P1D`, `PT4H`, `-P14D`, `-5 working days`.
public struct ChecklistOffset: Sendable, Equatable, CustomStringConvertible {
    public let duration: WorkflowDuration
    /// True for a leading `-`: due that long before the start (a date field, typically a board meeting).
    public let before: Bool

    public init(duration: WorkflowDuration, before: Bool) {
        self.duration = duration
        self.before = before
    }

    public var description: String { (before ? "-" : "") + duration.description }
}
