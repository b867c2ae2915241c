import ArgumentParser
import BevakaStore
import Foundation

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

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a database: SQLite integrity, foreign keys, schema migrations, workflow versions and every case's history chain.")

        @Option(name: .long, help: "The database (default: $STATE_DIRECTORY/bevaka.sqlite, else ./bevaka.sqlite).")
        var database: String?

        func run() throws {
            let path = DatabaseLocation.path(database)
            do {
                let (problems, cases) = try DatabaseMaintenance.check(path: path)
                guard problems.isEmpty else {
                    for problem in problems { FileHandle.standardError.write(Data("\(path): \(problem)\n".utf8)) }
                    FileHandle.standardError.write(Data("\(problems.count) problem\(problems.count == 1 ? "" : "s") found\n".utf8))
                    throw ExitCode(1)
                }
                print("ok: \(path): integrity, schema and \(cases) case histories")
            } catch let failure as DatabaseMaintenance.Failure {
                FileHandle.standardError.write(Data("bevaka check: \(failure)\n".utf8))
                throw ExitCode(1)
            }
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
