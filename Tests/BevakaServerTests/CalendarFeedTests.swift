import BevakaApplication
import BevakaCore
import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The iCalendar feeds (issue 13, item 5): the router in-process on a real SQLite file, each
/// feed read by Python's `icalendar` package (Tests/Peers/ics_check.py) as a calendar program would.
@Suite struct CalendarFeedTests {
    let folder: TemporaryFolder
    let clock = ManualClock(local("2027-01-11T09:00"))
    let store: any Store

    init() async throws {
        folder = try TemporaryFolder()
        let clock = self.clock
        store = try await TestStores.open(path: folder.path("calendar.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder),
                              now: { clock.now })
    }

    func app(_ access: AccessSettings = AccessSettings()) -> some ApplicationProtocol {
        let clock = self.clock
        return Application(router: APIRouter.build(store: store, access: access, now: { clock.now }))
    }

    static func headers(_ actor: String = "anna", role: String = "handlaggare", json: Bool = true) -> HTTPFields {
        var headers = HTTPFields()
        if json { headers[.contentType] = "application/json" }
        headers[HTTPField.Name("Bevaka-Actor")!] = actor
        headers[HTTPField.Name("Bevaka-Role")!] = role
        return headers
    }

    /// Opens a case as `owner` and returns its id.
    func open(_ client: some TestClientProtocol, _ body: String, owner: String = "anna") async throws -> String {
        let response = try await client.execute(uri: "/cases", method: .post, headers: Self.headers(owner), body: ByteBuffer(string: body))
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try #require(json(response.body.readableBytesView)["id"]?.string)
    }

    func event(_ client: some TestClientProtocol, _ id: String, _ body: String, actor: String = "anna", role: String = "handlaggare") async throws {
        let response = try await client.execute(uri: "/cases/\(id)/events", method: .post, headers: Self.headers(actor, role: role),
                                                body: ByteBuffer(string: body))
        #expect(response.status == .ok, "\(String(buffer: response.body))")
    }

    /// A Kalmar case owned by `owner` waiting for an action plan due on `planSenast` (17:00 Stockholm time).
    func kalmarCase(_ client: some TestClientProtocol, owner: String = "anna", diarienummer: String, planSenast: String) async throws -> String {
        let id = try await open(client, """
            {"workflow":"kalmar-sanktionstrappa","owner":"\(owner)","fields":{"enhet":"VC Berga","listade":8000,"diarienummer":"\(diarienummer)"}}
            """, owner: owner)
        try await event(client, id, #"{"event":"klassificera","payload":{"allvarlighetsgrad":3,"avsteg":2}}"#, actor: owner)
        try await event(client, id, """
            {"event":"skickaBegaranOmRattelse","payload":{"begaranSkickad":"2027-01-11","planSenast":"\(planSenast)"}}
            """, actor: owner)
        return id
    }

    /// Makes the caller's feed over the API and returns its path (`/calendar/SECRET.ics`).
    func makeFeed(_ client: some TestClientProtocol, _ actor: String = "anna", role: String = "handlaggare", body: String? = nil) async throws -> (id: String, path: String) {
        let response = try await client.execute(uri: "/calendar/feeds", method: .post, headers: Self.headers(actor, role: role, json: body != nil),
                                                body: body.map { ByteBuffer(string: $0) })
        #expect(response.status == .created, "\(String(buffer: response.body))")
        let answer = json(response.body.readableBytesView)
        let url = try #require(answer["url"]?.string)
        let path = try #require(URLComponents(string: url)?.path)
        #expect(url.hasPrefix("http://localhost/calendar/") && url.hasSuffix(".ics"), "\(url)")
        return (try #require(answer["id"]?.string), path)
    }

    /// The feed at `path`, its raw text and what `icalendar` reads in it.
    func read(_ client: some TestClientProtocol, _ path: String) async throws -> (text: String, calendar: JSONValue) {
        let response = try await client.execute(uri: path, method: .get)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
        let text = String(buffer: response.body)
        return (text, try Self.parse(text, in: folder))
    }

    /// Runs Tests/Peers/ics_check.py (the `icalendar` package) on the text.
    static func parse(_ text: String, in folder: TemporaryFolder) throws -> JSONValue {
        let file = folder.path("feed-\(UUID().uuidString).ics")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersFolder.appendingPathComponent("ics_check.py").path, file]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "ics_check.py refused the feed (is `icalendar` installed? python3 -m pip install 'icalendar==7.3.0'): \(errors)\n\(text)")
        return json(output)
    }

    static func events(_ calendar: JSONValue) -> [String: JSONValue] {
        Dictionary((calendar["events"]?.array ?? []).compactMap { event in event["uid"]?.string.map { ($0, event) } }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: A person's feed

    @Test func aPersonsFeedHoldsTheirDeadlinesAtTheRightInstantsAcrossDaylightSavingTime() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let spring = try await kalmarCase(client, diarienummer: "RS 2027/0101", planSenast: "2027-03-29")
            let autumn = try await kalmarCase(client, diarienummer: "RS 2027/0102", planSenast: "2027-10-26")
            let winter = try await kalmarCase(client, diarienummer: "RS 2027/0103", planSenast: "2027-11-02")
            let bos = try await kalmarCase(client, owner: "bo", diarienummer: "RS 2027/0999", planSenast: "2027-04-15")
            let (_, path) = try await makeFeed(client)
            let (text, calendar) = try await read(client, path)

            #expect(calendar["version"] == .string("2.0"))
            #expect(calendar["method"] == .string("PUBLISH"))
            #expect(calendar["calscale"] == .string("GREGORIAN"))
            #expect(calendar["prodid"]?.string?.contains("Bevaka") == true)
            #expect(calendar["name"] == .string("Bevaka: mina ärenden"))
            #expect(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\n"))
            let events = Self.events(calendar)
            #expect(events.count == 3, "\(events.keys.sorted())")
            // 17:00 in Stockholm: after the spring change (CEST, UTC+2), before and after the autumn one.
            for (id, utc, local) in [(spring, "2027-03-29T15:00:00Z", "2027-03-29T17:00"), (autumn, "2027-10-26T15:00:00Z", "2027-10-26T17:00"),
                                     (winter, "2027-11-02T16:00:00Z", "2027-11-02T17:00")] {
                let event = try #require(events["\(id).handlingsplan@bevaka"], "no event for \(id): \(events.keys.sorted())")
                #expect(event["start"] == .string(utc))
                #expect(event["startThroughFeedTimeZone"] == .string(utc), "the feed's own VTIMEZONE gives another instant")
                #expect(event["startLocal"] == .string(local))
                #expect(event["tzid"] == .string("Europe/Stockholm"))
                #expect(event["sequence"] == .int(0))
                #expect(event["status"] == .string("CONFIRMED"))
                #expect(event["url"] == .string("http://localhost/cases/\(id)"))
                #expect(event["description"]?.string?.contains("http://localhost/cases/\(id)") == true)
            }
            let first = try #require(events["\(spring).handlingsplan@bevaka"])
            #expect(first["summary"] == .string("Handlingsplanen ska ha inkommit (RS 2027/0101)"))
            // remind: [P7D, P1D]: a week before (still CET) and the day before (the day clocks went forward).
            #expect(first["alarms"] == .array([.string("2027-03-22T16:00:00Z"), .string("2027-03-28T15:00:00Z")]))
            // Bo's case is not Anna's, though her role could see it.
            #expect(!text.contains(bos))
            #expect(!text.contains("RS 2027/0999"))
        }
    }

    @Test func aMovedDeadlineKeepsItsUIDWithAHigherSequence() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await kalmarCase(client, diarienummer: "RS 2027/0201", planSenast: "2027-03-29")
            let (_, path) = try await makeFeed(client, body: "{}")
            let uid = "\(id).handlingsplan@bevaka"
            let before = try #require(Self.events(try await read(client, path).calendar)[uid])
            #expect(before["sequence"] == .int(0))
            #expect(before["start"] == .string("2027-03-29T15:00:00Z"))
            // Read again with nothing changed: the same SEQUENCE.
            #expect(Self.events(try await read(client, path).calendar)[uid]?["sequence"] == .int(0))

            // A plan came in, and a supplement is asked for by a new date: the deadline moves.
            clock.set(local("2027-02-01T10:00"))
            try await event(client, id, #"{"event":"handlingsplanInkommen"}"#)
            try await event(client, id, #"{"event":"begarKomplettering","payload":{"planSenast":"2027-04-12"}}"#)
            let moved = try #require(Self.events(try await read(client, path).calendar)[uid], "the moved deadline has another UID")
            #expect(moved["sequence"] == .int(1))
            #expect(moved["status"] == .string("CONFIRMED"))
            #expect(moved["start"] == .string("2027-04-12T15:00:00Z"))
            #expect(moved["startLocal"] == .string("2027-04-12T17:00"))
            #expect(Self.events(try await read(client, path).calendar)[uid]?["sequence"] == .int(1))
        }
    }

    @Test func aClosedCasesEventsComeBackCancelledAndNoPersonalDataIsInTheFeed() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let personal = ["Greta Gåsberg", "19121212-1212", "Storgatan 1", "070-1234567"]
            let id = try await open(client, """
                {"workflow":"nationell-vardformedling","owner":"anna","fields":{"vardformedlingsId":"VF-2027-001",\
                "patientNamn":"\(personal[0])","personnummer":"\(personal[1])","kontaktuppgifter":"\(personal[2]), 123 45 Kalmar, \(personal[3])",\
                "vantarSedan":"2026-12-01","blankettInkom":"2027-01-11"}}
                """)
            let kalmar = try await kalmarCase(client, diarienummer: "RS 2027/0301", planSenast: "2027-03-29")
            let (_, path) = try await makeFeed(client)
            let uid = "\(id).erbjudande@bevaka"
            let (text, calendar) = try await read(client, path)
            let open = try #require(Self.events(calendar)[uid], "\(Self.events(calendar).keys.sorted())")
            // "2 working days" after Monday 2027-01-11: Wednesday at 17:00 (CET).
            #expect(open["start"] == .string("2027-01-13T16:00:00Z"))
            #expect(open["summary"] == .string("Skicka erbjudandet till patienten (\(CaseRecord.shortNumber(of: id)))"))
            #expect(open["sequence"] == .int(0))
            // No value of a personal field, however it is folded or escaped.
            let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\\,", with: ",")
            for value in personal + ["VF-2027-001"] {
                #expect(!unfolded.contains(value), "the feed holds '\(value)'")
                for event in calendar["events"]?.array ?? [] {
                    #expect(event["summary"]?.string?.contains(value) == false && event["description"]?.string?.contains(value) == false)
                }
            }

            clock.set(local("2027-01-12T10:00"))
            try await event(client, id, #"{"event":"avsluta","reason":"vården ordnad i egen region"}"#)
            let cancelled = try #require(Self.events(try await read(client, path).calendar)[uid], "the closed case's event is left out instead of cancelled")
            #expect(cancelled["status"] == .string("CANCELLED"))
            #expect(cancelled["sequence"] == .int(1))
            #expect(cancelled["start"] == .string("2027-01-13T16:00:00Z"))
            // Sent cancelled again while clients may still hold it, then forgotten.
            clock.set(local("2027-02-10T10:00"))
            let again = try #require(Self.events(try await read(client, path).calendar)[uid])
            #expect(again["status"] == .string("CANCELLED"))
            #expect(again["sequence"] == .int(1))
            clock.set(local("2027-02-12T10:00"))
            let later = Self.events(try await read(client, path).calendar)
            #expect(later[uid] == nil)
            #expect(later["\(kalmar).handlingsplan@bevaka"]?["status"] == .string("CONFIRMED"))
        }
    }

