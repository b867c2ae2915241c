import BevakaTestSupport
import Foundation
import Testing

/// The `bevaka` executable as a user runs it.
@Suite struct CommandLineTests {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func run(_ arguments: [String]) throws -> Output { try Self.bevaka(arguments) }

    /// Runs the built `bevaka` binary and collects what it printed.
    static func bevaka(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = KillRecoveryTests.binary
        process.arguments = try TestStores.commandLine(arguments)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func validatePassesTheShippedWorkflows() throws {
        let output = try run(["validate", workflowsFolder])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("kalmar-sanktionstrappa@3"))
    }

    @Test func validatePrintsEveryProblemWithItsPositionAndFails() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let kalmar = try String(contentsOfFile: workflowsFolder + "/kalmar-sanktionstrappa.yaml", encoding: .utf8)
        let broken = kalmar
            .replacingOccurrences(of: "handlingsplanInkommen: bedomerHandlingsplan", with: "handlingsplanInkommen: bedomerHandlingsplen")
            .replacingOccurrences(of: "remind: [P7D, P1D]", with: "remind: [P7D, P1]")
            .replacingOccurrences(of: "onRateChange: replace", with: "onRateChange: maybe")
        try broken.write(toFile: folder.path("kalmar.yaml"), atomically: true, encoding: .utf8)
        let output = try run(["validate", folder.url.path])
        #expect(output.status == 1)
        let lines = output.stderr.split(separator: "\n").filter { $0.contains("kalmar.yaml:") }
        // The typo also leaves two states unreachable, and validate says so.
        #expect(lines.count == 5, "\(output.stderr)")
        #expect(output.stderr.contains("state 'uppfoljning' cannot be reached from the initial state 'registrerad'"))
        #expect(lines.allSatisfy { $0.range(of: #"kalmar\.yaml:\d+:\d+: "#, options: .regularExpression) != nil })
        #expect(output.stderr.contains("target state 'bedomerHandlingsplen' is not declared under states (did you mean 'bedomerHandlingsplan'?)"))
        #expect(output.stderr.contains("onRateChange must be 'replace' or 'add'"))
        #expect(output.stderr.contains("5 problems found"))
    }

    @Test func validateChecksTheEmailTemplatesAndTheConfiguration() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let templates = folder.url.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: workflowsFolder + "/templates"), to: templates)
        try FileManager.default.copyItem(atPath: workflowsFolder + "/kalmar-sanktionstrappa.yaml", toPath: folder.path("kalmar.yaml"))
        try FileManager.default.removeItem(at: templates.appendingPathComponent("eskalering.sv.mustache"))
        try FileManager.default.removeItem(at: templates.appendingPathComponent("eskalering.sv.html.mustache"))
        try "Subject: {{fields.enhett}}\n\n{{deadline.title}}\n".write(
            to: templates.appendingPathComponent("avtalet-havt.sv.mustache"), atomically: true, encoding: .utf8)
        let etc = try TemporaryFolder()
        defer { etc.cleanup() }
        try "email: { from: bevaka@region.test, server: smtp://localhost, security: maybe }\n"
            .write(toFile: etc.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let output = try run(["validate", folder.url.path, "--config", etc.path("bevaka.yaml")])
        #expect(output.status == 1)
        #expect(output.stderr.contains("eskalering"), "\(output.stderr)")
        #expect(output.stderr.contains("avtalet-havt.sv.mustache:1:"), "\(output.stderr)")
        #expect(output.stderr.contains("enhet"), "did you mean: \(output.stderr)")
        #expect(output.stderr.contains("bevaka.yaml:1:"), "\(output.stderr)")
        #expect(output.stderr.contains("security must be starttls"), "\(output.stderr)")
        // serve refuses the same folder before opening anything.
        let serve = try run(["serve", "--workflows", folder.url.path, "--database", folder.path("db.sqlite"), "--port", "1"])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("avtalet-havt.sv.mustache:1:"), "\(serve.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("db.sqlite")))
    }

    @Test func serveRefusesABrokenWorkflowFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try "workflow: x\n".write(toFile: folder.path("x.yaml"), atomically: true, encoding: .utf8)
        let output = try run(["serve", "--workflows", folder.url.path, "--database", folder.path("db.sqlite"), "--port", "1"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("x.yaml:1:1: missing 'version'"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("db.sqlite")))
    }

    @Test func simulateShowsTheEscalationAndTheLedgerInKronor() throws {
        let output = try run(["simulate", workflowsFolder + "/kalmar-sanktionstrappa.yaml",
                              workflowsFolder + "/scenarios/kalmar-missad-handlingsplan.yaml"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("2026-02-16 17:00  bevaka (system)  handlingsplanUteblev  vantarHandlingsplan → beslutOmAtgard"))
        #expect(output.stdout.contains("2026-03  sanktion#2  2026-03-01…2026-03-31  6 × 8000 × 31/31 = 48000.00 SEK"))
        #expect(output.stdout.contains("Total: 142589.86 SEK"))
    }

    @Test func simulateFailsWhenAnExpectationDoesNotHold() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let scenario = try String(contentsOfFile: workflowsFolder + "/scenarios/kalmar-missad-handlingsplan.yaml", encoding: .utf8)
            .replacingOccurrences(of: "ledgerTotal: \"142589.86\"", with: "ledgerTotal: \"1.00\"")
        try scenario.write(toFile: folder.path("s.yaml"), atomically: true, encoding: .utf8)
        let output = try run(["simulate", "kalmar-sanktionstrappa", folder.path("s.yaml"), "--workflows", workflowsFolder])
        #expect(output.status == 1)
        #expect(output.stderr.contains("expected ledger total 1.00, got 142589.86"))
    }
}
