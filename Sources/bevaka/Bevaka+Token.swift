import ArgumentParser
import BevakaApplication
import BevakaCore
import BevakaPostgres
import BevakaServer
import BevakaStore
import Foundation
import Logging

extension Bevaka {
    /// `bevaka token create|list|revoke`: bearer tokens for systems that call the API (`auth.mode: tokens`).
    struct TokenCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token", abstract: "Make, list and revoke the API tokens systems call Bevaka with.",
            subcommands: [Create.self, List.self, Revoke.self])
    }

    /// The database and workflows a command works on: the SQLite file, or with `--config`
    /// naming a configuration with `store.postgres`, that PostgreSQL database.
    struct StoreOptions: ParsableArguments {
        /// The PostgreSQL database `config` names in store.postgres, if any; refused (exit 1, said why)
        /// when the configuration has problems, or when `--database` names a SQLite file beside it.
        static func postgres(config: String?, database: String?) throws -> PostgresSettings? {
            guard let config else { return nil }
            let postgres: PostgresSettings?
            do { postgres = try ConfigurationLoader.load(path: config, catalog: nil).server.postgres } catch {
                printDiagnostics(error)
                throw ExitCode(1)
            }
            if postgres != nil, database != nil {
                FileHandle.standardError.write(Data("bevaka: --database names a SQLite file, but \(config) keeps the cases in PostgreSQL (store.postgres): give one of them\n".utf8))
                throw ExitCode(1)
            }
            return postgres
        }

        @OptionGroup var workflowOptions: WorkflowOptions

        @Option(name: .long, help: "The database (default: $STATE_DIRECTORY/bevaka.sqlite, else ./bevaka.sqlite).")
        var database: String?

        @Option(name: .long, help: "The daemon's configuration: with store.postgres in it, the command works on that PostgreSQL database.")
        var config: String?

        func open() async throws -> (any Store, WorkflowCatalog) {
            let catalog = try workflowOptions.load()
            let postgres = try Self.postgres(config: config, database: database)
            do {
                if let postgres {
                    var logger = Logger(label: "bevaka")
                    logger.logLevel = .warning
                    return (try await PostgresStore.open(postgres, catalog: catalog, logger: logger), catalog)
                }
                return (try CaseStore(path: DatabaseLocation.path(database), catalog: catalog), catalog)
            } catch {
                FileHandle.standardError.write(Data("bevaka: cannot open the database \(postgres.map { "\($0)" } ?? DatabaseLocation.path(database)): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token and print it once: only a hash of it is kept.",
            discussion: "The token acts in ROLE (a role of the loaded workflows, or admin or auditor) as 'token:NAME' in every history row it writes.")

        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: "A name for the token: which system holds it.") var name: String
        @Option(name: .long, help: "The role it acts in.") var role: String
        @Option(name: .long, help: "How long it is valid, e.g. P90D (default: until revoked).") var expires: String?

        func run() async throws {
            var lifetime: WorkflowDuration?
            if let expires {
                do { lifetime = try WorkflowDuration(parsing: expires) } catch {
                    throw ValidationError("--expires: \(error.message)")
                }
            }
            let (store, catalog) = try await options.open()
            let roles = Set(catalog.all.flatMap { $0.roles.map(\.name) }).union(AccessPolicy.bevakaRoles)
            guard roles.contains(role) else {
                throw ValidationError("--role '\(role)' is not a role of the loaded workflows, nor admin or auditor; roles: \(roles.sorted().joined(separator: ", "))")
            }
            let expiresAt = lifetime.map { SwedishCalendar().adding($0, to: Date()) }
            do {
                let (token, secret) = try await store.createToken(name: name, role: role, expiresAt: expiresAt)
                print(secret)
                FileHandle.standardError.write(Data(
                    "token '\(token.name)' acts as role \(token.role)\(token.expiresAt.map { " until \(SwedishCalendar.isoUTCString($0))" } ?? ""); it is shown only now\n".utf8))
            } catch let error as ApiTokenError {
                FileHandle.standardError.write(Data("bevaka token create: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (never their secrets).")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let (store, _) = try await options.open()
            let now = Date()
            print("name\trole\tcreated\texpires\tstatus")
            for token in try await store.tokens() {
                let status = token.revokedAt != nil ? "revoked" : token.isUsable(at: now) ? "active" : "expired"
                print([token.name, token.role, SwedishCalendar.isoUTCString(token.createdAt),
                       token.expiresAt.map(SwedishCalendar.isoUTCString) ?? "-", status].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once (the running daemon refuses it from its next request).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            let (store, _) = try await options.open()
            do {
                let token = try await store.revokeToken(name: name)
                print("revoked \(token.name)")
            } catch let error as ApiTokenError {
                FileHandle.standardError.write(Data("bevaka token revoke: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
