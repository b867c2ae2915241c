import BevakaCore
import BevakaTestSupport
import Foundation
import Testing

/// SIGHUP on the real binary: a broken workflow keeps the old ones serving;
/// a good new version is taken, and running cases stay on theirs.
@Suite(.serialized) struct ReloadTests {
    static func versions(_ port: Int) async throws -> [Int] {
        let (_, body) = try await KillRecoveryTests.request(port, "GET", "/workflows")
        return body["items"]?[0]?["versions"]?.array.compactMap { if case .int(let v) = $0 { v } else { nil } } ?? []
    }

    @Test func sighupWithABrokenWorkflowKeepsServingTheOldOneAndAGoodOneIsTaken() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let port = KillRecoveryTests.freePort()
        let log = folder.path("stderr.log")
        let process = try KillRecoveryTests.launch(["serve", "--database", folder.path("db.sqlite"), "--workflows", workflows.path, "--port", String(port),
                             "--log-format", "json"], stderr: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try await KillRecoveryTests.waitUntilUp(port)
        let (_, first) = try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"a"}}"#)
        let firstID = try #require(first["id"]?.string)

        func logged(_ message: String) -> Bool {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("\"msg\":\"\(message)\"")
        }
        func hangUpAndWait(for message: String) async throws {
            kill(process.processIdentifier, SIGHUP)
            for _ in 0..<200 where !logged(message) { try await Task.sleep(for: .milliseconds(25)) }
            #expect(logged(message), "no \(message) in the log")
        }

        // A broken second version: refused with its position, the old one still serves.
        let version2 = KillRecoveryTests.quickWorkflow.replacingOccurrences(of: "version: 1", with: "version: 2")
            .replacingOccurrences(of: "title: Quick deadline", with: "title: Quick deadline, second version")
        try version2.replacingOccurrences(of: "close: closed", with: "close: nowhere")
            .write(to: workflows.appendingPathComponent("quick-2.yaml"), atomically: true, encoding: .utf8)
        try await hangUpAndWait(for: "reload.kept")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("quick-2.yaml:"), "the problem names the file")
        #expect(try await Self.versions(port) == [1])
        #expect(try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"b"}}"#).0 == 201)

        // Fixed: version 2 is taken; new cases start on it, the first stays on version 1.
        try version2.write(to: workflows.appendingPathComponent("quick-2.yaml"), atomically: true, encoding: .utf8)
        try await hangUpAndWait(for: "reload.done")
        #expect(try await Self.versions(port) == [1, 2])
        let (_, second) = try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"c"}}"#)
        #expect(second["workflowVersion"] == .int(2), "\(second)")
        let (_, old) = try await KillRecoveryTests.request(port, "GET", "/cases/\(firstID)")
        #expect(old["workflowVersion"] == .int(1))

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Issue 10 item 5: an 11 KB file of nested aliases sent by SIGHUP killed the running daemon.
    @Test func sighupWithNestedAliasesIsRefusedAndTheDaemonServesOn() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let port = KillRecoveryTests.freePort()
        let log = folder.path("stderr.log")
        let process = try KillRecoveryTests.launch(["serve", "--database", folder.path("db.sqlite"), "--workflows", workflows.path,
                                                    "--port", String(port), "--log-format", "json"], stderr: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try await KillRecoveryTests.waitUntilUp(port)
        var anchors = "x-laughs:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            anchors += "  a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]\n"
        }
        let bomb = KillRecoveryTests.quickWorkflow.replacingOccurrences(of: "version: 1", with: "version: 2") + anchors + "questions: *a9\n"
        try bomb.write(to: workflows.appendingPathComponent("quick-2.yaml"), atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        func logged(_ message: String) -> Bool {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(message)
        }
        for _ in 0..<400 where !logged("reload.kept") { try await Task.sleep(for: .milliseconds(25)) }
        #expect(logged("reload.kept"))
        #expect(logged("expands to more than 200000 values through its aliases"))
        #expect(process.isRunning)
        #expect(try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"b"}}"#).0 == 201)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
