import BevakaTestSupport
import Foundation
import Testing

/// `make install` into a scratch root: files in Debian's places, a unit that
/// systemd rates 2.5 or lower, a default configuration that validates, and
/// an uninstall that keeps the configuration.
@Suite(.serialized) struct InstallTests {
    static let packageRoot = URL(fileURLWithPath: workflowsFolder).deletingLastPathComponent().path

    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Self.packageRoot)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func installsIntoAScratchRootWithAUnitRatedAtMost2point5() throws {
        let root = try TemporaryFolder()
        defer { root.cleanup() }
        let install = try run("make", ["--no-print-directory", "install", "DESTDIR=\(root.url.path)", "BIN=\(KillRecoveryTests.binary.path)"])
        #expect(install.status == 0, "\(install.output)")
        for path in ["usr/bin/bevaka", "lib/systemd/system/bevaka.service", "etc/bevaka/bevaka.yaml",
                     "usr/share/bevaka/workflows/kalmar-sanktionstrappa.yaml", "usr/share/bevaka/workflows/templates/standard.sv.mustache",
                     "usr/share/doc/bevaka/bevaka.example.yaml"] {
            #expect(FileManager.default.fileExists(atPath: root.path(path)), "missing \(path)")
        }

        let security = try run("systemd-analyze", ["security", "--offline=yes", "--root=\(root.url.path)", "bevaka.service"])
        let match = security.output.firstMatch(of: /Overall exposure level for bevaka\.service: (\d+\.\d+)/)
        let score = try #require(match.flatMap { Double($0.1) }, "\(security.output)")
        #expect(score <= 2.5, "exposure \(score)")

        // The installed binary accepts the installed workflows and default configuration.
        let validate = try run(root.path("usr/bin/bevaka"), ["validate", root.path("usr/share/bevaka/workflows"),
                                                               "--config", root.path("etc/bevaka/bevaka.yaml")])
        #expect(validate.status == 0, "\(validate.output)")

        // An upgrade keeps an edited configuration; uninstall keeps it too.
        try "delivery: { digestAt: \"06:45\" }\n".write(toFile: root.path("etc/bevaka/bevaka.yaml"), atomically: true, encoding: .utf8)
        #expect(try run("make", ["--no-print-directory", "install", "DESTDIR=\(root.url.path)", "BIN=\(KillRecoveryTests.binary.path)"]).status == 0)
        #expect(try String(contentsOfFile: root.path("etc/bevaka/bevaka.yaml"), encoding: .utf8).contains("06:45"))
        #expect(try run("make", ["--no-print-directory", "uninstall", "DESTDIR=\(root.url.path)"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: root.path("usr/bin/bevaka")))
        #expect(!FileManager.default.fileExists(atPath: root.path("usr/share/bevaka")))
        #expect(FileManager.default.fileExists(atPath: root.path("etc/bevaka/bevaka.yaml")))
    }
}
