import ArgumentParser
import BevakaCore
import Foundation

/// The `bevaka` command: thin wiring around the library targets.
@main
struct Bevaka: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bevaka",
        abstract: "Keeps watch over contract follow-up cases: deadlines, reminders, escalations and sanctions.",
        subcommands: [Serve.self, Validate.self, Graph.self, Simulate.self, Backup.self, Check.self, MigrateStore.self, CaseCommand.self, RegisterCommand.self, TokenCommand.self, SessionCommand.self, CalendarCommand.self])

    /// Every file Bevaka creates (the database, its WAL, backups, the lock) is
    /// readable by its owner and group only: cases hold personal data, and outside
    /// systemd (whose unit sets UMask too) the usual umask would make them world-readable.
    static func main() async {
        umask(0o027)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
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
        if let directory = systemdDirectory("CONFIGURATION_DIRECTORY") { return directory + "/bevaka.yaml" }
        return FileManager.default.fileExists(atPath: "/etc/bevaka/bevaka.yaml") ? "/etc/bevaka/bevaka.yaml" : nil
    }
}

/// The first folder systemd passes in `variable` (`STATE_DIRECTORY`, `CONFIGURATION_DIRECTORY`; several are separated by ':').
func systemdDirectory(_ variable: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else { return nil }
    return value.split(separator: ":").first.map(String.init) ?? value
}

func printDiagnostics(_ errors: WorkflowLoadErrors) {
    for diagnostic in errors.diagnostics {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
    }
}
