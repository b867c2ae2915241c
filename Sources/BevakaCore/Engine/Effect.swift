import Foundation

/// What a transition asks the shell to do, as a value. The store performs
/// all of a transition's effects in the same database transaction.
public enum Effect: Sendable, Equatable {
    case scheduleTimer(TimerSpec)
    /// Cancels the case's timers for one deadline (or one checklist item, `checklist/item`),
    /// or, when nil, every deadline timer of the case (checklist timers stay).
    case cancelTimers(deadline: String?)
    /// Cancels the reminders of every item of a checklist.
    case cancelChecklistTimers(checklist: String)
    /// Opens a new case of another workflow, linked to this one.
    case openCase(OpenCaseEffect)
    case notify(NotificationEffect)
    /// The accrual's ledger segments are now these (replacing what was stored).
    case setSegments(accrual: String, [AccrualSegment])
}

/// A durable timer: a reminder, an expiry or an overdue reminder of one deadline.
public struct TimerSpec: Sendable, Equatable {
    public var caseID: String
    public var dueAt: Date
    public var deadline: String
    public var kind: TimerKind
    /// The case's `stateEntry` when scheduled; a timer from an earlier entry is stale.
    public var stateEntry: Int
    /// The deadline's due instant when scheduled; a timer of a moved deadline is stale.
    public var deadlineDue: Date

    public init(caseID: String, dueAt: Date, deadline: String, kind: TimerKind, stateEntry: Int, deadlineDue: Date) {
        self.caseID = caseID
        self.dueAt = dueAt
        self.deadline = deadline
        self.kind = kind
        self.stateEntry = stateEntry
        self.deadlineDue = deadlineDue
    }
}

public enum TimerKind: Sendable, Equatable, CustomStringConvertible {
    /// The n-th reminder before the deadline (index into the deadline's `remind`).
    case reminder(Int)
    case expiry
    /// The n-th reminder after expiry (1-based).
    case overdue(Int)
    /// A checklist item falls due (its timer's deadline is `checklist/item`).
    case itemDue
    /// The n-th reminder about an overdue checklist item (1-based).
    case itemOverdue(Int)

    public var description: String {
        switch self {
        case .reminder(let i): "reminder:\(i)"
        case .expiry: "expiry"
        case .overdue(let n): "overdue:\(n)"
        case .itemDue: "item-due"
        case .itemOverdue(let n): "item-overdue:\(n)"
        }
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        switch (parts.first, parts.count) {
        case ("expiry", 1): self = .expiry
        case ("reminder", 2): guard let i = Int(parts[1]) else { return nil }; self = .reminder(i)
        case ("overdue", 2): guard let n = Int(parts[1]) else { return nil }; self = .overdue(n)
        case ("item-due", 1): self = .itemDue
        case ("item-overdue", 2): guard let n = Int(parts[1]) else { return nil }; self = .itemOverdue(n)
        default: return nil
        }
    }
}

/// A notification to record in the outbox.
public struct NotificationEffect: Sendable, Equatable {
    /// Dotted type, e.g. `case.deadline.reminder`.
    public var type: String
    /// Roles; `owner` is the case owner.
    public var recipients: [String]
    public var webhooks: [String]
    public var template: String?
    public var urgent: Bool
    public var deadline: String?
    public var dueAt: Date?
    public var event: String?
    /// The state the case is in once the transition is done.
    public var state: String
    /// Which of the transition's history entries this notification belongs to.
    public var historyIndex: Int = 0

    public init(type: String, recipients: [String], webhooks: [String], template: String?, urgent: Bool,
                deadline: String? = nil, dueAt: Date? = nil, event: String? = nil, state: String) {
        self.type = type
        self.recipients = recipients
        self.webhooks = webhooks
        self.template = template
        self.urgent = urgent
        self.deadline = deadline
        self.dueAt = dueAt
        self.event = event
        self.state = state
    }
}

/// A case to open in another workflow, linked to the case whose transition asked for it.
public struct OpenCaseEffect: Sendable, Equatable {
    public var workflow: String
    public var relation: String
    public var owner: String
    public var fields: [String: JSONValue]
}

/// One line of a case's history.
public struct HistoryEntry: Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var role: String
    /// A workflow event name, or `case.opened`, `deadline.reminder`, `deadline.expired`, `deadline.overdue`.
    public var event: String
    public var fromState: String?
    public var toState: String
    public var payload: JSONValue
    public var reason: String?
    /// What else happened: deadlines set or moved, accruals started or stopped.
    public var notes: [String]
    /// When the event took effect, where it says so and it differs from `at` (when it was registered).
    public var effectiveAt: Date?

    public init(at: Date, actor: String, role: String, event: String, fromState: String?, toState: String,
                payload: JSONValue, reason: String?, notes: [String]) {
        self.at = at
        self.actor = actor
        self.role = role
        self.event = event
        self.fromState = fromState
        self.toState = toState
        self.payload = payload
        self.reason = reason
        self.notes = notes
    }
}

/// The engine's answer: the case after the change, what to do, and what to record.
public struct Transition: Sendable {
    public var record: CaseRecord
    public var effects: [Effect]
    public var history: [HistoryEntry]
    /// Set when the case is to move into another workflow: the catalog completes
    /// the move with that workflow's engine (``WorkflowCatalog/complete(_:from:now:actor:newCaseID:)``,
    /// ``Engine/receive(_:from:now:actor:)``) before the store writes it.
    public var handOver: HandOverTarget?

    public init(record: CaseRecord, effects: [Effect], history: [HistoryEntry], handOver: HandOverTarget? = nil) {
        self.record = record
        self.effects = effects
        self.history = history
        self.handOver = handOver
    }
}
