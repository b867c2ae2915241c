import BevakaCore
import BevakaDelivery
import BevakaPostgres
import Foundation

/// How notifications leave the daemon: read from the configuration file
/// (`bevaka.yaml`, see README "Configuration"), never from a request.
public struct DeliveryConfiguration: Sendable {
    /// Non-urgent notifications outside these hours wait for the next opening.
    public var officeHours = OfficeHours()
    /// Waits before each attempt: the first is normally zero ("at once"); after the last the delivery is dead.
    public var retrySchedule: [Duration] = [.zero, .seconds(5), .seconds(300), .seconds(1800), .seconds(7200),
                                            .seconds(18000), .seconds(36000), .seconds(36000)]
    /// Each wait is stretched or shrunk at random by up to this fraction, so retries to one receiver spread out.
    public var jitter = 0.2
    /// When daily digests go out, on working days.
    public var digestAt = LocalTime(hour: 7, minute: 30)
    public var email: EmailConfiguration?
    public var webhooks: [String: WebhookEndpoint] = [:]
    public var directory = Directory()
    /// `server:` and `log:` in the file; flags and `BEVAKA_*` variables override them.
    public var server = ServerSettings()

    public init() {}
}

/// Where the daemon listens and keeps its database, and how it logs. Each is
/// optional in the file; `bevaka serve` resolves flag, then environment
/// (`BEVAKA_HOST`, `BEVAKA_PORT`, `BEVAKA_DATABASE`, `BEVAKA_LOG_LEVEL`,
/// `BEVAKA_LOG_FORMAT`), then file, then default.
public struct ServerSettings: Sendable, Equatable {
    public var host: String?
    public var port: Int?
    public var database: String?
    public var logLevel: String?
    public var logFormat: String?
    /// Sign-in and tokens (`auth`), host names (`server.allowedHosts`) and proxies (`server.trustedProxies`).
    public var access = AccessSettings()
    /// How long a connection may take to send a complete request head: `server.requestHeadTimeout`.
    public var requestHeadTimeout: Duration?
    /// `store.postgres`: cases on PostgreSQL instead of the SQLite file (`database`), for several nodes.
    public var postgres: PostgresSettings?

    public init() {}

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
    public static let logFormats = ["logfmt", "json"]
}

public struct EmailConfiguration: Sendable {
    public var from: MailAddress
    public var smtp: SMTPSettings
    /// Told when a delivery dies or an endpoint is disabled.
    public var administrators: [String]

    public init(from: MailAddress, smtp: SMTPSettings, administrators: [String]) {
        self.from = from
        self.smtp = smtp
        self.administrators = administrators
    }
}

/// A receiver of webhooks.
public struct WebhookEndpoint: Sendable {
    public var name: String
    public var url: String
    /// Every secret signs each message (several during a rotation).
    public var secrets: [WebhookSecret]
    /// Event types it wants: exact (`case.escalated`), a prefix (`case.deadline.*`) or `*`.
    public var types: [String]
    /// Personal fields are sent to this endpoint (read from the case when sent, never kept in the outbox).
    public var personalData: Bool
    /// Hold non-urgent messages to office hours like email (default: systems get them at once).
    public var officeHours: Bool
    public var timeout: Duration
    /// At most this many requests to it at once (1–16; a case's messages always go one after another, in order).
    public var connections: Int

    public init(name: String, url: String, secrets: [WebhookSecret], types: [String] = ["*"], personalData: Bool = false,
                officeHours: Bool = false, timeout: Duration = .seconds(15), connections: Int = 4) {
        self.officeHours = officeHours
        self.connections = connections
        self.name = name
        self.url = url
        self.secrets = secrets
        self.types = types
        self.personalData = personalData
        self.timeout = timeout
    }

    public func wants(_ type: String) -> Bool {
        types.contains { pattern in
            pattern == "*" || pattern == type || (pattern.hasSuffix(".*") && type.hasPrefix(pattern.dropLast()))
        }
    }
}

/// Who gets email: people (with their preferences), teams and roles.
public struct Directory: Sendable {
    public struct Person: Sendable {
        public var email: String
        /// One email a day listing their deadlines due and overdue, instead of one per reminder.
        public var digest: Bool
        public var language: String

        public init(email: String, digest: Bool = false, language: String = "sv") {
            self.email = email
            self.digest = digest
            self.language = language
        }
    }

    /// A resolved mailbox and how its owner wants mail.
    public struct Recipient: Sendable, Hashable {
        public var address: String
        public var digest: Bool
        public var language: String
    }

    public var people: [String: Person] = [:]
    /// Members: email addresses or people's ids.
    public var teams: [String: [String]] = [:]
    /// Members: email addresses, people's ids or team names.
    public var roles: [String: [String]] = [:]

    public init(people: [String: Person] = [:], teams: [String: [String]] = [:], roles: [String: [String]] = [:]) {
        self.people = people
        self.teams = teams
        self.roles = roles
    }

    /// The mailboxes of a role for one case; `owner` is the case's owner. An
    /// empty result means nobody can be told, which the caller reports.
    public func recipients(role: String, owner: String) -> [Recipient] {
        if role == "owner" { return member(owner) }
        return (roles[role] ?? []).flatMap { entry in
            teams[entry].map { $0.flatMap(member) } ?? member(entry)
        }
    }

    /// A person's id or an address (people's preferences apply to their address too).
    public func member(_ entry: String) -> [Recipient] {
        if let person = people[entry] { return [Recipient(address: person.email, digest: person.digest, language: person.language)] }
        guard entry.contains("@") else { return [] }
        if let person = people.values.first(where: { $0.email.caseInsensitiveCompare(entry) == .orderedSame }) {
            return [Recipient(address: person.email, digest: person.digest, language: person.language)]
        }
        return [Recipient(address: entry, digest: false, language: "sv")]
    }

    /// Everyone who asked for a digest.
    public var digestRecipients: [Recipient] {
        people.values.filter(\.digest).map { Recipient(address: $0.email, digest: true, language: $0.language) }
            .sorted { $0.address < $1.address }
    }
}
