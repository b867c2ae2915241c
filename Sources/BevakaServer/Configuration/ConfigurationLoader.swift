import BevakaCore
import BevakaDelivery
import BevakaPostgres
import Foundation
import Yams

/// Reads `bevaka.yaml`. Every problem is reported with its line and column,
/// all at once, and an invalid file changes nothing: the daemon does not start
/// (or, on reload, keeps the configuration it has).
///
/// Secrets are never written in the file itself: `secretFiles` and
/// `passwordFile` name files, read relative to `$CREDENTIALS_DIRECTORY`
/// (systemd's `LoadCredential=`) when set, else to the configuration's folder.
public enum ConfigurationLoader {
    public static func load(path: String, catalog: WorkflowCatalog?,
                            environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(WorkflowLoadErrors) -> DeliveryConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw WorkflowLoadErrors([WorkflowDiagnostic(file: path, line: 1, column: 1,
                                                         message: "cannot read the configuration file (missing or not UTF-8 text)")])
        }
        return try load(yaml: text, path: path, catalog: catalog, environment: environment)
    }

    public static func load(yaml: String, path: String, catalog: WorkflowCatalog?,
                            environment: [String: String] = [:]) throws(WorkflowLoadErrors) -> DeliveryConfiguration {
        let root = try YAMLReader.compose(yaml, path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let secretsFolder = environment["CREDENTIALS_DIRECTORY"].map { URL(fileURLWithPath: $0) } ?? folder
        var reader = ConfigurationReader(reader: YAMLReader(file: path), secretsFolder: secretsFolder)
        let configuration = root.map { reader.configuration($0) } ?? DeliveryConfiguration()
        if let catalog { reader.check(configuration, against: catalog, root: root) }
        guard reader.reader.diagnostics.isEmpty else { throw WorkflowLoadErrors(reader.reader.diagnostics) }
        return configuration
    }

    /// Parses `0s`, `5s`, `5m`, `2h`, `1d` (or ISO 8601 time durations like `PT5M`).
    static func duration(_ text: String) -> Duration? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last, let factor = units[unit], let number = Int64(text.dropLast()), number >= 0 {
            let (seconds, overflow) = number.multipliedReportingOverflow(by: factor)
            return overflow ? nil : .seconds(seconds)
        }
        if case .iso(let iso)? = try? WorkflowDuration(parsing: text), iso.years == 0, iso.months == 0 {
            let seconds = Int64(((iso.weeks * 7 + iso.days) * 24 + iso.hours) * 3600 + iso.minutes * 60 + iso.seconds)
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        return nil
    }
}

private struct ConfigurationReader {
    var reader: YAMLReader
    let secretsFolder: URL
    var webhookNodes: [String: Node] = [:]
    var roleNodes: [String: Node] = [:]
    var emailNode: Node?

    init(reader: YAMLReader, secretsFolder: URL) {
        self.reader = reader
        self.secretsFolder = secretsFolder
    }

    static let topKeys = ["server", "log", "auth", "delivery", "email", "webhooks", "directory", "store"]

