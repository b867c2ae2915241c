import BevakaCore
import Foundation
import GRDB

/// An iCalendar feed as kept (never with its secret): a person's, or a team role's.
public struct CalendarFeed: Sendable, Equatable {
    public let id: String
    /// The person whose cases it shows (their provider subject); nil for a team's feed.
    public let subject: String?
    /// The names a case may use for that person (subject, user name, e-mail), as when it was made or last renewed.
    public let identifiers: [String]
    /// The role whose deadlines and checklist items it shows; nil for a person's feed.
    public let team: String?
    /// Who made it: the person's subject, or the operator's name (`bevaka calendar create`).
    public let createdBy: String
    public let createdAt: Date
    public let renewedAt: Date?
    public let revokedAt: Date?

    public var isActive: Bool { revokedAt == nil }

    package init(id: String, subject: String?, identifiers: [String], team: String?, createdBy: String, createdAt: Date,
                 renewedAt: Date?, revokedAt: Date?) {
        self.id = id
        self.subject = subject
        self.identifiers = identifiers
        self.team = team
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.renewedAt = renewedAt
        self.revokedAt = revokedAt
    }

    init(row: Row) {
        self.init(id: row["id"], subject: row["subject"], identifiers: StoredFields.texts(from: row["identifiers"]), team: row["team"],
                  createdBy: row["created_by"], createdAt: Date(millis: row["created_at"]),
                  renewedAt: (row["renewed_at"] as Int64?).map(Date.init(millis:)),
                  revokedAt: (row["revoked_at"] as Int64?).map(Date.init(millis:)))
    }

    /// The names a person's feed keeps for them: those given and their subject, each once, sorted.
    package static func identifiers(_ given: [String], subject: String?) -> [String] {
        Array(Set(given + (subject.map { [$0] } ?? []))).sorted()
    }
}

/// What a feed last sent for one event: its start and SEQUENCE, and when it was cancelled.
public struct CalendarEntry: Sendable, Equatable {
    public var uid: String
    public var caseID: String
    public var startsAt: Date
    public var sequence: Int
    /// The SUMMARY sent (no personal data), sent again with a cancellation.
    public var summary: String
    /// A digest of everything else the event said (description, alarms): a change raises SEQUENCE.
    public var fingerprint: String
    public var cancelledAt: Date?
    /// Sent as a whole day (a meeting's date): `startsAt` is that day's start in Stockholm.
    public var allDay: Bool

    public init(uid: String, caseID: String, startsAt: Date, sequence: Int, summary: String, fingerprint: String, cancelledAt: Date? = nil,
                allDay: Bool = false) {
        self.uid = uid
        self.caseID = caseID
        self.startsAt = startsAt
        self.sequence = sequence
        self.summary = summary
        self.fingerprint = fingerprint
        self.cancelledAt = cancelledAt
        self.allDay = allDay
    }
}

/// Why a feed was not made, renewed or revoked.
public enum CalendarFeedError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case revoked(String)
    /// The person (or, for a team's feed, its maker for that team) has this many active feeds already.
    case tooMany(limit: Int)

    public var description: String {
        switch self {
        case .unknown(let id): "no calendar feed '\(id)'"
        case .revoked(let id): "calendar feed '\(id)' is revoked; make a new one"
        case .tooMany(let limit): "at most \(limit) calendar feeds may be active at once; revoke one first"
        }
    }
}

