import ArgumentParser
import BevakaCore
import BevakaStore
import Foundation

extension Bevaka {
    struct RegisterCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register", abstract: "Keep the register of boards, providers, units and contracts.",
            subcommands: [RegisterImport.self])
    }

    /// `bevaka register import FILE.csv`: the register from a CSV, all or nothing.
    struct RegisterImport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Put boards, providers, units and contracts into the register from a CSV.",
            discussion: """
                FILE is CSV (UTF-8, a header row, RFC 4180 quoting) with the columns \
                \(RegisterCSV.columns.joined(separator: ", ")); `kind` is board, provider, unit or contract. A board has \
                key (its code, e.g. HSNV) and name; a provider key (e.g. its organisation number), name and group \
                (koncern); a unit key (its HSA-id), name, provider and, per row, listed patients from listedFrom; a \
                contract key, provider, area (VV Vårdcentral, LOU, IOP, …), board, start, end, team and units (HSA-ids \
                separated by ;). What is there already is changed, and every change is kept in the register's history. \
                Every row is checked first; if one is wrong, nothing is written and each problem is printed with its line.
                """)

        @OptionGroup var options: TokenOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(name: .long, help: "Check everything and count what would change; write nothing.") var dryRun = false
        @Option(name: .long, help: "Who does it, kept in the register's history.")
        var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        func run() async throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ValidationError("cannot read \(file) as UTF-8 text")
            }
            let (items, lines, problems) = RegisterCSV.items(text)
            func refuse(_ problems: [String]) throws -> Never {
                for problem in problems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
                FileHandle.standardError.write(Data("nothing was imported\n".utf8))
                throw ExitCode(1)
            }
            if !problems.isEmpty { try refuse(problems) }
            let (store, _) = try options.open()
            do {
                let counts = try await store.putRegister(items, lines: lines, actor: actor, dryRun: dryRun)
                let unchanged = items.count - counts.created - counts.changed
                print("\(dryRun ? "would be: " : "")\(counts.created) created, \(counts.changed) changed, \(unchanged) unchanged"
                      + (dryRun ? " (dry run: nothing written)" : ""))
            } catch let refused as RegisterProblems {
                try refuse(refused.problems)
            }
        }
    }
}
