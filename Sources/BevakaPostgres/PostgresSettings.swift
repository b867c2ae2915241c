import Foundation
import NIOSSL
import PostgresNIO

/// Where the PostgreSQL store is and how to reach it: `postgres://USER@HOST:PORT/DATABASE`,
/// with the password read from a credential file (never from the URL or `bevaka.yaml`),
/// and TLS to the server unless the URL says `sslmode=disable`.
///
/// `sslmode` is `verify-full` (the default: TLS, the server's certificate checked
/// against the system's roots or `sslrootcert=FILE`, and its name against the host),
/// `require` (TLS, the certificate not checked: only against a passive listener), or
/// `disable` (no TLS: a Unix socket or loopback only).
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable {
        case disable
        case require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var database: String
    public var password: String?
    public var tls: TLSMode
    /// PEM file of the certificate authorities to trust (`sslrootcert`); the system's when nil.
    public var rootCertificate: String?
    /// How long a node's claim on a delivery lasts (`store.postgres.deliveryLease`): a node that
    /// dies holding one leaves it to the others after this long. Longer than the slowest send.
    public var deliveryLease: TimeInterval = 300
    /// At most this many connections from this node (`store.postgres.connections`), one of them
    /// listening for the other nodes' timers. The server's max_connections must cover every node's.
    public var connections = 20

    /// Reads a `postgres://` URL and, if given, the file holding the password.
    public init(url: String, passwordFile: String? = nil) throws(PostgresSettingsError) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw .invalid("'\(Self.redacted(url))' is not a postgres://USER@HOST:PORT/DATABASE URL")
        }
        guard components.password == nil else {
            throw .invalid("the URL holds a password; put it in a credential file (passwordFile) instead, so it stays out of logs")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalid("the URL names no host") }
        guard let username = components.user, !username.isEmpty else { throw .invalid("the URL names no user (postgres://USER@HOST/DATABASE)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw .invalid("the URL names no database (postgres://USER@HOST/DATABASE)") }
        self.host = host
        self.port = components.port ?? 5432
        self.username = username
        self.database = database
        var tls = TLSMode.verifyFull
        var rootCertificate: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw .invalid("sslmode '\(item.value ?? "")' is not one of disable, require, verify-full")
                }
                tls = mode
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else { throw .invalid("sslrootcert names no file") }
                rootCertificate = value
            default:
                throw .invalid("unknown URL parameter '\(item.name)' (known: sslmode, sslrootcert)")
            }
        }
        self.tls = tls
        self.rootCertificate = rootCertificate
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw .invalid("cannot read the password file \(passwordFile)")
            }
            let text = String(decoding: data, as: UTF8.self)
            // One line; a trailing newline (as `echo` writes it) is not part of the password.
            let password = text.hasSuffix("\r\n") ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
            guard !password.isEmpty else { throw .invalid("the password file \(passwordFile) is empty") }
            self.password = password
        }
    }

    /// Where it connects, for logs: never the password.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    /// The URL with any password in it replaced, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "…"
        return components.string ?? "(unreadable URL)"
    }

    /// The client's configuration, with TLS as the URL asks.
    func clientConfiguration() throws(PostgresSettingsError) -> PostgresClient.Configuration {
        let tlsConfiguration: PostgresClient.Configuration.TLS
        switch tls {
        case .disable:
            tlsConfiguration = .disable
        case .require, .verifyFull:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            if tls == .require {
                configuration.certificateVerification = .none
            } else if let rootCertificate {
                do {
                    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificate))
                } catch {
                    throw .invalid("cannot read the certificate authorities in \(rootCertificate): \(error)")
                }
            }
            tlsConfiguration = .require(configuration)
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                         database: database, tls: tlsConfiguration)
        // One of them is the timer listener's, held for good.
        configuration.options.maximumConnections = max(2, connections)
        configuration.options.connectionIdleTimeout = .seconds(60)
        return configuration
    }
}

public enum PostgresSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let why): "PostgreSQL store: \(why)"
        }
    }
}
