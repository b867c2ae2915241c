import BevakaCore
import Foundation

/// The store contract: everything the daemon, the application layer, the web pages and
/// the CLI ask of where cases live, by role. ``CaseStore`` meets it on SQLite; a second
/// implementation (PostgreSQL, issue 15) meets the same protocols, with the same
/// guarantees: a returned change is durable, a transition applies exactly once (case
/// versions), a timer fires exactly once, history is append-only and hash-chained.
///
/// Callers above the store hold an `any Store`; nothing above it names SQL.
public typealias Store = WorkflowStore & CaseCommandStore & CaseReadStore & CaseListStore & TimerStore & DeliveryStore
    & RegisterStore & AccessStore & CalendarFeedStore

/// The workflows cases run on, and the store's own health.
public protocol WorkflowStore: Sendable {
    /// The workflows now: the folder's and the stored versions cases still run on.
    var catalog: WorkflowCatalog { get }
    /// Records new workflow versions (SIGHUP), refusing a changed one and changing nothing.
    func reload(_ catalog: WorkflowCatalog) async throws
    /// The workflow version a case runs on, or `workflowVersionMissing`.
    func definition(_ key: WorkflowKey) throws(StoreError) -> WorkflowDefinition
    /// Whether writes reach the disk (readiness and `/metrics` read it).
    var storageHealth: StorageHealth { get }
    /// A write that changes nothing visible, to learn whether storage takes writes again.
    func probeWrite() async throws
    /// Bytes free for the database, where the store can tell.
    func freeDiskBytes() -> Int64?
    /// How changes have been grouped into transactions.
    func writeStatistics() async -> WriteStatistics
    /// Lets go of the database at shutdown, after the last change (what is committed stays).
    func close() async
}

/// The commands that change cases. Each is one transaction; a refusal changes nothing.
public protocol CaseCommandStore: Sendable {
    func openCase(workflow name: String, owner: String, fields: [String: JSONValue], people: [String: JSONValue],
                  unit: String?, contract: String?, actor: Actor, once: IdempotencyClaim<CaseRecord>?) async throws -> CaseRecord
    func applyEvent(caseID: String, event: String, payload: [String: JSONValue], reason: String?,
                    actor: Actor, seen: CaseRecord?, once: IdempotencyClaim<CaseRecord>?) async throws -> CaseRecord
    func migrateCase(_ caseID: String, to version: Int, actor: Actor, reason: String?) async throws -> CaseRecord
    func link(_ caseID: String, to otherID: String, relation: String, actor: Actor, reason: String?,
              once: IdempotencyClaim<CaseLink>?) async throws -> CaseLink
    func importCases(_ rows: [(line: Int, workflow: String, row: ImportedCase)], actor: Actor, dryRun: Bool) async throws -> [CaseRecord]
}

extension CaseCommandStore {
    public func openCase(workflow name: String, owner: String, fields: [String: JSONValue], people: [String: JSONValue] = [:],
                         unit: String? = nil, contract: String? = nil, actor: Actor) async throws -> CaseRecord {
        try await openCase(workflow: name, owner: owner, fields: fields, people: people, unit: unit, contract: contract,
                           actor: actor, once: nil)
    }

    public func applyEvent(caseID: String, event: String, payload: [String: JSONValue], reason: String?,
                           actor: Actor) async throws -> CaseRecord {
        try await applyEvent(caseID: caseID, event: event, payload: payload, reason: reason, actor: actor, seen: nil, once: nil)
    }
}

/// The read side, one case at a time: the case, its history, ledger, notifications and links.
public protocol CaseReadStore: Sendable {
    func caseRecord(id: String) async throws -> CaseRecord
    func history(caseID: String) async throws -> [HistoryRecord]
    func segments(caseID: String) async throws -> [AccrualSegment]
    func notifications(caseID: String) async throws -> [OutboxRecord]
    func links(caseID: String) async throws -> [CaseLink]
}

/// The read side across cases: lists (with their search terms, tasks and parties), counts and reports.
public protocol CaseListStore: Sendable {
    func casesWithTasks(roles: Set<String>, after: TaskPosition?, limit: Int) async throws -> [CaseRecord]
    func listCases(_ filter: CaseFilter, after: String?, limit: Int) async throws -> [CaseRecord]
    func listCasesWithCursors(_ filter: CaseFilter, after: String?, limit: Int) async throws -> [(record: CaseRecord, cursor: CaseCursor)]
    func snapshot() async throws -> StoreSnapshot
    func casesOfWorkflow(_ name: String) async throws -> [CaseRecord]
    func reportCases(contracts: [String]?, texts: [String]) async throws -> [(case: ReportCase, history: [ReportHistoryRow])]
    func deductionCases(events: Set<String>) async throws -> [(record: CaseRecord, segments: [AccrualSegment], history: [ReportHistoryRow])]
}

