import ArgumentParser
import BevakaCore
import Foundation

extension WorkflowGraph.Format: ExpressibleByArgument {}

extension Bevaka {
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a workflow's state machine as Mermaid (default) or Graphviz DOT.")

        @Argument(help: "A workflow file.")
        var file: String

        @Option(name: .long, help: "mermaid or dot.")
        var format: WorkflowGraph.Format = .mermaid

        func run() throws {
            do {
                print(WorkflowGraph.render(try WorkflowLoader.load(path: file), format: format), terminator: "")
            } catch {
                printDiagnostics(error)
                throw ExitCode(1)
            }
        }
    }
}
