import Foundation

/// A workflow as loaded from `Workflows/NAME.yaml`: typed, checked, immutable.
///
/// Built only by ``WorkflowLoader``, which refuses a file with any problem, so
/// the engine can trust every name and expression in it.
public struct WorkflowDefinition: Sendable {
    /// The workflow's name, e.g. `kalmar-sanktionstrappa`.
    public let name: String
    /// The file's `version`; a case stays on the version it started with.
    public let version: Int
    public let title: String
    public let description: String?
    /// Working days and Europe/Stockholm time.
    public let calendar: SwedishCalendar
    /// The local time at which a date-only deadline falls due (default 17:00).
    public let dueTime: LocalTime
    /// Roles that may appear in `roles:` of events and `to:` of notifications.
    public let roles: [RoleDefinition]
    public let fields: [FieldDefinition]
    public let derived: [DerivedValue]
    public let events: [String: EventDefinition]
    /// States in file order; exactly one is initial.
    public let states: [StateDefinition]
    /// Transitions accepted in every non-final state (e.g. updating the number of listed patients).
    public let anyState: [String: [TransitionDefinition]]
    /// The roles that may annul a registered event (`corrections: [roles]`); none: nobody may.
    public var correctionRoles: [String] = []
    /// Which events the boards' reports count as what (`reporting:`); words for the
    /// reports, not rules of how a case moves.
    public var reporting: [ReportCategory: Set<String>] = [:]
    public let accruals: [AccrualDefinition]
    /// Checklists that states open (the sudden-termination checklist is the model).
    public let checklists: [ChecklistDefinition]
    /// Where the definition came from, for messages.
    public let sourcePath: String
    /// The file's text: the store keeps it so cases outlive the file.
    public let source: String
    /// The content without comments or layout (key-sorted JSON of the YAML):
    /// two files with the same canonical form define the same workflow.
    public let canonicalForm: String

    public var initialState: StateDefinition { states.first { $0.isInitial }! }

    public func state(_ name: String) -> StateDefinition? { states.first { $0.name == name } }
    public func field(_ name: String) -> FieldDefinition? { fields.first { $0.name == name } }
    public func checklist(_ name: String) -> ChecklistDefinition? { checklists.first { $0.name == name } }

    /// What a due moment named `name` stands for while the case is in `state`: a
    /// deadline of that state, or a checklist item (`checklist/item`). Nil when neither.
    public func watch(named name: String, in state: String) -> Watch? {
        if let deadline = self.state(state)?.deadlines.first(where: { $0.name == name }) {
            return Watch(title: deadline.title, roles: deadline.notify.flatMap(\.to), isChecklistItem: false)
        }
        return checklistItem(timerName: name).map { Watch(title: $0.title, roles: $0.roles, isChecklistItem: true) }
    }

    /// A deadline or checklist item as messages name it and digests address it.
    public struct Watch: Sendable {
        public let title: String?
        /// The deadline's `notify` roles, or the item's responsible roles.
        public let roles: [String]
        public let isChecklistItem: Bool
    }

    /// The item a checklist timer (`checklist/item`) stands for.
    public func checklistItem(timerName: String) -> ChecklistItemDefinition? {
        let parts = timerName.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return checklist(parts[0])?.item(parts[1])
    }

    /// The key under which a case records its workflow: `name@version`.
    public var key: WorkflowKey { WorkflowKey(name: name, version: version) }

    /// The transitions an event may take from `state`: the state's own, else the any-state ones.
    public func transitions(for event: String, in state: StateDefinition) -> [TransitionDefinition]? {
        if let own = state.transitions[event] { return own }
        if !state.isFinal, let shared = anyState[event] { return shared }
        return nil
    }

    /// Every transition of the workflow: the states' and the any-state ones.
    public var allTransitions: [TransitionDefinition] {
        states.flatMap { $0.transitions.values.flatMap { $0 } } + anyState.values.flatMap { $0 }
    }

    /// Events accepted in `state`, sorted by name.
    public func acceptedEvents(in state: StateDefinition) -> [String] {
        var names = Set(state.transitions.keys)
        if !state.isFinal { names.formUnion(anyState.keys) }
        return names.sorted()
    }

