import BevakaCore
import BevakaStore
import Foundation

/// A team's feed named a role no loaded workflow has.
public struct UnknownCalendarTeam: Error, Equatable, CustomStringConvertible {
    public let role: String
    public let known: [String]
    public var description: String { "no workflow has the role '\(role.prefix(80))'; roles: \(known.joined(separator: ", "))" }
}

/// iCalendar feeds: a person's (the deadlines and open checklist items of the cases they own
/// or are named on) and a team role's (those that fall on the role), at a secret URL that can
/// be renewed and revoked. Who may make and manage a feed, and which cases it reads, is the
/// ``AccessPolicy``'s to say; the cases come from the store's case queries.
public struct CalendarService: Sendable {
    public let store: any Store
    let now: @Sendable () -> Date

    /// How many feeds one person may have active at once.
    public static let activeLimit = 20
    /// How long an event that ended is still sent, as cancelled, so that clients remove it.
    public static let keepCancelled: TimeInterval = 30 * 86_400
    /// A feed holds at most this many events (the soonest due); past it, nothing is taken for gone.
    public static let maximumEvents = 5_000

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// Whose calendar a stored feed is.
    public static func owner(of feed: CalendarFeed) -> AccessPolicy.CalendarOwner {
        if let team = feed.team { return .team(role: team) }
        return .person(subject: feed.subject ?? "", identifiers: Set(feed.identifiers))
    }

    // MARK: Commands

    /// The caller's own feed, or (`team`) one of a role the caller holds; returns it with its
    /// secret, which is shown only now.
    public func create(team: String?, by caller: CaseService.Caller) async throws -> (CalendarFeed, secret: String) {
        let principal = caller.principal
        if let team { return try await create(.team(role: team), by: caller) }
        return try await create(.person(subject: principal.subject, identifiers: principal.identifiers), by: caller)
    }

    /// A feed for `owner`: a person's own, or any person's by an admin (`bevaka calendar create`), or a team's.
    public func create(_ owner: AccessPolicy.CalendarOwner, by caller: CaseService.Caller) async throws -> (CalendarFeed, secret: String) {
        if case .team(let role) = owner {
            let roles = Set(store.catalog.all.flatMap { $0.roles.map(\.name) })
            guard roles.contains(role) else { throw UnknownCalendarTeam(role: role, known: roles.sorted()) }
        }
        if let refusal = AccessPolicy.mayMakeCalendar(caller.principal, for: owner) { throw refusal }
        switch owner {
        case .person(let subject, let identifiers):
            return try await store.createCalendarFeed(subject: subject, identifiers: identifiers.sorted(), team: nil,
                                                      createdBy: caller.principal.subject, activeLimit: Self.activeLimit)
        case .team(let role):
            return try await store.createCalendarFeed(subject: nil, identifiers: [], team: role,
                                                      createdBy: caller.principal.subject, activeLimit: Self.activeLimit)
        }
    }

    /// The caller's feeds (made for them, or made by them), newest first, never with secrets.
    public func feeds(by caller: CaseService.Caller) async throws -> [CalendarFeed] {
        try await store.calendarFeeds(of: caller.principal.subject)
    }

    /// Every feed: the operators' list.
    public func allFeeds(by caller: CaseService.Caller) async throws -> [CalendarFeed] {
        if let refusal = AccessPolicy.mayOperate(caller.principal) { throw refusal }
        return try await store.calendarFeeds(of: nil)
    }

    /// A new secret for the caller's feed (the old URL stops working); events keep their UIDs.
    /// A person renewing their own feed brings the names they go by now.
    public func renew(_ id: String, by caller: CaseService.Caller) async throws -> (CalendarFeed, secret: String) {
        let feed = try await managed(id, by: caller)
        let own = feed.subject != nil && feed.subject == caller.principal.subject
        return try await store.renewCalendarFeed(id: feed.id, identifiers: own ? caller.principal.identifiers.sorted() : nil)
    }

    /// Revokes the caller's feed at once: its URL answers 404 from then on.
    public func revoke(_ id: String, by caller: CaseService.Caller) async throws -> CalendarFeed {
        try await store.revokeCalendarFeed(id: try await managed(id, by: caller).id)
    }

    /// The feed, if the caller may manage it; otherwise it does not exist for them.
    func managed(_ id: String, by caller: CaseService.Caller) async throws -> CalendarFeed {
        guard let feed = try await store.calendarFeed(id: id),
              AccessPolicy.mayManageCalendar(caller.principal, subject: feed.subject, createdBy: feed.createdBy) else {
            throw CalendarFeedError.unknown(id)
        }
        return feed
    }

    // MARK: The feed

    /// Whether `text` could be a feed's secret (43 base64url characters), before asking the store.
    public static func isWellFormedSecret(_ text: String) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
        }
    }

    /// The feed `secret` opens, as iCalendar text linking to cases under `baseURL`; nil when
    /// the secret is unknown or revoked (the caller says neither). Remembers what it sent,
    /// writing only when something changed.
    public func feed(secret: String, baseURL: String) async throws -> String? {
        guard Self.isWellFormedSecret(secret), let feed = try await store.calendarFeed(secret: secret) else { return nil }
        let owner = Self.owner(of: feed)
        let now = self.now()
        let (events, complete) = try await events(for: owner)
        let previous = try await store.calendarEntries(feedID: feed.id)
        let (sent, changed, removed) = CalendarFeedBuilder.reconcile(events, previous: previous, now: now,
                                                                     keepCancelled: Self.keepCancelled, complete: complete)
        try await store.saveCalendarEntries(feedID: feed.id, changed: changed, removed: removed)
        return CalendarFeedBuilder.render(name: Self.name(of: owner), sent, baseURL: baseURL, now: now)
    }

    /// The events of the cases the owner's feed reads, soonest due first, and whether they are all there.
    func events(for owner: AccessPolicy.CalendarOwner) async throws -> ([CalendarEvent], complete: Bool) {
        var filter = CaseFilter()
        filter.order = .due
        // A closed case has no event; only a booked meeting gives one to a case with nothing due.
        filter.open = true
        let meetings = store.catalog.all.contains { $0.fields.contains(where: \.meeting) }
        filter.visible = AccessPolicy.calendarScope(owner, workflows: store.catalog.all)
        guard let visible = filter.visible, !(visible.workflows.isEmpty && visible.owners.isEmpty) else { return ([], true) }
        var events: [CalendarEvent] = []
        var after: String?
        let page = 500
        while true {
            let cases = try await store.listCasesWithCursors(filter, after: after, limit: page)
            for (record, cursor) in cases {
                // In due order, cases with nothing due come last: none of them has an event but a meeting.
                guard record.nextDueAt != nil || meetings else { return (events, true) }
                after = cursor.description
                let definition = try store.definition(record.workflow)
                guard AccessPolicy.calendarShows(owner, .init(record, definition)) else { continue }
                events += CalendarFeedBuilder.events(of: record, definition, for: owner)
                if events.count >= Self.maximumEvents { return (events, false) }
            }
            if cases.count < page { return (events, true) }
        }
    }

    /// The calendar's name in the person's calendar program (X-WR-CALNAME).
    public static func name(of owner: AccessPolicy.CalendarOwner) -> String {
        switch owner {
        case .person: "Bevaka: mina ärenden"
        case .team(let role): "Bevaka: rollen \(role)"
        }
    }
}
