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
    /// Accrual segments still running.
    public var openSegments: [AccrualSegment]
    public var nextSegment: Int
    /// Bumped by the store on every committed change (optimistic concurrency).
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, workflow: WorkflowKey, state: String, stateEnteredAt: Date, stateEntry: Int, owner: String,
                fields: [String: Value], deadlines: [ActiveDeadline], openSegments: [AccrualSegment], nextSegment: Int,
                version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.workflow = workflow
        self.state = state
        self.stateEnteredAt = stateEnteredAt
        self.stateEntry = stateEntry
        self.owner = owner
        self.fields = fields
        self.deadlines = deadlines
        self.openSegments = openSegments
        self.nextSegment = nextSegment
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
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
