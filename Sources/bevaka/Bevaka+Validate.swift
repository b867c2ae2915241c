import ArgumentParser
import BevakaCore
import Foundation

extension Bevaka {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check workflow files completely; print every problem as file:line:column: message.")

        @Argument(help: "Workflow folders or files (default: Workflows).")
        var paths: [String] = []

        func run() throws {
            var diagnostics: [WorkflowDiagnostic] = []
            var loaded: [WorkflowDefinition] = []
            for path in paths.isEmpty ? ["Workflows"] : paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    diagnostics.append(WorkflowDiagnostic(file: path, line: 1, column: 1, message: "no such file or folder"))
                    continue
                }
                do {
                    if isDirectory.boolValue {
                        loaded += try WorkflowLoader.loadDirectory(path).all
                    } else {
                        loaded.append(try WorkflowLoader.load(path: path))
                    }
                } catch {
                    diagnostics += error.diagnostics
                }
            }
            if !diagnostics.isEmpty {
                printDiagnostics(WorkflowLoadErrors(diagnostics))
                FileHandle.standardError.write(Data("\(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") found\n".utf8))
                throw ExitCode(1)
            }
            print("ok: \(loaded.map(\.key.description).joined(separator: ", "))")
        }
    }
}
