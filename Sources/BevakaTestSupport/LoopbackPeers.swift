import Foundation

// Real peers on loopback for the delivery tests: Python programs in
// Tests/Peers, started per test and stopped with SIGKILL (a child spawned from
// a test worker thread may inherit a mask that blocks SIGTERM).

/// The folder of the peer programs.
public let peersFolder: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/Peers")

/// An HTTP receiver that verifies Standard Webhooks signatures with its own
/// code and logs every request (see Tests/Peers/webhook_receiver.py for its paths).
public final class WebhookReceiver: @unchecked Sendable {
    let process = Process()
    public let port: Int
    let log: String

    public init(secrets: [String], folder: TemporaryFolder) throws {
        log = folder.path("requests-\(UUID().uuidString).jsonl")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersFolder.appendingPathComponent("webhook_receiver.py").path, log]
        process.environment = ProcessInfo.processInfo.environment.merging(["WEBHOOK_SECRETS": secrets.joined(separator: ",")]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        port = Int(readLineFrom(out.fileHandleForReading)) ?? 0
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every request so far, in arrival order (logged as it arrives, before the answer).
    public var requests: [[String: Any]] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// An SMTP server (aiosmtpd) that parses each message with Python's email package.
public struct SinkFailedToStart: Error, CustomStringConvertible {
    public let description: String
}

/// `smtp_sink.py` (aiosmtpd) on 127.0.0.1, killed when released.
public final class SMTPSink: @unchecked Sendable {
    let process = Process()
    public let port: Int
    public let folder: String

    /// `port` 0 lets the sink pick a free one.
    public init(folder: String, port: Int = 0, arguments: [String] = []) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = peersFolder.appendingPathComponent("smtp_sink.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, String(port), folder] + arguments
        let out = Pipe()
        process.standardOutput = out
        // aiosmtpd warns about AUTH without TLS and the like; keep it for diagnosis.
        let log = folder + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let words = readLineFrom(out.fileHandleForReading).split(separator: " ")
        guard words.count == 2, words[0] == "READY", let port = Int(words[1]) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw SinkFailedToStart(description: "smtp_sink.py: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        self.port = port
    }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// The messages received so far, in order.
    public var messages: [[String: Any]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> (Int, [String: Any])? in
            guard name.hasSuffix(".json"), let number = Int(name.dropLast(5)),
                  let data = FileManager.default.contents(atPath: folder + "/" + name),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return (number, object)
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Kills the sink now (the port is free afterwards).
    public func stop() {
        guard process.isRunning else { return }
        // SIGKILL: a child spawned from a test worker thread may inherit a
        // mask that blocks SIGTERM, and this server needs no graceful exit.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A self-signed certificate for `localhost` and 127.0.0.1: (certificate, key) paths.
public func selfSignedCertificate(in folder: TemporaryFolder) throws -> (String, String) {
    let certificate = folder.path("cert.pem"), key = folder.path("key.pem")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1",
                         "-keyout", key, "-out", certificate]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw SinkFailedToStart(description: "openssl failed") }
    return (certificate, key)
}

/// Reads one line (without its newline) from a pipe.
func readLineFrom(_ handle: FileHandle) -> String {
    var line = Data()
    while let byte = try? handle.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
    return String(decoding: line, as: UTF8.self)
}

/// A real OpenID provider (idpyoidc, `Tests/Peers/oidc_provider.py`) on 127.0.0.1,
/// with a system client for client credentials; killed when released.
public final class OpenIDProvider: @unchecked Sendable {
    let process = Process()
    /// The issuer URL (discovery at `issuer/.well-known/openid-configuration`).
    public let issuer: String
    public let systemClient = ("bevaka-system", "system-secret")

    public let webClient = ("bevaka-web", "web-secret")

    /// - Parameters:
    ///   - bevakaPort: where the Bevaka under test listens, so its callback and logout return are registered.
    ///   - users: `ID:NAME:GROUP,GROUP` each; the provider's defaults (anna, bo, admin) when empty.
    ///   - arguments: more of `oidc_provider.py`'s options (`--config FILE.json`, say).
    public init(audience: String = "bevaka-api", bevakaPort: Int = 9, users: [String] = [], arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersFolder.appendingPathComponent("oidc_provider.py").path, "--port", "0",
                             "--client-id", webClient.0, "--client-secret", webClient.1,
                             "--redirect-uri", "http://127.0.0.1:\(bevakaPort)/auth/callback",
                             "--post-logout-redirect-uri", "http://127.0.0.1:\(bevakaPort)/",
                             "--system-client-id", systemClient.0, "--system-client-secret", systemClient.1,
                             "--audience", audience] + users.flatMap { ["--user", $0] } + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = readLineFrom(out.fileHandleForReading)
        guard line.hasPrefix("LISTENING ") else { throw SinkFailedToStart(description: "oidc_provider.py said '\(line)'") }
        issuer = String(line.dropFirst("LISTENING ".count))
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
