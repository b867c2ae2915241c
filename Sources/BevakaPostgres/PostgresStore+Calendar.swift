import BevakaCore
import BevakaStore
import Foundation
import PostgresNIO

/// Calendar feeds at secret URLs (only the secret's SHA-256 is kept) and what each last
/// sent, as the SQLite store keeps them. Each change locks what it depends on, so that
/// two nodes asked at once cannot together pass the limit of active feeds, nor save
/// entries for a feed revoked meanwhile.
extension PostgresStore: CalendarFeedStore {
    /// Makes a feed and returns it with the only copy of its secret. The active feeds are
    /// counted under an advisory lock on whose they are (the person's, or the maker's for
    /// the team): a second request for them waits, then counts the first one's feed.
    public func createCalendarFeed(subject: String?, identifiers: [String], team: String?, createdBy: String,
                                   activeLimit: Int) async throws -> (CalendarFeed, secret: String) {
        precondition((subject == nil) != (team == nil), "a feed is a person's or a team's")
        let id = Secrets.shortID()
        let secret = Secrets.make()
        let now = self.now()
        let names = StoredFields.texts(CalendarFeed.identifiers(identifiers, subject: subject))
        let counted = subject.map { "calendar feeds of\u{1}\($0)" } ?? "calendar feeds of\u{1}\(team ?? "")\u{1}\(createdBy)"
        let feed = try await perform(nil, notifying: false) { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(hashtextextended(\(counted), 0))", logger: self.logger)
            // A person's feeds count against the person, a team's against who made them for that team.
            let active: Int = try await connection.firstRow("""
                SELECT count(*) AS n FROM calendar_feeds
                WHERE revoked_at IS NULL AND (subject = \(subject) OR (team = \(team) AND created_by = \(createdBy)))
                """, logger: self.logger)?.value("n") ?? 0
            guard active < activeLimit else { throw CalendarFeedError.tooMany(limit: activeLimit) }
            guard let row = try await connection.firstRow("""
                INSERT INTO calendar_feeds (id, secret_sha256, subject, identifiers, team, created_by, created_at)
                VALUES (\(id), \(Secrets.digest(secret)), \(subject), \(names), \(team), \(createdBy), \(now.millis))
                RETURNING *
                """, logger: self.logger) else { throw StoreError.corrupt("calendar feed \(id) was not written") }
            return (try Self.feed(from: row), [])
        }
        return (feed, secret)
    }

    /// Feeds, newest first: those of one person (made for them, or made by them: a team's), or every feed for nil.
    public func calendarFeeds(of subject: String?) async throws -> [CalendarFeed] {
        try await client.withBoundedConnection { connection in
            let rows = if let subject {
                try await connection.rows("""
                    SELECT * FROM calendar_feeds WHERE subject = \(subject) OR created_by = \(subject)
                    ORDER BY created_at DESC, id COLLATE "C"
                    """, logger: self.logger)
            } else {
                try await connection.rows("SELECT * FROM calendar_feeds ORDER BY created_at DESC, id COLLATE \"C\"", logger: self.logger)
            }
            return try rows.map(Self.feed(from:))
        }
    }

    public func calendarFeed(id: String) async throws -> CalendarFeed? {
        try await client.withBoundedConnection { connection in
            try await connection.firstRow("SELECT * FROM calendar_feeds WHERE id = \(id)", logger: self.logger).map(Self.feed(from:))
        }
    }

    /// The active feed `secret` opens, if any (unknown and revoked look the same).
    public func calendarFeed(secret: String) async throws -> CalendarFeed? {
        let digest = Secrets.digest(secret)
        return try await client.withBoundedConnection { connection in
            try await connection.firstRow("""
                SELECT * FROM calendar_feeds WHERE secret_sha256 = \(digest) AND revoked_at IS NULL
                """, logger: self.logger).map(Self.feed(from:))
        }
    }

    /// Gives the feed a new secret (the old URL stops working at once) and, for a person's
    /// feed, the names the person goes by now. What it sent is kept: events keep their UIDs.
    public func renewCalendarFeed(id: String, identifiers: [String]?) async throws -> (CalendarFeed, secret: String) {
        let secret = Secrets.make()
        let now = self.now()
        let feed = try await perform(nil, notifying: false) { connection in
            guard let row = try await connection.firstRow("SELECT * FROM calendar_feeds WHERE id = \(id) FOR UPDATE", logger: self.logger) else {
                throw CalendarFeedError.unknown(id)
            }
            let old = try Self.feed(from: row)
            guard old.isActive else { throw CalendarFeedError.revoked(id) }
            var names = old.identifiers
            if let identifiers, let subject = old.subject {
                names = CalendarFeed.identifiers(identifiers, subject: subject)
            }
            guard let renewed = try await connection.firstRow("""
                UPDATE calendar_feeds SET secret_sha256 = \(Secrets.digest(secret)), renewed_at = \(now.millis),
                    identifiers = \(StoredFields.texts(names))
                WHERE id = \(id) RETURNING *
                """, logger: self.logger) else { throw CalendarFeedError.unknown(id) }
            return (try Self.feed(from: renewed), [])
        }
        return (feed, secret)
    }

