import BevakaCore
import BevakaStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Fires deadlines durably.
///
/// Keeps in memory only a window of the earliest timers (at most `capacity`,
/// due within `horizon`), refilled from the `due_at` index, so memory does
/// not grow with the number of cases. Sleeps until the earliest; a commit that
/// schedules a sooner timer wakes it. At start the window holds whatever fell
/// due while the daemon was down, and those fire first, in due order. Each
/// firing claims the timer and commits its transition in one transaction.
public final class TimerService: Service, Sendable {
    private let store: @Sendable () -> (any TimerStore)?
    private let inbox: TimerInbox
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let horizon: TimeInterval
    private let capacity: Int
    private let logger: Logger
    private let metrics: DaemonMetrics?
    private let afterRefillRead: (@Sendable () async -> Void)?
    /// Due timers fired together in one transaction.
    private let batchSize = 128
    /// Opened once the first window is loaded (the timers that fell due while the daemon was down among them).
    private let recovered = Gate()

    /// - Parameters:
    ///   - inbox: where the store's commits drop newly scheduled timers.
    ///   - clock: what waits are measured on (a test clock in tests).
    ///   - now: the wall clock that timers' due instants are compared with.
    ///   - afterRefillRead: runs between reading a window and using it (tests commit timers there,
    ///     as a busy daemon does).
    public init(store: @escaping @Sendable () -> (any TimerStore)?, inbox: TimerInbox, clock: any Clock<Duration> = ContinuousClock(),
                now: @escaping @Sendable () -> Date = { Date() }, horizon: TimeInterval = 300, capacity: Int = 1024,
                metrics: DaemonMetrics? = nil, logger: Logger = Logger(label: "bevaka.timers"),
                afterRefillRead: (@Sendable () async -> Void)? = nil) {
        self.afterRefillRead = afterRefillRead
        self.metrics = metrics
        self.store = store
        self.inbox = inbox
        self.clock = clock
        self.now = now
        self.horizon = horizon
        self.capacity = capacity
        self.logger = logger
    }

    /// Runs until cancelled or until a graceful shutdown (SIGTERM): a timer being
    /// fired then still commits, because the writer's transaction does not observe cancellation.
    public func run() async throws {
        guard let store = store() else { return }
        await cancelWhenGracefulShutdown {
            await self.loop(store)
        }
    }

    private func loop(_ store: any TimerStore) async {
        var heap = TimerHeap()
        var windowEnd = Date.distantPast
        // The timers the last refill read; the inbox may bring some of them again.
        var loadedIDs = Set<Int64>()
        // The batch the writer is committing while the next one is worked out; false if its transaction failed.
        var committing: Task<Bool, Never>?
        while !Task.isCancelled {
            let current = now()
            // The window is complete up to `windowEnd` (a full one up to its last timer, of which
            // more may share the instant): what it still holds up to there fires before the index
            // is read again. Rereading while it held some made every batch wait for the one before
            // when many timers fall due at the same instant.
            if current >= windowEnd && !(heap.min.map { $0.dueAt <= windowEnd } ?? false) {
                // Its timers must be gone from the index before the index is read again.
                if let batch = committing {
                    committing = nil
                    if await !batch.value { windowEnd = .distantPast }
                }
                // Refill the window from the index.
                let loaded: [ScheduledTimer]
                do {
                    loaded = try await store.earliestTimers(dueBefore: current.addingTimeInterval(horizon), limit: capacity)
                } catch {
                    logger.error("timers.refill.failed", metadata: ["error": "\(error)"])
                    try? await clock.sleep(for: .seconds(1))
                    continue
                }
                await afterRefillRead?()
                // The inbox is not emptied here: a timer committed while the read ran may be missing
                // from `loaded`, and only the inbox has it (dropping it delayed it to the next refill).
                heap = TimerHeap(loaded)
                loadedIDs = Set(loaded.map(\.id))
                recovered.open()
                // A full window is complete only up to its last timer.
                windowEnd = loaded.count == capacity ? loaded.last!.dueAt : current.addingTimeInterval(horizon)
            }
            for timer in inbox.drain() where timer.dueAt <= windowEnd && !loadedIDs.contains(timer.id) {
                if heap.count < capacity { heap.insert(timer) } else { windowEnd = min(windowEnd, timer.dueAt) }
            }
            // Fire everything due, earliest first, in batches that share a commit.
            var due: [ScheduledTimer] = []
            let firingTime = now()
            while let next = heap.min, next.dueAt <= firingTime, due.count < batchSize {
                due.append(heap.popMin()!)
            }
            if !due.isEmpty {
                // Worked out on a snapshot while the writer commits the previous batch, then handed to it;
                // with nothing being committed the writer works it out itself (a read on another
                // connection first would only make the timer later).
                let prepared = committing == nil ? PreparedTimers(unprepared: due.map(\.id))
                                                 : await store.prepareTimers(ids: due.map(\.id))
                if let batch = committing {
                    committing = nil
                    // After a failed batch, reload from the index: its timers (and these) are still there.
                    if await !batch.value {
                        windowEnd = .distantPast
                        continue
                    }
                }
                committing = Task { await self.fire(due, prepared: prepared, store: store) }
                continue
            }
            // Nothing else is due: let the last batch commit before sleeping.
            if let batch = committing {
                committing = nil
                if await !batch.value { windowEnd = .distantPast }
                continue
            }
            if !inbox.isEmpty { continue }
            let wakeAt = min(heap.min?.dueAt ?? windowEnd, windowEnd)
            guard wakeAt > now() else { continue }
            await inbox.sleep(until: wakeAt, clock: clock, now: now)
        }
        // Shutting down: the batch handed to the writer still commits and is reported.
        if let batch = committing { _ = await batch.value }
    }

