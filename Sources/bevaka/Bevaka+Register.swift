import ArgumentParser
import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation

extension Bevaka {
    struct RegisterCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register", abstract: "Keep the register of boards, providers, units and contracts.",
            subcommands: [RegisterImport.self, RegisterPlan.self])
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

        @OptionGroup var options: StoreOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(name: .long, help: "Check everything and count what would change; write nothing.") var dryRun = false
        @Option(name: .long, help: "Who does it, kept in the register's history.")
        var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        func run() async throws {
            let (items, lines, problems) = RegisterCSV.items(try ImportFile.text(file))
            if !problems.isEmpty { try ImportFile.refuse(problems, in: file) }
            let (store, _) = try await options.open()
            do {
                let counts = try await store.putRegister(items, lines: lines, actor: actor, dryRun: dryRun)
                let unchanged = items.count - counts.created - counts.changed
                print("\(dryRun ? "would be: " : "")\(counts.created) created, \(counts.changed) changed, \(unchanged) unchanged"
                      + (dryRun ? " (dry run: nothing written)" : ""))
            } catch let refused as RegisterProblems {
                try ImportFile.refuse(refused.problems, in: file)
            }
        }
    }

    /// `bevaka register plan --year Y --owner O`: the year's planned follow-up from the traffic light.
    struct RegisterPlan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Open the year's planned follow-up of every contract, as the traffic light asks for it.",
            discussion: """
                One vgr-planerad-uppfoljning case per contract running in the year that has none for that year yet: \
                a red provider a physical visit by 31 March, a provider in the group of a red one a dialogue meeting \
                by 15 June, a yellow or unassessed one a meeting by 30 September, a green one a follow-up at a distance \
                by 30 November. Running it again opens only what is missing.
                """)

        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: "The year to plan.") var year: Int
        @Option(name: .long, help: "Who owns the cases (the responsible regional developer).") var owner: String
        @Flag(name: .long, help: "Show the plan; open nothing.") var dryRun = false
        @Option(name: .long, help: "Who does it, kept in each case's history.")
        var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        func run() async throws {
            let (store, _) = try await options.open()
            let register = RegisterService(store: store)
            do {
                let plan = try await register.planYear(year, owner: owner, dryRun: dryRun,
                                                       by: CaseService.Caller(.operator(actor), from: "command line"))
                for item in plan {
                    let what = item.alreadyPlanned ? "finns redan" : (dryRun ? "planeras" : "öppnat")
                    print("\(item.dueBy)\t\(item.contract)\t\(item.provider)\t\(item.colour?.title ?? "ej bedömd")\t\(item.form)\t\(what)\t\(item.caseID ?? "")")
                }
                let opened = plan.filter { !$0.alreadyPlanned }.count
                print(dryRun ? "\(opened) would be opened, \(plan.count - opened) planned already (dry run: nothing opened)"
                             : "\(opened) opened, \(plan.count - opened) planned already")
            } catch let refused as RegisterProblems {
                for problem in refused.problems { FileHandle.standardError.write(Data("bevaka register plan: \(problem)\n".utf8)) }
                throw ExitCode(1)
            }
        }
    }
}
