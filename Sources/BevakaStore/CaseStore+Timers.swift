import BevakaCore
import Foundation
import GRDB

/// What became of a timer handed to ``TimerStore/fireTimer(id:)``.
public enum TimerOutcome: Sendable, Equatable {
    /// Applied: its transition is committed and the timer row is gone.
    case fired(caseID: String)
    /// Its state was left or its deadline moved: dropped, nothing applied.
    case stale(caseID: String)
    /// Already fired or cancelled.
    case missing
    /// Being fired by another node (PostgreSQL): it fires there, or, should that node die
    /// before its commit, here when the index is read again.
    case busy
}

/// A batch of timers worked out on a snapshot, for ``TimerStore/fireTimers(_:)``.
public struct PreparedTimers: Sendable {
    public let ids: [Int64]
    let firings: [Int64: PreparedFiring]

    init(ids: [Int64], firings: [Int64: PreparedFiring]) {
        self.ids = ids
        self.firings = firings
    }

    /// A batch the writer works out itself, in its turn.
    public init(unprepared ids: [Int64]) {
        self.init(ids: ids, firings: [:])
    }
}

/// One timer worked out on a snapshot: the case it was worked out on, and its transition (nil when stale).
struct PreparedFiring: Sendable {
    let previous: CaseRecord
    let firing: CompletedTransition?
    let now: Date
}

/// Firing due timers: each claimed (its row deleted) in the transaction that
/// writes its transition, so it applies exactly once.
///
/// A batch is worked out first on a snapshot, on a reader connection
/// (``prepareTimers(ids:)``): the timer rows and cases read, the engine run. The
/// TimerService does that for the next batch while the writer commits this one.
/// The writer then only checks that each case is still at the version it was
/// worked out on, and writes; a case that moved meanwhile is worked out again in
/// the writer's turn, on the case as it is.
extension CaseStore {
    /// Claims and applies one timer in one transaction.
    public func fireTimer(id: Int64) async throws -> TimerOutcome {
        try await writer.perform { db in try self.claimAndApply(timer: id, db: db) }
    }

    /// Reads the timers and their cases on a snapshot and runs the engine, outside the
    /// writer. A timer that cannot be worked out here (gone, damaged, refused) is left
    /// for the writer's turn, which reports it as it always did.
    public func prepareTimers(ids: [Int64]) async -> PreparedTimers {
        let now = self.now().wholeMilliseconds
        let firings = (try? await database.read { db -> [Int64: PreparedFiring] in
            var firings: [Int64: PreparedFiring] = [:]
            for id in ids {
                guard let row = try? self.timerRow(id, db: db), let (spec, record, definition) = try? self.timerAndCase(row, db: db) else {
                    continue
                }
                guard let fired = Engine(workflow: definition).fire(spec, on: record, now: now) else {
                    firings[id] = PreparedFiring(previous: record, firing: nil, now: now)
                    continue
                }
                guard let completed = try? self.completed(fired, from: definition, now: now, actor: .bevaka) else { continue }
                firings[id] = PreparedFiring(previous: record, firing: completed, now: now)
            }
            return firings
        }) ?? [:]
        return PreparedTimers(ids: ids, firings: firings)
    }

    /// Commits a prepared batch.
    ///
    /// The batch is first applied as a whole, in the writer's one savepoint for it; a
    /// savepoint per timer journalled every page each timer touched and was a twentieth
    /// of a firing. Only if one of them fails is the batch tried again with a savepoint each.
    public func fireTimers(_ batch: PreparedTimers) async throws -> [Result<TimerOutcome, StoreError>] {
        do {
            return try await writer.perform { db in
                var outcomes: [Result<TimerOutcome, StoreError>] = []
                var scheduled: [ScheduledTimer] = []
                for id in batch.ids {
                    let (outcome, timers) = try self.apply(timer: id, prepared: batch.firings[id], db: db)
                    outcomes.append(.success(outcome))
                    scheduled += timers
                }
                return (outcomes, scheduled)
            }
        } catch {
            return try await fireTimersOneByOne(ids: batch.ids)
        }
    }

    private func fireTimersOneByOne(ids: [Int64]) async throws -> [Result<TimerOutcome, StoreError>] {
        try await writer.perform { db in
            var outcomes: [Result<TimerOutcome, StoreError>] = []
            var scheduled: [ScheduledTimer] = []
            for id in ids {
                do {
                    try db.inSavepoint {
                        let (outcome, timers) = try self.claimAndApply(timer: id, db: db)
                        outcomes.append(.success(outcome))
                        scheduled += timers
                        return .commit
                    }
                } catch let error as StoreError {
                    outcomes.append(.failure(error))
                } catch {
                    outcomes.append(.failure(.corrupt("timer \(id): \(error)")))
                }
            }
            return (outcomes, scheduled)
        }
    }

    /// In the writer's turn: writes a prepared firing if its case is still at the version it
    /// was worked out on, and otherwise claims and applies the timer on the case as it is.
    private func apply(timer id: Int64, prepared: PreparedFiring?, db: Database) throws -> (TimerOutcome, [ScheduledTimer]) {
        guard let prepared, try version(of: prepared.previous.id, db: db) == prepared.previous.version else {
            return try claimAndApply(timer: id, db: db)
        }
        try db.run("DELETE FROM timers WHERE id = ?", arguments: [id])
        guard db.changesCount == 1 else { return (.missing, []) }
        let caseID = prepared.previous.id
        guard let completed = prepared.firing else { return (.stale(caseID: caseID), []) }
        let (_, timers) = try transitions.write(completed, previous: prepared.previous, keepingSnapshot: true, db: db, now: prepared.now)
        return (.fired(caseID: caseID), timers)
    }

    /// Claims (deletes) the timer and applies it on the case as it is now.
    private func claimAndApply(timer id: Int64, db: Database) throws -> (TimerOutcome, [ScheduledTimer]) {
        guard let row = try timerRow(id, db: db) else { return (.missing, []) }
        try db.run("DELETE FROM timers WHERE id = ?", arguments: [id])
        let (spec, record, definition) = try timerAndCase(row, db: db)
        let now = self.now().wholeMilliseconds
        guard let fired = Engine(workflow: definition).fire(spec, on: record, now: now) else {
            return (.stale(caseID: spec.caseID), [])
        }
        let completed = try completed(fired, from: definition, now: now, actor: .bevaka)
        let (_, timers) = try transitions.write(completed, previous: record, keepingSnapshot: true, db: db, now: now)
        return (.fired(caseID: spec.caseID), timers)
    }

    private func timerRow(_ id: Int64, db: Database) throws -> Row? {
        try db.fetchOneRow("SELECT * FROM timers WHERE id = ?", arguments: [id])
    }

    /// A timer row as the engine takes it, and its case.
    private func timerAndCase(_ row: Row, db: Database) throws -> (TimerSpec, CaseRecord, WorkflowDefinition) {
        let caseID: String = row["case_id"]
        guard let kind = TimerKind(row["kind"] as String) else {
            throw StoreError.corrupt("timer \(row["id"] as Int64) has kind \(row["kind"] as String)")
        }
        let spec = TimerSpec(caseID: caseID, dueAt: Date(millis: row["due_at"]), deadline: row["deadline"], kind: kind,
                             stateEntry: row["state_entry"], deadlineDue: Date(millis: row["deadline_due"]))
        let (record, definition) = try loadCase(caseID, db: db)
        return (spec, record, definition)
    }
}
