import ArgumentParser
import BevakaCore
import Foundation

/// The `bevaka` command: thin wiring around the library targets.
@main
struct Bevaka: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bevaka",
        abstract: "Keeps watch over contract follow-up cases: deadlines, reminders, escalations and sanctions.",
        subcommands: [Serve.self, Validate.self, Simulate.self])
}

/// Where the workflow files are.
struct WorkflowOptions: ParsableArguments {
    @Option(name: .long, help: "Folder of workflow files (*.yaml).")
    var workflows: String = ProcessInfo.processInfo.environment["BEVAKA_WORKFLOWS"] ?? "Workflows"

    /// Loads the folder, printing every problem to standard error on failure.
    func load() throws -> WorkflowCatalog {
        do {
            return try WorkflowLoader.loadDirectory(workflows)
        } catch {
            printDiagnostics(error)
            throw ExitCode(1)
        }
    }
}

func printDiagnostics(_ errors: WorkflowLoadErrors) {
    for diagnostic in errors.diagnostics {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
    }
}
