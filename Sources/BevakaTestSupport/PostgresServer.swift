import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The two stores the store contract's tests run on.
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }
}

/// A real PostgreSQL server on 127.0.0.1 for the tests (`Tests/Peers/postgres_server.py`,
/// Debian's `postgresql` binaries): one per test process, started on first use, with TLS
/// (a self-signed certificate for 127.0.0.1) and a password user `bevaka`. It stops when
/// the test process ends, however it ends (the script watches its standard input).
/// Each test asks for a database of its own.
public final class PostgresServer: Sendable {
    public let port: Int
    public let password: String
    /// A file holding the password, as the daemon's configuration names one.
    public let passwordFile: String
    /// The certificate the server presents (its own authority), for `sslrootcert`.
    public let certificate: String
    private let process: Process
    private let requests: FileHandle
    private let answers: FileHandle
    private let lock = Mutex(0)

    private static let started = Mutex<Result<PostgresServer, SinkFailedToStart>?>(nil)

    /// The process's server, started by the first caller.
    public static func shared() throws -> PostgresServer {
        try started.withLock { started in
            if let started { return try started.get() }
            let result = Result { () throws(SinkFailedToStart) in try PostgresServer() }
            started = result
            return try result.get()
        }
    }

    private init() throws(SinkFailedToStart) {
        let folder: TemporaryFolder
        do { folder = try TemporaryFolder() } catch { throw SinkFailedToStart(description: "no temporary folder: \(error)") }
        password = "pw-" + UUID().uuidString
        passwordFile = folder.path("postgres-password")
        do {
            try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
            (certificate, _) = try selfSignedCertificate(in: folder)
        } catch {
            throw SinkFailedToStart(description: "postgres_server.py: \(error)")
        }
        let key = folder.path("key.pem")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersFolder.appendingPathComponent("postgres_server.py").path, "--password", password,
                             "--tls", certificate, key]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        let log = folder.path("postgres_server.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        do { try process.run() } catch { throw SinkFailedToStart(description: "postgres_server.py: \(error)") }
        requests = input.fileHandleForWriting
        answers = output.fileHandleForReading
        let words = readLineFrom(answers).split(separator: " ")
        guard words.count == 2, words[0] == "READY", let port = Int(words[1]) else {
            throw SinkFailedToStart(description: "postgres_server.py: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        self.port = port
    }

    /// A new, empty database; returns its name.
    public func createDatabase() throws -> String {
        try lock.withLock { count in
            count += 1
            let name = "t_\(count)_\(UUID().uuidString.prefix(8).lowercased())"
            try requests.write(contentsOf: Data("createdb \(name)\n".utf8))
            let answer = readLineFrom(answers)
            guard answer == "CREATED \(name)" else { throw SinkFailedToStart(description: "createdb \(name): \(answer)") }
            return name
        }
    }

    /// The URL of a new database, over TLS with the server's certificate checked.
    public func newDatabaseURL() throws -> String {
        "postgres://bevaka@127.0.0.1:\(port)/\(try createDatabase())?sslmode=verify-full&sslrootcert=\(certificate)"
    }

    /// Runs `work` with a client of one connection to `database` as the server's superuser, over
    /// loopback without TLS: the operator with psql, or a node that will die, as a test needs.
    public func withClient<R: Sendable>(database: String, _ work: @Sendable (PostgresClient) async throws -> R) async throws -> R {
        var configuration = PostgresClient.Configuration(host: "127.0.0.1", port: port, username: "bevaka", password: password,
                                                         database: database, tls: .disable)
        configuration.options.maximumConnections = 1
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "test"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await work(client)
        }
    }
}
