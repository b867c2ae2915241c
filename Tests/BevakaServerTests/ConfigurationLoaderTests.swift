import BevakaCore
import BevakaDelivery
import BevakaServer
import BevakaTestSupport
import Foundation
import Testing

/// The configuration file: the shipped example loads, and every mistake is
/// reported with its line and column, all at once.
@Suite struct ConfigurationLoaderTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    static func catalog() throws -> WorkflowCatalog { try WorkflowLoader.loadDirectory(workflowsFolder) }

    static var shippedExample: String {
        URL(fileURLWithPath: workflowsFolder).deletingLastPathComponent().appendingPathComponent("systemd/bevaka.example.yaml").path
    }

    @Test func theShippedExampleLoadsWithSecretsFromTheCredentialsDirectory() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try "s3cret\n".write(toFile: folder.path("smtp-password"), atomically: true, encoding: .utf8)
        try Self.secret.write(toFile: folder.path("webhook-arendesystem"), atomically: true, encoding: .utf8)
        try "oidc-s3cret\n".write(toFile: folder.path("oidc-client-secret"), atomically: true, encoding: .utf8)
        let configuration = try ConfigurationLoader.load(path: Self.shippedExample, catalog: try Self.catalog(),
                                                         environment: ["CREDENTIALS_DIRECTORY": folder.url.path])
        let access = configuration.server.access
        #expect(access.mode == .oidc)
        #expect(access.trustedProxies == ["127.0.0.1"])
        let web = try #require(access.oidc?.web)
        #expect(web.clientSecret == "oidc-s3cret")
        #expect(web.idleTimeout == 1800 && web.absoluteTimeout == 36_000)
        #expect(!String(describing: access).contains("oidc-s3cret") && !String(reflecting: access).contains("oidc-s3cret"))
        #expect(access.oidc?.groupRoles["dataskydd"] == ["auditor"])
        let email = try #require(configuration.email)
        #expect(email.smtp.security == .startTLS)
        #expect(email.smtp.password == "s3cret")
        #expect(!String(describing: email.smtp).contains("s3cret"))
        #expect(email.from.address == "bevaka@region.example")
        #expect(configuration.retrySchedule.count == 8)
        #expect(configuration.retrySchedule[2] == .seconds(300))
        #expect(configuration.digestAt == LocalTime(hour: 7, minute: 30))
        #expect(configuration.webhooks["arendesystem"]?.wants("case.escalated") == true)
        #expect(configuration.webhooks["arendesystem"]?.wants("digest.daily") == false)
        #expect(configuration.webhooks["arendesystem"]?.connections == 4)
        let handlaggare = configuration.directory.recipients(role: "handlaggare", owner: "x")
        #expect(handlaggare.map(\.address) == ["anna.berg@region.example", "uppfoljning@region.example"])
        #expect(handlaggare.first?.digest == true)
    }

    @Test func theInstalledDefaultLoadsWithoutSecretsAndSendsNothing() throws {
        let path = URL(fileURLWithPath: workflowsFolder).deletingLastPathComponent().appendingPathComponent("systemd/bevaka.yaml").path
        let configuration = try ConfigurationLoader.load(path: path, catalog: try Self.catalog(), environment: [:])
        #expect(configuration.email == nil)
        #expect(configuration.webhooks.isEmpty)
        #expect(configuration.retrySchedule.count == 8)
    }

    /// `store.postgres`: the URL and the password file (read from the credentials directory), or
    /// every mistake with its position; never a password in the URL, never both stores.
    @Test func thePostgreSQLStoreIsReadWithItsPasswordFromAFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try "s3cret\n".write(toFile: folder.path("pg-password"), atomically: true, encoding: .utf8)
        let good = try ConfigurationLoader.load(yaml: """
            store:
              postgres:
                url: "postgres://bevaka@db.region.se:6432/bevaka?sslmode=verify-full&sslrootcert=/etc/bevaka/db-ca.pem"
                passwordFile: pg-password
                deliveryLease: 2m
            """, path: folder.path("bevaka.yaml"), catalog: nil, environment: ["CREDENTIALS_DIRECTORY": folder.path("")])
        let postgres = try #require(good.server.postgres)
        #expect(postgres.host == "db.region.se" && postgres.port == 6432 && postgres.database == "bevaka" && postgres.username == "bevaka")
        #expect(postgres.password == "s3cret")
        #expect(postgres.tls == .verifyFull && postgres.rootCertificate == "/etc/bevaka/db-ca.pem")
        #expect(postgres.deliveryLease == 120)
        #expect("\(postgres)" == "postgres://bevaka@db.region.se:6432/bevaka?sslmode=verify-full")

        #expect {
            try ConfigurationLoader.load(yaml: """
                server:
                  database: /var/lib/bevaka/bevaka.sqlite
                store:
                  postgres:
                    url: "postgres://bevaka:hunter2@db/bevaka"
                    passwordFile: missing
                    deliveryLease: 2 days
                """, path: folder.path("bevaka.yaml"), catalog: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("bevaka.yaml:2:3: server.database names a SQLite file, but store.postgres keeps the cases in PostgreSQL")
                && text.contains("bevaka.yaml:5:10: store.postgres.url: the URL holds a password")
                && !text.contains("hunter2")
        }
        #expect {
            try ConfigurationLoader.load(yaml: """
                store:
                  postgres:
                    url: "postgres://bevaka@db/bevaka?sslmode=prefer"
                    deliveryLease: 2 days
                  sqlite: {}
                """, path: folder.path("bevaka.yaml"), catalog: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("sslmode 'prefer' is not one of disable, require, verify-full")
                && text.contains("deliveryLease must be from 1s to 1h") && text.contains("sqlite")
        }
    }

    @Test func everyMistakeIsReportedWithItsPosition() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("bevaka.yaml")
        try """
            delivery:
              officeHours: { opens: "17:00", closes: "08:00" }
              retry: [0s, 5 minutes]
              jitter: 2
            email:
              from: "not an address"
              server: http://mail.example
              administrators: [drift]
            webhooks:
              system:
                url: ftp://x
                secretFiles: [missing.secret]
                connections: 40
            directory:
              roles:
                handlaggare: [nobody]
              colour: blue

            """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ConfigurationLoader.load(path: path, catalog: try Self.catalog(), environment: [:])
            Issue.record("a broken configuration loaded")
        } catch let error as WorkflowLoadErrors {
            let lines = error.diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
            let expected = [
                "2:16: officeHours: 'opens' (17:00) must be before 'closes' (08:00)",
                "3:15: retry: '5 minutes' is not a wait (e.g. 0s, 5s, 5m, 2h)",
                "4:11: jitter must be a fraction from 0 to 0.5 (e.g. 0.2 for ±20 %)",
                "6:9: from: ",
                "7:11: server must start with smtp:// or smtps://, got 'http://mail.example'",
                "8:20: administrators: 'drift' is not an email address",
                "11:10: url must start with https:// (or http:// on a trusted network), got 'ftp://x'",
                "12:19: secretFiles: cannot read ",
                "13:18: connections must be from 1 to 16 (requests to this endpoint at once), got 40",
                "16:5: 'nobody' in 'handlaggare' is neither an email address, a person under directory.people nor a team",
                "17:3: unknown key 'colour' in directory",
            ]
            for prefix in expected {
                #expect(lines.contains { $0.hasPrefix(prefix) }, "missing \(prefix) in:\n\(lines.joined(separator: "\n"))")
            }
            #expect(error.diagnostics.allSatisfy { $0.file == path })
        }
    }

    @Test func rolesThatGetEmailNeedMembersAndNamedWebhooksMustExist() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("bevaka.yaml")
        try """
            email:
              from: bevaka@region.test
              server: smtp://127.0.0.1:25
              security: none
            directory:
              roles:
                handlaggare: [a@region.test]

            """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ConfigurationLoader.load(path: path, catalog: try Self.catalog(), environment: [:])
            Issue.record("roles without members were accepted")
        } catch let error as WorkflowLoadErrors {
            let messages = error.diagnostics.map(\.message)
            for role in ["beslutsfattare", "regionjurist", "verksamhetschef"] {
                #expect(messages.contains { $0.contains("emails role '\(role)', which has no members under directory.roles") },
                        "\(messages)")
            }
            #expect(!messages.contains { $0.contains("'handlaggare'") })
        }
    }

    @Test func invalidYAMLAndAMissingFileAreReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        #expect(throws: WorkflowLoadErrors.self) {
            try ConfigurationLoader.load(path: folder.path("absent.yaml"), catalog: nil, environment: [:])
        }
        do {
            _ = try ConfigurationLoader.load(yaml: "delivery: [1, 2\n", path: "x.yaml", catalog: nil)
            Issue.record("broken YAML loaded")
        } catch {
            #expect(error.diagnostics.first?.message.hasPrefix("not valid YAML") == true)
        }
        // An empty file is all defaults.
        let empty = try ConfigurationLoader.load(yaml: "", path: "x.yaml", catalog: nil)
        #expect(empty.email == nil && empty.webhooks.isEmpty)
    }

    @Test func officeHoursHoldNonUrgentMailToTheNextOpening() {
        let hours = OfficeHours()
        // Midsummer Eve 2026 (Friday) 23:00 → Monday 22 June 08:00.
        #expect(hours.nextOpening(from: local("2026-06-19T23:00")) == local("2026-06-22T08:00"))
        // A working day before opening → the same day at 08:00; inside → unchanged; at closing → next day.
        #expect(hours.nextOpening(from: local("2026-06-17T06:30")) == local("2026-06-17T08:00"))
        #expect(hours.nextOpening(from: local("2026-06-17T12:00")) == local("2026-06-17T12:00"))
        #expect(hours.nextOpening(from: local("2026-06-17T17:00")) == local("2026-06-18T08:00"))
        // Christmas Eve to the first working day after Boxing Day (2026-12-28 is a Monday).
        #expect(hours.nextOpening(from: local("2026-12-24T10:00")) == local("2026-12-28T08:00"))
    }
}
