import ArgumentParser
import BevakaPostgres
import Foundation
import Logging

extension Bevaka {
    struct MigrateStore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate-store",
            abstract: "Copy a SQLite database into an empty PostgreSQL one, checking every history chain before it commits.",
            discussion: """
                Stop the daemon first (or copy a backup: bevaka backup). Everything is copied in one PostgreSQL \
                transaction; a target that holds anything is refused, and on any problem nothing is written there.
                Example: bevaka migrate-store --from sqlite:/var/lib/bevaka/bevaka.sqlite \\
                  --to 'postgres://bevaka@db.region.se/bevaka?sslmode=verify-full' --password-file /etc/bevaka/postgres-password
                """)

        @Option(name: .long, help: "sqlite:FILE, the database to copy.")
        var from: String

        @Option(name: .long, help: "postgres://USER@HOST:PORT/DATABASE (sslmode, sslrootcert as in store.postgres.url), an empty database.")
        var to: String

        @Option(name: .long, help: "The file holding the PostgreSQL user's password.")
        var passwordFile: String?

        func run() async throws {
            guard from.hasPrefix("sqlite:"), from.count > "sqlite:".count else {
                fail("--from takes sqlite:FILE, got '\(from)'")
            }
            let path = String(from.dropFirst("sqlite:".count))
            let settings: PostgresSettings
            do { settings = try PostgresSettings(url: to, passwordFile: passwordFile) } catch {
                fail("--to: \(error)")
            }
            var logger = Logger(label: "bevaka.migrate-store")
            logger.logLevel = .warning
            do {
                let report = try await StoreMigration.copy(from: path, to: settings, logger: logger, progress: { print($0) })
                let total = report.rows.reduce(0) { $0 + $1.count }
                print("copied \(total) rows from \(path) to \(settings); \(report.chainsChecked) history chains intact")
            } catch {
                fail("\(error)")
            }
        }

        private func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("bevaka migrate-store: \(message)\n".utf8))
            Foundation.exit(1)
        }
    }
}
