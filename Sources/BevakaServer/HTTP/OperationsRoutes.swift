import BevakaCore
import BevakaStore
import Foundation
import Hummingbird

/// `/readyz` and `/metrics`, for the operator's load balancer and Prometheus.
public struct OperationsRoutes: Sendable {
    public struct Settings: Sendable {
        public var metrics: DaemonMetrics?
        /// True once the daemon serves fully (the timers are loaded).
        public var isReady: @Sendable () -> Bool

        public init(metrics: DaemonMetrics? = nil, isReady: @escaping @Sendable () -> Bool = { true }) {
            self.metrics = metrics
            self.isReady = isReady
        }
    }

    let store: any Store
    let settings: Settings

    func add(to router: Router<BevakaRequestContext>) {
        router.get("/readyz") { _, _ in try await ready() }
        router.get("/metrics") { _, _ in try await metrics() }
    }

    /// Free space below which the daemon says it is not ready (1 MiB).
    static let leastFreeBytes: Int64 = 1 << 20

    func ready() async throws -> Response {
        guard settings.isReady() else {
            throw Problem(.serviceUnavailable, "not-ready", "Not ready", detail: "the timers are still being loaded from the database")
        }
        // The store answers (PostgreSQL: the server is reachable from this node).
        do { _ = try await store.pendingTimerCount() } catch {
            throw Problem(.serviceUnavailable, "storage-unavailable", "Not ready: the database does not answer",
                          detail: "\(error)", retryAfter: 5)
        }
        // A nearly full disk takes small writes (the WAL reuses its space) and refuses larger ones.
        if let free = store.freeDiskBytes(), free < Self.leastFreeBytes {
            throw Problem(.serviceUnavailable, "storage-unavailable", "Not ready: the disk is full",
                          detail: "\(free) bytes are free for the database; writes need at least \(Self.leastFreeBytes)", retryAfter: 5)
        }
        if store.storageHealth.isFailing {
            // Writes failed for lack of space or I/O: ready again once one goes through.
            do { try await store.probeWrite() } catch {
                throw Problem(.serviceUnavailable, "storage-unavailable", "Not ready: writes fail",
                              detail: "the database cannot take writes: \(store.storageHealth.lastError ?? "\(error)")", retryAfter: 5)
            }
        }
        return JSONBody.response(.object(["status": .string("ready")]))
    }

    func metrics() async throws -> Response {
        guard let metrics = settings.metrics else {
            throw Problem(.notFound, "metrics-off", "Metrics are not collected", detail: "this router was built without metrics")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: try await metrics.scrape(store))))
    }
}
