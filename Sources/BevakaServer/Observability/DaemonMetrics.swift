import BevakaStore
import Foundation
import Prometheus
import Synchronization

/// What `/metrics` shows, in the Prometheus text format (swift-prometheus).
/// Counts that live in the database (cases, timers, deliveries, outbox) are
/// read when scraped; timer lateness is recorded as timers fire.
public final class DaemonMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let lateness: DurationHistogram
    private let transitions: Counter
    private let storageFailures: Counter
    /// Label sets seen before, so a state that empties reads 0 rather than its last count.
    private let seen = Mutex<(cases: Set<[String]>, deliveries: Set<[String]>, transitions: Int, storageFailures: Int)>(([], [], 0, 0))

    public init() {
        lateness = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "bevaka", metricName: "timer_lateness", unitName: "seconds",
                                             helpText: "How late timers fired after their due instant"),
            buckets: [.milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
                      .seconds(60), .seconds(300), .seconds(3600), .seconds(86400)])
        transitions = registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "bevaka", metricName: "transitions", unitName: "total", helpText: "History rows written (events, deadlines, openings)"))
        storageFailures = registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "bevaka", metricName: "storage_write_failures", unitName: "total",
            helpText: "Writes the disk refused (full, I/O error); each was answered 503 and changed nothing"))
    }

    func timerFired(lateness seconds: TimeInterval) {
        lateness.record(.milliseconds(Int64(max(seconds, 0) * 1000)))
    }

    /// Reads the database's counts and returns the exposition text.
    func scrape(_ store: any Store) async throws -> String {
        let snapshot = try await store.snapshot()
        func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "bevaka", metricName: name, unitName: "", helpText: help),
                               labels: labels)
        }
        let (staleCases, staleDeliveries, newTransitions) = seen.withLock { seen in
            let cases = seen.cases.subtracting(snapshot.casesByState.map { [$0.workflow, $0.state] })
            let deliveries = seen.deliveries.subtracting(snapshot.deliveries.map { [$0.channel, $0.status] })
            seen.cases.formUnion(snapshot.casesByState.map { [$0.workflow, $0.state] })
            seen.deliveries.formUnion(snapshot.deliveries.map { [$0.channel, $0.status] })
            let delta = max(snapshot.transitions - seen.transitions, 0)
            seen.transitions = max(snapshot.transitions, seen.transitions)
            return (cases, deliveries, delta)
        }
        let failures = store.storageHealth.failures
        let newFailures = seen.withLock { seen in
            defer { seen.storageFailures = max(seen.storageFailures, failures) }
            return max(failures - seen.storageFailures, 0)
        }
        storageFailures.increment(by: Int64(newFailures))
        let casesHelp = "Cases by workflow and state"
        for labels in staleCases { gauge("cases", casesHelp, [("workflow", labels[0]), ("state", labels[1])]).set(Double(0)) }
        for row in snapshot.casesByState {
            gauge("cases", casesHelp, [("workflow", row.workflow), ("state", row.state)]).set(Double(row.count))
        }
        let deliveriesHelp = "Deliveries by channel and status"
        for labels in staleDeliveries { gauge("deliveries", deliveriesHelp, [("channel", labels[0]), ("status", labels[1])]).set(Double(0)) }
        for row in snapshot.deliveries {
            gauge("deliveries", deliveriesHelp, [("channel", row.channel), ("status", row.status)]).set(Double(row.count))
        }
        gauge("pending_timers", "Timers waiting to fire").set(Double(snapshot.pendingTimers))
        gauge("outbox_depth", "Notifications not yet delivered everywhere").set(Double(snapshot.outboxDepth))
        let writes = await store.writeStatistics()
        gauge("write_transactions", "Transactions the one writer has committed since start (each carries every change that was waiting)")
            .set(Double(writes.transactions))
        gauge("write_changes", "Changes (requests and timer firings) those transactions carried").set(Double(writes.changes))
        transitions.increment(by: Int64(newTransitions))
        return registry.emitToString()
    }
}
