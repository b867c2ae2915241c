import ArgumentParser
import BevakaCore
import BevakaDelivery
import BevakaServer
import BevakaStore
import Foundation
import Logging

extension Bevaka {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the daemon: the HTTP API and the deadline timers.")

        @OptionGroup var workflowOptions: WorkflowOptions

        @Option(name: .long, help: "SQLite database file (default: $STATE_DIRECTORY/bevaka.sqlite, else ./bevaka.sqlite).")
        var database: String?

        @Option(name: .long, help: "Address to bind.")
        var host: String = "127.0.0.1"

        @Option(name: .long, help: "Port to listen on.")
        var port: Int = 8080

        @Option(name: .long, help: "Configuration file: email, webhooks, directory, office hours (default: $CONFIGURATION_DIRECTORY/bevaka.yaml, else /etc/bevaka/bevaka.yaml if present; none: nothing is sent).")
        var config: String?

        @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
        var logLevel: String = "info"

        @Option(name: .long, help: "Log lines on standard error: logfmt or json (one event per line, with case ids).")
        var logFormat: String = "logfmt"

        func validate() throws {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535, got \(port)") }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            guard LineLogHandler.Format(rawValue: logFormat) != nil else {
                throw ValidationError("--log-format must be logfmt or json, got '\(logFormat)'")
            }
        }

        var databasePath: String { DatabaseLocation.path(database) }

        func run() async throws {
            let format = LineLogHandler.Format(rawValue: logFormat) ?? .logfmt
            LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format) }
            var logger = Logger(label: "bevaka")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let configurationPath = ConfigurationOptions.path(config)
            let workflowsFolder = workflowOptions.workflows
            // The same reading and checking at start and on every SIGHUP.
            let loadAll: @Sendable () throws(WorkflowLoadErrors) -> Daemon.Reloaded = {
                try Self.loadAll(workflows: workflowsFolder, configuration: configurationPath)
            }
            let loaded: Daemon.Reloaded
            do { loaded = try loadAll() } catch {
                printDiagnostics(error)
                throw ExitCode(1)
            }
            let (catalog, templates, delivery) = (loaded.catalog, loaded.templates, loaded.delivery)
            if configurationPath == nil {
                logger.warning("configuration.none", metadata: [
                    "detail": "no configuration file: notifications are recorded but neither emailed nor sent as webhooks"])
            }
            let daemon: Daemon
            do {
                var configuration = Daemon.Configuration(databasePath: databasePath, host: host, port: port, delivery: delivery,
                                                         templates: templates)
                configuration.reload = loadAll
                daemon = try Daemon(configuration: configuration, catalog: catalog, logger: logger)
            } catch let error as StoreError {
                FileHandle.standardError.write(Data("bevaka: \(error)\n".utf8))
                throw ExitCode(1)
            } catch {
                FileHandle.standardError.write(Data("bevaka: cannot open the database at \(databasePath): \(error)\n".utf8))
                throw ExitCode(1)
            }
            logger.info("bevaka.starting", metadata: [
                "database": "\(databasePath)", "workflows": "\(catalog.all.map(\.key.description).joined(separator: ","))",
                "address": "\(host):\(port)", "configuration": "\(configurationPath ?? "none")",
                "email": "\(delivery.email.map { $0.smtp.url } ?? "off")", "webhooks": "\(delivery.webhooks.keys.sorted().joined(separator: ","))",
            ])
            try await daemon.run()
        }

        /// Reads the workflow folder, its templates and the configuration, checking each against the others.
        static func loadAll(workflows: String, configuration path: String?) throws(WorkflowLoadErrors) -> Daemon.Reloaded {
            let catalog = try WorkflowLoader.loadDirectory(workflows)
            let folder = URL(fileURLWithPath: workflows).appendingPathComponent("templates")
            let templates: TemplateSet
            do { templates = try TemplateSet.load(folder: folder) } catch {
                throw WorkflowLoadErrors([WorkflowDiagnostic(file: folder.path, line: 1, column: 1, message: "\(error)")])
            }
            let problems = TemplateChecks.check(templates, catalog.all)
            guard problems.isEmpty else { throw WorkflowLoadErrors(problems) }
            let delivery = try path.map { path throws(WorkflowLoadErrors) in try ConfigurationLoader.load(path: path, catalog: catalog) }
                ?? DeliveryConfiguration()
            return Daemon.Reloaded(catalog: catalog, templates: templates, delivery: delivery)
        }
    }
}