    /// Revokes a feed at once (its URL answers 404 from then on); it is kept, revoked, for
    /// the record, and what it sent is forgotten. Revoking a revoked feed changes nothing.
    public func revokeCalendarFeed(id: String) async throws -> CalendarFeed {
        let now = self.now()
        return try await perform(nil, notifying: false) { connection in
            guard let row = try await connection.firstRow("""
                UPDATE calendar_feeds SET revoked_at = coalesce(revoked_at, \(now.millis)) WHERE id = \(id) RETURNING *
                """, logger: self.logger) else { throw CalendarFeedError.unknown(id) }
            try await connection.run("DELETE FROM calendar_entries WHERE feed_id = \(id)", logger: self.logger)
            return (try Self.feed(from: row), [])
        }
    }

    /// What the feed last sent, per event.
    public func calendarEntries(feedID: String) async throws -> [CalendarEntry] {
        try await client.withBoundedConnection { connection in
            try await connection.rows("""
                SELECT * FROM calendar_entries WHERE feed_id = \(feedID) ORDER BY uid COLLATE "C"
                """, logger: self.logger).map { row in
                CalendarEntry(uid: try row.value("uid"), caseID: try row.value("case_id"), startsAt: Date(millis: try row.value("starts_at")),
                              sequence: try row.value("sequence"), summary: try row.value("summary"),
                              fingerprint: try row.value("fingerprint"),
                              cancelledAt: try row.value("cancelled_at", as: Int64?.self).map(Date.init(millis:)),
                              allDay: try row.value("all_day"))
            }
        }
    }

    /// Remembers what changed in a feed's events: `changed` are written as they are now,
    /// `removed` (UIDs) forgotten. A feed revoked meanwhile keeps nothing: the feed's row is
    /// held (FOR SHARE) until the commit, so a revocation waits for it or it sees the revocation.
    public func saveCalendarEntries(feedID: String, changed: [CalendarEntry], removed: [String]) async throws {
        guard !changed.isEmpty || !removed.isEmpty else { return }
        try await perform(nil, notifying: false) { connection in
            guard try await connection.firstRow("""
                SELECT 1 AS active FROM calendar_feeds WHERE id = \(feedID) AND revoked_at IS NULL FOR SHARE
                """, logger: self.logger) != nil else { return ((), []) }
            if !removed.isEmpty {
                try await connection.run("DELETE FROM calendar_entries WHERE feed_id = \(feedID) AND uid = ANY(\(removed))", logger: self.logger)
            }
            for entry in changed {
                try await connection.run("""
                    INSERT INTO calendar_entries (feed_id, uid, case_id, starts_at, sequence, summary, fingerprint, cancelled_at, all_day)
                    VALUES (\(feedID), \(entry.uid), \(entry.caseID), \(entry.startsAt.millis), \(entry.sequence), \(entry.summary),
                        \(entry.fingerprint), \(entry.cancelledAt?.millis), \(entry.allDay))
                    ON CONFLICT (feed_id, uid) DO UPDATE SET case_id = excluded.case_id, starts_at = excluded.starts_at,
                        sequence = excluded.sequence, summary = excluded.summary, fingerprint = excluded.fingerprint,
                        cancelled_at = excluded.cancelled_at, all_day = excluded.all_day
                    """, logger: self.logger)
            }
            return ((), [])
        }
    }

    private static func feed(from row: PostgresRandomAccessRow) throws -> CalendarFeed {
        CalendarFeed(id: try row.value("id"), subject: try row.value("subject"), identifiers: StoredFields.texts(from: try row.value("identifiers")),
                     team: try row.value("team"), createdBy: try row.value("created_by"), createdAt: Date(millis: try row.value("created_at")),
                     renewedAt: try row.value("renewed_at", as: Int64?.self).map(Date.init(millis:)),
                     revokedAt: try row.value("revoked_at", as: Int64?.self).map(Date.init(millis:)))
    }
}
