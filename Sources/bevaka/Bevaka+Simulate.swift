import ArgumentParser
import BevakaCore
import BevakaStore
import Foundation

extension Bevaka {
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario of timed events on a virtual clock and print the timeline and the ledger.")

        @Argument(help: "The workflow: a file, or a name in the workflow folder.")
        var workflow: String

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @OptionGroup var workflowOptions: WorkflowOptions

        func run() async throws {
            let catalog: WorkflowCatalog
            let name: String
            do {
                if FileManager.default.fileExists(atPath: workflow) {
                    let definition = try WorkflowLoader.load(path: workflow)
                    catalog = WorkflowCatalog([definition])
                    name = definition.name
                } else {
                    catalog = try WorkflowLoader.loadDirectory(workflowOptions.workflows)
                    name = workflow
                }
            } catch {
                printDiagnostics(error)
                throw ExitCode(1)
            }
            let loaded: Scenario
            do { loaded = try Scenario.load(path: scenario) } catch {
                printDiagnostics(error)
                throw ExitCode(1)
            }
            guard catalog.latest(named: name) != nil else {
                FileHandle.standardError.write(Data("bevaka: no workflow named '\(name)'; known: \(catalog.names.joined(separator: ", "))\n".utf8))
                throw ExitCode(1)
            }
            guard loaded.workflow == name else {
                FileHandle.standardError.write(Data("\(scenario): the scenario is for workflow '\(loaded.workflow)', not '\(name)'\n".utf8))
                throw ExitCode(1)
            }
            let result: SimulationResult
            do {
                result = try await Simulator.run(loaded, catalog: catalog)
            } catch {
                FileHandle.standardError.write(Data("\(scenario): \(error)\n".utf8))
                throw ExitCode(1)
            }
            print(result.text, terminator: "")
            if !result.failures.isEmpty {
                for failure in result.failures { FileHandle.standardError.write(Data("expectation failed: \(failure)\n".utf8)) }
                throw ExitCode(1)
            }
        }
    }
}
