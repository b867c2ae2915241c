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

        @Option(name: .long, help: "Address to bind (default: $BEVAKA_HOST, else server.host in the configuration, else 127.0.0.1).")
        var host: String?

        @Option(name: .long, help: "Port to listen on (default: $BEVAKA_PORT, else server.port, else 8080).")
        var port: Int?

        @Option(name: .long, help: "Configuration file: email, webhooks, directory, office hours (default: $CONFIGURATION_DIRECTORY/bevaka.yaml, else /etc/bevaka/bevaka.yaml if present; none: nothing is sent).")
        var config: String?

        @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical (default: $BEVAKA_LOG_LEVEL, else log.level, else info).")
        var logLevel: String?

        @Option(name: .long, help: "Log lines on standard error: logfmt or json, one event per line with case ids (default: $BEVAKA_LOG_FORMAT, else log.format, else logfmt).")
        var logFormat: String?

        /// Flag, then environment, then the configuration file, then the default; a bad value stops with its source named.
        struct Resolved {
            var host = "127.0.0.1", port = 8080, database: String?, logLevel = Logger.Level.info, logFormat = LineLogHandler.Format.logfmt
        }

        func resolve(_ file: ServerSettings, environment: [String: String]) throws -> Resolved {
            var resolved = Resolved()
            func pick(_ flag: String?, _ variable: String, _ fromFile: String?, _ name: String) -> (String, String)? {
                if let flag { return (flag, "--\(name)") }
                if let value = environment[variable], !value.isEmpty { return (value, "$\(variable)") }
                return fromFile.map { ($0, "\(name) in the configuration") }
            }
            if let (host, _) = pick(host, "BEVAKA_HOST", file.host, "host") { resolved.host = host }
            if let (text, source) = pick(port.map(String.init), "BEVAKA_PORT", file.port.map(String.init), "port") {
                guard let value = Int(text), (1...65535).contains(value) else { throw ValidationError("\(source) must be a port from 1 to 65535, got '\(text)'") }
                resolved.port = value
            }
            resolved.database = pick(database, "BEVAKA_DATABASE", file.database, "database")?.0
            if let (text, source) = pick(logLevel, "BEVAKA_LOG_LEVEL", file.logLevel, "log-level") {
                guard let level = Logger.Level(rawValue: text) else {
                    throw ValidationError("\(source) must be one of \(ServerSettings.logLevels.joined(separator: ", ")), got '\(text)'")
                }
                resolved.logLevel = level
            }
            if let (text, source) = pick(logFormat, "BEVAKA_LOG_FORMAT", file.logFormat, "log-format") {
                guard let format = LineLogHandler.Format(rawValue: text) else { throw ValidationError("\(source) must be logfmt or json, got '\(text)'") }
                resolved.logFormat = format
            }
            return resolved
        }

        func run() async throws {
            let configurationPath = ConfigurationOptions.path(config)
            // The server and log settings are read first (without the workflows), to log and listen as configured.
            var fileSettings = ServerSettings()
            if let configurationPath {
                do { fileSettings = try ConfigurationLoader.load(path: configurationPath, catalog: nil).server } catch {
                    printDiagnostics(error)
                    throw ExitCode(1)
                }
            }
            let settings: Resolved
            do { settings = try resolve(fileSettings, environment: ProcessInfo.processInfo.environment) } catch {
                FileHandle.standardError.write(Data("bevaka serve: \(error)\n".utf8))
                throw ExitCode(1)
            }
            if fileSettings.postgres != nil, settings.database != nil {
                FileHandle.standardError.write(Data("""
                    bevaka serve: --database or $BEVAKA_DATABASE names a SQLite file, but store.postgres in the configuration keeps \
                    the cases in PostgreSQL: give one of them\n
                    """.utf8))
                throw ExitCode(1)
            }
            let (host, port, databasePath) = (settings.host, settings.port, DatabaseLocation.path(settings.database))
            let format = settings.logFormat
            LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format) }
            var logger = Logger(label: "bevaka")
            logger.logLevel = settings.logLevel
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
                configuration.access = fileSettings.access
                configuration.postgres = fileSettings.postgres
                if let timeout = fileSettings.requestHeadTimeout { configuration.requestHeadTimeout = timeout }
                daemon = try await Daemon.open(configuration: configuration, catalog: catalog, logger: logger)
            } catch let error as StoreError {
                FileHandle.standardError.write(Data("bevaka: \(error)\n".utf8))
                throw ExitCode(1)
            } catch let error as Daemon.Refused {
                FileHandle.standardError.write(Data("bevaka: \(error)\n".utf8))
                throw ExitCode(1)
            } catch {
                let database = fileSettings.postgres.map { "\($0)" } ?? databasePath
                FileHandle.standardError.write(Data("bevaka: cannot open the database at \(database): \(error)\n".utf8))
                throw ExitCode(1)
            }
            if fileSettings.access.mode == .none {
                logger.warning("auth.none", metadata: [
                    "detail": "development mode: the Bevaka-Actor and Bevaka-Role headers are trusted as sent; listening on loopback only"])
            }
            logger.info("bevaka.starting", metadata: [
                "database": "\(fileSettings.postgres.map { "\($0)" } ?? databasePath)", "workflows": "\(catalog.all.map(\.key.description).joined(separator: ","))",
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
