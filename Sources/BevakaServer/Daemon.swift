import BevakaCore
import BevakaDelivery
import BevakaPostgres
import BevakaStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The running daemon: the store, the TimerService, the DeliveryService and the
/// HTTP API in one service group, shut down gracefully on SIGTERM or SIGINT.
public struct Daemon: Sendable {
    public struct Configuration: Sendable {
        /// The SQLite file, unless `postgres` names a PostgreSQL database.
        public var databasePath: String
        /// Cases on PostgreSQL (`store.postgres`): several daemons may serve one database.
        public var postgres: PostgresSettings?
        public var host: String
        public var port: Int
        public var delivery: DeliveryConfiguration
        public var templates: TemplateSet
        /// Sign-in, tokens, host names and proxies (`auth`, `server.allowedHosts`, `server.trustedProxies`).
        public var access = AccessSettings()
        /// How long a connection may take to send a request head, from opening or from the previous answer.
        public var requestHeadTimeout: Duration = .seconds(10)
        /// How long a connection may stay silent inside a request (a stalled body).
        public var idleTimeout: Duration = .seconds(30)
        /// Reads and checks the workflows, templates and configuration again (on SIGHUP);
        /// throws every problem found, and then nothing changes.
        public var reload: (@Sendable () throws(WorkflowLoadErrors) -> Reloaded)?

        public init(databasePath: String, host: String = "127.0.0.1", port: Int = 8080,
                    delivery: DeliveryConfiguration = DeliveryConfiguration(), templates: TemplateSet = TemplateSet()) {
            self.databasePath = databasePath
            self.host = host
            self.port = port
            self.delivery = delivery
            self.templates = templates
        }
    }

    /// Why the daemon will not start as configured (another one holds the database, say).
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// What a reload produces, all checked.
    public struct Reloaded: Sendable {
        public var catalog: WorkflowCatalog
        public var templates: TemplateSet
        public var delivery: DeliveryConfiguration

        public init(catalog: WorkflowCatalog, templates: TemplateSet, delivery: DeliveryConfiguration) {
            self.catalog = catalog
            self.templates = templates
            self.delivery = delivery
        }
    }

    public let store: any Store
    /// Held while the daemon lives: a second one on the same SQLite file refuses to start
    /// (none on PostgreSQL, where several nodes serve one database by design).
    let lock: DatabaseLock?
    let timers: TimerService
    let deliveries: DeliveryService
    let bell: DeliveryBell
    let metrics: DaemonMetrics
    let configuration: Configuration
    let logger: Logger

    /// Opens the SQLite database (running migrations) and wires the services.
    public init(configuration: Configuration, catalog: WorkflowCatalog, logger: Logger) throws {
        try Self.refuseUnsafeAccess(configuration)
        // Taken before the database is opened, so a second daemon changes nothing, not even by migrating.
        let lock = try DatabaseLock(database: configuration.databasePath)
        let inbox = TimerInbox()
        let bell = DeliveryBell()
        let store = try CaseStore(path: configuration.databasePath, catalog: catalog, logger: logger,
                                  onCommit: Self.onCommit(inbox: inbox, bell: bell))
        self.init(configuration: configuration, store: store, lock: lock, inbox: inbox, bell: bell, logger: logger)
    }

    /// Opens the store the configuration names, SQLite or PostgreSQL (connecting and
    /// running its migrations, one node at a time), and wires the services.
    public static func open(configuration: Configuration, catalog: WorkflowCatalog, logger: Logger) async throws -> Daemon {
        guard let postgres = configuration.postgres else {
            return try Daemon(configuration: configuration, catalog: catalog, logger: logger)
        }
        try refuseUnsafeAccess(configuration)
        let inbox = TimerInbox()
        let bell = DeliveryBell()
        // Other nodes' new timers arrive through the same callback (NOTIFY), as this node's own do.
        let store = try await PostgresStore.open(postgres, catalog: catalog, logger: logger, onCommit: onCommit(inbox: inbox, bell: bell))
        return Daemon(configuration: configuration, store: store, lock: nil, inbox: inbox, bell: bell, logger: logger)
    }

