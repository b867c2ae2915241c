import ArgumentParser
import BevakaPostgres
import BevakaStore
import Foundation
import Logging

extension Bevaka {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database to a new file while the daemon runs (SQLite online backup: one consistent snapshot).")

        @Option(name: .long, help: "The daemon's database (default: $STATE_DIRECTORY/bevaka.sqlite, else ./bevaka.sqlite).")
        var database: String?

        @Option(name: .long, help: "The new file to write; an existing file is never overwritten.")
        var to: String

        func run() throws {
            let source = DatabaseLocation.path(database)
            do {
                let pages = try DatabaseMaintenance.backup(from: source, to: to)
                print("backed up \(source) to \(to) (\(pages) pages); check it with: bevaka check --database \(to)")
            } catch {
                FileHandle.standardError.write(Data("bevaka backup: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a database: SQLite integrity, foreign keys, schema migrations, workflow versions and every case's history chain.",
            discussion: """
                With --config naming a configuration with store.postgres, checks that PostgreSQL database instead: \
                its migrations, the append-only triggers, workflow versions and every case's history chain. It only reads.
                """)

        @Option(name: .long, help: "The database (default: $STATE_DIRECTORY/bevaka.sqlite, else ./bevaka.sqlite).")
        var database: String?

        @Option(name: .long, help: "The daemon's configuration: with store.postgres in it, that PostgreSQL database is checked.")
        var config: String?

        func run() async throws {
            let postgres = try StoreOptions.postgres(config: config, database: database)
            let name: String
            let (problems, cases): ([String], Int)
            if let postgres {
                name = "\(postgres)"
                var logger = Logger(label: "bevaka")
                logger.logLevel = .warning
                do { (problems, cases) = try await PostgresCheck.check(postgres, logger: logger) } catch {
                    FileHandle.standardError.write(Data("bevaka check: cannot check \(name): \(error)\n".utf8))
                    throw ExitCode(1)
                }
            } else {
                name = DatabaseLocation.path(database)
                do { (problems, cases) = try DatabaseMaintenance.check(path: name) } catch {
                    FileHandle.standardError.write(Data("bevaka check: \(error)\n".utf8))
                    throw ExitCode(1)
                }
            }
            guard problems.isEmpty else {
                for problem in problems { FileHandle.standardError.write(Data("\(name): \(problem)\n".utf8)) }
                FileHandle.standardError.write(Data("\(problems.count) problem\(problems.count == 1 ? "" : "s") found\n".utf8))
                throw ExitCode(1)
            }
            print("ok: \(name): \(postgres == nil ? "integrity, schema" : "schema, append-only triggers") and \(cases) case histories")
        }
    }
}

/// Where the database is when no --database is given (as for `serve`).
enum DatabaseLocation {
    static func path(_ given: String?) -> String {
        if let given { return given }
        if let directory = systemdDirectory("STATE_DIRECTORY") { return directory + "/bevaka.sqlite" }
        return "bevaka.sqlite"
    }
}