    /// What every expression may read besides fields: the time it is evaluated at
    /// (`today`, `now`) and the time the event being applied took effect
    /// (`effectiveDate`, `effectiveAt`; the same as today and now unless the event says otherwise).
    public static let timeNames: [String: ValueType] = ["today": .date, "now": .datetime, "effectiveDate": .date, "effectiveAt": .datetime]

    /// The names and types an expression in this workflow may read.
    public var expressionNames: [String: ValueType] {
        var names = Self.timeNames
        for field in fields { names[field.name] = field.type }
        for value in derived { names[value.name] = value.expression.type }
        return names
    }
}

/// Identifies one version of a workflow.
public struct WorkflowKey: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let version: Int
    public init(name: String, version: Int) {
        self.name = name
        self.version = version
    }
    public var description: String { "\(name)@\(version)" }
}

/// A role that can be told things or decide things (e.g. `handlaggare`).
public struct RoleDefinition: Sendable {
    public let name: String
    public let title: String
}

/// A typed case field.
public struct FieldDefinition: Sendable {
    public let name: String
    public let title: String?
    public let type: ValueType
    /// Must be given when the case is opened.
    public let required: Bool
    public let minimum: Decimal?
    public let maximum: Decimal?
    public let defaultValue: Value?
    /// Personal data (e.g. patient details): kept out of notifications, shown
    /// only to `personalRoles`, and every read of a case holding it is logged.
    public var personal: Bool { !personalRoles.isEmpty }
    /// The roles that may see this field (`personal: [roles]`; `personal: true`
    /// names every role of the workflow). Empty for a field that is not personal.
    public let personalRoles: Set<String>
    /// Whoever opens a case may give this field. False for a field that an event
    /// sets (a decision is its event's, under the event's mandate) unless the
    /// workflow says `atOpening: true` or requires the field at opening.
    public internal(set) var settableAtOpening = true
    /// What people read for an enum value (`valueTitles: { rod: röd }`); a value
    /// without a title is shown as itself. Words, not rules: changing them needs no new version.
    public let valueTitles: [String: String]

    /// A date or datetime that is a booked meeting or visit (`meeting: true`, e.g. the next
    /// follow-up meeting): calendar feeds show it as an event of its own. Words, not rules:
    /// marking a field so needs no new version.
    public let meeting: Bool

    /// An enum value as a person reads it.
    public func title(ofValue value: String) -> String { valueTitles[value] ?? value }
}

/// A value computed from fields by an expression, e.g. Kalmar's colour.
public struct DerivedValue: Sendable {
    public let name: String
    public let expression: CheckedExpression
}

/// Who may fire an event, what it carries, and whether it needs a reason.
public struct EventDefinition: Sendable {
    public let name: String
    public let title: String?
    /// Roles allowed to fire it over the API. Empty: only Bevaka itself (a deadline) raises it.
    public let roles: [String]
    /// Fields the payload may set; `required` ones must be present.
    public let payload: [PayloadEntry]
    public let reason: ReasonRequirement
    /// The payload field (a date or datetime) that says when the event took effect
    /// (`effective: inkom`): the plan's arrival, the board's meeting. Nil: it took
    /// effect when it was registered.
    public var effective: String? = nil

    public var isSystemOnly: Bool { roles.isEmpty }

    public struct PayloadEntry: Sendable {
        public let field: String
        public let required: Bool
    }

    public enum ReasonRequirement: String, Sendable {
        case none, optional, required
    }
}

/// The role Bevaka acts in when a deadline raises an event.
public let systemRole = "system"

/// A state of the case's state machine.
public struct StateDefinition: Sendable {
    public let name: String
    public let title: String?
    public let isInitial: Bool
    public let isFinal: Bool
    public let deadlines: [DeadlineDefinition]
    /// Event name → candidate transitions, tried in order; the first whose guard holds is taken.
    public let transitions: [String: [TransitionDefinition]]
    /// Sent every time the case enters this state.
    public let onEnter: [NotificationDefinition]
    /// Checklists opened on entry (one already open stays as it is).
    public let checklists: [String]
}