    private static func refuseUnsafeAccess(_ configuration: Configuration) throws {
        if configuration.access.mode == .none && !AuthenticationMode.isLoopback(configuration.host) {
            throw Refused(description: "auth.mode none trusts the Bevaka-Actor and Bevaka-Role headers and is for development "
                                       + "on loopback only; it will not listen on \(configuration.host). Set auth.mode: tokens in the configuration.")
        }
    }

    /// After a commit: the TimerService hears of the timers it scheduled, and the DeliveryService looks for outbox rows.
    private static func onCommit(inbox: TimerInbox, bell: DeliveryBell) -> @Sendable ([ScheduledTimer]) -> Void {
        { timers in
            inbox.add(timers)
            bell.ring()
        }
    }

    private init(configuration: Configuration, store: any Store, lock: DatabaseLock?, inbox: TimerInbox, bell: DeliveryBell,
                 logger: Logger) {
        self.lock = lock
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
        if let reload = configuration.reload {
            services.append(ReloadService(store: store, deliveries: deliveries, notifier: notifier, logger: logger, load: reload))
        }
        let ready = Gate()
        if notifier.isActive, let interval = SystemdNotifier.watchdogInterval() {
            let store = self.store
            services.append(WatchdogService(notifier: notifier, interval: interval, logger: logger, after: ready) {
                (try? await store.pendingTimerCount()) != nil
            })
        }
        let timers = self.timers
        let logger = self.logger
        let allowedHosts = AllowedHosts.forBind(configuration.host, configured: configuration.access.allowedHosts)
        if allowedHosts.names == nil {
            logger.warning("http.hosts.any", metadata: [
                "detail": "bound to \(configuration.host) without server.allowedHosts: requests for any host name are answered; list the names the API is reached by"])
        }
        let (descriptors, maximumConnections) = ConnectionLimit.raiseDescriptorLimit()
        logger.info("http.connections", metadata: ["maximum": "\(maximumConnections)", "descriptors": "\(descriptors)"])
        let headTimeout = TimeAmount.nanoseconds(Int64(configuration.requestHeadTimeout.components.seconds) * 1_000_000_000)
        let app = Application(
            router: APIRouter.build(store: store, deliveries: .init(current: { [deliveries] in deliveries.webhooks }, bell: bell),
                                    operations: .init(metrics: metrics, isReady: { timers.isRecovered }), allowedHosts: allowedHosts,
                                    access: configuration.access, logger: logger),
            server: .http1(configuration: .init(additionalChannelHandlers: [RequestHeadTimeout(timeout: headTimeout)],
                                                idleTimeout: .seconds(Int64(configuration.idleTimeout.components.seconds)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "bevaka",
                                 availableConnectionsDelegate: ConnectionLimit(maximum: maximumConnections, logger: logger)),
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
        // The store's connections are closed once every service has stopped (what is committed stays).
        do {
            try await app.runService()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
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

/// On SIGHUP: reads the workflows, templates and configuration again, checks
/// them all, and only then swaps them in. On any problem every diagnostic is
/// logged and the daemon goes on with what it had.
struct ReloadService: Service {
    let store: any Store
    let deliveries: DeliveryService
    let notifier: SystemdNotifier
    let logger: Logger
    let load: @Sendable () throws(WorkflowLoadErrors) -> Daemon.Reloaded

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                await reload()
            }
        }
    }

    func reload() async {
        notifier.send("RELOADING=1")
        defer { notifier.send("READY=1") }
        let fresh: Daemon.Reloaded
        do {
            fresh = try load()
        } catch {
            for diagnostic in error.diagnostics {
                logger.error("reload.refused", metadata: ["problem": "\(diagnostic)"])
            }
            logger.error("reload.kept", metadata: ["problems": "\(error.diagnostics.count)",
                                                   "detail": "still serving the workflows and configuration loaded before"])
            return
        }
        do {
            try await store.reload(fresh.catalog)
        } catch {
            logger.error("reload.refused", metadata: ["problem": "\(error)"])
            logger.error("reload.kept", metadata: ["detail": "still serving the workflows and configuration loaded before"])
            return
        }
        deliveries.update(configuration: fresh.delivery, templates: fresh.templates)
        logger.notice("reload.done", metadata: [
            "workflows": "\(store.catalog.all.map(\.key.description).joined(separator: ","))",
            "webhooks": "\(fresh.delivery.webhooks.keys.sorted().joined(separator: ","))",
        ])
    }
}
