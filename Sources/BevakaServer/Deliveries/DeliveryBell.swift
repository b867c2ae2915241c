import Foundation
import Synchronization

/// Rung after every commit (new outbox rows may be waiting) and by operators'
/// retries; wakes the DeliveryService early from its sleep.
public final class DeliveryBell: Sendable {
    private struct State {
        var rung = false
        var sleeper: Task<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    public func ring() {
        state.withLock { state in
            state.rung = true
            state.sleeper?.cancel()
        }
    }

    /// Sleeps until `wakeAt` on `clock` (measured from the wall clock `now`), or
    /// less if the bell rings or the task is cancelled. A ring before the call counts.
    func wait(until wakeAt: Date, clock: any Clock<Duration>, now: @Sendable () -> Date) async {
        await wait(until: wakeAt, on: clock, now: now)
    }

    private func wait<C: Clock<Duration>>(until wakeAt: Date, on clock: C, now: @Sendable () -> Date) async {
        await sleepUntilWallClock(wakeAt, on: clock, now: now) { sleeper in
            state.withLock { state in
                defer { state.rung = false }
                state.sleeper = sleeper
                return state.rung
            }
        }
        state.withLock { $0.sleeper = nil }
    }
}
