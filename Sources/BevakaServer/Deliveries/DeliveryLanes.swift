import BevakaStore
import Foundation
import Synchronization

/// Who sends what, side by side: each webhook endpoint has as many lanes as its `connections`
/// (default 4; a case's deliveries to it always take the same one, so they arrive in order), and email has
/// `emailLanes` (a recipient's messages always take the same one). A lane sends one delivery
/// at a time on its own curl handle, which keeps its connection; lanes run at once, so a
/// receiver that is slow or silent holds up only its own lanes.
///
/// The board is what the DeliveryService's dispatcher and its lanes share in one round:
/// the deliveries queued per lane, which are in flight, and which could not be recorded.
final class DeliveryLanes: Sendable {
    /// Each webhook endpoint's lanes (its `connections`); an endpoint not configured (any more) has one.
    private let webhookLanes: [String: Int]
    /// At most this many SMTP connections at once.
    static let emailLanes = 4
    /// Deliveries queued on one lane at most; more wait in the database.
    static let queueLimit = 32

    struct Item: Sendable {
        let delivery: DeliveryRecord
        let outbox: OutboxRecord?
        let disabled: [String: (at: Date, reason: String)]
    }

    private struct State {
        var queues: [String: [Item]] = [:]
        var running: Set<String> = []
        var inFlight: Set<Int64> = []
        var unrecorded: Set<Int64> = []
    }

    private let state = Mutex(State())

    init(webhooks: [String: WebhookEndpoint]) {
        webhookLanes = webhooks.mapValues(\.connections)
    }

    /// The lane a delivery goes on.
    func lane(of delivery: DeliveryRecord) -> String {
        switch delivery.channel {
        case .webhook:
            "webhook \(delivery.target) \(Self.stableHash(delivery.caseID ?? "") % UInt64(max(webhookLanes[delivery.target] ?? 1, 1)))"
        case .email: "email \(Self.stableHash(delivery.target) % UInt64(Self.emailLanes))"
        }
    }

    /// FNV-1a: the same lane for the same key in every run (Swift's `Hasher` is seeded per process).
    private static func stableHash(_ key: String) -> UInt64 {
        key.utf8.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    }

    /// Queues what the dispatcher fetched; returns the lanes that must be started.
    func enqueue(_ items: [Item]) -> [String] {
        state.withLock { state in
            var started: [String] = []
            for item in items where !state.inFlight.contains(item.delivery.id) {
                let lane = lane(of: item.delivery)
                guard state.queues[lane, default: []].count < Self.queueLimit else { continue }
                state.queues[lane, default: []].append(item)
                state.inFlight.insert(item.delivery.id)
                if state.running.insert(lane).inserted { started.append(lane) }
            }
            return started
        }
    }

    /// The lane's next delivery; nil (and the lane stops) when its queue is empty.
    func next(on lane: String) -> Item? {
        state.withLock { state in
            guard var queue = state.queues[lane], !queue.isEmpty else {
                state.queues[lane] = nil
                state.running.remove(lane)
                return nil
            }
            let item = queue.removeFirst()
            state.queues[lane] = queue
            return item
        }
    }

    /// A delivery's attempt is over; `recorded` false leaves it for a later round.
    func finish(_ id: Int64, recorded: Bool) {
        state.withLock { state in
            state.inFlight.remove(id)
            if !recorded { state.unrecorded.insert(id) }
        }
    }

    /// A stopping lane gives back what it had not begun (it stays pending in the database).
    func abandon(_ lane: String) {
        state.withLock { state in
            for item in state.queues[lane] ?? [] { state.inFlight.remove(item.delivery.id) }
            state.queues[lane] = nil
            state.running.remove(lane)
        }
    }

    /// What the dispatcher must not fetch again: in flight, or not recordable this round;
    /// and the endpoints (and whether email) with a lane half full, so that their backlog
    /// never fills the dispatcher's page while other receivers have work.
    var skipped: (ids: Set<Int64>, webhooks: Set<String>, email: Bool) {
        state.withLock { state in
            var webhooks = Set<String>()
            var email = false
            for (_, queue) in state.queues where queue.count >= Self.queueLimit / 2 {
                guard let delivery = queue.first?.delivery else { continue }
                switch delivery.channel {
                case .webhook: webhooks.insert(delivery.target)
                case .email: email = true
                }
            }
            return (state.inFlight.union(state.unrecorded), webhooks, email)
        }
    }

    /// No lane sends, and no attempt's record is on its way (its delivery stays in flight until then).
    var isIdle: Bool { state.withLock { $0.running.isEmpty && $0.inFlight.isEmpty } }
    var unrecorded: Set<Int64> { state.withLock { $0.unrecorded } }
}