    /// Returns once the timers are loaded from the database (readiness waits for this).
    public func waitUntilRecovered() async {
        await recovered.wait()
    }

    /// Whether the timers are loaded from the database (`/readyz`).
    public var isRecovered: Bool { recovered.isOpen }

    /// Fires a batch; false if the window is to be read again from the index: its transaction
    /// failed as a whole, or another node held some of its timers (and may yet roll back).
    private func fire(_ timers: [ScheduledTimer], prepared: PreparedTimers, store: any TimerStore) async -> Bool {
        do {
            let outcomes = try await store.fireTimers(prepared)
            var busy = false
            // Lateness runs to the commit: a timer has fired when its transition is on disk.
            let firedAt = now()
            for (timer, outcome) in zip(timers, outcomes) {
                let metadata: Logger.Metadata = ["timer.id": "\(timer.id)", "timer.lateness": "\(firedAt.timeIntervalSince(timer.dueAt))"]
                switch outcome {
                case .success(.fired(let caseID)):
                    metrics?.timerFired(lateness: firedAt.timeIntervalSince(timer.dueAt))
                    logger.debug("timer.fired", metadata: metadata.merging(["case.id": "\(caseID)"]) { $1 })
                case .success(.stale(let caseID)):
                    logger.debug("timer.stale", metadata: metadata.merging(["case.id": "\(caseID)"]) { $1 })
                case .success(.missing):
                    break
                case .success(.busy):
                    busy = true
                case .failure(let error):
                    // Rolled back alone; the row stays and is tried again at the next refill.
                    logger.error("timer.failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                }
            }
            if busy {
                // Another node is committing them: look again once it has (or has died and rolled back).
                try? await clock.sleep(for: .milliseconds(50))
                return false
            }
            return true
        } catch {
            logger.error("timers.batch.failed", metadata: ["error": "\(error)", "timers": "\(timers.count)"])
            try? await clock.sleep(for: .seconds(1))
            return false
        }
    }
}

/// Where commits drop newly scheduled timers, and what wakes the TimerService
/// early when one of them is due sooner than it planned to wake.
public final class TimerInbox: Sendable {
    private struct State {
        var timers: [ScheduledTimer] = []
        var wakeAt: Date?
        var sleeper: Task<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Called by the store after each commit that scheduled timers.
    public func add(_ timers: [ScheduledTimer]) {
        state.withLock { state in
            state.timers += timers
            if let wakeAt = state.wakeAt, timers.contains(where: { $0.dueAt < wakeAt }) {
                state.sleeper?.cancel()
            }
        }
    }

    var isEmpty: Bool { state.withLock { $0.timers.isEmpty } }

    /// When the service is asleep: the instant it plans to wake at (tests wait for this).
    var plannedWake: Date? { state.withLock { $0.wakeAt } }

    func drain() -> [ScheduledTimer] {
        state.withLock { state in
            defer { state.timers.removeAll() }
            return state.timers
        }
    }

    /// Sleeps until `wakeAt`, or less if a sooner timer arrives or the task is cancelled.
    func sleep(until wakeAt: Date, clock: any Clock<Duration>, now: @Sendable () -> Date) async {
        await sleep(until: wakeAt, on: clock, now: now)
    }

    private func sleep<C: Clock<Duration>>(until wakeAt: Date, on clock: C, now: @Sendable () -> Date) async {
        await sleepUntilWallClock(wakeAt, on: clock, now: now) { sleeper in
            state.withLock { state in
                state.wakeAt = wakeAt
                state.sleeper = sleeper
                return state.timers.contains { $0.dueAt < wakeAt }
            }
        }
        state.withLock { state in
            state.wakeAt = nil
            state.sleeper = nil
        }
    }
}

/// A one-way gate: `wait()` returns once `open()` has been called, or when
/// the waiting task is cancelled (so a shutdown never hangs on it).
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { state.withLock { $0.isOpen } }

    func wait() async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.isOpen || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
