import Foundation

/// A case as the engine sees it: where it stands, its fields, its pending
/// deadlines and its running accruals. The store persists it; the engine
/// returns a new one for every transition.
public struct CaseRecord: Sendable, Equatable {
    public var id: String
    public var workflow: WorkflowKey
    public var state: String
    public var stateEnteredAt: Date
    /// Counts entries into states; a timer scheduled on entry `n` is stale once this moves on.
    public var stateEntry: Int
    public var owner: String
    public var fields: [String: Value]
    /// Deadlines of the current state that are scheduled (or expired and repeating).
    public var deadlines: [ActiveDeadline]
    /// Each accrual's rate layers and quantity history; segments derive from them.
    public var accruals: [AccrualState]
    /// Checklists opened on the case, open or closed.
    public var checklists: [ChecklistState]
    /// People the case names for its workflow's roles (this unit's verksamhetschef,
    /// the case's lawyer): notifications to a role go to them before the directory.
    public var people: [String: [CasePerson]] = [:]
    /// The register's unit (its HSA-id) and contract the case belongs to, when it names them.
    public var unit: String?
    public var contract: String?
    /// Bumped by the store on every committed change (optimistic concurrency).
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, workflow: WorkflowKey, state: String, stateEnteredAt: Date, stateEntry: Int, owner: String,
                fields: [String: Value], deadlines: [ActiveDeadline], accruals: [AccrualState],
                checklists: [ChecklistState] = [], version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.workflow = workflow
        self.state = state
        self.stateEnteredAt = stateEnteredAt
        self.stateEntry = stateEntry
        self.owner = owner
        self.fields = fields
        self.deadlines = deadlines
        self.accruals = accruals
        self.checklists = checklists
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A person a case names for one of its roles.
public struct CasePerson: Sendable, Equatable, Codable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

extension CaseRecord {
    /// The earliest thing due on the case: a deadline of its state or an unticked item of an open checklist.
    public var nextDueAt: Date? {
        let items = checklists.filter(\.isOpen).flatMap(\.items).filter { !$0.isDone }.compactMap(\.dueAt)
        return (deadlines.map(\.dueAt) + items).min()
    }

    /// What is due by `instant`: the state's deadlines, and open checklist items as
    /// `checklist/item` (the name their timers carry), in due order.
    public func due(by instant: Date) -> [ActiveDeadline] {
        var due = deadlines.filter { $0.dueAt <= instant }
        for checklist in checklists where checklist.isOpen {
            for item in checklist.items where !item.isDone {
                guard let at = item.dueAt, at <= instant else { continue }
                due.append(ActiveDeadline(name: ChecklistState.timerName(checklist: checklist.name, item: item.id), dueAt: at, expired: true, overdueCount: item.overdueCount))
            }
        }
        return due.sorted { $0.dueAt < $1.dueAt }
    }
}

/// A deadline of the current state with its computed due instant.
public struct ActiveDeadline: Sendable, Equatable, Codable {
    public var name: String
    public var dueAt: Date
    public var expired: Bool
    public var overdueCount: Int

    public init(name: String, dueAt: Date, expired: Bool = false, overdueCount: Int = 0) {
        self.name = name
        self.dueAt = dueAt
        self.expired = expired
        self.overdueCount = overdueCount
    }
}

/// What an accrual has been told so far: the rates it has run at and the
/// quantities (e.g. listed patients) in force, each from a date. The ledger's
/// segments are derived from these, so a rate that starts back in time or a
/// quantity reported later is always cut correctly into months.
public struct AccrualState: Sendable, Equatable, Codable {
    public var name: String
    public var layers: [RateLayer]
    /// Quantities in force from each date on, ascending; the first applies from the beginning.
    public var quantities: [QuantityPoint]
    public var currency: String

    public init(name: String, layers: [RateLayer] = [], quantities: [QuantityPoint] = [], currency: String) {
        self.name = name
        self.layers = layers
        self.quantities = quantities
        self.currency = currency
    }

    public var isRunning: Bool { layers.contains { $0.until == nil } }

    /// The stretches at one rate and one quantity, in layer order, then date.
    public var segments: [AccrualSegment] {
        var result: [AccrualSegment] = []
        let points = quantities.isEmpty ? [QuantityPoint(from: .distantPast, quantity: 1)] : quantities
        for layer in layers {
            for (index, point) in points.enumerated() {
                let periodEnd = index + 1 < points.count ? points[index + 1].from : nil
                let start = max(layer.from, point.from)
                let end: LocalDate? = switch (layer.until, periodEnd) {
                case (nil, nil): nil
                case (let a?, nil): a
                case (nil, let b?): b
                case (let a?, let b?): min(a, b)
                }
                if let end, end <= start { continue }
                result.append(AccrualSegment(accrual: name, seq: result.count + 1, from: start, until: end,
                                             rate: layer.rate, quantity: point.quantity, currency: currency))
            }
        }
        return result
    }
}

/// An accrual running at `rate` from `from` until `until` (exclusive), or still running.
public struct RateLayer: Sendable, Equatable, Codable {
    public var from: LocalDate
    public var until: LocalDate?
    public var rate: Decimal

    public init(from: LocalDate, until: LocalDate? = nil, rate: Decimal) {
        self.from = from
        self.until = until
        self.rate = rate
    }
}

/// A quantity in force from a date on.
public struct QuantityPoint: Sendable, Equatable, Codable {
    public var from: LocalDate
    public var quantity: Int

    public init(from: LocalDate, quantity: Int) {
        self.from = from
        self.quantity = quantity
    }
}

/// One stretch of an accrual at one rate and quantity: `[from, until)`.
public struct AccrualSegment: Sendable, Equatable, Codable {
    public var accrual: String
    public var seq: Int
    public var from: LocalDate
    /// Exclusive end; nil while running.
    public var until: LocalDate?
    public var rate: Decimal
    public var quantity: Int
    public var currency: String

    public init(accrual: String, seq: Int, from: LocalDate, until: LocalDate?, rate: Decimal, quantity: Int, currency: String) {
        self.accrual = accrual
        self.seq = seq
        self.from = from
        self.until = until
        self.rate = rate
        self.quantity = quantity
        self.currency = currency
    }
}

/// Who acts: a person in a role, or Bevaka itself (role `system`).
public struct Actor: Sendable, Equatable {
    public var name: String
    public var role: String

    public init(name: String, role: String) {
        self.name = name
        self.role = role
    }

    /// Bevaka acting on an expired deadline.
    public static let bevaka = Actor(name: "bevaka", role: systemRole)
    public var isSystem: Bool { role == systemRole }
}

extension CaseRecord {
    /// The short number people can say on the phone when a case has no diarienummer:
    /// the first eight characters of its id, "3F2A-91C0".
    public static func shortNumber(of id: String) -> String {
        let head = id.uppercased().filter { $0 != "-" }.prefix(8)
        guard head.count == 8 else { return String(head) }
        return "\(head.prefix(4))-\(head.suffix(4))"
    }

    /// What people call the case: its `diarienummer` when set, else its short number.
    public var reference: String {
        if case .string(let number)? = fields["diarienummer"], !number.isEmpty { return number }
        return Self.shortNumber(of: id)
    }

    /// A text field's value (nil when unset or of another type).
    public func text(_ field: String) -> String? {
        if case .string(let text)? = fields[field] { text } else { nil }
    }
}
