import BevakaCore
import BevakaTestSupport
import Foundation
import Testing

/// `server:` and `log:` in the configuration, overridden by `BEVAKA_*` variables, overridden by flags.
@Suite(.serialized) struct ServerSettingsTests {
    func start(_ arguments: [String], environment: [String: String], log: String) throws -> Process {
        try KillRecoveryTests.launch(["serve"] + arguments, environment: environment, stderr: log)
    }

    @Test func fileThenEnvironmentThenFlags() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder)
        let (filePort, environmentPort, flagPort) = (KillRecoveryTests.freePort(), KillRecoveryTests.freePort(), KillRecoveryTests.freePort())
        try """
            server: { port: \(filePort), database: \(folder.path("from-file.sqlite")) }
            log: { format: json, level: info }
            """.write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let common = ["--workflows", workflows.path, "--config", folder.path("bevaka.yaml")]

        // The file alone: its port, its database, JSON logs.
        var process = try start(common, environment: [:], log: folder.path("1.log"))
        try await KillRecoveryTests.waitUntilUp(filePort)
        process.terminate()
        process.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: folder.path("from-file.sqlite")))
        #expect(try String(contentsOfFile: folder.path("1.log"), encoding: .utf8).hasPrefix("{"))

        // The environment beats the file; a flag beats the environment.
        process = try start(common, environment: ["BEVAKA_PORT": String(environmentPort), "BEVAKA_LOG_FORMAT": "logfmt"], log: folder.path("2.log"))
        try await KillRecoveryTests.waitUntilUp(environmentPort)
        process.terminate()
        process.waitUntilExit()
        #expect(try String(contentsOfFile: folder.path("2.log"), encoding: .utf8).hasPrefix("ts="))
        process = try start(common + ["--port", String(flagPort)], environment: ["BEVAKA_PORT": String(environmentPort)], log: folder.path("3.log"))
        try await KillRecoveryTests.waitUntilUp(flagPort)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        // A bad value is refused with where it came from, before anything opens.
        process = try start(common, environment: ["BEVAKA_PORT": "eighty"], log: folder.path("4.log"))
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(try String(contentsOfFile: folder.path("4.log"), encoding: .utf8).contains("$BEVAKA_PORT must be a port from 1 to 65535, got 'eighty'"))
    }
}
