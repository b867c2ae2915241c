import Foundation

/// Sleeps on `clock` until the wall clock (`now`) shows `wakeAt`, for the
/// TimerService and the DeliveryService alike.
///
/// The clock's instant is read before the wall clock, and the sleep is until an
/// absolute instant: if the clock moves on in between, the sleep ends early
/// (and the caller looks again) instead of late. `register` is handed the
/// sleeper before the wait, so something else can cancel it to wake the caller
/// early; it returns true to cancel it at once. Cancelling the calling task
/// ends the sleep too.
func sleepUntilWallClock<C: Clock<Duration>>(_ wakeAt: Date, on clock: C, now: @Sendable () -> Date,
                                             register: (Task<Void, Never>) -> Bool) async {
    let start = clock.now
    let delay = wakeAt.timeIntervalSince(now())
    // To the microsecond: rounding up to whole milliseconds made every timer half a millisecond late on average.
    let deadline = start.advanced(by: .microseconds(Int64((max(delay, 0) * 1_000_000).rounded(.up))))
    let sleeper = Task<Void, Never> { try? await clock.sleep(until: deadline, tolerance: nil) }
    if register(sleeper) { sleeper.cancel() }
    await withTaskCancellationHandler {
        await sleeper.value
    } onCancel: {
        sleeper.cancel()
    }
}
