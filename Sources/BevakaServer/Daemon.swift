import BevakaCore
import BevakaStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The running daemon: the store, the TimerService and the HTTP API in one
/// service group, shut down gracefully on SIGTERM or SIGINT.
public struct Daemon: Sendable {
    public struct Configuration: Sendable {
        public var databasePath: String
        public var host: String
        public var port: Int

        public init(databasePath: String, host: String = "127.0.0.1", port: Int = 8080) {
            self.databasePath = databasePath
            self.host = host
            self.port = port
        }
    }

    public let store: CaseStore
    let timers: TimerService
    let configuration: Configuration
    let logger: Logger

    /// Opens the database (running migrations) and wires the services.
    public init(configuration: Configuration, catalog: WorkflowCatalog, logger: Logger) throws {
        let inbox = TimerInbox()
        let store = try CaseStore(path: configuration.databasePath, catalog: catalog, logger: logger,
                                  onCommit: { inbox.add($0) })
        self.store = store
        self.timers = TimerService(store: { store }, inbox: inbox, logger: logger)
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let app = Application(
            router: APIRouter.build(store: store),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "bevaka"),
            services: [timers],
            logger: logger)
        try await app.runService()
    }
}