extension CaseReadStore {
    /// Whether the case's history chain is intact (every hash recomputes and links).
    public func verifyHistory(caseID: String) async throws -> Bool {
        HistoryHasher.chainIsIntact(try await history(caseID: caseID), caseID: caseID)
    }
}

extension CaseListStore {
    /// The cases holding the `limit` soonest items that fall on any of `roles`.
    public func casesWithTasks(roles: Set<String>, limit: Int) async throws -> [CaseRecord] {
        try await casesWithTasks(roles: roles, after: nil, limit: limit)
    }
}

/// Durable timers: the earliest are read from an index, and each is claimed in the
/// transaction that commits its transition.
public protocol TimerStore: Sendable {
    func earliestTimers(dueBefore horizon: Date, limit: Int) async throws -> [ScheduledTimer]
    func pendingTimerCount() async throws -> Int
    /// Works a batch out on a snapshot, outside the writer (a failure leaves a timer to ``fireTimers(_:)``).
    func prepareTimers(ids: [Int64]) async -> PreparedTimers
    /// Claims and applies a batch; one timer that fails is rolled back alone.
    func fireTimers(_ batch: PreparedTimers) async throws -> [Result<TimerOutcome, StoreError>]
    func fireTimer(id: Int64) async throws -> TimerOutcome
}

extension TimerStore {
    /// Fires several due timers, in the order given, in one transaction. One that
    /// fails is rolled back alone (its row stays and it is tried again later) and
    /// the others still apply.
    public func fireTimers(ids: [Int64]) async throws -> [Result<TimerOutcome, StoreError>] {
        try await fireTimers(await prepareTimers(ids: ids))
    }

    /// Fires, in due order and in batches, every timer due at or before
    /// `instant`, including those that the firings schedule in the past.
    /// Returns how many fired.
    @discardableResult
    public func fireDueTimers(upTo instant: Date, batch: Int = 128) async throws -> Int {
        var fired = 0
        while true {
            let due = try await earliestTimers(dueBefore: instant, limit: batch)
            if due.isEmpty { return fired }
            let outcomes = try await fireTimers(ids: due.map(\.id))
            for outcome in outcomes {
                switch outcome {
                case .success(.fired): fired += 1
                case .success: break
                case .failure(let error): throw error
                }
            }
        }
    }
}

/// The outbox turned into deliveries, their attempts and the endpoints switched off.
public protocol DeliveryStore: Sendable {
    func planDeliveries(limit: Int, now: Date, planner: @escaping @Sendable (OutboxRecord) -> [PlannedDelivery]) async throws -> Int
    func dueDeliveries(at now: Date, limit: Int, excluding: Set<Int64>, skippingWebhooks: Set<String>,
                       skippingEmail: Bool) async throws -> [(DeliveryRecord, OutboxRecord?)]
    func nextDeliveryDue() async throws -> Date?
    func recordAttempt(deliveryID: Int64, _ attempt: DeliveryAttempt, decision: DeliveryDecision, now: Date) async throws -> Bool
    func retryDelivery(id: Int64, now: Date) async throws -> DeliveryRecord
    func queueEmail(_ email: ComposedEmail, kind: DeliveryKind, day: String?, now: Date) async throws -> Bool
    func deadlinesDue(by instant: Date) async throws -> [DueDeadline]
    func disableEndpoint(_ name: String, reason: String, now: Date, alerts: [ComposedEmail]) async throws -> Bool
    func enableEndpoint(_ name: String) async throws -> Bool
    func disabledEndpoints() async throws -> [String: (at: Date, reason: String)]
    func deliveries(status: DeliveryStatus?, caseID: String?, before: Int64?, limit: Int) async throws -> [DeliveryRecord]
    func delivery(id: Int64) async throws -> (DeliveryRecord, [DeliveryAttempt])
    func deliveryCounts() async throws -> [DeliveryStatus: Int]
}

extension DeliveryStore {
    /// One page of deliveries of every case, newest first.
    public func deliveries(status: DeliveryStatus?, before: Int64?, limit: Int) async throws -> [DeliveryRecord] {
        try await deliveries(status: status, caseID: nil, before: before, limit: limit)
    }

