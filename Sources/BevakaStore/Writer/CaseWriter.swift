import BevakaCore
import Foundation
import GRDB

/// A timer that a committed transaction scheduled, for the TimerService.
public struct ScheduledTimer: Sendable, Equatable {
    public let id: Int64
    public let dueAt: Date

    package init(id: Int64, dueAt: Date) {
        self.id = id
        self.dueAt = dueAt
    }
}

/// The one writer. Every change goes through it; whatever arrives while a
/// commit is under way is committed together in the next transaction (group
/// commit), each change in its own savepoint so one refused request never
/// undoes another. A caller is answered only after its change is on disk.
actor CaseWriter {
    private let database: any DatabaseWriter
    private let onCommit: @Sendable ([ScheduledTimer]) -> Void
    let health: StorageHealth
    private var pending: [PendingWrite] = []
    private var draining = false
    private var statistics = WriteStatistics()

    init(database: any DatabaseWriter, health: StorageHealth = StorageHealth(), onCommit: @escaping @Sendable ([ScheduledTimer]) -> Void) {
        self.database = database
        self.health = health
        self.onCommit = onCommit
    }

    /// Runs `work` inside the next group transaction and returns its result once committed.
    func perform<R: Sendable>(_ work: @escaping @Sendable (Database) throws -> (R, [ScheduledTimer])) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, Error>) in
            let box = ResultBox<R>()
            pending.append(PendingWrite(
                work: { db in
                    let (result, timers) = try work(db)
                    box.value = result
                    return timers
                },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: box.value!) }
                }))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    func currentStatistics() -> WriteStatistics { statistics }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll()
            var commitError: (any Error)?
            do {
                try await database.write { db in
                    for job in batch {
                        do {
                            try db.inSavepoint {
                                job.timers = try job.work(db)
                                return .commit
                            }
                        } catch {
                            job.error = error
                            // SQLite rolls the whole transaction back on some errors (a full disk, an I/O
                            // error); the next savepoint would then run, and commit, on its own. Stop here:
                            // every change of the batch fails together and nothing is half written.
                            if !db.isInsideTransaction { throw error }
                        }
                    }
                }
            } catch {
                commitError = error
            }
            if let failure = commitError ?? batch.lazy.compactMap(\.error).first(where: StorageHealth.isStorageFailure) {
                health.record(failure)
            } else {
                health.recordCommit()
            }
            statistics.transactions += 1
            statistics.changes += batch.count
            statistics.largestBatch = max(statistics.largestBatch, batch.count)
            var scheduled: [ScheduledTimer] = []
            for job in batch {
                let error = commitError ?? job.error
                if error == nil { scheduled += job.timers }
                job.finish(error)
            }
            onCommit(scheduled)  // after every commit: the DeliveryService also listens for new outbox rows
        }
        draining = false
    }
}

/// How the writer has grouped changes into transactions since start.
public struct WriteStatistics: Sendable, Equatable {
    /// Committed (or attempted) database transactions.
    public var transactions = 0
    /// Changes (requests and timer firings) written in them.
    public var changes = 0
    /// The most changes one transaction carried.
    public var largestBatch = 0

    package init() {}
}

/// One change waiting for the next group transaction. Touched by the
/// database's writer queue during the transaction and by the actor after it;
/// the `await` between them orders those accesses.
private final class PendingWrite: @unchecked Sendable {
    let work: (Database) throws -> [ScheduledTimer]
    let finish: (Error?) -> Void
    var timers: [ScheduledTimer] = []
    var error: (any Error)?

    init(work: @escaping (Database) throws -> [ScheduledTimer], finish: @escaping (Error?) -> Void) {
        self.work = work
        self.finish = finish
    }
}

private final class ResultBox<R>: @unchecked Sendable {
    var value: R?
}
