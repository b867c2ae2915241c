import BevakaCore
import BevakaStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Cases on PostgreSQL, for several daemons on one database: the store contract's
/// workflow, command, single-case read, timer, access, calendar and register roles
/// (``WorkflowStore``, ``CaseCommandStore``, ``CaseReadStore``, ``TimerStore``,
/// ``AccessStore``, ``CalendarFeedStore``, ``RegisterStore``).
///
/// Every change is one PostgreSQL transaction that first locks the case row
/// (`SELECT … FOR UPDATE`) and works the engine out on the case as it is there, so a
/// change is applied exactly once whichever node takes it, and the history chain
/// grows one row at a time. Timers are claimed with `FOR UPDATE SKIP LOCKED` in the
/// transaction that commits their transitions: each fires on one node, and a node
/// that dies mid-batch loses nothing (its transaction rolls back and the rows stay).
/// A commit that schedules timers sends `NOTIFY bevaka_timers`, which wakes the
/// TimerService of every node.
public final class PostgresStore: WorkflowStore {
    /// The workflows cases run on, recorded in `workflow_versions`.
    public let workflows: WorkflowRegistry
    public var catalog: WorkflowCatalog { workflows.catalog }
    public let storageHealth = StorageHealth()
    let client: PostgresClient
    let logger: Logger
    let now: @Sendable () -> Date
    let onCommit: @Sendable ([ScheduledTimer]) -> Void
    let writer: PostgresTransitionWriter
    /// How long a claim on a delivery lasts (``PostgresSettings/deliveryLease``).
    let deliveryLease: TimeInterval
    /// How many transactions a batch of timers is fired in at once: up to four, leaving the
    /// timer listener's connection and one for requests.
    let timerParallelism: Int
    private let statistics = Mutex(WriteStatistics())
    private let tasks: Mutex<[Task<Void, Never>]>

    /// The channel a commit that scheduled timers notifies, with the earliest as `id:dueMillis`.
    static let timerChannel = "bevaka_timers"

    /// Connects, runs the migrations (one node at a time) and records the workflow versions.
    ///
    /// - Parameter onCommit: called with the timers a commit scheduled, on this node after its own
    ///   commits and on every node when another node's commit notifies (the earliest of them).
    public static func open(_ settings: PostgresSettings, catalog: WorkflowCatalog, logger: Logger = Logger(label: "bevaka.postgres"),
                            now: @escaping @Sendable () -> Date = { Date() },
                            onCommit: @escaping @Sendable ([ScheduledTimer]) -> Void = { _ in }) async throws -> PostgresStore {
        let client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
        let running = Task { await client.run() }
        // Let the run task start before the first lease (postgres-nio warns about a lease before run()).
        for _ in 0..<8 { await Task.yield() }
        do {
            try await PostgresSchema.migrate(client, logger: logger)
            let reconciled = try await reconcile(catalog, client: client, logger: logger, now: now())
            let store = PostgresStore(client: client, running: running, workflows: WorkflowRegistry(reconciled: reconciled),
                                      deliveryLease: settings.deliveryLease, connections: settings.connections, logger: logger,
                                      now: now, onCommit: onCommit)
            store.listenForTimers()
            return store
        } catch {
            running.cancel()
            await running.value
            throw error
        }
    }

    private init(client: PostgresClient, running: Task<Void, Never>, workflows: WorkflowRegistry, deliveryLease: TimeInterval, connections: Int,
                 logger: Logger,
                 now: @escaping @Sendable () -> Date, onCommit: @escaping @Sendable ([ScheduledTimer]) -> Void) {
        self.client = client
        self.workflows = workflows
        self.logger = logger
        self.now = now
        self.onCommit = onCommit
        self.writer = PostgresTransitionWriter(logger: logger)
        self.deliveryLease = deliveryLease
        self.timerParallelism = max(1, min(4, connections - 2))
        self.tasks = Mutex([running])
    }

    /// Closes the connections (what is committed stays; nothing is half written).
    public func close() async {
        let tasks = self.tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in tasks.reversed() {
            task.cancel()
            await task.value
        }
    }

    // MARK: Workflows