    /// Plans deliveries for up to 256 outbox rows.
    public func planDeliveries(now: Date, planner: @escaping @Sendable (OutboxRecord) -> [PlannedDelivery]) async throws -> Int {
        try await planDeliveries(limit: 256, now: now, planner: planner)
    }
}

/// Providers, units, contracts and boards, and the traffic light per provider.
public protocol RegisterStore: Sendable {
    func putRegisterItems(_ items: [RegisterItem], lines: [String]?, actor: String, dryRun: Bool) async throws -> [RegisterOutcome]
    func boards() async throws -> [Board]
    func providers() async throws -> [Provider]
    func units(provider: String?) async throws -> [CareUnit]
    func contracts(board: String?, area: String?) async throws -> [Contract]
    func registerItem(kind: String, key: String) async throws -> RegisterItem?
    func registerHistory(kind: String, key: String) async throws -> [RegisterChange]
    func setTrafficLight(provider: String, colour: TrafficLight.Colour, assessedOn: LocalDate, comment: String,
                         actor: String) async throws -> TrafficLight
    func trafficLightHistory(provider: String) async throws -> [TrafficLight]
    func trafficLights() async throws -> [(provider: Provider, light: TrafficLight?, redInGroup: [String])]
}

extension RegisterStore {
    /// Every unit, of every provider.
    public func units() async throws -> [CareUnit] { try await units(provider: nil) }

    /// Every contract, of every board and area.
    public func contracts() async throws -> [Contract] { try await contracts(board: nil, area: nil) }

    /// Puts items into the register, all or nothing: each is checked against the
    /// register and the items before it (a unit's provider, a contract's board and
    /// units); on any problem nothing is written and every problem is thrown, with
    /// `lines[i]` naming where item i came from. Returns how many were created and changed.
    @discardableResult
    public func putRegister(_ items: [RegisterItem], lines: [String]? = nil, actor: String, dryRun: Bool = false) async throws -> (created: Int, changed: Int) {
        let outcomes = try await putRegisterItems(items, lines: lines, actor: actor, dryRun: dryRun)
        return (outcomes.count { $0.change == .created }, outcomes.count { $0.change == .changed })
    }
}

/// Sign-in: logins under way, sessions, API tokens, and the log of who saw which case.
public protocol AccessStore: Sendable {
    func beginLogin(state: String, nonce: String, verifier: String, returnTo: String, lifetime: TimeInterval) async throws
    func takeLogin(state: String) async throws -> LoginRequest?
    func createSession(_ session: StoredSession, secret: String) async throws
    func session(secret: String, idle: TimeInterval, touchEvery: TimeInterval) async throws -> StoredSession?
    func revokeSession(secret: String) async throws -> Bool
    func revokeSessions(subject: String?) async throws -> Int
    func liveSessions() async throws -> [StoredSession]
    func createToken(name: String, role: String, expiresAt: Date?) async throws -> (ApiToken, secret: String)
    func tokens() async throws -> [ApiToken]
    func revokeToken(name: String) async throws -> ApiToken
    func verifyToken(_ presented: String) async throws -> ApiToken?
    func appendAccess(_ entries: [AccessLogEntry]) async throws
    func accessLog(_ query: AccessLogQuery) async throws -> [AccessLogEntry]
}

extension AccessStore {
    /// The live session a secret names, its last-seen time written at most once a minute.
    public func session(secret: String, idle: TimeInterval) async throws -> StoredSession? {
        try await session(secret: secret, idle: idle, touchEvery: 60)
    }
}

/// Calendar feeds at secret URLs, and the entries last published in each (for SEQUENCE).
public protocol CalendarFeedStore: Sendable {
    func createCalendarFeed(subject: String?, identifiers: [String], team: String?, createdBy: String,
                            activeLimit: Int) async throws -> (CalendarFeed, secret: String)
    func calendarFeeds(of subject: String?) async throws -> [CalendarFeed]
    func calendarFeed(id: String) async throws -> CalendarFeed?
    func calendarFeed(secret: String) async throws -> CalendarFeed?
    func renewCalendarFeed(id: String, identifiers: [String]?) async throws -> (CalendarFeed, secret: String)
    func revokeCalendarFeed(id: String) async throws -> CalendarFeed
    func calendarEntries(feedID: String) async throws -> [CalendarEntry]
    func saveCalendarEntries(feedID: String, changed: [CalendarEntry], removed: [String]) async throws
}

extension CaseStore: WorkflowStore, CaseCommandStore, CaseReadStore, CaseListStore, TimerStore, DeliveryStore, RegisterStore, AccessStore,
    CalendarFeedStore {}
