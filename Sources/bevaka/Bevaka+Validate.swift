import ArgumentParser
import BevakaCore
import BevakaDelivery
import BevakaServer
import Foundation

extension Bevaka {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check workflow files, their email templates and a configuration file; print every problem as file:line:column: message.")

        @Argument(help: "Workflow folders or files (default: Workflows). Templates are read from templates/ beside them.")
        var paths: [String] = []

        @Option(name: .long, help: "Also check this configuration file against the workflows.")
        var config: String?

        func run() throws {
            var diagnostics: [WorkflowDiagnostic] = []
            var loaded: [WorkflowDefinition] = []
            for path in paths.isEmpty ? ["Workflows"] : paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    diagnostics.append(WorkflowDiagnostic(file: path, line: 1, column: 1, message: "no such file or folder"))
                    continue
                }
                let definitions: [WorkflowDefinition]
                do {
                    definitions = isDirectory.boolValue ? try WorkflowLoader.loadDirectory(path).all : [try WorkflowLoader.load(path: path)]
                } catch {
                    diagnostics += error.diagnostics
                    continue
                }
                loaded += definitions
                let folder = isDirectory.boolValue ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path).deletingLastPathComponent()
                let templatesFolder = folder.appendingPathComponent("templates")
                do {
                    diagnostics += TemplateChecks.check(try TemplateSet.load(folder: templatesFolder), definitions)
                } catch {
                    diagnostics.append(WorkflowDiagnostic(file: templatesFolder.path, line: 1, column: 1, message: "\(error)"))
                }
            }
            if let config {
                do {
                    _ = try ConfigurationLoader.load(path: config, catalog: WorkflowCatalog(loaded))
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