    mutating func configuration(_ root: Node) -> DeliveryConfiguration {
        var configuration = DeliveryConfiguration()
        guard let entries = reader.mapping(root, "the configuration") else { return configuration }
        reader.checkKeys(entries, allowed: Self.topKeys, in: "the configuration")
        for entry in entries {
            switch entry.key {
            case "delivery": delivery(entry.value, into: &configuration)
            case "email":
                emailNode = entry.keyNode
                configuration.email = email(entry.value)
            case "webhooks":
                for item in reader.mapping(entry.value, "webhooks") ?? [] {
                    webhookNodes[item.key] = item.keyNode
                    if let endpoint = webhook(item) { configuration.webhooks[item.key] = endpoint }
                }
            case "directory": configuration.directory = directory(entry.value)
            case "server": server(entry.value, into: &configuration.server)
            case "store": configuration.server.postgres = store(entry.value, database: entries.first { $0.key == "server" }?.value)
            case "log": log(entry.value, into: &configuration.server)
            case "auth":
                guard let props = reader.mapping(entry.value, "auth") else { continue }
                reader.checkKeys(props, allowed: ["mode", "oidc", "teamRoles"], in: "auth")
                if let node = props.first(where: { $0.key == "teamRoles" })?.value, let roles = reader.stringList(node, "teamRoles") {
                    if roles.isEmpty { reader.error(node, "auth.teamRoles lists the follow-up team's roles; an empty list would leave the register to admins and the traffic light to nobody") }
                    else { configuration.server.access.teamRoles = Set(roles.map(\.0)) }
                }
                if let node = props.first(where: { $0.key == "mode" })?.value, let text = reader.string(node, "mode") {
                    if let mode = AuthenticationMode(rawValue: text) { configuration.server.access.mode = mode } else {
                        reader.error(node, "auth.mode must be one of \(AuthenticationMode.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
                    }
                }
                if let node = props.first(where: { $0.key == "oidc" })?.value { configuration.server.access.oidc = oidc(node) }
                if configuration.server.access.mode == .oidc && configuration.server.access.oidc == nil {
                    reader.error(entry.value, "auth.mode oidc needs auth.oidc with issuer and audience")
                }
            default: break
            }
        }
        return configuration
    }

    mutating func server(_ node: Node, into settings: inout ServerSettings) {
        guard let entries = reader.mapping(node, "server") else { return }
        reader.checkKeys(entries, allowed: ["host", "port", "database", "allowedHosts", "trustedProxies", "requestHeadTimeout"], in: "server")
        for entry in entries {
            switch entry.key {
            case "requestHeadTimeout":
                guard let text = reader.string(entry.value, "requestHeadTimeout") else { continue }
                if let timeout = ConfigurationLoader.duration(text), timeout >= .seconds(1), timeout <= .seconds(300) {
                    settings.requestHeadTimeout = timeout
                } else {
                    reader.error(entry.value, "requestHeadTimeout must be from 1s to 300s (e.g. 10s), got '\(text)'")
                }
            case "host": settings.host = reader.string(entry.value, "host")
            case "allowedHosts":
                for (name, node) in reader.stringList(entry.value, "allowedHosts") ?? [] {
                    if name.isEmpty || name.contains("/") || name.contains(where: \.isWhitespace) {
                        reader.error(node, "allowedHosts lists host names such as bevaka.region.se, got '\(name)'")
                    } else { settings.access.allowedHosts.append(name) }
                }
            case "trustedProxies":
                for (address, node) in reader.stringList(entry.value, "trustedProxies") ?? [] {
                    if ForwardedForMiddleware.isAddress(address) { settings.access.trustedProxies.append(address) } else {
                        reader.error(node, "trustedProxies lists the proxies' IP addresses such as 127.0.0.1, got '\(address)'")
                    }
                }
            case "database": settings.database = reader.string(entry.value, "database")
            case "port":
                guard let port = reader.integer(entry.value, "port") else { continue }
                if (1...65535).contains(port) { settings.port = port } else { reader.error(entry.value, "port must be from 1 to 65535, got \(port)") }
            default: break
            }
        }
    }

    /// `store.postgres`: `url` (postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=FILE),
    /// `passwordFile` (read like the others), `deliveryLease` and `connections`. Refused beside `server.database`, which
    /// names the SQLite file.
    mutating func store(_ node: Node, database server: Node?) -> PostgresSettings? {
        guard let entries = reader.mapping(node, "store") else { return nil }
        reader.checkKeys(entries, allowed: ["postgres"], in: "store")
        guard let postgres = entries.first(where: { $0.key == "postgres" }) else {
            reader.error(node, "store names the database cases are kept in: store.postgres (without it, the SQLite file server.database)")
            return nil
        }
        guard let values = reader.mapping(postgres.value, "store.postgres") else { return nil }
        reader.checkKeys(values, allowed: ["url", "passwordFile", "deliveryLease", "connections"], in: "store.postgres")
        if let server, let items = reader.mapping(server, "server"), let database = items.first(where: { $0.key == "database" }) {
            reader.error(database.keyNode, "server.database names a SQLite file, but store.postgres keeps the cases in PostgreSQL: give one of them")
        }
        // Each value is checked whatever the others hold, so that every mistake is reported at once.
        let password = values.first(where: { $0.key == "passwordFile" }).flatMap { secret($0.value, "passwordFile") }
        var lease: TimeInterval?
        if let leaseNode = values.first(where: { $0.key == "deliveryLease" })?.value, let text = reader.string(leaseNode, "deliveryLease") {
            if let duration = ConfigurationLoader.duration(text), duration >= .seconds(1), duration <= .seconds(3600) {
                lease = TimeInterval(duration.components.seconds)
            } else {
                reader.error(leaseNode, "deliveryLease must be from 1s to 1h (e.g. 5m), got '\(text)'")
            }
        }
        var connections: Int?
        if let node = values.first(where: { $0.key == "connections" })?.value, let count = reader.integer(node, "connections") {
            if (2...200).contains(count) { connections = count } else { reader.error(node, "connections must be from 2 to 200, got \(count)") }
        }
        guard let urlNode = values.first(where: { $0.key == "url" })?.value, let url = reader.string(urlNode, "url") else {
            reader.error(postgres.value, "store.postgres needs url (postgres://USER@HOST:PORT/DATABASE)")
            return nil
        }
        var settings: PostgresSettings
        do { settings = try PostgresSettings(url: url) } catch {
            reader.error(urlNode, "store.postgres.url: \(error.description.replacingOccurrences(of: "PostgreSQL store: ", with: ""))")
            return nil
        }
        settings.password = password
        if let lease { settings.deliveryLease = lease }
        if let connections { settings.connections = connections }
        return settings
    }

    /// `auth.oidc`: `issuer`, `audience`, `scope`, `groups` (a `groups` claim value → roles), `clients` (client id → roles).
    mutating func oidc(_ node: Node) -> OIDCSettings? {
        guard let entries = reader.mapping(node, "auth.oidc") else { return nil }
        reader.checkKeys(entries, allowed: ["issuer", "audience", "scope", "groups", "clients", "web"], in: "auth.oidc")
        func text(_ key: String) -> String? { entries.first { $0.key == key }.flatMap { reader.string($0.value, key) } }
        guard let issuer = text("issuer"), let audience = text("audience") else {
            reader.error(node, "auth.oidc needs issuer and audience")
            return nil
        }
        if !(issuer.hasPrefix("https://") || issuer.hasPrefix("http://127.") || issuer.hasPrefix("http://localhost")) {
            reader.error(entries.first { $0.key == "issuer" }?.value, "the issuer must be https (http only on loopback, for tests)")
        }
        var settings = OIDCSettings(issuer: issuer, audience: audience)
        settings.requiredScope = text("scope")
        func roleMap(_ key: String) -> [String: [String]] {
            guard let node = entries.first(where: { $0.key == key })?.value else { return [:] }
            var map: [String: [String]] = [:]
            for entry in reader.mapping(node, "auth.oidc.\(key)") ?? [] {
                map[entry.key] = (reader.stringList(entry.value, "roles of '\(entry.key)'") ?? []).map(\.0)
            }
            return map
        }
        settings.groupRoles = roleMap("groups")
        settings.clientRoles = roleMap("clients")
        if let web = entries.first(where: { $0.key == "web" })?.value {
            settings.web = self.web(web)
            // An ID token names the web client as its audience: were that the API's audience too,
            // an ID token would pass for an access token.
            if settings.web?.clientID == audience {
                reader.error(entries.first { $0.key == "audience" }?.value, "audience must not be the web client's id (\(audience)): give the API an audience of its own")
            }
        }
        return settings
    }

    /// `auth.oidc.web`: `clientId`, `clientSecretFile` (read like `passwordFile`), `redirectUri`,
    /// `postLogoutRedirectUri`, `sessionIdle` (default 30m), `sessionLifetime` (default 10h).
    mutating func web(_ node: Node) -> WebSignInSettings? {
        guard let entries = reader.mapping(node, "auth.oidc.web") else { return nil }
        reader.checkKeys(entries, allowed: ["clientId", "clientSecretFile", "redirectUri", "postLogoutRedirectUri",
                                            "sessionIdle", "sessionLifetime"], in: "auth.oidc.web")
        func value(_ key: String) -> Node? { entries.first { $0.key == key }?.value }
        func text(_ key: String) -> String? { value(key).flatMap { reader.string($0, key) } }
        let secret = value("clientSecretFile").flatMap { self.secret($0, "clientSecretFile") }
        guard let clientID = text("clientId"), let secret, !secret.isEmpty, let redirect = text("redirectUri") else {
            reader.error(node, "auth.oidc.web needs clientId, clientSecretFile (a file holding the client's secret) and redirectUri")
            return nil
        }
        func isSecureURL(_ url: String) -> Bool {
            url.hasPrefix("https://") || url.hasPrefix("http://127.") || url.hasPrefix("http://localhost")
        }
        if !isSecureURL(redirect) || !redirect.hasSuffix("/auth/callback") {
            reader.error(value("redirectUri"), "redirectUri must be Bevaka's https address ending in /auth/callback (http only on loopback, for tests), got '\(redirect)'")
        }
        var settings = WebSignInSettings(clientID: clientID, clientSecret: secret, redirectURI: redirect)
        settings.postLogoutRedirectURI = text("postLogoutRedirectUri")
        if let url = settings.postLogoutRedirectURI, !isSecureURL(url) {
            reader.error(value("postLogoutRedirectUri"), "postLogoutRedirectUri must be https (http only on loopback), got '\(url)'")
        }
        // At most what OWASP ASVS level 2 allows (3.3.2): 30 minutes idle, 12 hours in all.
        for (key, range) in [("sessionIdle", 60.0...1800), ("sessionLifetime", 300.0...(12 * 3600))] {
            guard let node = value(key), let text = reader.string(node, key) else { continue }
            guard let duration = ConfigurationLoader.duration(text), range.contains(Double(duration.components.seconds)) else {
                reader.error(node, "\(key) must be a duration from \(Int(range.lowerBound / 60))m to \(Int(range.upperBound / 60))m (e.g. 30m), got '\(text)'")
                continue
            }
            if key == "sessionIdle" { settings.idleTimeout = Double(duration.components.seconds) } else {
                settings.absoluteTimeout = Double(duration.components.seconds)
            }
        }
        if settings.idleTimeout > settings.absoluteTimeout { reader.error(node, "sessionIdle is longer than sessionLifetime") }
        return settings
    }

    mutating func log(_ node: Node, into settings: inout ServerSettings) {
        guard let entries = reader.mapping(node, "log") else { return }
        reader.checkKeys(entries, allowed: ["level", "format"], in: "log")
        for entry in entries {
            guard let text = reader.string(entry.value, entry.key) else { continue }
            let allowed = entry.key == "level" ? ServerSettings.logLevels : ServerSettings.logFormats
            guard allowed.contains(text) else {
                reader.error(entry.value, "log \(entry.key) must be one of \(allowed.joined(separator: ", ")), got '\(text)'")
                continue
            }
            if entry.key == "level" { settings.logLevel = text } else { settings.logFormat = text }
        }
    }

    mutating func delivery(_ node: Node, into configuration: inout DeliveryConfiguration) {
        guard let entries = reader.mapping(node, "delivery") else { return }
        reader.checkKeys(entries, allowed: ["officeHours", "retry", "jitter", "digestAt"], in: "delivery")
        for entry in entries {
            switch entry.key {
            case "officeHours":
                guard let hours = reader.mapping(entry.value, "officeHours") else { continue }
                reader.checkKeys(hours, allowed: ["opens", "closes"], in: "officeHours")
                for item in hours {
                    guard let time = reader.localTime(item.value, item.key) else { continue }
                    if item.key == "opens" { configuration.officeHours.opens = time } else { configuration.officeHours.closes = time }
                }
                if configuration.officeHours.opens >= configuration.officeHours.closes {
                    reader.error(entry.value, "officeHours: 'opens' (\(configuration.officeHours.opens)) must be before 'closes' (\(configuration.officeHours.closes))")
                }
            case "retry":
                guard let items = reader.stringList(entry.value, "retry") else { continue }
                var schedule: [Duration] = []
                for (text, item) in items {
                    if let wait = ConfigurationLoader.duration(text) { schedule.append(wait) } else {
                        reader.error(item, "retry: '\(text)' is not a wait (e.g. 0s, 5s, 5m, 2h)")
                    }
                }
                if items.isEmpty { reader.error(entry.value, "retry needs at least one wait (0s: at once)") }
                configuration.retrySchedule = schedule
            case "jitter":
                guard let scalar = entry.value.scalar, let jitter = Double(scalar.string), (0...0.5).contains(jitter) else {
                    reader.error(entry.value, "jitter must be a fraction from 0 to 0.5 (e.g. 0.2 for ±20 %)")
                    continue
                }
                configuration.jitter = jitter
            case "digestAt":
                if let time = reader.localTime(entry.value, "digestAt") { configuration.digestAt = time }
            default: break
            }
        }
    }

    mutating func email(_ node: Node) -> EmailConfiguration? {
        guard let entries = reader.mapping(node, "email") else { return nil }
        let allowed = ["from", "server", "security", "username", "passwordFile", "caFile", "timeout", "administrators"]
        reader.checkKeys(entries, allowed: allowed, in: "email")
        let values = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        var from: MailAddress?
        if let node = values["from"], let text = reader.string(node, "from") {
            do { from = try MailAddress(parsing: text) } catch { reader.error(node, "from: \(error)") }
        } else if values["from"] == nil {
            reader.error(node, "email needs 'from' (the sender, e.g. \"Bevaka <bevaka@region.example>\")")
        }
        var server: String?
        if let node = values["server"], let text = reader.string(node, "server") {
            if text.hasPrefix("smtp://") || text.hasPrefix("smtps://") { server = text } else {
                reader.error(node, "server must start with smtp:// or smtps://, got '\(text)'")
            }
        } else if values["server"] == nil {
            reader.error(node, "email needs 'server' (e.g. smtp://mail.region.example:587)")
        }
        var security: SMTPSettings.Security = server?.hasPrefix("smtps://") == true ? .implicitTLS : .startTLS
        if let node = values["security"], let text = reader.string(node, "security") {
            switch text {
            case "starttls": security = .startTLS
            case "tls": security = .implicitTLS
            case "none": security = .none
            default: reader.error(node, "security must be starttls (default), tls (smtps://) or none (a local relay only), got '\(text)'")
            }
            if security == .implicitTLS, server?.hasPrefix("smtp://") == true {
                reader.error(node, "security tls needs an smtps:// server")
            }
        }
        var password: String?
        if let node = values["passwordFile"] { password = secret(node, "passwordFile") }
        let username = values["username"].flatMap { reader.string($0, "username") }
        if (username == nil) != (password == nil) {
            reader.error(node, "email: give both 'username' and 'passwordFile' for AUTH, or neither")
        }
        var timeout = Duration.seconds(30)
        if let node = values["timeout"] { timeout = wait(node, "timeout") ?? timeout }
        var administrators: [String] = []
        for (text, item) in values["administrators"].flatMap({ reader.stringList($0, "administrators") }) ?? [] {
            if (try? MailAddress(parsing: text)) == nil { reader.error(item, "administrators: '\(text)' is not an email address") }
            administrators.append(text)
        }
        guard let from, let server else { return nil }
        let settings = SMTPSettings(url: server, security: security, username: username, password: password,
                                    caFile: values["caFile"].flatMap { reader.string($0, "caFile") }, timeout: timeout)
        return EmailConfiguration(from: from, smtp: settings, administrators: administrators)
    }

    mutating func webhook(_ entry: YAMLReader.Entry) -> WebhookEndpoint? {
        guard let entries = reader.mapping(entry.value, "webhook '\(entry.key)'") else { return nil }
        reader.checkKeys(entries, allowed: ["url", "secretFiles", "types", "personalData", "officeHours", "timeout", "connections"],
                          in: "webhook '\(entry.key)'")
        let values = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        var url: String?
        if let node = values["url"], let text = reader.string(node, "url") {
            if text.hasPrefix("http://") || text.hasPrefix("https://") { url = text } else {
                reader.error(node, "url must start with https:// (or http:// on a trusted network), got '\(text)'")
            }
        } else if values["url"] == nil {
            reader.error(entry.keyNode, "webhook '\(entry.key)' needs a 'url'")
        }
        var secrets: [WebhookSecret] = []
        if let node = values["secretFiles"] {
            for (_, item) in reader.stringList(node, "secretFiles") ?? [] {
                guard let text = secret(item, "secretFiles") else { continue }
                do { secrets.append(try WebhookSecret(text)) } catch {
                    reader.error(item, "secretFiles: the file holds no valid secret: \(error)")
                }
            }
        } else {
            reader.error(entry.keyNode, "webhook '\(entry.key)' needs 'secretFiles' (files holding its whsec_… secrets)")
        }
        let types = values["types"].flatMap { reader.stringList($0, "types") }?.map(\.0) ?? ["*"]
        let personal = values["personalData"].flatMap { reader.bool($0, "personalData") } ?? false
        let officeHours = values["officeHours"].flatMap { reader.bool($0, "officeHours") } ?? false
        let timeout = values["timeout"].flatMap { wait($0, "timeout") } ?? .seconds(15)
        var connections = 4
        if let node = values["connections"], let number = reader.integer(node, "connections") {
            if (1...16).contains(number) { connections = number } else {
                reader.error(node, "connections must be from 1 to 16 (requests to this endpoint at once), got \(number)")
            }
        }
        guard let url, !secrets.isEmpty else { return nil }
        return WebhookEndpoint(name: entry.key, url: url, secrets: secrets, types: types, personalData: personal,
                               officeHours: officeHours, timeout: timeout, connections: connections)
    }

    mutating func directory(_ node: Node) -> Directory {
        var directory = Directory()
        guard let entries = reader.mapping(node, "directory") else { return directory }
        reader.checkKeys(entries, allowed: ["people", "teams", "roles"], in: "directory")
        for entry in entries {
            switch entry.key {
            case "people":
                for person in reader.mapping(entry.value, "people") ?? [] {
                    guard let fields = reader.mapping(person.value, "person '\(person.key)'") else { continue }
                    reader.checkKeys(fields, allowed: ["email", "digest", "language"], in: "person '\(person.key)'")
                    let values = Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.value) })
                    guard let emailNode = values["email"], let email = reader.string(emailNode, "email") else {
                        if values["email"] == nil { reader.error(person.keyNode, "person '\(person.key)' needs an 'email'") }
                        continue
                    }
                    if (try? MailAddress(parsing: email)) == nil { reader.error(emailNode, "'\(email)' is not an email address") }
                    directory.people[person.key] = Directory.Person(
                        email: email, digest: values["digest"].flatMap { reader.bool($0, "digest") } ?? false,
                        language: values["language"].flatMap { reader.string($0, "language") } ?? "sv")
                }
            case "teams", "roles":
                for group in reader.mapping(entry.value, entry.key) ?? [] {
                    let members = reader.stringList(group.value, "members of '\(group.key)'") ?? []
                    if entry.key == "teams" { directory.teams[group.key] = members.map(\.0) } else {
                        directory.roles[group.key] = members.map(\.0)
                        roleNodes[group.key] = group.keyNode
                    }
                }
            default: break
            }
        }
        // Every member must lead to an address.
        for (group, members) in directory.teams.merging(directory.roles, uniquingKeysWith: { a, _ in a }) {
            for member in members where directory.people[member] == nil && directory.teams[member] == nil && !member.contains("@") {
                reader.error(roleNodes[group] ?? node,
                             "'\(member)' in '\(group)' is neither an email address, a person under directory.people nor a team")
            }
        }
        return directory
    }

    /// Cross-checks with the workflows: named webhooks exist, roles that get email have addresses.
    mutating func check(_ configuration: DeliveryConfiguration, against catalog: WorkflowCatalog, root: Node?) {
        var reported = Set<String>()
        for definition in catalog.all {
            for use in definition.notificationUses {
                for name in use.notification.webhooks where configuration.webhooks[name] == nil && webhookNodes[name] == nil
                    && reported.insert("webhook \(name)").inserted {
                    reader.error(root, "workflow \(definition.key) (\(use.place)) sends webhooks to '\(name)', which is not under 'webhooks'")
                }
                guard configuration.email != nil else { continue }
                for role in use.notification.to where role != "owner" && configuration.directory.roles[role] == nil
                    && reported.insert("role \(role)").inserted {
                    reader.error(emailNode, "workflow \(definition.key) (\(use.place)) emails role '\(role)', which has no members under directory.roles")
                }
            }
        }
    }

    mutating func secret(_ node: Node, _ what: String) -> String? {
        guard let name = reader.string(node, what) else { return nil }
        let url = name.hasPrefix("/") ? URL(fileURLWithPath: name) : secretsFolder.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            reader.error(node, "\(what): cannot read \(url.path)")
            return nil
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    mutating func wait(_ node: Node, _ what: String) -> Duration? {
        guard let text = reader.string(node, what) else { return nil }
        guard let duration = ConfigurationLoader.duration(text), duration > .zero else {
            reader.error(node, "\(what) must be a positive duration like 15s, got '\(text)'")
            return nil
        }
        return duration
    }
}
