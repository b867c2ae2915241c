import BevakaCore
import BevakaStore
import Foundation

/// One event of a feed as a case gives it now: a deadline of its state, an open checklist
/// item or a booked meeting. Only the workflow's words and the case's reference: no field
/// value but the diarienummer (and not even that when a workflow marks it personal) and a
/// meeting's own date.
public struct CalendarEvent: Sendable, Equatable {
    /// `CASE.DEADLINE@bevaka`, `CASE.CHECKLIST/ITEM@bevaka` or `CASE.FIELD@bevaka` (a meeting):
    /// stable while the case lives.
    public let uid: String
    public let caseID: String
    public let start: Date
    public let summary: String
    /// What the event says besides its summary (the link to the case is added when it is written).
    public let description: String
    /// When the workflow reminds of it (absolute instants: working days have no fixed length).
    public let alarms: [Date]
    /// A whole day (a meeting's date): `start` is that day's start in Stockholm; it ends the next day.
    public let allDay: Bool
    /// How long it lasts (a meeting at a time); nil for a due moment, which has no length.
    public let duration: TimeInterval?

    public init(uid: String, caseID: String, start: Date, summary: String, description: String, alarms: [Date],
                allDay: Bool = false, duration: TimeInterval? = nil) {
        self.uid = uid
        self.caseID = caseID
        self.start = start
        self.summary = summary
        self.description = description
        self.alarms = alarms
        self.allDay = allDay
        self.duration = duration
    }

    /// What, besides the start, the summary and being all-day, makes a change worth a higher SEQUENCE.
    var fingerprint: String {
        // A length only where there is one, so that a deadline's fingerprint is what it always was.
        Secrets.digest(description + "\u{1F}" + alarms.map { String($0.millis) }.joined(separator: ",")
                       + (duration.map { "\u{1F}" + String(Int($0)) } ?? ""))
    }
}

/// What a feed is made of, decided without a clock, a database or HTTP: the events of a
/// case for a feed's owner, what changed since the feed last answered, and the text.
public enum CalendarFeedBuilder {
    /// The case's events that belong in the owner's feed: for a person every deadline of the
    /// case's state and every open checklist item with a due time; for a team those whose
    /// roles (the deadline's `notify` roles, the item's responsible roles) include the team's.
    ///
    /// Besides, while the case is open, each booked meeting (a `meeting: true` date or datetime
    /// field that is set): a date as an all-day event, a datetime as an hour from its instant,
    /// with the field's title and the case's reference. A meeting belongs to no one role, so a
    /// person's feed always has the meetings of their cases, and a team's those of every case
    /// whose workflow has the team's role (the cases a team's feed reads at all). A personal
    /// field is never shown, not even as a meeting.
    public static func events(of record: CaseRecord, _ definition: WorkflowDefinition, for owner: AccessPolicy.CalendarOwner) -> [CalendarEvent] {
        guard let state = definition.state(record.state), !state.isFinal else { return [] }
        let team: String? = if case .team(let role) = owner { role } else { nil }
        let reference = reference(of: record, definition)
        let stateTitle = state.title ?? state.name
        let heading = "Ärende \(reference): \(definition.title)\nLäge: \(stateTitle)"
        var events: [CalendarEvent] = []
        // What the case has due and on whom it falls, as "Mina uppgifter" reads it; a team's
        // feed has what its role is responsible for (not what it may only tick).
        for item in record.dueItems(definition) {
            if let team, !item.roles.contains(team) { continue }
            switch item.kind {
            case .deadline(let name):
                guard let deadline = state.deadlines.first(where: { $0.name == name }) else { continue }
                let title = deadline.title ?? stateTitle
                let alarms = deadline.reminders.map { definition.calendar.subtracting($0, from: item.dueAt) }.sorted()
                var description = heading + "\nFrist: \(title)"
                if !item.roles.isEmpty { description += "\nBerör: " + item.roles.map { roleTitle($0, definition) }.joined(separator: "; ") }
                events.append(CalendarEvent(uid: "\(record.id).\(name)@bevaka", caseID: record.id, start: item.dueAt,
                                            summary: "\(title) (\(reference))", description: description, alarms: alarms))
            case .checklistItem(let checklist, let id):
                guard let list = definition.checklist(checklist), list.item(id) != nil else { continue }
                var description = heading + "\nChecklista: \(list.title ?? list.name)\nUppgift: \(item.title)"
                if !item.roles.isEmpty {
                    description += "\nAnsvariga: " + item.roles.map { roleTitle($0, definition) }.joined(separator: "; ")
                }
                events.append(CalendarEvent(uid: "\(record.id).\(item.timerName)@bevaka", caseID: record.id, start: item.dueAt,
                                            summary: "\(item.title) (\(reference))", description: description, alarms: []))
            }
        }
        if let team, !definition.roles.contains(where: { $0.name == team }) { return events }
        for field in definition.fields where field.meeting && !field.personal {
            let start: Date, allDay: Bool
            switch record.fields[field.name] {
            case .date(let day)?: (start, allDay) = (definition.calendar.instant(on: day, at: LocalTime(hour: 0, minute: 0)), true)
            case .datetime(let instant)?: (start, allDay) = (instant, false)
            default: continue
            }
            let uid = "\(record.id).\(field.name)@bevaka"
            // A deadline of the same name has the UID already.
            guard !events.contains(where: { $0.uid == uid }) else { continue }
            let title = field.title ?? field.name
            events.append(CalendarEvent(uid: uid, caseID: record.id, start: start, summary: "\(title) (\(reference))",
                                        description: heading + "\nBokat möte: \(title)", alarms: [],
                                        allDay: allDay, duration: allDay ? nil : meetingLength))
        }
        return events
    }