/// One way an event can move a case.
public struct TransitionDefinition: Sendable {
    public let event: String
    /// When nil the transition is unconditional.
    public let guardExpression: CheckedExpression?
    /// The target state; nil means stay (deadlines are recomputed, not restarted).
    public let target: String?
    /// Fields set from expressions after the payload is applied, in file order.
    public let assignments: [Assignment]
    public let notifications: [NotificationDefinition]
    /// `required`: this branch needs a reason even if the event does not (skipping a ladder step).
    public let reason: EventDefinition.ReasonRequirement
    /// Instead of a target state: the case moves into another workflow, keeping its id and history.
    public let handOver: HandOverTarget?
    /// Besides its own effect, the transition opens a new case of another workflow linked to this one.
    public let opens: OpenCaseDefinition?
    /// What normally holds (`normally:`, a soft guard): outside it the transition is
    /// still taken, but only with a reason, which the history keeps with a note.
    public var normally: CheckedExpression? = nil
    /// Who owns the case once it is handed over (`handOver: {…, owner: "expression"}`);
    /// nil, or a value that is not set: the owner stays.
    public var handOverOwner: CheckedExpression? = nil

    public struct Assignment: Sendable {
        public let field: String
        public let expression: CheckedExpression
    }
}

/// Where a handed-over case goes: another workflow's newest version, at `state` or its initial state.
public struct HandOverTarget: Sendable, Equatable {
    public let workflow: String
    public let state: String?
    /// Where it is written (`line:column`), for the catalog's cross-file checks.
    public let line: Int
    public let column: Int

    public init(workflow: String, state: String?, line: Int = 1, column: Int = 1) {
        self.workflow = workflow
        self.state = state
        self.line = line
        self.column = column
    }
}

/// A case a transition opens in another workflow, with fields computed from this case.
public struct OpenCaseDefinition: Sendable {
    public let workflow: String
    /// The link's name on both cases, e.g. `indikation`.
    public let relation: String
    public let fields: [TransitionDefinition.Assignment]
    public let line: Int
    public let column: Int
}

/// When a deadline falls due.
public enum DeadlineAnchor: Sendable {
    /// On the date in a date field (at the workflow's due time), or at a datetime field's instant.
    case field(String)
    /// A duration after the case entered the state.
    case afterEntry(WorkflowDuration)
    /// A duration after the date in a date field.
    case afterField(WorkflowDuration, String)

    /// The field the deadline depends on, if any.
    public var field: String? {
        switch self {
        case .field(let f), .afterField(_, let f): f
        case .afterEntry: nil
        }
    }
}

/// A deadline held while the case is in a state.
public struct DeadlineDefinition: Sendable {
    public let name: String
    public let title: String?
    public let anchor: DeadlineAnchor
    /// Local due time for date-only deadlines; nil: the workflow's `dueTime`.
    public let time: LocalTime?
    /// Reminders this long before the due instant.
    public let reminders: [WorkflowDuration]
    /// Who is told on reminders and on expiry.
    public let notify: [NotificationDefinition]
    /// Event raised by Bevaka when the deadline expires.
    public let raises: String?
    /// Repeated reminders after expiry while the case stays in the state.
    public let overdue: OverdueReminders?
}

/// Reminders after expiry: `every` first, then `then` after `switchAfter` repetitions.
public struct OverdueReminders: Sendable {
    public let every: WorkflowDuration
    public let times: Int
    public let then: WorkflowDuration?
}

/// A notification recorded in the outbox (delivery is the DeliveryService's job).
public struct NotificationDefinition: Sendable {
    /// Roles (`owner` is the case owner) to tell.
    public let to: [String]
    /// Named webhook endpoints (configured outside the workflow).
    public let webhooks: [String]
    /// Template name, a file beside the workflows (Swedish first).
    public let template: String?
    /// Dotted event type, e.g. `case.escalated`; a default is chosen by where it stands.
    public let type: String?
    /// Urgent notifications are not held to office hours.
    public let urgent: Bool
}

