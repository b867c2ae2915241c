import BevakaCore
import BevakaDelivery
import BevakaStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The running daemon: the store, the TimerService, the DeliveryService and the
/// HTTP API in one service group, shut down gracefully on SIGTERM or SIGINT.
public struct Daemon: Sendable {
    public struct Configuration: Sendable {
        public var databasePath: String
        public var host: String
        public var port: Int
        public var delivery: DeliveryConfiguration
        public var templates: TemplateSet

        public init(databasePath: String, host: String = "127.0.0.1", port: Int = 8080,
                    delivery: DeliveryConfiguration = DeliveryConfiguration(), templates: TemplateSet = TemplateSet()) {
            self.databasePath = databasePath
            self.host = host
            self.port = port
            self.delivery = delivery
            self.templates = templates
        }
    }

    public let store: CaseStore
    let timers: TimerService
    let deliveries: DeliveryService
    let bell: DeliveryBell
    let metrics: DaemonMetrics
    let configuration: Configuration
    let logger: Logger

    /// Opens the database (running migrations) and wires the services.
    public init(configuration: Configuration, catalog: WorkflowCatalog, logger: Logger) throws {
        let inbox = TimerInbox()
        let bell = DeliveryBell()
        let store = try CaseStore(path: configuration.databasePath, catalog: catalog, logger: logger,
                                  onCommit: { timers in
                                      inbox.add(timers)
                                      bell.ring()
                                  })
        self.store = store
        self.bell = bell
        let metrics = DaemonMetrics()
        self.metrics = metrics
        self.timers = TimerService(store: { store }, inbox: inbox, metrics: metrics, logger: logger)
        let host = configuration.host == "0.0.0.0" || configuration.host == "::" ? "localhost" : configuration.host
        self.deliveries = DeliveryService(store: store, configuration: configuration.delivery, templates: configuration.templates,
                                          bell: bell, baseURL: "http://\(host):\(configuration.port)", logger: logger)
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until SIGTERM/SIGINT. Under systemd (`Type=notify`) it says READY=1
    /// once the database is migrated, the HTTP server listens and the timers that
    /// fell due while it was down are loaded; it pings the watchdog if asked
    /// (`WatchdogSec=`) and says STOPPING=1 when a shutdown begins.
    public func run(notifier: SystemdNotifier = SystemdNotifier()) async throws {
        var services: [any Service] = [timers, deliveries, ShutdownAnnouncer(notifier: notifier)]
        let ready = Gate()
        if notifier.isActive, let interval = SystemdNotifier.watchdogInterval() {
            let store = self.store
            services.append(WatchdogService(notifier: notifier, interval: interval, logger: logger, after: ready) {
                (try? await store.pendingTimerCount()) != nil
            })
        }
        let timers = self.timers
        let logger = self.logger
        let app = Application(
            router: APIRouter.build(store: store, deliveries: .init(webhooks: configuration.delivery.webhooks, bell: bell),
                                    operations: .init(metrics: metrics, isReady: { timers.isRecovered })),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "bevaka"),
            services: services,
            onServerRunning: { _ in
                await timers.waitUntilRecovered()
                if notifier.isActive, !notifier.send("READY=1\nSTATUS=serving") {
                    logger.error("systemd.notify.failed", metadata: ["message": "READY=1"])
                }
                logger.info("bevaka.ready")
                ready.open()
            },
            logger: logger)
        try await app.runService()
    }
}

/// Tells systemd a stop has begun, so it does not take the slower exit for a hang.
struct ShutdownAnnouncer: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        try? await gracefulShutdown()
        notifier.send("STOPPING=1")
    }
}
