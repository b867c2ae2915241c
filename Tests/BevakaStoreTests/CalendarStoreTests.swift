import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// Calendar feeds on both stores: a person's and a team's, the limit of active feeds,
/// renewal and revocation, and what each feed last sent.
@Suite struct CalendarStoreTests {
    let folder: TemporaryFolder
    let clock = ManualClock(local("2026-01-12T09:00"))
    let catalog: WorkflowCatalog

    init() throws {
        folder = try TemporaryFolder()
        catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
    }

    func open(_ place: StorePlace) async throws -> any CalendarFeedStore {
        let clock = self.clock
        return try await place.open(catalog, as: (any CalendarFeedStore).self, now: { clock.now })
    }

    func later(_ seconds: TimeInterval) { clock.set(clock.now.addingTimeInterval(seconds)) }

    @Test(arguments: StoreKind.allCases) func aPersonsAndATeamsFeedsAreFoundByTheirSecretAndCountedAgainstTheLimit(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let (anna, annaSecret) = try await store.createCalendarFeed(subject: "anna", identifiers: ["anna@region.se", "anna", "Anna A"],
                                                                     team: nil, createdBy: "anna", activeLimit: 2)
        #expect(anna.subject == "anna" && anna.team == nil && anna.createdBy == "anna" && anna.createdAt == clock.now && anna.isActive)
        #expect(anna.identifiers == ["Anna A", "anna", "anna@region.se"])
        #expect(anna.id.count == 12)
        #expect(try await place.firstRow("SELECT secret_sha256 FROM calendar_feeds") == [Secrets.digest(annaSecret)])
        later(60)
        let (team, teamSecret) = try await store.createCalendarFeed(subject: nil, identifiers: [], team: "kommunikator", createdBy: "bo",
                                                                     activeLimit: 1)
        #expect(team.identifiers.isEmpty && team.team == "kommunikator")
        #expect(try await store.calendarFeed(secret: annaSecret) == anna)
        #expect(try await store.calendarFeed(secret: teamSecret) == team)
        #expect(try await store.calendarFeed(secret: "guess") == nil)
        #expect(try await store.calendarFeed(id: team.id) == team)
        #expect(try await store.calendarFeed(id: "nope") == nil)

        // The same team for another maker counts apart; for bo again, it is one too many.
        later(60)
        let (other, _) = try await store.createCalendarFeed(subject: nil, identifiers: [], team: "kommunikator", createdBy: "cay",
                                                            activeLimit: 1)
        await #expect(throws: CalendarFeedError.tooMany(limit: 1)) {
            try await store.createCalendarFeed(subject: nil, identifiers: [], team: "kommunikator", createdBy: "bo", activeLimit: 1)
        }
        later(60)
        let (second, _) = try await store.createCalendarFeed(subject: "anna", identifiers: [], team: nil, createdBy: "operator",
                                                             activeLimit: 2)
        await #expect(throws: CalendarFeedError.tooMany(limit: 2)) {
            try await store.createCalendarFeed(subject: "anna", identifiers: [], team: nil, createdBy: "anna", activeLimit: 2)
        }
        _ = try await store.revokeCalendarFeed(id: second.id)
        _ = try await store.createCalendarFeed(subject: "anna", identifiers: [], team: nil, createdBy: "anna", activeLimit: 2)

        #expect(try await store.calendarFeeds(of: "bo") == [team], "made by bo")
        #expect(try await store.calendarFeeds(of: "operator").map(\.id) == [second.id])
        #expect(try await store.calendarFeeds(of: "anna").count == 3)
        let all = try await store.calendarFeeds(of: nil)
        #expect(all.count == 5 && all.map(\.createdAt) == all.map(\.createdAt).sorted(by: >), "newest first")
        #expect(try await store.calendarFeeds(of: "cay") == [other])
        await place.close()
    }

    /// On PostgreSQL the requests are spread over two nodes, which count one after the other.
    @Test(arguments: StoreKind.allCases) func feedsAskedForAtOnceStayWithinTheLimit(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let nodes = kind == .postgres ? [store, try await open(place)] : [store]
        let made = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<10 {
                group.addTask {
                    do {
                        _ = try await nodes[i % nodes.count].createCalendarFeed(subject: "anna", identifiers: [], team: nil, createdBy: "anna",
                                                                                activeLimit: 3)
                        return true
                    } catch CalendarFeedError.tooMany {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(made == 3)
        #expect(try await store.calendarFeeds(of: "anna").count == 3)
        await place.close()
    }

    func entry(_ uid: String, sequence: Int = 0, cancelled: Date? = nil, allDay: Bool = false) -> CalendarEntry {
        CalendarEntry(uid: uid, caseID: "case-\(uid)", startsAt: local("2026-02-0\(sequence + 1)T17:00"), sequence: sequence,
                      summary: "Handlingsplan senast", fingerprint: "f\(sequence)", cancelledAt: cancelled, allDay: allDay)
    }

    @Test(arguments: StoreKind.allCases) func aFeedRemembersWhatItSentUntilItIsRevoked(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let (feed, secret) = try await store.createCalendarFeed(subject: "anna", identifiers: ["anna@region.se"], team: nil, createdBy: "anna",
                                                                activeLimit: 5)
        try await store.saveCalendarEntries(feedID: feed.id, changed: [entry("b"), entry("a"), entry("c")], removed: [])
        #expect(try await store.calendarEntries(feedID: feed.id) == [entry("a"), entry("b"), entry("c")])
        let moved = entry("a", sequence: 1, allDay: true), cancelled = entry("c", sequence: 1, cancelled: clock.now)
        try await store.saveCalendarEntries(feedID: feed.id, changed: [moved, cancelled], removed: ["b", "unknown"])
        try await store.saveCalendarEntries(feedID: feed.id, changed: [], removed: [])
        #expect(try await store.calendarEntries(feedID: feed.id) == [moved, cancelled])

        // Renewed: a new secret and the names the person goes by now; what it sent is kept.
        later(60)
        let (renewed, newSecret) = try await store.renewCalendarFeed(id: feed.id, identifiers: ["a.andersson@region.se"])
        #expect(newSecret != secret)
        #expect(renewed.renewedAt == clock.now && renewed.identifiers == ["a.andersson@region.se", "anna"])
        #expect(try await store.calendarFeed(secret: secret) == nil)
        #expect(try await store.calendarFeed(secret: newSecret) == renewed)
        #expect(try await store.calendarEntries(feedID: feed.id) == [moved, cancelled])
        let (kept, _) = try await store.renewCalendarFeed(id: feed.id, identifiers: nil)
        #expect(kept.identifiers == renewed.identifiers)
        let (team, _) = try await store.createCalendarFeed(subject: nil, identifiers: [], team: "ekonom", createdBy: "bo", activeLimit: 5)
        #expect(try await store.renewCalendarFeed(id: team.id, identifiers: ["x"]).0.identifiers.isEmpty, "a team's feed names nobody")

        // Revoked: kept for the record, its URL dead, what it sent forgotten, and nothing saved any more.
        later(60)
        let revoked = try await store.revokeCalendarFeed(id: feed.id)
        #expect(revoked.revokedAt == clock.now && !revoked.isActive)
        #expect(try await store.calendarFeed(secret: newSecret) == nil)
        #expect(try await store.calendarFeed(id: feed.id) == revoked)
        #expect(try await store.calendarEntries(feedID: feed.id).isEmpty)
        try await store.saveCalendarEntries(feedID: feed.id, changed: [entry("d")], removed: [])
        #expect(try await store.calendarEntries(feedID: feed.id).isEmpty)
        later(60)
        #expect(try await store.revokeCalendarFeed(id: feed.id) == revoked, "revoking again changes nothing")
        await #expect(throws: CalendarFeedError.revoked(feed.id)) { try await store.renewCalendarFeed(id: feed.id, identifiers: nil) }
        await #expect(throws: CalendarFeedError.unknown("nope")) { try await store.renewCalendarFeed(id: "nope", identifiers: nil) }
        await #expect(throws: CalendarFeedError.unknown("nope")) { try await store.revokeCalendarFeed(id: "nope") }
        await place.close()
    }
}