/// A running amount that accrues per month while a condition holds (Kalmar's sanction).
public struct AccrualDefinition: Sendable {
    public let name: String
    public let title: String?
    /// States in which it may accrue; empty: any state.
    public let states: [String]
    /// Further condition; nil: always while in `states`.
    public let condition: CheckedExpression?
    /// The date it accrues from (inclusive) when it starts or its rate changes.
    public let from: CheckedExpression
    /// The date it stops (exclusive) when it ends; nil: the day of the ending event.
    public let until: CheckedExpression?
    /// Amount per unit and period.
    public let rate: CheckedExpression
    /// Units (e.g. listed patients); nil: 1.
    public let quantity: CheckedExpression?
    public let proration: Proration
    public let onRateChange: RateChangePolicy
    public let quantityChangesFrom: QuantityChangeDate
    public let currency: String

    public enum Proration: String, Sendable {
        /// A part month accrues by days: rate × days / days in the month.
        case days
        /// Every month touched accrues in full.
        case wholeMonths = "whole-months"
    }

    public enum RateChangePolicy: String, Sendable {
        /// The new rate replaces the old one from the new `from` date.
        case replace
        /// The new rate accrues in addition to the old one.
        case add
    }

    public enum QuantityChangeDate: String, Sendable {
        /// A new quantity applies from the first day of the month it is reported in.
        case monthStart = "month-start"
        /// A new quantity applies from the day it is reported.
        case eventDate = "event-date"
    }
}

/// A notification as written somewhere in a workflow, for checks that look at all of them.
public struct NotificationUse: Sendable {
    public let notification: NotificationDefinition
    /// Where it is written, for messages: `state vantarHandlingsplan, deadline handlingsplan`.
    public let place: String
    /// Sent on a deadline's reminder or expiry (its template may use `deadline`).
    public let fromDeadline: Bool
}

extension WorkflowDefinition {
    /// Every notification of the workflow, in file order.
    public var notificationUses: [NotificationUse] {
        var uses: [NotificationUse] = []
        func add(_ transitions: [String: [TransitionDefinition]], place: String) {
            for event in transitions.keys.sorted() {
                for transition in transitions[event]! {
                    uses += transition.notifications.map { NotificationUse(notification: $0, place: "\(place), event \(event)", fromDeadline: false) }
                }
            }
        }
        for state in states {
            uses += state.onEnter.map { NotificationUse(notification: $0, place: "state \(state.name), onEnter", fromDeadline: false) }
            for deadline in state.deadlines {
                uses += deadline.notify.map {
                    NotificationUse(notification: $0, place: "state \(state.name), deadline \(deadline.name)", fromDeadline: true)
                }
            }
            add(state.transitions, place: "state \(state.name)")
        }
        add(anyState, place: "anyState")
        for checklist in checklists {
            let roles = Array(Set(checklist.items.flatMap(\.roles))).sorted()
            let reminder = NotificationDefinition(to: roles, webhooks: [], template: checklist.template,
                                                  type: "case.checklist.overdue", urgent: checklist.urgent)
            uses.append(NotificationUse(notification: reminder, place: "checklist \(checklist.name), overdue items", fromDeadline: true))
        }
        return uses
    }
}

/// What the boards' reports count (seed 000 ch. 2.3, "Återrapportering").
public enum ReportCategory: String, Sendable, CaseIterable, Hashable {
    /// A provider was asked for an action plan.
    case actionPlanRequested
    /// An action plan, or its follow-up, was approved.
    case actionPlanApproved
    /// An action plan was not approved or did not come in.
    case actionPlanRejected
    /// A measure beyond action plans: a formal demand, a sanction, withheld payment, termination.
    case measureBeyondPlan
    /// The case was handed to in-depth follow-up.
    case handedToInDepth
    /// Payment to the provider was withheld (finance's deduction list shows it per month).
    case paymentWithheld
    /// Withheld payment was released.
    case paymentReleased

    /// As the report's column says it.
    public var title: String {
        switch self {
        case .actionPlanRequested: "Begäran om handlingsplan"
        case .actionPlanApproved: "Godkända handlingsplaner"
        case .actionPlanRejected: "Underkända eller uteblivna handlingsplaner"
        case .measureBeyondPlan: "Åtgärder utöver handlingsplan"
        case .handedToInDepth: "Överlämnade till fördjupad uppföljning"
        case .paymentWithheld: "Ersättning innehållen"
        case .paymentReleased: "Innehållen ersättning frisläppt"
        }
    }
}