    // MARK: Booked meetings

    /// A planned follow-up's booked visit (`uppfoljningsdatum`, `meeting: true`): an all-day event
    /// on its date in the owner's feed and the team's, which keeps its UID with the next SEQUENCE
    /// when the visit is moved and comes back cancelled, still a date, when the case ends.
    @Test func aBookedVisitIsAnAllDayEventThatMovesAndIsCancelledWithItsCase() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client, """
                {"workflow":"vgr-planerad-uppfoljning","owner":"anna","fields":{"vardgivare":"Berga Vård AB","diarienummer":"HSN 2027-0042",\
                "uppfoljningsar":2027,"trafikljus":"rod","form":"platsbesok","planeradSenast":"2027-06-15"}}
                """)
            let (_, path) = try await makeFeed(client)
            let (_, teamPath) = try await makeFeed(client, "cecilia", role: "teamledare", body: #"{"team":"teamledare"}"#)
            let uid = "\(id).uppfoljningsdatum@bevaka"
            #expect(Self.events(try await read(client, path).calendar)[uid] == nil, "a visit not yet booked is in the feed")

            try await event(client, id, #"{"event":"bokaUppfoljning","payload":{"uppfoljningsdatum":"2027-03-15"}}"#)
            let (text, calendar) = try await read(client, path)
            let booked = try #require(Self.events(calendar)[uid], "\(Self.events(calendar).keys.sorted())")
            #expect(booked["allDay"] == .bool(true))
            #expect(booked["date"] == .string("2027-03-15") && booked["endDate"] == .string("2027-03-16"))
            #expect(booked["summary"] == .string("Datum för besöket eller mötet (HSN 2027-0042)"))
            #expect(booked["sequence"] == .int(0) && booked["status"] == .string("CONFIRMED"))
            #expect(booked["url"] == .string("http://localhost/cases/\(id)"))
            #expect(text.contains("DTSTART;VALUE=DATE:20270315\r\nDTEND;VALUE=DATE:20270316\r\n"))
            // The visit's own deadline (at 17:00 that day) is there besides.
            #expect(Self.events(calendar)["\(id).uppfoljningsdag@bevaka"]?["startLocal"] == .string("2027-03-15T17:00"))
            // The team lead's feed: the workflow has the role.
            #expect(Self.events(try await read(client, teamPath).calendar)[uid]?["date"] == .string("2027-03-15"))

            // Moved a week: the same UID, the next SEQUENCE, kept while nothing changes.
            clock.set(local("2027-02-01T10:00"))
            try await event(client, id, #"{"event":"bokaUppfoljning","payload":{"uppfoljningsdatum":"2027-03-22"}}"#)
            let moved = try #require(Self.events(try await read(client, path).calendar)[uid])
            #expect(moved["date"] == .string("2027-03-22") && moved["endDate"] == .string("2027-03-23"))
            #expect(moved["sequence"] == .int(1) && moved["status"] == .string("CONFIRMED"))
            #expect(Self.events(try await read(client, path).calendar)[uid]?["sequence"] == .int(1))

            // The case ends: the visit comes back cancelled, still a whole day.
            try await event(client, id, #"{"event":"avbryt","reason":"avtalet har sagts upp"}"#)
            let (cancelledText, after) = try await read(client, path)
            let cancelled = try #require(Self.events(after)[uid], "the closed case's visit is left out instead of cancelled")
            #expect(cancelled["status"] == .string("CANCELLED") && cancelled["sequence"] == .int(2))
            #expect(cancelled["allDay"] == .bool(true) && cancelled["date"] == .string("2027-03-22"))
            #expect(cancelledText.contains("DTSTART;VALUE=DATE:20270322\r\n"))
        }
    }

    /// A meeting at a time (a datetime marked `meeting`) is an hour from its instant, in Stockholm
    /// wall-clock time, as `icalendar` reads it.
    @Test func aMeetingAtATimeIsAnHourFromItsInstant() throws {
        defer { folder.cleanup() }
        let workflow = try WorkflowLoader.load(yaml: """
            workflow: moten
            version: 1
            title: Möten
            roles: { handlaggare: Handläggare }
            fields: { mote: { type: datetime, meeting: true, title: "Dialogmöte" } }
            events: { klar: { roles: [handlaggare] } }
            states:
              ny: { initial: true, on: { klar: klar } }
              klar: { final: true }
            """, path: "moten.yaml")
        let now = local("2027-01-11T09:00")
        let id = "0f1e2d3c-0000-4000-8000-000000000003"
        let record = CaseRecord(id: id, workflow: workflow.key, state: "ny", stateEnteredAt: now, stateEntry: 1, owner: "anna",
                                fields: ["mote": .datetime(local("2027-03-29T10:30"))], deadlines: [], accruals: [], version: 1,
                                createdAt: now, updatedAt: now)
        let events = CalendarFeedBuilder.events(of: record, workflow, for: .person(subject: "anna", identifiers: ["anna"]))
        let sent = CalendarFeedBuilder.reconcile(events, previous: [], now: now, keepCancelled: 86_400).sent
        let meeting = try #require(Self.events(try Self.parse(CalendarFeedBuilder.render(name: "Möten", sent, baseURL: "https://b", now: now),
                                                              in: folder))["\(id).mote@bevaka"])
        // The day summer time begins: 10:30 in Stockholm is 08:30 UTC.
        #expect(meeting["allDay"] == .bool(false))
        #expect(meeting["start"] == .string("2027-03-29T08:30:00Z") && meeting["end"] == .string("2027-03-29T09:30:00Z"))
        #expect(meeting["startLocal"] == .string("2027-03-29T10:30") && meeting["tzid"] == .string("Europe/Stockholm"))
        #expect(meeting["transp"] == .string("OPAQUE"))
        #expect(meeting["summary"] == .string("Dialogmöte (\(CaseRecord.shortNumber(of: id)))"))
    }

    // MARK: Managing feeds

    @Test func aRenewedOrRevokedAddressIs404AndOnlyItsOwnerManagesIt() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await kalmarCase(client, diarienummer: "RS 2027/0401", planSenast: "2027-03-29")
            let (feed, path) = try await makeFeed(client)
            let uid = "\(id).handlingsplan@bevaka"
            _ = try await read(client, path)

            // Someone else neither sees nor touches it.
            for (uri, method) in [("/calendar/feeds/\(feed)/renew", HTTPRequest.Method.post), ("/calendar/feeds/\(feed)", .delete)] {
                let refused = try await client.execute(uri: uri, method: method, headers: Self.headers("bo", json: false))
                #expect(refused.status == .notFound)
                #expect(json(refused.body.readableBytesView)["type"] == .string("urn:bevaka:problem:calendar-feed-not-found"))
            }
            let bos = json(try await client.execute(uri: "/calendar/feeds", method: .get, headers: Self.headers("bo", json: false)).body.readableBytesView)
            #expect(bos["items"] == .array([]))

            let renewed = try await client.execute(uri: "/calendar/feeds/\(feed)/renew", method: .post, headers: Self.headers(json: false))
            #expect(renewed.status == .ok)
            let newURL = try #require(json(renewed.body.readableBytesView)["url"]?.string)
            let newPath = try #require(URLComponents(string: newURL)?.path)
            #expect(newPath != path)
            let gone = try await client.execute(uri: path, method: .get)
            #expect(gone.status == .notFound)
            // The renewed address carries on: same UIDs, same SEQUENCE.
            #expect(Self.events(try await read(client, newPath).calendar)[uid]?["sequence"] == .int(0))

            let listed = json(try await client.execute(uri: "/calendar/feeds", method: .get, headers: Self.headers(json: false)).body.readableBytesView)
            let item = try #require(listed["items"]?[0])
            #expect(item["id"] == .string(feed))
            #expect(item["status"] == .string("active"))
            #expect(item["renewedAt"]?.string != nil)
            #expect(item["url"] == nil, "a list must never show a feed's address")
            #expect(!listed.canonicalText.contains(String(newPath.dropFirst("/calendar/".count).dropLast(4))))

            let revoked = try await client.execute(uri: "/calendar/feeds/\(feed)", method: .delete, headers: Self.headers(json: false))
            #expect(revoked.status == .ok)
            #expect(json(revoked.body.readableBytesView)["status"] == .string("revoked"))
            let revokedRead = try await client.execute(uri: newPath, method: .get)
            #expect(revokedRead.status == .notFound)
            // Unknown, malformed and revoked addresses look alike.
            let unknown = try await client.execute(uri: "/calendar/\(Secrets.make()).ics", method: .get)
            let malformed = try await client.execute(uri: "/calendar/nope.ics", method: .get)
            for response in [revokedRead, unknown, malformed] {
                #expect(response.status == .notFound)
                #expect(json(response.body.readableBytesView)["type"] == .string("urn:bevaka:problem:calendar-not-found"))
                #expect(json(response.body.readableBytesView)["detail"] == json(revokedRead.body.readableBytesView)["detail"])
            }
            let renewRevoked = try await client.execute(uri: "/calendar/feeds/\(feed)/renew", method: .post, headers: Self.headers(json: false))
            #expect(renewRevoked.status == .conflict)
            #expect(json(renewRevoked.body.readableBytesView)["type"] == .string("urn:bevaka:problem:calendar-feed-revoked"))
        }
    }

    @Test func refusedRequestsAreProblemsAndMakeNoFeed() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"team":"nope"}"#, .badRequest, "invalid-request"),
                (#"{"team":""}"#, .badRequest, "invalid-request"),
                (#"{"team":7}"#, .badRequest, "invalid-request"),
                (#"{"person":"bo"}"#, .badRequest, "invalid-request"),
                (#"["x"]"#, .badRequest, "invalid-request"),
                // A team's feed is for those who hold the role.
                (#"{"team":"teamledare"}"#, .forbidden, "role-needed"),
            ]
            for (body, status, slug) in cases {
                let response = try await client.execute(uri: "/calendar/feeds", method: .post, headers: Self.headers(), body: ByteBuffer(string: body))
                #expect(response.status == status, "\(body): \(String(buffer: response.body))")
                #expect(json(response.body.readableBytesView)["type"] == .string("urn:bevaka:problem:\(slug)"), "\(body)")
            }
            let notJSON = try await client.execute(uri: "/calendar/feeds", method: .post, headers: Self.headers(json: false), body: ByteBuffer(string: "team=x"))
            #expect(notJSON.status == .unsupportedMediaType)
            #expect(try await client.execute(uri: "/calendar/feeds?all=true", method: .get, headers: Self.headers(json: false)).status == .badRequest)
            #expect(try await client.execute(uri: "/calendar/feeds/nope/renew", method: .post, headers: Self.headers(json: false)).status == .notFound)
            #expect(try await store.calendarFeeds(of: nil).isEmpty)
            // Twenty active feeds at most.
            for _ in 0..<CalendarService.activeLimit { _ = try await makeFeed(client) }
            let tooMany = try await client.execute(uri: "/calendar/feeds", method: .post, headers: Self.headers(json: false))
            #expect(tooMany.status == .conflict)
            #expect(json(tooMany.body.readableBytesView)["type"] == .string("urn:bevaka:problem:calendar-feed-limit"))
            #expect(try await store.calendarFeeds(of: nil).count == CalendarService.activeLimit)
        }
    }

    // MARK: A team's feed, and people named on cases

    @Test func aTeamsFeedHoldsWhatFallsOnTheRole() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client, """
                {"workflow":"nationell-vardformedling","owner":"anna","fields":{"vardformedlingsId":"VF-2027-002","patientNamn":"Per Persson",\
                "personnummer":"19800101-0000","vantarSedan":"2026-12-01","blankettInkom":"2027-01-11"}}
                """)
            try await event(client, id, #"{"event":"skickaErbjudande","payload":{"erbjudandeSkickat":"2027-01-11"}}"#)
            let kalmar = try await kalmarCase(client, diarienummer: "RS 2027/0501", planSenast: "2027-03-29")
            let (_, path) = try await makeFeed(client, "cecilia", role: "teamledare", body: #"{"team":"teamledare"}"#)
            let (text, calendar) = try await read(client, path)
            #expect(calendar["name"] == .string("Bevaka: rollen teamledare"))
            // The care guarantee's limit tells the team lead (notify: owner, teamledare); the 14-day answer does not.
            let events = Self.events(calendar)
            #expect(Set(events.keys) == ["\(id).vardgaranti@bevaka"])
            #expect(events["\(id).vardgaranti@bevaka"]?["start"] == .string("2027-03-01T16:00:00Z"))  // 2026-12-01 + 90 days, 17:00 CET
            #expect(!text.contains(kalmar))
            #expect(!text.contains("Per Persson") && !text.contains("19800101"))
        }
    }

    @Test func aPersonsFeedHoldsTheCasesThatNameThemAmongTheirPeople() async throws {
        defer { folder.cleanup() }
        defer { folder.cleanup() }
        let service = CalendarService(store: store, now: { [clock] in clock.now })
        let cases = CaseService(store: store, now: { [clock] in clock.now })
        let anna = CaseService.Caller(Principal(kind: .person, subject: "anna-sub", name: "Anna", roles: ["handlaggare"]), from: "test")
        let named = try await cases.open(workflow: "kalmar-sanktionstrappa", owner: "anna-sub",
                                         fields: ["enhet": .string("VC Berga"), "listade": .int(8000)],
                                         people: ["verksamhetschef": .array([.object(["name": .string("Eva Ek"), "email": .string("eva@berga.se")])])],
                                         by: anna)
        for (event, payload) in [("klassificera", ["allvarlighetsgrad": JSONValue.int(3), "avsteg": .int(2)]),
                                 ("skickaBegaranOmRattelse", ["begaranSkickad": .string("2027-01-11"), "planSenast": .string("2027-03-29")])] {
            _ = try await cases.apply(named.record.id, event: event, payload: payload, reason: nil, by: anna)
        }
        let other = try await cases.open(workflow: "kalmar-sanktionstrappa", owner: "bo", fields: ["enhet": .string("VC Åby"), "listade": .int(10)], by: anna)
        // Eva signs in with her e-mail among the names a case may use for her.
        let eva = CaseService.Caller(Principal(kind: .person, subject: "eva-sub", name: "Eva Ek", roles: ["verksamhetschef"],
                                               identifiers: ["eva@berga.se"]), from: "test")
        let (feed, secret) = try await service.create(team: nil, by: eva)
        #expect(feed.subject == "eva-sub" && feed.identifiers == ["eva-sub", "eva@berga.se"])
        let folded = try #require(try await service.feed(secret: secret, baseURL: "https://bevaka.region.se"))
        let text = folded.replacingOccurrences(of: "\r\n ", with: "")
        #expect(text.contains("UID:\(named.record.id).handlingsplan@bevaka"))
        #expect(text.contains("URL;VALUE=URI:https://bevaka.region.se/cases/\(named.record.id)"))
        #expect(!text.contains(other.record.id))
        #expect(!text.contains("Eva Ek"))
        _ = try Self.parse(folded, in: folder)
        // A system's token has no calendar; a team's feed needs the role.
        let system = CaseService.Caller(Principal(kind: .system, subject: "token:crm", name: "token:crm", roles: ["handlaggare"]), from: "test")
        await #expect(throws: AccessPolicy.Refusal.personOnly) { try await service.create(team: nil, by: system) }
        await #expect(throws: AccessPolicy.Refusal.needsRole("beslutsfattare")) { try await service.create(team: "beslutsfattare", by: eva) }
    }

    // MARK: Authentication and the command line

    @Test func theFeedNeedsNoOtherCredentialButTheRestDoes() async throws {
        defer { folder.cleanup() }
        let id = try await CaseService(store: store, now: { [clock] in clock.now }).open(
            workflow: "kalmar-sanktionstrappa", owner: "anna", fields: ["enhet": .string("VC Berga"), "listade": .int(8000)],
            by: CaseService.Caller(Principal(kind: .person, subject: "anna", name: "Anna", roles: ["handlaggare"]), from: "test")).record.id
        let (_, secret) = try await CalendarService(store: store).create(
            .person(subject: "anna", identifiers: []), by: CaseService.Caller(.operator("operator"), from: "test"))
        try await app(AccessSettings(mode: .tokens)).test(.router) { client in
            let feed = try await client.execute(uri: "/calendar/\(secret).ics", method: .get)
            #expect(feed.status == .ok)
            #expect(String(buffer: feed.body).hasPrefix("BEGIN:VCALENDAR\r\n"))
            #expect(!String(buffer: feed.body).contains(id), "a case with nothing due has no event")
            let other = try await client.execute(uri: "/calendar/\(Secrets.make()).ics", method: .get)
            #expect(other.status == .notFound)
            for (uri, method) in [("/calendar/feeds", HTTPRequest.Method.get), ("/calendar/feeds", .post), ("/calendar/x", .get),
                                  ("/calendar/feeds/x/renew", .post), ("/calendar/feeds/x", .delete)] {
                #expect(try await client.execute(uri: uri, method: method).status == .unauthorized, "\(method) \(uri)")
            }
        }
    }

    @Test func operatorsMakeListRenewAndRevokeFeedsAtTheCommandLine() async throws {
        defer { folder.cleanup() }
        let database = folder.path("calendar.sqlite")
        @Sendable func bevaka(_ arguments: [String]) throws -> CommandLineTests.Output {
            try CommandLineTests.bevaka(arguments + ["--database", database] + ["--workflows", workflowsFolder])
        }
        let made = try bevaka(["calendar", "create", "--subject", "anna", "--identifier", "anna@region.se", "--base-url", "https://bevaka.region.se"])
        #expect(made.status == 0, "\(made.stderr)")
        let url = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("https://bevaka.region.se/calendar/") && url.hasSuffix(".ics"))
        let team = try bevaka(["calendar", "create", "--team", "teamledare"])
        #expect(team.status == 0, "\(team.stderr)")
        #expect(team.stdout.hasPrefix("/calendar/"))
        let unknown = try bevaka(["calendar", "create", "--team", "nope"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no workflow has the role 'nope'"))
        let both = try bevaka(["calendar", "create", "--team", "teamledare", "--subject", "anna"])
        #expect(both.status != 0 && both.stderr.contains("--subject SUBJECT or --team ROLE"))

        let list = try bevaka(["calendar", "list"])
        #expect(list.status == 0)
        let rows = list.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 2)
        let annas = try #require(rows.first { $0.contains("\tanna\t") })
        let id = String(annas.split(separator: "\t")[0])
        #expect(!list.stdout.contains(String(url.dropFirst("https://bevaka.region.se/calendar/".count).dropLast(4))), "the list shows a secret")

        try await app().test(.router) { client in
            let path = try #require(URLComponents(string: url)?.path)
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            // Anna sees the feed made for her, and may revoke it herself.
            let hers = json(try await client.execute(uri: "/calendar/feeds", method: .get, headers: Self.headers(json: false)).body.readableBytesView)
            #expect(hers["items"]?.array.compactMap { $0["id"]?.string } == [id])
            let renewed = try bevaka(["calendar", "renew", id])
            #expect(renewed.status == 0, "\(renewed.stderr)")
            #expect(try await client.execute(uri: path, method: .get).status == .notFound)
            let newPath = renewed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await client.execute(uri: newPath, method: .get).status == .ok)
            let revoked = try bevaka(["calendar", "revoke", id])
            #expect(revoked.status == 0 && revoked.stdout.contains("revoked \(id)"))
            #expect(try await client.execute(uri: newPath, method: .get).status == .notFound)
        }
        let again = try bevaka(["calendar", "revoke", "nosuchfeed12"])
        #expect(again.status == 1 && again.stderr.contains("no calendar feed 'nosuchfeed12'"))
    }
}
