import ArgumentParser
import BevakaCore
import BevakaDelivery
import BevakaServer
import Foundation

/// The `bevaka` command: thin wiring around the library targets.
@main
struct Bevaka: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bevaka",
        abstract: "Keeps watch over contract follow-up cases: deadlines, reminders, escalations and sanctions.",
        subcommands: [Serve.self, Validate.self, Simulate.self, Backup.self, Check.self, CaseCommand.self])
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

/// Finding and reading the configuration file.
enum ConfigurationOptions {
    /// The file to read: the one given, else the systemd configuration directory's, else /etc/bevaka's if present.
    static func path(_ given: String?) -> String? {
        if let given { return given }
        if let directory = ProcessInfo.processInfo.environment["CONFIGURATION_DIRECTORY"], !directory.isEmpty {
            let first = directory.split(separator: ":").first.map(String.init) ?? directory
            return URL(fileURLWithPath: first).appendingPathComponent("bevaka.yaml").path
        }
        return FileManager.default.fileExists(atPath: "/etc/bevaka/bevaka.yaml") ? "/etc/bevaka/bevaka.yaml" : nil
    }
}

func printDiagnostics(_ errors: WorkflowLoadErrors) {
    for diagnostic in errors.diagnostics {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
    }
}
