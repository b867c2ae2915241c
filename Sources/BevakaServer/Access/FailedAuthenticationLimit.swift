import Foundation
import Synchronization

/// Counts refused tokens per client address and answers 429 once a client has
/// had `limit` refusals within `window`, until the oldest leaves the window:
/// guessing tokens (or replaying stolen, expired ones) becomes slow, and the
/// limit is visible to the client (`Retry-After`). Memory is bounded: at most
/// `capacity` addresses are remembered, the stalest forgotten first.
final class FailedAuthenticationLimit: Sendable {
    let limit: Int
    let window: TimeInterval
    let capacity: Int
    private let failures = Mutex<[String: [Date]]>([:])

    init(limit: Int = 10, window: TimeInterval = 60, capacity: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.capacity = capacity
    }

    /// Seconds the client must wait before trying again, or nil when it may try now.
    func retryAfter(_ client: String, now: Date = Date()) -> Int? {
        failures.withLock { failures in
            let recent = (failures[client] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[client] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    func recordFailure(_ client: String, now: Date = Date()) {
        failures.withLock { failures in
            if failures[client] == nil, failures.count >= capacity,
               let stalest = failures.min(by: { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) })?.key {
                failures[stalest] = nil
            }
            failures[client, default: []].append(now)
            if failures[client]!.count > limit { failures[client]!.removeFirst(failures[client]!.count - limit) }
        }
    }
}
