import BevakaCore
import BevakaTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `/metrics` and `/readyz` on the real binary, after real timers fired.
@Suite(.serialized) struct MetricsTests {
    func text(_ port: Int, _ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func metricsShowCasesPendingTimersLatenessAndDeliveries() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT3S")
        let port = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: folder.path("db.sqlite"), workflows: workflows.path, port: port)
        try await KillRecoveryTests.waitUntilUp(port)
        #expect(try await text(port, "/readyz").0 == 200)

        for i in 0..<3 {
            _ = try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"c\#(i)"}}"#)
        }
        let before = try await text(port, "/metrics").1
        #expect(before.contains(#"bevaka_cases{workflow="quick",state="waiting"} 3"#), "\(before)")
        #expect(before.contains("bevaka_pending_timers 3"))

        for _ in 0..<200 {
            if try await KillRecoveryTests.expiredCount(port) == 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let (status, after) = try await text(port, "/metrics")
        #expect(status == 200)
        #expect(after.contains(#"bevaka_cases{workflow="quick",state="expired"} 3"#), "\(after)")
        #expect(after.contains(#"bevaka_cases{workflow="quick",state="waiting"} 0"#))
        #expect(after.contains("bevaka_pending_timers 0"))
        #expect(after.contains("bevaka_timer_lateness_seconds_count 3"))
        // The writer's commits: three openings and three firings, however they were grouped.
        let changes = after.split(separator: "\n").first { $0.hasPrefix("bevaka_write_changes ") }
        #expect(changes.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 >= 6 } == true, "\(after)")
        let commits = after.split(separator: "\n").first { $0.hasPrefix("bevaka_write_transactions ") }
        #expect(commits.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 >= 1 } == true)
        // Without a configuration nobody can be emailed: the owner's deliveries are unconfigured (not dead, which
        // an operator alerts on), and counted.
        #expect(after.contains(#"bevaka_deliveries{channel="email",status="unconfigured"} 3"#))
        #expect(!after.contains(#"status="dead"} 3"#))
        #expect(after.contains("bevaka_outbox_depth 0"))
        // 3 openings, 3 expiries, 3 raised events.
        #expect(after.contains("bevaka_transitions_total 9"))
        #expect(await daemon.stop() == 0)
    }

    @Test func logsAreOneJSONObjectPerLineWithCaseIds() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1S")
        let port = KillRecoveryTests.freePort()
        let log = folder.path("stderr.log")
        let process = try KillRecoveryTests.launch(["serve", "--database", folder.path("db.sqlite"), "--workflows", workflows.path, "--port", String(port),
                             "--log-level", "debug", "--log-format", "json"], stderr: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try await KillRecoveryTests.waitUntilUp(port)
        let (_, opened) = try await KillRecoveryTests.request(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"x"}}"#)
        let id = try #require(opened["id"]?.string)
        for _ in 0..<200 {
            if try await KillRecoveryTests.expiredCount(port) == 1 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(300))
        process.terminate()
        process.waitUntilExit()
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        let events = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        #expect(events.count == lines.count, "every line is one JSON object: \(lines.filter { !$0.hasPrefix("{") })")
        #expect(events.contains { $0["msg"] == "timer.fired" && $0["case.id"] == id && $0["level"] == "debug" })
        #expect(events.allSatisfy { $0["ts"] != nil && $0["logger"] != nil })
    }
}
