import BevakaCore
import BevakaDelivery
import BevakaPostgres
@testable import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// What the DeliveryService's tests use of a store.
typealias DeliveryTestStore = WorkflowStore & CaseCommandStore & CaseReadStore & TimerStore & DeliveryStore

/// The DeliveryService against each store (a real SQLite file, a real PostgreSQL), a real SMTP server
/// (aiosmtpd) and a real webhook receiver that checks signatures itself. The
/// wall clock is moved by hand and each test runs the service's rounds itself,
/// so "retry in 10 s" or "held until Monday 08:00" is checked without waiting.
@Suite(.serialized) struct DeliveryServiceTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    static let workflow = """
    workflow: leverans
    version: 1
    title: "Leveranstest"
    roles: { handlaggare: "Handläggare", chef: "Chef" }
    fields:
      enhet: { type: string, required: true, title: "Vårdenhet" }
      patient: { type: string, personal: true, title: "Patient" }
    events:
      larma: { roles: [handlaggare] }
      stang: { roles: [handlaggare] }
      forbered: { roles: [handlaggare] }
    checklists:
      rutiner:
        items:
          - { id: kontaktlista, title: "Kontaktlista upprättad", roles: [handlaggare], due: PT2H }
    states:
      oppen:
        initial: true
        deadlines:
          svar:
            title: "Svar från enheten"
            after: PT1H
            notify: [{ to: [owner, chef], type: case.deadline.expired, template: svar-saknas }]
        on:
          larma:
            to: larmad
            notify: [{ to: [chef], type: case.alarm, template: larm, urgent: true }]
          stang: stangd
          forbered: forberedd
      larmad:
        on:
          stang: stangd
      forberedd:
        checklists: [rutiner]
        on:
          stang: stangd
      stangd: { final: true }

    """

    static let templates = [
        "svar-saknas.sv.mustache": """
            Subject: Svar saknas från {{fields.enhet}} – åäö ÅÄÖ

            Hej,

            Fristen "{{deadline.title}}" gick ut {{deadline.due}}.
            Ärende {{case.id}} ({{case.workflowTitle}}), läge: {{case.stateTitle}}.

            """,
        "larm.sv.mustache": """
            Subject: Larm: {{fields.enhet}}

            Ärende {{case.id}} har larmats.

            """,
        "standard.sv.mustache": """
            Subject: {{type}} ({{case.id}})

            {{case.stateTitle}}

            """,
    ]

    /// One test's world: the store on a file, the peers, a configuration and a hand-moved clock.
    final class Fixture: @unchecked Sendable {
        let folder: TemporaryFolder
        let clock: ManualClock
        let store: any DeliveryTestStore
        let sink: SMTPSink
        let receiver: WebhookReceiver
        let templates: TemplateSet
        var configuration = DeliveryConfiguration()

        /// - Parameter shipped: use Workflows/ and its templates instead of the small test workflow.
        init(at start: String, shipped: Bool = false, kind: StoreKind) async throws {
            folder = try TemporaryFolder()
            var workflows = folder.path("workflows")
            if shipped {
                workflows = workflowsFolder
            } else {
                try FileManager.default.createDirectory(atPath: workflows + "/templates", withIntermediateDirectories: true)
                try DeliveryServiceTests.workflow.write(toFile: workflows + "/leverans.yaml", atomically: true, encoding: .utf8)
                for (name, text) in DeliveryServiceTests.templates {
                    try text.write(toFile: workflows + "/templates/" + name, atomically: true, encoding: .utf8)
                }
            }
            let clock = ManualClock(local(start))
            self.clock = clock
            let catalog = try WorkflowLoader.loadDirectory(workflows)
            switch kind {
            case .sqlite:
                store = try CaseStore(path: folder.path("bevaka.sqlite"), catalog: catalog, now: { clock.now })
            case .postgres:
                store = try await PostgresStore.open(try PostgresServer.settingsForNewDatabase(),
                                                     catalog: catalog, now: { clock.now })
            }
            templates = try TemplateSet.load(folder: URL(fileURLWithPath: workflows + "/templates"))
            #expect(TemplateChecks.check(templates, catalog.all).isEmpty)
            sink = try SMTPSink(folder: folder.path("mail"))
            receiver = try WebhookReceiver(secrets: [DeliveryServiceTests.secret], folder: folder)
            configuration.retrySchedule = [.zero, .seconds(10), .seconds(20), .seconds(30)]
            configuration.jitter = 0
            configuration.email = EmailConfiguration(
                from: try MailAddress(parsing: "Bevaka <bevaka@region.test>"),
                smtp: SMTPSettings(url: sink.url, security: .none, timeout: .seconds(5)),
                administrators: ["drift@region.test"])
            configuration.directory = Directory(roles: ["chef": ["chef@region.test"]])
        }

        func endpoint(_ name: String, _ path: String, personalData: Bool = false) throws {
            configuration.webhooks[name] = WebhookEndpoint(
                name: name, url: receiver.url(path), secrets: [try WebhookSecret(DeliveryServiceTests.secret)],
                personalData: personalData, timeout: .seconds(5))
        }

        func service() -> DeliveryService {
            let clock = self.clock
            return DeliveryService(store: store, configuration: configuration, templates: templates, bell: DeliveryBell(),
                                   baseURL: "http://127.0.0.1:8080", now: { clock.now }, random: { 0.5 })
        }

        func open(owner: String = "anna@region.test") async throws -> CaseRecord {
            try await store.openCase(workflow: "leverans", owner: owner,
                                     fields: ["enhet": .string("Vårdcentralen Åby"), "patient": .string("Britt Ödman")],
                                     actor: Actor(name: "anna", role: "handlaggare"))
        }

        func alarm(_ id: String) async throws {
            _ = try await store.applyEvent(caseID: id, event: "larma", payload: [:], reason: nil, actor: Actor(name: "anna", role: "handlaggare"))
        }

        func advance(seconds: Double) { clock.set(clock.now.addingTimeInterval(seconds)) }

        /// Moves to 18 June 07:30, runs the service, and returns the one digest `address` received.
        func nextMorningsDigest(for address: String, service: DeliveryService) async throws -> String {
            clock.set(local("2026-06-18T07:30"))
            _ = try await service.round()
            _ = try await service.round()
            let digests = sink.messages.filter { ($0["rcpt_tos"] as? [String]) == [address] }
            #expect(digests.count == 1)
            return try #require(digests.first?["text"] as? String)
        }

        func deliveries(channel: DeliveryChannel? = nil) async throws -> [DeliveryRecord] {
            try await store.deliveries(status: nil, before: nil, limit: 100).filter { channel == nil || $0.channel == channel }
                .sorted { $0.id < $1.id }
        }

        deinit { folder.cleanup() }
    }

    @Test(arguments: StoreKind.allCases) func aReceiverThatFailsTwiceGetsTheSameIdAgainAndPersonalDataOnlyWhereConfigured(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T10:00", kind: kind)
        try world.endpoint("system", "/flaky/2")
        try world.endpoint("journal", "/ok", personalData: true)
        let service = world.service()
        let opened = try await world.open()
        try await world.alarm(opened.id)

        _ = try await service.round()
        world.advance(seconds: 10)
        _ = try await service.round()
        #expect(try await world.deliveries(channel: .webhook).first { $0.target == "system" }?.status == .pending)
        world.advance(seconds: 20)
        _ = try await service.round()

        let system = world.receiver.requests.filter { $0["path"] as? String == "/flaky/2" }
        #expect(system.count == 3)
        // Every attempt carries the delivery's own message id (a ULID, unique across restores).
        let webhook = try #require(try await world.deliveries(channel: .webhook).first { $0.target == "system" })
        #expect(webhook.messageID.count == 26)
        #expect(system.allSatisfy { $0["id"] as? String == "msg_" + webhook.messageID && $0["verified"] as? Bool == true })
        let body = json(Array((system[0]["body"] as? String ?? "").utf8))
        #expect(body["type"]?.string == "case.alarm")
        #expect(body["data"]?["fields"]?["enhet"]?.string == "Vårdcentralen Åby")
        #expect(body["data"]?["fields"]?["patient"] == nil)
        let journal = world.receiver.requests.filter { $0["path"] as? String == "/ok" }
        #expect(journal.count == 1)
        #expect(json(Array((journal[0]["body"] as? String ?? "").utf8))["data"]?["fields"]?["patient"]?.string == "Britt Ödman")

        let webhooks = try await world.deliveries(channel: .webhook)
        #expect(webhooks.map(\.status) == [.delivered, .delivered])
        let (delivery, attempts) = try await world.store.delivery(id: try #require(webhooks.first { $0.target == "system" }).id)
        #expect(delivery.attempts == 3)
        #expect(attempts.map(\.outcome) == ["failed", "failed", "delivered"])
        #expect(attempts.map(\.statusCode) == [500, 500, 200])
        // The urgent email to the role went at once, once.
        #expect(world.sink.messages.map { $0["rcpt_tos"] as? [String] } == [["chef@region.test"]])
        #expect(try await world.store.notifications(caseID: opened.id).last?.status == "delivered")
    }

    /// Issue 11: reminders reach this unit's own head, named on the case, not the role's shared mailbox;
    /// a role the case does not name still goes to the directory, and a new owner gets the owner's mail.
    @Test(arguments: StoreKind.allCases) func aCaseNamingItsOwnChefSendsTheRolesMailToThemAndANewOwnerGetsTheOwnersMail(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T10:00", kind: kind)
        let service = world.service()
        let officer = Actor(name: "anna", role: "handlaggare")
        let named = try await world.store.openCase(
            workflow: "leverans", owner: "anna@region.test", fields: ["enhet": .string("Vårdcentralen Åby")],
            people: ["chef": .array([.object(["name": .string("Eva Ek"), "email": .string("eva.ek@aby.test")])])], actor: officer)
        #expect(named.people["chef"] == [CasePerson(name: "Eva Ek", email: "eva.ek@aby.test")])
        let plain = try await world.open()
        try await world.alarm(named.id)
        try await world.alarm(plain.id)
        _ = try await service.round()
        let recipients = world.sink.messages.compactMap { $0["rcpt_tos"] as? [String] }
        #expect(recipients.contains(["eva.ek@aby.test"]), "the unit's own head, named on the case")
        #expect(recipients.contains(["chef@region.test"]), "the directory, for the case that names nobody")
        #expect(recipients.count == 2)

        // The in-depth team takes a case over: a new owner (with a reason) gets the owner's mail from now on.
        let waiting = try await world.open()
        let moved = try await world.store.applyEvent(caseID: waiting.id, event: caseReassignEvent, payload: ["owner": .string("bo@region.test")],
                                                     reason: "Fördjupad uppföljning tar över", actor: officer)
        #expect(moved.owner == "bo@region.test")
        world.advance(seconds: 3600)
        _ = try await world.store.fireDueTimers(upTo: world.clock.now)
        _ = try await service.round()
        _ = try await service.round()
        let expiry = world.sink.messages.compactMap { $0["rcpt_tos"] as? [String] }.dropFirst(2)
        #expect(expiry.contains(["bo@region.test"]), "\(expiry)")
        #expect(!expiry.contains(["anna@region.test"]))
        let history = try await world.store.history(caseID: waiting.id)
        #expect(history.last { $0.entry.event == caseReassignEvent }?.entry.notes == ["owner anna@region.test → bo@region.test"])
    }

    /// Each endpoint (and email) sends on lanes of its own: a receiver that takes every
    /// connection and never answers holds up only its own deliveries, while the other
    /// endpoint's and the emails all arrive.
    @Test(arguments: StoreKind.allCases) func aSilentEndpointHoldsUpOnlyItsOwnDeliveries(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T10:00", kind: kind)
        try world.endpoint("system", "/ok")
        let silent = try SilentListener()
        world.configuration.webhooks["silent"] = WebhookEndpoint(
            name: "silent", url: "http://127.0.0.1:\(silent.port)/hook", secrets: [try WebhookSecret(DeliveryServiceTests.secret)],
            timeout: .seconds(60))
        let service = world.service()
        for _ in 0..<12 { try await world.alarm(try await world.open().id) }

        let round = Task { try await service.round() }
        for _ in 0..<400 where world.receiver.requests.count < 12 || world.sink.messages.count < 12 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(world.receiver.requests.count == 12)
        #expect(world.sink.messages.count == 12)
        // Meanwhile not one attempt at the silent endpoint has ended.
        let stuck = try await world.deliveries(channel: .webhook).filter { $0.target == "silent" }
        #expect(stuck.count == 12)
        #expect(stuck.allSatisfy { $0.status == .pending && $0.attempts == 0 })

        // Closed, it refuses: each of its deliveries fails once and waits for its retry.
        silent.close()
        _ = try await round.value
        let failed = try await world.deliveries(channel: .webhook).filter { $0.target == "silent" }
        #expect(failed.allSatisfy { $0.status == .pending && $0.attempts == 1 })
        #expect(try await world.deliveries(channel: .webhook).filter { $0.target == "system" }.allSatisfy { $0.status == .delivered })
    }

    @Test(arguments: StoreKind.allCases) func goneDisablesTheEndpointAndTellsTheAdministrators(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T10:00", kind: kind)
        try world.endpoint("system", "/gone")
        let service = world.service()
        let first = try await world.open()
        try await world.alarm(first.id)
        _ = try await service.round()

        #expect(try await world.store.disabledEndpoints()["system"]?.reason == "410 Gone")
        let alert = try #require(world.sink.messages.first { ($0["rcpt_tos"] as? [String]) == ["drift@region.test"] })
        #expect((alert["subject"] as? String)?.contains("system är avstängd") == true)

        // Later messages for the endpoint are not sent (and say why).
        let second = try await world.open()
        try await world.alarm(second.id)
        _ = try await service.round()
        #expect(world.receiver.requests.count == 1)
        let webhooks = try await world.deliveries(channel: .webhook)
        #expect(webhooks.map(\.status) == [.dead, .dead])
        #expect(webhooks[1].lastError?.contains("disabled") == true)
    }

    @Test(arguments: StoreKind.allCases) func retryAfterOn429IsHonoured(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T10:00", kind: kind)
        try world.endpoint("system", "/busy/60")
        let service = world.service()
        let opened = try await world.open()
        try await world.alarm(opened.id)
        let start = world.clock.now
        _ = try await service.round()
        let waiting = try #require(try await world.deliveries(channel: .webhook).first)
        // The schedule says 10 s; the receiver asked for 60.
        #expect(waiting.nextAttemptAt == start.addingTimeInterval(60))
        world.advance(seconds: 30)
        _ = try await service.round()
        #expect(world.receiver.requests.count == 1)
        world.advance(seconds: 30)
        _ = try await service.round()
        #expect(world.receiver.requests.count == 2)
        #expect(try await world.deliveries(channel: .webhook).first?.status == .delivered)
    }

    @Test(arguments: StoreKind.allCases) func smtpDownThenUpIsRetried(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T10:00", kind: kind)
        let port = world.sink.port
        world.sink.stop()
        let service = world.service()
        let opened = try await world.open()
        try await world.alarm(opened.id)
        _ = try await service.round()
        let failed = try #require(try await world.deliveries(channel: .email).first)
        #expect(failed.status == .pending)
        #expect(failed.attempts == 1)
        #expect(failed.lastError?.isEmpty == false)

        let restarted = try SMTPSink(folder: world.folder.path("mail-again"), port: port)
        world.advance(seconds: 10)
        _ = try await service.round()
        #expect(restarted.messages.count == 1)
        #expect(restarted.messages.first?["subject"] as? String == "Larm: Vårdcentralen Åby")
        #expect(try await world.deliveries(channel: .email).first?.status == .delivered)
    }

    @Test(arguments: StoreKind.allCases) func aReminderAt2300OnMidsummerEveIsSentOnTheNextWorkingDayAt0800(_ kind: StoreKind) async throws {
        // Midsummer Eve 2026 is Friday 19 June; the next working day is Monday 22 June.
        let world = try await Fixture(at: "2026-06-19T22:00", kind: kind)
        let service = world.service()
        let opened = try await world.open()
        world.clock.set(local("2026-06-19T23:00"))
        #expect(try await world.store.fireDueTimers(upTo: world.clock.now) == 1)
        _ = try await service.round()
        let held = try await world.deliveries(channel: .email)
        #expect(held.map(\.target).sorted() == ["anna@region.test", "chef@region.test"])
        #expect(held.allSatisfy { $0.heldUntil == local("2026-06-22T08:00") && $0.status == .pending })
        #expect(world.sink.messages.isEmpty)

        world.clock.set(local("2026-06-22T07:59"))
        _ = try await service.round()
        #expect(world.sink.messages.isEmpty)
        world.clock.set(local("2026-06-22T08:00"))
        _ = try await service.round()
        let messages = world.sink.messages
        #expect(messages.count == 2)
        for message in messages {
            #expect(message["subject"] as? String == "Svar saknas från Vårdcentralen Åby – åäö ÅÄÖ")
            #expect(message["date"] as? String == "Mon, 22 Jun 2026 06:00:00 +0000")
            #expect((message["text"] as? String)?.contains("Fristen \"Svar från enheten\" gick ut 19 juni 2026 kl. 23.00.") == true)
            #expect((message["text"] as? String)?.contains("Ärende \(opened.id)") == true)
            #expect((message["defects"] as? [String])?.isEmpty == true)
            #expect((message["text"] as? String)?.contains("Britt") == false)
        }
        // One Message-ID per message: the two recipients' copies are two messages.
        let sent = try await world.deliveries(channel: .email)
        #expect(Set(messages.compactMap { $0["message_id"] as? String }) == Set(sent.map { "<bevaka.\($0.messageID)@region.test>" }))
        #expect(Set(sent.map(\.messageID)).count == 2)
    }

    @Test(arguments: StoreKind.allCases) func afterTheLastAttemptTheDeliveryIsDeadAlertedAndCanBeRetried(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T10:00", kind: kind)
        world.configuration.retrySchedule = [.zero, .seconds(10)]
        try world.endpoint("system", "/flaky/2")
        let service = world.service()
        let opened = try await world.open()
        try await world.alarm(opened.id)
        _ = try await service.round()
        world.advance(seconds: 10)
        _ = try await service.round()
        let dead = try #require(try await world.deliveries(channel: .webhook).first)
        #expect(dead.status == .dead)
        #expect(try await world.store.deliveryCounts()[.dead] == 1)
        let alert = try #require(world.sink.messages.first { ($0["rcpt_tos"] as? [String]) == ["drift@region.test"] })
        #expect((alert["text"] as? String)?.contains("/deliveries/\(dead.id)/retry") == true)
        #expect(try await world.store.notifications(caseID: opened.id).last?.status == "dead")

        let retried = try await world.store.retryDelivery(id: dead.id, now: world.clock.now)
        #expect(retried.status == .pending)
        await #expect(throws: StoreError.self) { try await world.store.retryDelivery(id: dead.id, now: world.clock.now) }
        _ = try await service.round()
        let requests = world.receiver.requests
        #expect(requests.count == 3)
        #expect(Set(requests.compactMap { $0["id"] as? String }).count == 1)
        #expect(try await world.deliveries(channel: .webhook).first?.status == .delivered)
        #expect(try await world.store.notifications(caseID: opened.id).last?.status == "delivered")
    }

    @Test(arguments: StoreKind.allCases) func aDigestRecipientGetsOneDailyListInsteadOfEachReminder(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T07:00", kind: kind)
        world.configuration.directory = Directory(
            people: ["anna": Directory.Person(email: "anna@region.test", digest: true)], roles: ["chef": ["chef@region.test"]])
        world.configuration.digestAt = LocalTime(hour: 7, minute: 30)
        let service = world.service()
        // Before the digest hour the service plans to wake for it; at the hour there is nothing due yet.
        #expect(try await service.round() == local("2026-06-17T07:30"))
        world.clock.set(local("2026-06-17T07:30"))
        #expect(try await service.round() == local("2026-06-18T07:30"))
        #expect(world.sink.messages.isEmpty)

        world.clock.set(local("2026-06-17T09:00"))
        let opened = try await world.open(owner: "anna")
        world.clock.set(local("2026-06-17T10:00"))
        _ = try await world.store.fireDueTimers(upTo: world.clock.now)
        _ = try await service.round()
        let emails = try await world.deliveries(channel: .email)
        #expect(emails.first { $0.target == "anna@region.test" }?.status == .digest)
        #expect(world.sink.messages.map { $0["rcpt_tos"] as? [String] } == [["chef@region.test"]])

        let text = try await world.nextMorningsDigest(for: "anna@region.test", service: service)
        #expect(text.contains("Försenade (1)"))
        #expect(text.contains("Svar från enheten: ärende \(opened.id)"))
    }

    /// A non-urgent reminder about an overdue checklist item is not lost for a digest reader: the item is in the digest.
    @Test(arguments: StoreKind.allCases) func aDigestListsOverdueChecklistItemsOfTheRecipientsRole(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T07:30", kind: kind)
        world.configuration.directory = Directory(
            people: ["anna": Directory.Person(email: "anna@region.test", digest: true)],
            roles: ["chef": ["chef@region.test"], "handlaggare": ["anna"]])
        world.configuration.digestAt = LocalTime(hour: 7, minute: 30)
        let service = world.service()
        _ = try await service.round()  // today's digest hour: nothing is due yet
        world.clock.set(local("2026-06-17T09:00"))
        let opened = try await world.open(owner: "bo@region.test")
        _ = try await world.store.applyEvent(caseID: opened.id, event: "forbered", payload: [:], reason: nil,
                                             actor: Actor(name: "anna", role: "handlaggare"))
        world.clock.set(local("2026-06-17T11:00"))
        _ = try await world.store.fireDueTimers(upTo: world.clock.now)
        _ = try await service.round()
        let reminder = try #require(try await world.deliveries(channel: .email).first { $0.target == "anna@region.test" })
        #expect(reminder.type == "case.checklist.overdue")
        #expect(reminder.status == .digest)
        #expect(world.sink.messages.isEmpty)

        let text = try await world.nextMorningsDigest(for: "anna@region.test", service: service)
        #expect(text.contains("Försenade (1)"))
        #expect(text.contains("Checklista: Kontaktlista upprättad: ärende \(opened.id)"))
        #expect(text.contains("senast 17 juni 2026 kl. 11.00"))
    }

    @Test(arguments: StoreKind.allCases) func anOwnerWithoutAddressIsDeadFromTheStartWithTheReason(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-06-17T10:00", kind: kind)
        let service = world.service()
        _ = try await world.open(owner: "okand")
        world.clock.set(local("2026-06-17T11:00"))
        _ = try await world.store.fireDueTimers(upTo: world.clock.now)
        _ = try await service.round()
        let owner = try #require(try await world.deliveries(channel: .email).first { $0.target == "okand" })
        #expect(owner.status == .dead)
        #expect(owner.lastError?.contains("has no email address") == true)
    }

    /// Issue 11: messages say what matters in Swedish: the colour's title (`röd`,
    /// not `rod`), dates as "16 mars 2026", the unit, and a reference people can say
    /// on the phone (the diarienummer when set, else the short case number).
    @Test(arguments: StoreKind.allCases) func aKalmarRequestReadsInSwedishWithTheCasesReference(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-03-02T09:00", shipped: true, kind: kind)
        world.configuration.directory = Directory(roles: ["verksamhetschef": ["vc.berga@vard.test"]])
        let service = world.service()
        let officer = Actor(name: "anna", role: "handlaggare")
        var ids: [String] = []
        for diarienummer in ["RS 2026/412", nil] {
            var fields: [String: JSONValue] = ["enhet": .string("Vårdcentralen Berga"), "listade": .int(8000)]
            if let diarienummer { fields["diarienummer"] = .string(diarienummer) }
            let opened = try await world.store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna@region.test",
                                                        fields: fields, actor: officer)
            ids.append(opened.id)
            _ = try await world.store.applyEvent(caseID: opened.id, event: "klassificera",
                                                 payload: ["allvarlighetsgrad": .int(3), "avsteg": .int(3)], reason: nil, actor: officer)
            _ = try await world.store.applyEvent(caseID: opened.id, event: "skickaBegaranOmRattelse",
                                                 payload: ["begaranSkickad": .string("2026-03-02"), "planSenast": .string("2026-03-16")],
                                                 reason: nil, actor: officer)
        }
        _ = try await service.round()
        let messages = world.sink.messages
        #expect(messages.count == 2)
        let subjects = messages.compactMap { $0["subject"] as? String }.sorted()
        let number = ids[1].uppercased().replacingOccurrences(of: "-", with: "").prefix(8)
        #expect(subjects == [
            "Vårdcentralen Berga: Begäran om rättelse – handlingsplan senast 16 mars 2026 (ärende RS 2026/412)",
            "Vårdcentralen Berga: Begäran om rättelse – handlingsplan senast 16 mars 2026 (ärende \(number.prefix(4))-\(number.suffix(4)))",
        ].sorted())
        for message in messages {
            let text = message["text"] as? String ?? ""
            #expect(text.contains("Nivå i sanktionstrappan: röd\r\n") || text.contains("Nivå i sanktionstrappan: röd\n"), "\(text)")
            #expect(text.contains("Begäran om rättelse skickad: 2 mars 2026"))
            #expect(!text.contains("2026-03-16"))
            #expect((message["defects"] as? [String])?.isEmpty == true)
        }
    }

    /// The issue's "done when": a Kalmar case's reminders and escalations reach a
    /// real mailbox and a real receiver, signed, once per id, in office hours.
    @Test(arguments: StoreKind.allCases) func aKalmarCasesRemindersAndEscalationsArriveSignedOncePerIdInOfficeHours(_ kind: StoreKind) async throws {
        let world = try await Fixture(at: "2026-03-02T09:00", shipped: true, kind: kind)
        world.configuration.directory = Directory(roles: [
            "handlaggare": ["handlaggare@region.test"], "beslutsfattare": ["beslut@region.test"],
            "regionjurist": ["jurist@region.test"], "verksamhetschef": ["vc.berga@vard.test"],
        ])
        try world.endpoint("arendesystem", "/ok")
        let service = world.service()
        let officer = Actor(name: "anna", role: "handlaggare")
        let opened = try await world.store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna@region.test",
                                                    fields: ["enhet": .string("Vårdcentralen Berga"), "listade": .int(8000)], actor: officer)
        _ = try await world.store.applyEvent(caseID: opened.id, event: "klassificera",
                                             payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(2)], reason: nil, actor: officer)
        _ = try await world.store.applyEvent(caseID: opened.id, event: "skickaBegaranOmRattelse",
                                             payload: ["begaranSkickad": .string("2026-03-02"), "planSenast": .string("2026-03-16")],
                                             reason: nil, actor: officer)
        _ = try await service.round()
        // The request for correction (not urgent, Monday 09:00) goes at once.
        #expect(world.sink.messages.map { $0["rcpt_tos"] as? [String] } == [["vc.berga@vard.test"]])
        #expect((world.sink.messages.first?["subject"] as? String)?.contains("Vårdcentralen Berga") == true)

        // The 7-day reminder falls at 17:00, after office hours: the webhook goes at once, the email at 08:00 next morning.
        world.clock.set(local("2026-03-09T17:00"))
        #expect(try await world.store.fireDueTimers(upTo: world.clock.now) == 1)
        _ = try await service.round()
        #expect(world.sink.messages.count == 1)
        #expect(world.receiver.requests.count == 2)
        world.clock.set(local("2026-03-10T08:00"))
        _ = try await service.round()
        let reminders = world.sink.messages.dropFirst()
        #expect(Set(reminders.compactMap { ($0["rcpt_tos"] as? [String])?.first }) == ["anna@region.test", "vc.berga@vard.test"])
        #expect(reminders.allSatisfy { ($0["subject"] as? String)?.contains("Påminnelse") == true && $0["date"] as? String == "Tue, 10 Mar 2026 07:00:00 +0000" })
        #expect(reminders.allSatisfy { ($0["html"] as? String)?.isEmpty == false })

        // No plan by 16 March 17:00: the escalation is urgent and goes at once.
        world.clock.set(local("2026-03-16T17:00"))
        _ = try await world.store.fireDueTimers(upTo: world.clock.now)
        _ = try await service.round()
        let escalations = world.sink.messages.filter { ($0["subject"] as? String)?.contains("gått upp ett steg i sanktionstrappan") == true }
        #expect(Set(escalations.compactMap { ($0["rcpt_tos"] as? [String])?.first })
                == ["anna@region.test", "beslut@region.test", "vc.berga@vard.test"])
        #expect(escalations.allSatisfy { $0["date"] as? String == "Mon, 16 Mar 2026 16:00:00 +0000" })

        let requests = world.receiver.requests
        #expect(requests.allSatisfy { $0["verified"] as? Bool == true })
        let ids = requests.compactMap { $0["id"] as? String }
        #expect(ids.count == Set(ids).count, "one request per notification: \(ids)")
        let types = requests.compactMap { json(Array(($0["body"] as? String ?? "").utf8))["type"]?.string }
        #expect(types.contains("case.correction.requested"))
        #expect(types.contains("case.deadline.reminder"))
        #expect(types.contains("case.escalated"))
        // Each message reached each mailbox once.
        let emailed = world.sink.messages.map { "\($0["message_id"] as? String ?? "?") \($0["rcpt_tos"] as? [String] ?? [])" }
        #expect(emailed.count == Set(emailed).count, "\(emailed)")
        #expect(try await world.store.deliveryCounts()[.dead] == 0)
    }
}

/// A loopback port whose connections the kernel accepts (into the listen backlog) and
/// nobody ever answers: a receiver that hangs.
final class SilentListener: @unchecked Sendable {
    let port: Int
    private var socket: Int32

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.socket = socket
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound, listen(socket, 128) == 0 else { throw CocoaError(.fileWriteUnknown) }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        if socket >= 0 { Glibc.close(socket) }
        socket = -1
    }

    deinit { close() }
}