    /// Records the folder's versions (refusing a changed one) and returns them with the stored versions cases run on.
    private static func reconcile(_ catalog: WorkflowCatalog, client: PostgresClient, logger: Logger,
                                  now: Date) async throws -> WorkflowCatalog {
        try await PostgresTransaction.run(client, logger: logger) { connection in
            // One node at a time, so two that start together do not both insert a version.
            try await connection.run("LOCK TABLE workflow_versions IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            var stored: [WorkflowKey: WorkflowVersions.Stored] = [:]
            for row in try await connection.rows("SELECT name, version, sha256, source FROM workflow_versions", logger: logger) {
                stored[WorkflowKey(name: try row.value("name"), version: try row.value("version"))] =
                    WorkflowVersions.Stored(sha256: try row.value("sha256"), source: try row.value("source"))
            }
            for change in try WorkflowVersions.changes(recording: catalog, stored: { stored[$0] }) {
                switch change {
                case .insert(let definition, let digest):
                    try await connection.run("""
                        INSERT INTO workflow_versions (name, version, source, sha256, first_loaded_at)
                        VALUES (\(definition.name), \(definition.version), \(definition.source), \(digest), \(now.millis))
                        """, logger: logger)
                case .update(let definition, let digest):
                    try await connection.run("""
                        UPDATE workflow_versions SET source = \(definition.source), sha256 = \(digest)
                        WHERE name = \(definition.name) AND version = \(definition.version)
                        """, logger: logger)
                }
            }
            let inUse = try await connection.rows("""
                SELECT name, version, source FROM workflow_versions w
                WHERE EXISTS (SELECT 1 FROM cases c WHERE c.workflow = w.name AND c.workflow_version = w.version)
                """, logger: logger)
            return try WorkflowVersions.catalog(catalog, keeping: inUse.map {
                (WorkflowKey(name: try $0.value("name"), version: try $0.value("version")), try $0.value("source"))
            })
        }
    }

    public func reload(_ catalog: WorkflowCatalog) async throws {
        workflows.replace(with: try await Self.reconcile(catalog, client: client, logger: logger, now: now()))
    }

    public func definition(_ key: WorkflowKey) throws(StoreError) -> WorkflowDefinition {
        try workflows.definition(key)
    }

    // MARK: Health

    /// A write through the pool that changes nothing visible: the server takes writes.
    public func probeWrite() async throws {
        try await perform(nil) { connection in
            try await connection.run("CREATE TEMPORARY TABLE IF NOT EXISTS bevaka_probe (x integer) ON COMMIT DROP", logger: self.logger)
            try await connection.run("INSERT INTO bevaka_probe VALUES (1)", logger: self.logger)
            return ((), [])
        }
    }

    /// The database server's disk is not this machine's to measure.
    public func freeDiskBytes() -> Int64? { nil }

    public func writeStatistics() async -> WriteStatistics { statistics.withLock { $0 } }

    // MARK: Transactions

    /// Runs `work` in one transaction (tried again after a deadlock), keeping `claim`'s key
    /// and answer in the same transaction: a key used before throws ``StoreError/replayed(_:)``
    /// or ``StoreError/idempotencyKeyReused(_:)`` and changes nothing. After the commit, this
    /// node's TimerService hears of the timers scheduled, and the others by NOTIFY (sent in the
    /// transaction, so delivered only if it commits).
    ///
    /// - Parameter notifying: whether the commit is told to `onCommit` (a change to cases: its timers
    ///   and outbox rows wake the services). The deliveries' own bookkeeping is not: the
    ///   DeliveryService would be woken by its own writes and never sleep.
    func perform<R: Sendable>(_ claim: IdempotencyClaim<R>?, notifying: Bool = true,
                              _ work: @escaping @Sendable (PostgresConnection) async throws -> (R, [ScheduledTimer])) async throws -> R {
        let (result, timers): (R, [ScheduledTimer])
        do {
            (result, timers) = try await PostgresTransaction.run(client, logger: logger) { connection in
                if let claim {
                    // Two nodes given the same key at once: the second waits here, then finds the first's answer.
                    try await connection.run("SELECT pg_advisory_xact_lock(hashtextextended(\(claim.scope + "\u{1}" + claim.key), 0))",
                                             logger: self.logger)
                    if let row = try await connection.firstRow("""
                        SELECT fingerprint, status, body, location FROM idempotency_keys WHERE scope = \(claim.scope) AND key = \(claim.key)
                        """, logger: self.logger) {
                        guard try row.value("fingerprint", as: String.self) == claim.fingerprint else {
                            throw StoreError.idempotencyKeyReused(claim.key)
                        }
                        throw StoreError.replayed(StoredResponse(status: try row.value("status"), body: try row.value("body"),
                                                                 location: try row.value("location")))
                    }
                }
                let (result, timers) = try await work(connection)
                if let claim {
                    let response = claim.render(result)
                    let now = self.now()
                    try await connection.run("""
                        DELETE FROM idempotency_keys WHERE created_at < \(now.addingTimeInterval(-CaseStore.idempotencyWindow).millis)
                        """, logger: self.logger)
                    try await connection.run("""
                        INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, location, created_at)
                        VALUES (\(claim.scope), \(claim.key), \(claim.fingerprint), \(response.status), \(response.body),
                            \(response.location), \(now.millis))
                        """, logger: self.logger)
                }
                if let earliest = timers.min(by: { $0.dueAt < $1.dueAt }) {
                    try await connection.run("SELECT pg_notify(\(Self.timerChannel), \("\(earliest.id):\(earliest.dueAt.millis)"))",
                                             logger: self.logger)
                }
                return (result, timers)
            }
        } catch let error as any StorageFailing where error.isStorageFailure {
            // The server cannot take writes now (out of reach, shut down, out of disk, a read-only standby
            // after a failover): storage, not the request.
            storageHealth.recordFailure("\(error)")
            throw error
        }
        storageHealth.recordCommit()
        statistics.withLock { statistics in
            statistics.transactions += 1
            statistics.changes += 1
            statistics.largestBatch = max(statistics.largestBatch, 1)
        }
        if notifying { onCommit(timers) }
        return result
    }

    /// Runs reads on a pooled connection; what the server refuses is thrown as a ``PostgresServerError``.
    /// A read that fails because its pooled connection was closed under it (the server terminated it
    /// or a failover cut it while it sat idle) is tried once more on a fresh one: reading twice changes nothing.
    func read<R: Sendable>(_ work: @escaping @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        do {
            return try await client.withBoundedConnection { connection in try await work(connection) }
        } catch let error as any StorageFailing where error.isStorageFailure && !(error is PostgresUnreachable) {
            logger.debug("PostgreSQL read tried again on another connection: \(error)")
            return try await client.withBoundedConnection { connection in try await work(connection) }
        }
    }

    /// Reads and locks a case row for the rest of the transaction, with its workflow version.
    func lockCase(_ id: String, on connection: PostgresConnection) async throws -> (CaseRecord, WorkflowDefinition) {
        guard let row = try await connection.firstRow("SELECT * FROM cases WHERE id = \(id) FOR UPDATE", logger: logger) else {
            throw StoreError.caseNotFound(id)
        }
        return try record(from: row)
    }

    func record(from row: PostgresRandomAccessRow) throws -> (CaseRecord, WorkflowDefinition) {
        let definition = try definition(try row.workflowKey)
        return (try StoredFields.record(try row.caseColumns(), definition: definition), definition)
    }

    /// A transition completed by the engines of the workflows it involves, ready to write.
    func completed(_ transition: Transition, from source: WorkflowDefinition, now: Date, actor: Actor) throws -> CompletedTransition {
        do {
            return try catalog.complete(transition, from: source, now: now, actor: actor, newCaseID: { CaseIDs.make(at: now) })
        } catch {
            throw StoreError.engine(error)
        }
    }

    // MARK: Timers across nodes

    /// Listens on ``timerChannel`` on a connection of its own, and tells `onCommit` of each
    /// timer another node scheduled; reconnects after a second when the connection drops.
    private func listenForTimers() {
        let task = Task { [client, logger, onCommit] in
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: Self.timerChannel) { notifications in
                            for try await notification in notifications {
                                let parts = notification.payload.split(separator: ":")
                                guard parts.count == 2, let id = Int64(parts[0]), let due = Int64(parts[1]) else { continue }
                                onCommit([ScheduledTimer(id: id, dueAt: Date(millis: due))])
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    let plain = (error as? PSQLError).map(PostgresServerError.plain) ?? error
                    logger.warning("PostgreSQL: listening for timers failed, again in a second: \(plain)")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        tasks.withLock { $0.append(task) }
    }
}