extension CaseStore {
    /// Makes a feed and returns it with the only copy of its secret (the URL is `/calendar/SECRET.ics`).
    /// Exactly one of `subject` (with the person's `identifiers`) and `team` is given.
    public func createCalendarFeed(subject: String?, identifiers: [String], team: String?, createdBy: String,
                                   activeLimit: Int) async throws -> (CalendarFeed, secret: String) {
        precondition((subject == nil) != (team == nil), "a feed is a person's or a team's")
        let id = Secrets.shortID()
        let secret = Secrets.make()
        let now = self.now()
        let names = StoredFields.texts(CalendarFeed.identifiers(identifiers, subject: subject))
        let feed: CalendarFeed = try await writer.perform { db in
            // A person's feeds count against the person, a team's against who made them for that team.
            let active = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM calendar_feeds WHERE revoked_at IS NULL AND (subject = ? OR (team = ? AND created_by = ?))
                """, arguments: [subject, team, createdBy]) ?? 0
            guard active < activeLimit else { throw CalendarFeedError.tooMany(limit: activeLimit) }
            try db.execute(sql: """
                INSERT INTO calendar_feeds (id, secret_sha256, subject, identifiers, team, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, Secrets.digest(secret), subject, names, team, createdBy, now.millis])
            return (CalendarFeed(row: try Row.fetchOne(db, sql: "SELECT * FROM calendar_feeds WHERE id = ?", arguments: [id])!), [])
        }
        return (feed, secret)
    }

    /// Feeds, newest first: those of one person (made for them, or made by them: a team's), or every feed for nil.
    public func calendarFeeds(of subject: String?) async throws -> [CalendarFeed] {
        try await database.read { db in
            if let subject {
                return try Row.fetchAll(db, sql: """
                    SELECT * FROM calendar_feeds WHERE subject = ? OR created_by = ? ORDER BY created_at DESC, id
                    """, arguments: [subject, subject]).map(CalendarFeed.init(row:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM calendar_feeds ORDER BY created_at DESC, id").map(CalendarFeed.init(row:))
        }
    }

    public func calendarFeed(id: String) async throws -> CalendarFeed? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM calendar_feeds WHERE id = ?", arguments: [id]).map(CalendarFeed.init(row:))
        }
    }

    /// The active feed `secret` opens, if any (unknown and revoked look the same).
    public func calendarFeed(secret: String) async throws -> CalendarFeed? {
        let digest = Secrets.digest(secret)
        return try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM calendar_feeds WHERE secret_sha256 = ? AND revoked_at IS NULL", arguments: [digest])
                .map(CalendarFeed.init(row:))
        }
    }

    /// Gives the feed a new secret (the old URL stops working at once) and, for a person's
    /// feed, the names the person goes by now. What it sent is kept: events keep their UIDs.
    public func renewCalendarFeed(id: String, identifiers: [String]?) async throws -> (CalendarFeed, secret: String) {
        let secret = Secrets.make()
        let now = self.now()
        let feed: CalendarFeed = try await writer.perform { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM calendar_feeds WHERE id = ?", arguments: [id]) else {
                throw CalendarFeedError.unknown(id)
            }
            let old = CalendarFeed(row: row)
            guard old.isActive else { throw CalendarFeedError.revoked(id) }
            var names = old.identifiers
            if let identifiers, let subject = old.subject {
                names = CalendarFeed.identifiers(identifiers, subject: subject)
            }
            try db.execute(sql: "UPDATE calendar_feeds SET secret_sha256 = ?, renewed_at = ?, identifiers = ? WHERE id = ?",
                           arguments: [Secrets.digest(secret), now.millis, StoredFields.texts(names), id])
            return (CalendarFeed(row: try Row.fetchOne(db, sql: "SELECT * FROM calendar_feeds WHERE id = ?", arguments: [id])!), [])
        }
        return (feed, secret)
    }

    /// Revokes a feed at once (its URL answers 404 from then on); it is kept, revoked, for
    /// the record, and what it sent is forgotten. Revoking a revoked feed changes nothing.
    public func revokeCalendarFeed(id: String) async throws -> CalendarFeed {
        let now = self.now()
        return try await writer.perform { db in
            try db.execute(sql: "UPDATE calendar_feeds SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", arguments: [now.millis, id])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM calendar_feeds WHERE id = ?", arguments: [id]) else {
                throw CalendarFeedError.unknown(id)
            }
            try db.execute(sql: "DELETE FROM calendar_entries WHERE feed_id = ?", arguments: [id])
            return (CalendarFeed(row: row), [])
        }
    }

    /// What the feed last sent, per event.
    public func calendarEntries(feedID: String) async throws -> [CalendarEntry] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM calendar_entries WHERE feed_id = ? ORDER BY uid", arguments: [feedID]).map { row in
                CalendarEntry(uid: row["uid"], caseID: row["case_id"], startsAt: Date(millis: row["starts_at"]), sequence: row["sequence"],
                              summary: row["summary"], fingerprint: row["fingerprint"],
                              cancelledAt: (row["cancelled_at"] as Int64?).map(Date.init(millis:)), allDay: row["all_day"])
            }
        }
    }

    /// Remembers what changed in a feed's events: `changed` are written as they are now,
    /// `removed` (UIDs) forgotten. A feed revoked meanwhile keeps nothing.
    public func saveCalendarEntries(feedID: String, changed: [CalendarEntry], removed: [String]) async throws {
        guard !changed.isEmpty || !removed.isEmpty else { return }
        try await writer.perform { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM calendar_feeds WHERE id = ? AND revoked_at IS NULL", arguments: [feedID]) == true else {
                return ((), [])
            }
            for uid in removed {
                try db.execute(sql: "DELETE FROM calendar_entries WHERE feed_id = ? AND uid = ?", arguments: [feedID, uid])
            }
            for entry in changed {
                try db.execute(sql: """
                    INSERT INTO calendar_entries (feed_id, uid, case_id, starts_at, sequence, summary, fingerprint, cancelled_at, all_day)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (feed_id, uid) DO UPDATE SET case_id = excluded.case_id, starts_at = excluded.starts_at,
                        sequence = excluded.sequence, summary = excluded.summary, fingerprint = excluded.fingerprint,
                        cancelled_at = excluded.cancelled_at, all_day = excluded.all_day
                    """, arguments: [feedID, entry.uid, entry.caseID, entry.startsAt.millis, entry.sequence, entry.summary,
                                     entry.fingerprint, entry.cancelledAt?.millis, entry.allDay])
            }
            return ((), [])
        }
    }
}
