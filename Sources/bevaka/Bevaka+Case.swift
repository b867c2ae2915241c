import ArgumentParser
import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation

extension Bevaka {
    struct CaseCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "case", abstract: "Work on cases in the database.", subcommands: [Migrate.self, Import.self])
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move cases to another version of their workflow, keeping id, state, fields and history.",
            discussion: """
                Each case is refused, unchanged, when its state, a field it holds or a running accrual does not exist in \
                the target version. Deploy the new version to the daemon first (SIGHUP), then migrate.
                """)

        @OptionGroup var options: StoreOptions

        @Option(name: .long, help: "The workflow version to move to.")
        var to: Int

        @Option(name: .long, help: "With --all: the workflow whose cases move.")
        var workflow: String?

        @Flag(name: .long, help: "Every open case of --workflow on another version.")
        var all = false

        @Option(name: .long, help: "Why, kept in each case's history.")
        var reason: String?

        @Option(name: .long, help: "Who does it, kept in each case's history.")
        var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        @Argument(help: "Case ids.")
        var ids: [String] = []

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("name case ids, or --all with --workflow (not both)") }
            if all && workflow == nil { throw ValidationError("--all needs --workflow") }
        }

        func run() async throws {
            let (store, _) = try await options.open()
            let cases = CaseService(store: store)
            let caller = CaseService.Caller(.operator(actor), from: "command line")
            var targets = ids
            if all, let workflow {
                var after: String?
                while true {
                    let page = try await cases.list(CaseFilter(workflow: workflow), after: after, limit: 500, by: caller)
                    targets += page.map(\.view.record).filter { $0.workflow.version != to }.map(\.id)
                    guard page.count == 500 else { break }
                    after = page.last?.cursor.description
                }
            }
            var refused = 0
            for id in targets {
                do {
                    let moved = try await cases.migrate(id, to: to, reason: reason, by: caller)
                    print("\(id): moved to \(moved.workflow)")
                } catch {
                    refused += 1
                    FileHandle.standardError.write(Data("\(id): refused: \(error)\n".utf8))
                }
            }
            print("\(targets.count - refused) moved, \(refused) refused")
            if refused > 0 { throw ExitCode(1) }
        }
    }
}