    /// How long a meeting at a time is shown as lasting (the workflow says when, not for how long).
    public static let meetingLength: TimeInterval = 3600

    /// What people call the case in a calendar: its diarienummer, unless the workflow marks
    /// that field personal, else its short number.
    public static func reference(of record: CaseRecord, _ definition: WorkflowDefinition) -> String {
        if definition.field("diarienummer")?.personal == true { return CaseRecord.shortNumber(of: record.id) }
        return record.reference
    }

    static func roleTitle(_ role: String, _ definition: WorkflowDefinition) -> String {
        if role == "owner" { return "ärendets ägare" }
        return definition.roles.first { $0.name == role }?.title ?? role
    }

    /// One event as the feed sends it: live (with what the case says now) or cancelled.
    public struct Sent: Sendable, Equatable {
        public let entry: CalendarEntry
        public let event: CalendarEvent?
    }

    /// Compares what the cases give now with what the feed sent last time. An event keeps its
    /// SEQUENCE while nothing in it changes, and gets the next one when its start, summary or
    /// description changes or it comes back; one that is gone is sent once more as cancelled
    /// with the next SEQUENCE, and again on every request for `keepCancelled`, then forgotten.
    /// With `complete` false (the feed was cut short) nothing missing is taken for gone.
    /// Returns what to send, and what to remember (`changed`) or forget (`removed`, UIDs).
    public static func reconcile(_ events: [CalendarEvent], previous: [CalendarEntry], now: Date, keepCancelled: TimeInterval,
                                 complete: Bool = true) -> (sent: [Sent], changed: [CalendarEntry], removed: [String]) {
        var before = Dictionary(previous.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        var sent: [Sent] = []
        var changed: [CalendarEntry] = []
        var removed: [String] = []
        for event in events.sorted(by: { ($0.start, $0.uid) < ($1.start, $1.uid) }) {
            let fingerprint = event.fingerprint
            let entry: CalendarEntry
            if let old = before.removeValue(forKey: event.uid) {
                if old.cancelledAt == nil, old.startsAt.millis == event.start.millis, old.allDay == event.allDay, old.summary == event.summary,
                   old.fingerprint == fingerprint {
                    entry = old
                } else {
                    entry = CalendarEntry(uid: event.uid, caseID: event.caseID, startsAt: event.start.wholeMilliseconds,
                                          sequence: old.sequence + 1, summary: event.summary, fingerprint: fingerprint, allDay: event.allDay)
                    changed.append(entry)
                }
            } else {
                entry = CalendarEntry(uid: event.uid, caseID: event.caseID, startsAt: event.start.wholeMilliseconds, sequence: 0,
                                      summary: event.summary, fingerprint: fingerprint, allDay: event.allDay)
                changed.append(entry)
            }
            sent.append(Sent(entry: entry, event: event))
        }
        guard complete else { return (sent, changed, removed) }
        for old in before.values.sorted(by: { ($0.startsAt, $0.uid) < ($1.startsAt, $1.uid) }) {
            if let cancelled = old.cancelledAt {
                if now.timeIntervalSince(cancelled) < keepCancelled {
                    sent.append(Sent(entry: old, event: nil))
                } else {
                    removed.append(old.uid)
                }
            } else {
                var entry = old
                entry.sequence += 1
                entry.cancelledAt = now.wholeMilliseconds
                changed.append(entry)
                sent.append(Sent(entry: entry, event: nil))
            }
        }
        return (sent, changed, removed)
    }

    /// The feed as RFC 5545 text: VCALENDAR (PUBLISH) with the Europe/Stockholm VTIMEZONE and
    /// one VEVENT per event, its start as Stockholm wall-clock time (an all-day one as its date,
    /// ending the next day; one with a length with its end too), linking to `/cases/{id}`.
    public static func render(name: String, _ sent: [Sent], baseURL: String, now: Date) -> String {
        var writer = ICalendarWriter()
        writer.begin("VCALENDAR")
        writer.raw("PRODID", "-//Bevaka//Bevaka kalender 1.0//SV")
        writer.raw("VERSION", "2.0")
        writer.raw("CALSCALE", "GREGORIAN")
        writer.raw("METHOD", "PUBLISH")
        writer.text("X-WR-CALNAME", name)
        writer.text("X-WR-CALDESC", "Frister och uppgifter i Bevaka. Innehåller inga personuppgifter; öppna ärendet i Bevaka för mer.")
        writer.raw("X-WR-TIMEZONE", ICalendarWriter.timeZoneID)
        writer.raw("REFRESH-INTERVAL", "PT1H", parameters: "VALUE=DURATION")
        writer.raw("X-PUBLISHED-TTL", "PT1H")
        writer.stockholmTimeZone()
        let stamp = ICalendarWriter.utcDateTime(now)
        let zone = "TZID=\(ICalendarWriter.timeZoneID)"
        for item in sent {
            let link = "\(baseURL)/cases/\(item.entry.caseID)"
            writer.begin("VEVENT")
            writer.raw("UID", item.entry.uid)
            writer.raw("DTSTAMP", stamp)
            if item.entry.allDay {
                let day = SwedishCalendar().localDate(of: item.entry.startsAt)
                writer.raw("DTSTART", ICalendarWriter.date(day), parameters: "VALUE=DATE")
                writer.raw("DTEND", ICalendarWriter.date(day.adding(days: 1)), parameters: "VALUE=DATE")
            } else {
                writer.raw("DTSTART", ICalendarWriter.localDateTime(item.entry.startsAt), parameters: zone)
                if let length = item.event?.duration {
                    writer.raw("DTEND", ICalendarWriter.localDateTime(item.entry.startsAt.addingTimeInterval(length)), parameters: zone)
                }
            }
            writer.raw("SEQUENCE", String(item.entry.sequence))
            writer.text("SUMMARY", item.entry.summary)
            writer.raw("URL", link, parameters: "VALUE=URI")
            // A meeting at a time takes the time; a due moment or a day's meeting does not.
            writer.raw("TRANSP", item.event?.duration == nil ? "TRANSPARENT" : "OPAQUE")
            writer.raw("CLASS", "PRIVATE")
            if let event = item.event {
                writer.text("DESCRIPTION", event.description + "\n\nÖppna ärendet: \(link)")
                writer.raw("STATUS", "CONFIRMED")
                for alarm in event.alarms {
                    writer.begin("VALARM")
                    writer.raw("ACTION", "DISPLAY")
                    writer.text("DESCRIPTION", "Påminnelse: \(event.summary)")
                    writer.raw("TRIGGER", ICalendarWriter.utcDateTime(alarm), parameters: "VALUE=DATE-TIME")
                    writer.end("VALARM")
                }
            } else {
                writer.text("DESCRIPTION", "Inte längre aktuell: fristen har upphört, uppgiften är klar, mötet är struket eller ärendet avslutat.\n\nÖppna ärendet: \(link)")
                writer.raw("STATUS", "CANCELLED")
            }
            writer.end("VEVENT")
        }
        writer.end("VCALENDAR")
        return writer.text
    }
}
