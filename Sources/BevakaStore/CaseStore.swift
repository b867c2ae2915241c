import BevakaCore
import Foundation
import GRDB
import Logging
import Synchronization

/// Where cases live: a SQLite file in WAL mode, written by one group-commit
/// writer. Every change is one transaction holding the new case, its history
/// rows, its timers, its outbox rows and its ledger rows.
public final class CaseStore: Sendable {
    /// The workflows cases run on; replaced by ``reload(_:)``.
    public let workflows: WorkflowRegistry
    /// The workflows now: the folder's and the stored versions cases still run on.
    public var catalog: WorkflowCatalog { workflows.catalog }
    let database: any DatabaseWriter
    let writer: CaseWriter
    let now: @Sendable () -> Date
    let logger: Logger
    /// Whether writes reach the disk (readiness and `/metrics` read it).
    public let storageHealth = StorageHealth()
    /// Writes completed transitions into the tables, in the writer's transaction.
    let transitions = TransitionWriter()

    /// The writer connection's page cache, in KiB.
    static let writerCacheKiB = 16_384

    /// Opens (creating if need be) the database at `path`, runs the migrations and
    /// records the workflow versions (refusing a version whose content changed).
    ///
    /// - Parameter onCommit: called after every commit with the timers it scheduled (maybe none), so the
    ///   TimerService can wake for a sooner one and the DeliveryService look for new outbox rows.
    public init(path: String, catalog: WorkflowCatalog, logger: Logger = Logger(label: "bevaka.store"),
                now: @escaping @Sendable () -> Date = { Date() },
                onCommit: @escaping @Sendable ([ScheduledTimer]) -> Void = { _ in }) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // FULL: a commit is on disk before the caller hears 2xx, even across power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The Checkpointer does it on its own connection, never inside one of the writer's commits.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // The writer's savepoints (one per change in a group commit, one per timer in a batch)
        // journal each page they change first; in a temporary file that was four fifths of
        // what the writer wrote (bevaka-bench goals B2: 110 -> 21 KiB per expiry). The
        // journal only undoes a savepoint and is never needed after a crash. Readers keep
        // files for their sorts.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // A batch of 128 timers changes about 4 MiB of pages; with SQLite's default 2 MiB
            // cache the writer spilled them into the log before the commit (PcacheFetchStress).
            try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)")
        }
        self.database = pool
        self.workflows = try Self.prepare(pool, catalog: catalog, now: now)
        self.logger = logger
        self.now = now
        // Kept by the writer, which asks it for a checkpoint after each commit.
        let checkpointer = try Checkpointer(path: path, logger: logger)
        self.writer = CaseWriter(database: pool, health: storageHealth, onCommit: { timers in
            checkpointer.commitHappened()
            onCommit(timers)
        })
    }

    /// A store in memory, for `bevaka simulate` (same schema, same code paths).
    public init(inMemoryWith catalog: WorkflowCatalog, now: @escaping @Sendable () -> Date) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        self.database = queue
        self.workflows = try Self.prepare(queue, catalog: catalog, now: now)
        self.logger = Logger(label: "bevaka.simulate")
        self.now = now
        self.writer = CaseWriter(database: queue, onCommit: { _ in })
    }

    /// Runs the migrations and records the workflow versions.
    private static func prepare(_ database: any DatabaseWriter, catalog: WorkflowCatalog,
                                now: () -> Date) throws -> WorkflowRegistry {
        try Schema.migrator.migrate(database)
        return try database.write { db in
            let registry = try WorkflowRegistry(recording: catalog, db: db, now: now())
            let definitions = registry.catalog
            try CaseTerms.backfillIfPending(db, definition: definitions.definition)
            try CaseTasks.backfillIfPending(db, definition: definitions.definition)
            return registry
        }
    }

    /// Replaces the workflows (SIGHUP): records new versions and refuses, changing
    /// nothing, a version whose content differs from what cases started on.
    /// Running cases keep their versions; new cases get the newest.
    public func reload(_ catalog: WorkflowCatalog) async throws {
        try await workflows.reload(catalog, database: database, now: now())
    }

    /// The schema's migrations, in order: a database holding exactly these is at this release's schema.
    public static var migrationNames: [String] { Schema.migrator.migrations }

    /// The workflow version a case runs on, or `workflowVersionMissing`.
    public func definition(_ key: WorkflowKey) throws(StoreError) -> WorkflowDefinition {
        try workflows.definition(key)
    }

    /// Tries a write that changes nothing visible, through the one writer: after a
    /// storage failure, readiness asks whether the disk takes writes again. The row is
    /// changed and changed back, so its page reaches the log and the disk: setting a
    /// column to its own value writes nothing at all in SQLite, and proved nothing.
    public func probeWrite() async throws {
        try await writer.perform { db in
            try db.execute(sql: """
                UPDATE delivery_cursor SET last_outbox_id = last_outbox_id + 1 WHERE id = 1;
                UPDATE delivery_cursor SET last_outbox_id = last_outbox_id - 1 WHERE id = 1;
                """)
            return ((), [])
        }
    }

    /// Bytes free for the database on its file system, or nil in memory (or when the system does not say).
    public func freeDiskBytes() -> Int64? {
        guard let pool = database as? DatabasePool else { return nil }
        var info = statvfs()
        guard statvfs(pool.path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Nothing to do: the file's connections close when the store is released, and every
    /// change answered is on disk already.
    public func close() async {}

    /// How the one writer has grouped changes into transactions.
    public func writeStatistics() async -> WriteStatistics { await writer.currentStatistics() }

    // MARK: Commands

    /// Opens a case on the newest version of `workflow`.
    /// Opens a case on the newest version of `workflow`. A case may name the register's
    /// unit (HSA-id) and contract it belongs to; fields the workflow has and the caller
    /// leaves out are then taken from the register (`enhet`, `vardgivare`, `avtalsomrade`,
    /// and `listade` as the unit's count today).
    public func openCase(workflow name: String, owner: String, fields: [String: JSONValue], people: [String: JSONValue] = [:],
                         unit: String? = nil, contract: String? = nil, actor: Actor,
                         once: IdempotencyClaim<CaseRecord>? = nil) async throws -> CaseRecord {
        guard let definition = catalog.forOpening(named: name) else {
            throw StoreError.unknownWorkflow(name, known: catalog.openableNames)
        }
        let engine = Engine(workflow: definition)
        let now = self.now().wholeMilliseconds
        let opening = { @Sendable (fields: [String: JSONValue]) throws -> Transition in
            do {
                return try engine.open(id: CaseIDs.make(at: now), owner: owner, fields: fields, people: people, now: now, actor: actor)
            } catch let error as EngineError {
                throw StoreError.engine(error)
            }
        }
        // Without the register the engine needs nothing from the database, so it runs before the
        // writer's turn, beside other requests' commits. A refusal is left to the writer's turn,
        // where it is reported in the order it always was (after a replayed idempotency key).
        let prepared = unit == nil && contract == nil ? try? opening(fields) : nil
        return try await performOnce(once) { db in
            var transition: Transition
            if let prepared {
                transition = prepared
            } else {
                var fields = fields
                if unit != nil || contract != nil {
                    fields = try Self.fillingFromRegister(fields, unit: unit, contract: contract, definition: definition, db: db,
                                                         today: definition.calendar.localDate(of: now))
                }
                transition = try opening(fields)
            }
            transition.record.unit = unit
            transition.record.contract = contract
            let completed = try self.completed(transition, from: definition, now: now, actor: actor)
            return try self.transitions.write(completed, previous: nil, db: db, now: now)
        }
    }

    /// Applies an event to a case; throws (changing nothing) if the engine refuses it.
    ///
    /// - Parameter seen: the case as the caller has just read it, if it has; the event is then
    ///   worked out on it without reading the case again (and written only if it is still current).
    public func applyEvent(caseID: String, event: String, payload: [String: JSONValue], reason: String?,
                           actor: Actor, seen: CaseRecord? = nil, once: IdempotencyClaim<CaseRecord>? = nil) async throws -> CaseRecord {
        let prepared = try? await prepareEvent(caseID: caseID, event: event, payload: payload, reason: reason, actor: actor, seen: seen)
        return try await performOnce(once) { db in
            // Made on a snapshot read before the writer's turn: written if the case is still at that version.
            if let prepared, try self.version(of: caseID, db: db) == prepared.previous.version {
                return try self.writeEvent(prepared.completed, previous: prepared.previous, db: db, now: prepared.now)
            }
            let (record, definition) = try self.loadCase(caseID, db: db)
            let now = self.now().wholeMilliseconds
            if event == caseAnnulEvent {
                let annulment = try self.annulment(payload: payload, reason: reason, on: record, definition: definition, now: now,
                                                   actor: actor, db: db)
                let completed = try self.completed(annulment, from: definition, now: now, actor: actor)
                return try self.transitions.write(completed, previous: record, db: db, now: now)
            }
            if let backdated = try self.backdated(event: event, payload: payload, reason: reason, on: record, definition: definition,
                                                  now: now, actor: actor, db: db) {
                let completed = try self.completed(backdated, from: definition, now: now, actor: actor)
                return try self.transitions.write(completed, previous: record, keepingSnapshot: true, db: db, now: now)
            }
            let transition: Transition
            do {
                transition = try Engine(workflow: definition).apply(
                    event: event, payload: payload, reason: reason, to: record, now: now, actor: actor)
            } catch let error as EngineError {
                throw StoreError.engine(error)
            }
            return try self.writeEvent(try self.completed(transition, from: definition, now: now, actor: actor), previous: record,
                                       db: db, now: now)
        }
    }

    /// Writes an event's transition, keeping the case as it was for a later registration
    /// that took effect before it (not across a hand-over: the case left its workflow).
    private func writeEvent(_ completed: CompletedTransition, previous: CaseRecord, db: Database,
                            now: Date) throws -> (CaseRecord, [ScheduledTimer]) {
        try transitions.write(completed, previous: previous, keepingSnapshot: completed.transition.handOver == nil, db: db, now: now)
    }

    /// A transition worked out outside the writer, and the case version it was made from.
    struct PreparedTransition: Sendable {
        let previous: CaseRecord
        let completed: CompletedTransition
        let now: Date
    }

    /// Works out an event's transition on a snapshot of the case, on a reader connection,
    /// so the engine and the reading of the case run beside the writer rather than in its
    /// turn. Nil (or a throw) leaves the event to the writer's turn as before: an annulment,
    /// an event that states an earlier effective time (it may rewind the case), a refusal.
    func prepareEvent(caseID: String, event: String, payload: [String: JSONValue], reason: String?,
                      actor: Actor, seen: CaseRecord?) async throws -> PreparedTransition? {
        guard event != caseAnnulEvent else { return nil }
        let now = self.now().wholeMilliseconds
        let (record, definition) = if let seen, seen.id == caseID {
            (seen, try definition(seen.workflow))
        } else {
            try await database.read { db in try self.loadCase(caseID, db: db) }
        }
        let engine = Engine(workflow: definition)
        if let effective = engine.statedEffectiveTime(of: event, payload: payload, now: now), effective < now { return nil }
        let transition = try engine.apply(event: event, payload: payload, reason: reason, to: record, now: now, actor: actor)
        return PreparedTransition(previous: record, completed: try completed(transition, from: definition, now: now, actor: actor), now: now)
    }

    /// The case's version as the writer sees it, or nil if there is no such case.
    func version(of caseID: String, db: Database) throws -> Int? {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT version FROM cases WHERE id = ?"), arguments: [caseID])
    }

    /// Moves a case to another loaded version of its workflow (`bevaka case migrate`),
    /// recording `case.migrated` in its history; refused, changing nothing, when
    /// its state, fields or accruals do not exist there.
    public func migrateCase(_ caseID: String, to version: Int, actor: Actor, reason: String?) async throws -> CaseRecord {
        try await writer.perform { db in
            let (record, _) = try self.loadCase(caseID, db: db)
            let target = try self.definition(WorkflowKey(name: record.workflow.name, version: version))
            let now = self.now().wholeMilliseconds
            let transition: Transition
            do { transition = try Engine(workflow: target).migrate(record, now: now, actor: actor, reason: reason) } catch let error as EngineError {
                throw StoreError.engine(error)
            }
            let completed = try self.completed(transition, from: target, now: now, actor: actor)
            return try self.transitions.write(completed, previous: record, db: db, now: now)
        }
    }

    /// A transition completed by the engines of the workflows it involves (a hand-over, the
    /// cases it opens; ``WorkflowCatalog/complete(_:from:now:actor:newCaseID:)``), ready to write.
    func completed(_ transition: Transition, from source: WorkflowDefinition, now: Date, actor: Actor) throws -> CompletedTransition {
        do {
            return try catalog.complete(transition, from: source, now: now, actor: actor, newCaseID: { CaseIDs.make(at: now) })
        } catch {
            throw StoreError.engine(error)
        }
    }

    /// Reads a case and its workflow definition inside a transaction.
    func loadCase(_ id: String, db: Database) throws -> (CaseRecord, WorkflowDefinition) {
        guard let row = try db.fetchOneRow("SELECT * FROM cases WHERE id = ?", arguments: [id]) else {
            throw StoreError.caseNotFound(id)
        }
        let key = WorkflowKey(name: row["workflow"], version: row["workflow_version"])
        let definition = try definition(key)
        return (try StoredFields.record(from: row, definition: definition), definition)
    }
}
