import BevakaApplication
import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// The calendar's pure parts: RFC 5545 text, what changes raise SEQUENCE, and who may make
/// and read which feed. No database, no HTTP, no clock.
struct CalendarFeedBuilderTests {
    @Test func linesAreFoldedAt75OctetsWithoutSplittingCharacters() {
        let line = "DESCRIPTION:" + String(repeating: "å", count: 100)
        let folded = ICalendarWriter.fold(line)
        #expect(folded.hasSuffix("\r\n"))
        // ("\r\n" is one Character in Swift: split the text, whose last part is the empty one after the final CRLF.)
        let parts = Array(folded.components(separatedBy: "\r\n").dropLast())
        #expect(parts.count > 1)
        for (index, part) in parts.enumerated() {
            #expect(part.utf8.count <= 75, "line \(index) is \(part.utf8.count) octets")
            if index > 0 { #expect(part.hasPrefix(" ")) }
        }
        #expect(parts.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
        #expect(ICalendarWriter.fold("VERSION:2.0") == "VERSION:2.0\r\n")
        let exact = String(repeating: "x", count: 75)
        #expect(ICalendarWriter.fold(exact) == exact + "\r\n")
    }

    @Test func textIsEscaped() {
        #expect(ICalendarWriter.escape("a\\b;c,d\ne\r\nf\u{0}g\th") == "a\\\\b\\;c\\,d\\ne\\nfg h")
        var writer = ICalendarWriter()
        writer.text("SUMMARY", "Frist; uppgift, klar")
        writer.raw("URL", "https://x/cases/1\u{7}")
        #expect(writer.text == "SUMMARY:Frist\\; uppgift\\, klar\r\nURL:https://x/cases/1\r\n")
    }

    @Test func instantsAreWrittenAsStockholmWallClockTime() {
        #expect(ICalendarWriter.localDateTime(local("2027-03-29T17:00")) == "20270329T170000")
        #expect(ICalendarWriter.localDateTime(local("2027-11-02T17:00")) == "20271102T170000")
        #expect(ICalendarWriter.utcDateTime(local("2027-03-29T17:00")) == "20270329T150000Z")
    }

    static func event(_ uid: String, _ start: String, summary: String = "Frist (RS 1)", description: String = "Läge: A") -> CalendarEvent {
        CalendarEvent(uid: uid, caseID: "c1", start: local(start), summary: summary, description: description, alarms: [])
    }

    @Test func aChangeRaisesTheSequenceAndWhatIsGoneIsCancelledForAWhile() {
        let month: TimeInterval = 30 * 86_400
        let now = local("2027-01-11T09:00")
        let first = CalendarFeedBuilder.reconcile([Self.event("a", "2027-03-29T17:00"), Self.event("b", "2027-04-01T17:00")],
                                                  previous: [], now: now, keepCancelled: month)
        #expect(first.sent.map(\.entry.sequence) == [0, 0])
        #expect(first.changed.count == 2)
        let remembered = first.changed

        // Nothing changed: nothing to write, the same sequences.
        let same = CalendarFeedBuilder.reconcile([Self.event("a", "2027-03-29T17:00"), Self.event("b", "2027-04-01T17:00")],
                                                 previous: remembered, now: now, keepCancelled: month)
        #expect(same.changed.isEmpty && same.removed.isEmpty)
        #expect(same.sent.map(\.entry.sequence) == [0, 0])

        // a moves, b's description changes, c is new.
        let moved = CalendarFeedBuilder.reconcile([Self.event("a", "2027-04-12T17:00"), Self.event("b", "2027-04-01T17:00", description: "Läge: B"),
                                                   Self.event("c", "2027-05-01T17:00")], previous: remembered, now: now, keepCancelled: month)
        #expect(Dictionary(uniqueKeysWithValues: moved.sent.map { ($0.entry.uid, $0.entry.sequence) }) == ["a": 1, "b": 1, "c": 0])
        #expect(moved.sent.first { $0.entry.uid == "a" }?.entry.startsAt == local("2027-04-12T17:00"))

        // a is gone: cancelled with the next sequence, sent so for thirty days, then forgotten.
        let gone = CalendarFeedBuilder.reconcile([Self.event("b", "2027-04-01T17:00", description: "Läge: B"), Self.event("c", "2027-05-01T17:00")],
                                                 previous: moved.changed, now: now, keepCancelled: month)
        let cancelled = gone.sent.first { $0.entry.uid == "a" }
        #expect(cancelled?.event == nil)
        #expect(cancelled?.entry.sequence == 2)
        #expect(cancelled?.entry.cancelledAt == now)
        let kept = gone.changed + moved.changed.filter { entry in !gone.changed.contains { $0.uid == entry.uid } }
        let stillSent = CalendarFeedBuilder.reconcile([Self.event("b", "2027-04-01T17:00", description: "Läge: B"), Self.event("c", "2027-05-01T17:00")],
                                                      previous: kept, now: now.addingTimeInterval(month - 60), keepCancelled: month)
        #expect(stillSent.sent.first { $0.entry.uid == "a" }?.entry.sequence == 2)
        #expect(stillSent.changed.isEmpty)
        let forgotten = CalendarFeedBuilder.reconcile([Self.event("b", "2027-04-01T17:00", description: "Läge: B"), Self.event("c", "2027-05-01T17:00")],
                                                      previous: kept, now: now.addingTimeInterval(month + 60), keepCancelled: month)
        #expect(forgotten.removed == ["a"])
        #expect(!forgotten.sent.contains { $0.entry.uid == "a" })

        // Back again: the next sequence after the cancellation.
        let back = CalendarFeedBuilder.reconcile([Self.event("a", "2027-04-12T17:00")], previous: gone.changed, now: now, keepCancelled: month)
        #expect(back.sent.first { $0.entry.uid == "a" }?.entry.sequence == 3)
        #expect(back.sent.first { $0.entry.uid == "a" }?.event != nil)

        // A feed cut short takes nothing missing for gone.
        let partial = CalendarFeedBuilder.reconcile([], previous: remembered, now: now, keepCancelled: month, complete: false)
        #expect(partial.sent.isEmpty && partial.changed.isEmpty && partial.removed.isEmpty)
    }

    @Test func theFeedSaysNothingButTheWorkflowsWordsAndTheReference() throws {
        let workflow = try WorkflowLoader.load(yaml: """
            workflow: vard
            version: 1
            title: Vård
            roles: { handlaggare: Handläggare, teamledare: Teamledare }
            fields:
              diarienummer: { type: string, personal: [handlaggare] }
              namn: { type: string, required: true, personal: [handlaggare] }
            events:
              klar: { roles: [handlaggare] }
            states:
              ny:
                initial: true
                title: Ny
                deadlines:
                  svar: { title: "Svar senast", after: P10D, remind: [P2D], notify: [{ to: [teamledare] }] }
                  egen: { after: P5D, notify: [{ to: [owner] }] }
                on: { klar: { to: klar } }
              klar: { final: true }
            """, path: "vard.yaml")
        let opened = local("2027-01-11T09:00")
        let record = CaseRecord(id: "0f1e2d3c-0000-4000-8000-000000000001", workflow: workflow.key, state: "ny", stateEnteredAt: opened, stateEntry: 1,
                                owner: "anna", fields: ["diarienummer": .string("RS 2027/9"), "namn": .string("Greta Gåsberg")],
                                deadlines: [ActiveDeadline(name: "svar", dueAt: local("2027-01-21T17:00")),
                                            ActiveDeadline(name: "egen", dueAt: local("2027-01-16T17:00"))],
                                accruals: [], version: 1, createdAt: opened, updatedAt: opened)
        let person = CalendarFeedBuilder.events(of: record, workflow, for: .person(subject: "anna", identifiers: ["anna"]))
        #expect(person.map(\.uid).sorted() == ["0f1e2d3c-0000-4000-8000-000000000001.egen@bevaka", "0f1e2d3c-0000-4000-8000-000000000001.svar@bevaka"])
        // A personal diarienummer gives way to the short number.
        #expect(person.first { $0.uid.hasSuffix("svar@bevaka") }?.summary == "Svar senast (0F1E-2D3C)")
        #expect(person.first { $0.uid.hasSuffix("egen@bevaka") }?.summary == "Ny (0F1E-2D3C)")
        #expect(person.first { $0.uid.hasSuffix("svar@bevaka") }?.alarms == [local("2027-01-19T17:00")])
        let text = CalendarFeedBuilder.render(name: "x", CalendarFeedBuilder.reconcile(person, previous: [], now: opened, keepCancelled: 1).sent,
                                              baseURL: "https://b", now: opened)
        #expect(!text.contains("Greta") && !text.contains("RS 2027/9"))
        let team = CalendarFeedBuilder.events(of: record, workflow, for: .team(role: "teamledare"))
        #expect(team.map(\.uid) == ["0f1e2d3c-0000-4000-8000-000000000001.svar@bevaka"])
        #expect(CalendarFeedBuilder.events(of: record, workflow, for: .team(role: "handlaggare")).isEmpty)
    }

    /// Booked meetings (`meeting: true`): a date is a whole day, a datetime an hour from its
    /// instant; a personal one never shows; a team whose role the workflow has sees them; a
    /// closed case has none; a moved one keeps its UID with the next SEQUENCE.
    @Test func bookedMeetingsAreEventsOfTheirOwnWhileTheCaseIsOpen() throws {
        let workflow = try WorkflowLoader.load(yaml: """
            workflow: moten
            version: 1
            title: Möten
            roles: { handlaggare: Handläggare, teamledare: Teamledare }
            fields:
              besok: { type: date, meeting: true, title: "Besöket" }
              mote: { type: datetime, meeting: true }
              hemligt: { type: date, meeting: true, personal: true, title: "Hemligt besök" }
              inkom: { type: date, title: "Inkom" }
            events: { klar: { roles: [handlaggare] } }
            states:
              ny: { initial: true, on: { klar: klar } }
              klar: { final: true }
            """, path: "moten.yaml")
        let id = "0f1e2d3c-0000-4000-8000-000000000002"
        let opened = local("2027-01-11T09:00")
        func record(state: String = "ny", _ fields: [String: Value]) -> CaseRecord {
            CaseRecord(id: id, workflow: workflow.key, state: state, stateEnteredAt: opened, stateEntry: 1, owner: "anna", fields: fields,
                       deadlines: [], accruals: [], version: 1, createdAt: opened, updatedAt: opened)
        }
        let day = { (text: String) in Value.date(LocalDate(iso: text)!) }
        let booked = record(["besok": day("2027-03-29"), "mote": .datetime(local("2027-04-01T10:30")), "hemligt": day("2027-05-17"),
                             "inkom": day("2027-01-11")])
        let anna = AccessPolicy.CalendarOwner.person(subject: "anna", identifiers: ["anna"])
        let events = CalendarFeedBuilder.events(of: booked, workflow, for: anna)
        #expect(events.map(\.uid).sorted() == ["\(id).besok@bevaka", "\(id).mote@bevaka"])
        let visit = try #require(events.first { $0.uid == "\(id).besok@bevaka" })
        #expect(visit.allDay && visit.duration == nil && visit.start == local("2027-03-29T00:00"))
        #expect(visit.summary == "Besöket (\(CaseRecord.shortNumber(of: id)))" && visit.description.hasSuffix("Bokat möte: Besöket"))
        let meeting = try #require(events.first { $0.uid == "\(id).mote@bevaka" })
        #expect(!meeting.allDay && meeting.duration == 3600 && meeting.start == local("2027-04-01T10:30"))
        #expect(meeting.summary == "mote (\(CaseRecord.shortNumber(of: id)))")
        #expect(CalendarFeedBuilder.events(of: booked, workflow, for: .team(role: "teamledare")).count == 2)
        #expect(CalendarFeedBuilder.events(of: booked, workflow, for: .team(role: "ekonomi")).isEmpty)
        #expect(CalendarFeedBuilder.events(of: record(state: "klar", booked.fields), workflow, for: anna).isEmpty)
        #expect(CalendarFeedBuilder.events(of: record(["inkom": day("2027-01-11")]), workflow, for: anna).isEmpty)

        let first = CalendarFeedBuilder.reconcile(events, previous: [], now: opened, keepCancelled: 86_400)
        #expect(first.changed.first { $0.uid == visit.uid }?.allDay == true)
        #expect(first.changed.first { $0.uid == meeting.uid }?.allDay == false)
        let text = CalendarFeedBuilder.render(name: "x", first.sent, baseURL: "https://b", now: opened)
        #expect(text.contains("DTSTART;VALUE=DATE:20270329\r\nDTEND;VALUE=DATE:20270330\r\n"))
        #expect(text.contains("DTSTART;TZID=Europe/Stockholm:20270401T103000\r\nDTEND;TZID=Europe/Stockholm:20270401T113000\r\n"))
        #expect(!text.contains("20270517") && !text.contains("Hemligt"), "the personal meeting is in the feed")

        // The visit moves a week and the meeting is struck: the next SEQUENCE for both, the visit still a date.
        let moved = CalendarFeedBuilder.reconcile(CalendarFeedBuilder.events(of: record(["besok": day("2027-04-05")]), workflow, for: anna),
                                                  previous: first.changed, now: opened, keepCancelled: 86_400)
        #expect(moved.sent.first { $0.entry.uid == visit.uid }?.entry.sequence == 1)
        #expect(moved.sent.first { $0.entry.uid == meeting.uid }?.entry.sequence == 1)
        #expect(moved.sent.first { $0.entry.uid == meeting.uid }?.event == nil)
        let after = CalendarFeedBuilder.render(name: "x", moved.sent, baseURL: "https://b", now: opened)
        #expect(after.contains("DTSTART;VALUE=DATE:20270405\r\nDTEND;VALUE=DATE:20270406\r\n"))
        #expect(after.contains("DTSTART;TZID=Europe/Stockholm:20270401T103000\r\nSEQUENCE:1\r\n"))
    }

    @Test func whoMayMakeAndManageAFeedAndWhatItReads() throws {
        let anna = Principal(kind: .person, subject: "anna", name: "Anna", roles: ["handlaggare"], identifiers: ["anna@region.se"])
        let admin = Principal(kind: .person, subject: "root", name: "Root", roles: ["admin"])
        let token = Principal(kind: .system, subject: "token:crm", name: "token:crm", roles: ["handlaggare"])
        #expect(AccessPolicy.mayMakeCalendar(anna, for: .person(subject: "anna", identifiers: [])) == nil)
        #expect(AccessPolicy.mayMakeCalendar(anna, for: .person(subject: "bo", identifiers: [])) == .needsRole("admin"))
        #expect(AccessPolicy.mayMakeCalendar(admin, for: .person(subject: "bo", identifiers: [])) == nil)
        #expect(AccessPolicy.mayMakeCalendar(.operator("operator"), for: .person(subject: "bo", identifiers: [])) == nil)
        #expect(AccessPolicy.mayMakeCalendar(token, for: .person(subject: "token:crm", identifiers: [])) == .personOnly)
        #expect(AccessPolicy.mayMakeCalendar(anna, for: .team(role: "handlaggare")) == nil)
        #expect(AccessPolicy.mayMakeCalendar(anna, for: .team(role: "teamledare")) == .needsRole("teamledare"))
        #expect(AccessPolicy.mayMakeCalendar(admin, for: .team(role: "teamledare")) == nil)

        #expect(AccessPolicy.mayManageCalendar(anna, subject: "anna", createdBy: "operator"))
        #expect(AccessPolicy.mayManageCalendar(anna, subject: nil, createdBy: "anna"))
        #expect(!AccessPolicy.mayManageCalendar(anna, subject: "bo", createdBy: "bo"))
        #expect(!AccessPolicy.mayManageCalendar(anna, subject: nil, createdBy: "bo"))
        #expect(AccessPolicy.mayManageCalendar(admin, subject: "bo", createdBy: "bo"))

        let person = AccessPolicy.CalendarOwner.person(subject: "anna", identifiers: anna.identifiers)
        // Anna's feed: her cases and those naming her, not all her role could see.
        #expect(AccessPolicy.calendarShows(person, .init(owner: "anna", workflowRoles: ["handlaggare"])))
        #expect(AccessPolicy.calendarShows(person, .init(owner: "bo", people: ["anna@region.se"], workflowRoles: [])))
        #expect(!AccessPolicy.calendarShows(person, .init(owner: "bo", workflowRoles: ["handlaggare"])))
        #expect(AccessPolicy.calendarScope(person, workflows: []) == ([], ["anna", "anna@region.se"]))
        #expect(AccessPolicy.calendarShows(.team(role: "teamledare"), .init(owner: "bo", workflowRoles: ["teamledare"])))
        #expect(!AccessPolicy.calendarShows(.team(role: "teamledare"), .init(owner: "bo", workflowRoles: ["handlaggare"])))
    }
}
