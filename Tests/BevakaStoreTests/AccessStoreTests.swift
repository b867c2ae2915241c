import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import GRDB
import Testing

/// Sign-in, sessions, API tokens and the access log, on both stores: what each keeps
/// (only hashes of secrets), what it answers, and what two nodes asked at once do.
@Suite struct AccessStoreTests {
    let folder: TemporaryFolder
    let clock = ManualClock(local("2026-01-12T09:00"))
    let catalog: WorkflowCatalog

    init() throws {
        folder = try TemporaryFolder()
        catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
    }

    /// A store on `place`'s data (a second call: the file reopened, or another node).
    func open(_ place: StorePlace) async throws -> any AccessStore {
        let clock = self.clock
        return try await place.open(catalog, as: (any AccessStore).self, now: { clock.now })
    }

    func later(_ seconds: TimeInterval) { clock.set(clock.now.addingTimeInterval(seconds)) }

    @Test(arguments: StoreKind.allCases) func aTokenIsMadeVerifiedAndRevokedAndOnlyItsHashIsKept(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let (crm, secret) = try await store.createToken(name: "crm", role: "handlaggare", expiresAt: clock.now.addingTimeInterval(86_400))
        #expect(crm.name == "crm" && crm.role == "handlaggare" && crm.createdAt == clock.now && crm.revokedAt == nil)
        #expect(crm.actor == Actor(name: "token:crm", role: "handlaggare"))
        #expect(try await store.verifyToken(secret) == crm)
        let parts = try #require(ApiToken.parse(secret))
        #expect(parts.id == crm.id)
        for wrong in [secret + "x", String(secret.dropLast()), "bvk_\(crm.id)_", "bvk_\(crm.id)", "", "Bearer " + secret] {
            #expect(try await store.verifyToken(wrong) == nil, "\(wrong)")
        }
        #expect(try await place.firstRow("SELECT secret_sha256 FROM api_tokens") == [Secrets.digest(parts.secret)])

        await #expect(throws: ApiTokenError.nameTaken("crm")) { try await store.createToken(name: "crm", role: "x", expiresAt: nil) }
        await #expect(throws: ApiTokenError.badName("a b")) { try await store.createToken(name: "a b", role: "x", expiresAt: nil) }
        later(60)
        let (ehr, ehrSecret) = try await store.createToken(name: "ehr", role: "systemforvaltare", expiresAt: nil)
        #expect(try await store.tokens().map(\.name) == ["ehr", "crm"], "newest first")

        later(86_400)
        #expect(try await store.verifyToken(secret) == nil, "expired")
        #expect(try await store.verifyToken(ehrSecret) == ehr)
        let revoked = try await store.revokeToken(name: "ehr")
        #expect(revoked.revokedAt == clock.now)
        #expect(try await store.verifyToken(ehrSecret) == nil)
        later(60)
        #expect(try await store.revokeToken(name: "ehr") == revoked, "revoking again changes nothing")
        await #expect(throws: ApiTokenError.unknown("nope")) { try await store.revokeToken(name: "nope") }
        #expect(try await open(place).tokens() == [revoked, crm])
        await place.close()
    }

    /// On PostgreSQL the requests are spread over two nodes.
    @Test(arguments: StoreKind.allCases) func oneNameGivenAtOnceMakesOneToken(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let nodes = kind == .postgres ? [store, try await open(place)] : [store]
        let made = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<8 {
                group.addTask {
                    do {
                        _ = try await nodes[i % nodes.count].createToken(name: "crm", role: "handlaggare", expiresAt: nil)
                        return true
                    } catch ApiTokenError.nameTaken {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(made == 1)
        #expect(try await store.tokens().count == 1)
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func aLoginIsTakenOnceAndNotAfterItExpires(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let nodes = kind == .postgres ? [store, try await open(place)] : [store]
        try await store.beginLogin(state: "state-1", nonce: "n1", verifier: "v1", returnTo: "/cases", lifetime: 600)
        #expect(try await place.firstRow("SELECT state_sha256 FROM login_requests") == [Secrets.digest("state-1")])
        let taken = try await withThrowingTaskGroup(of: LoginRequest?.self) { group in
            for i in 0..<8 {
                group.addTask { try await nodes[i % nodes.count].takeLogin(state: "state-1") }
            }
            return try await group.reduce(into: [LoginRequest]()) { if let login = $1 { $0.append(login) } }
        }
        #expect(taken == [LoginRequest(nonce: "n1", verifier: "v1", returnTo: "/cases")])
        #expect(try await store.takeLogin(state: "unknown") == nil)

        try await store.beginLogin(state: "state-2", nonce: "n2", verifier: "v2", returnTo: "/", lifetime: 60)
        later(61)
        #expect(try await store.takeLogin(state: "state-2") == nil, "expired")
        // A login begun later clears those that expired.
        try await store.beginLogin(state: "state-3", nonce: "n3", verifier: "v3", returnTo: "/", lifetime: 60)
        try await store.beginLogin(state: "state-4", nonce: "n4", verifier: "v4", returnTo: "/", lifetime: 60)
        later(61)
        try await store.beginLogin(state: "state-5", nonce: "n5", verifier: "v5", returnTo: "/", lifetime: 60)
        #expect(try await place.firstRow("SELECT CAST(count(*) AS text), max(state_sha256) FROM login_requests")
                == ["1", Secrets.digest("state-5")])
        await place.close()
    }

    func session(_ subject: String, hours: Double = 8) -> StoredSession {
        StoredSession(subject: subject, name: subject.capitalized, roles: ["handlaggare", "beslutsfattare"],
                      identifiers: [subject, "\(subject)@region.se"], idToken: "id-token-\(subject)", csrf: "csrf-\(subject)",
                      createdAt: clock.now, lastSeenAt: clock.now, expiresAt: clock.now.addingTimeInterval(hours * 3600))
    }

    @Test(arguments: StoreKind.allCases) func aSessionOpensWhileLiveAndIsRevoked(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let anna = session("anna")
        let secret = Secrets.make()
        try await store.createSession(anna, secret: secret)
        #expect(try await place.firstRow("SELECT id_sha256 FROM sessions") == [Secrets.digest(secret)])
        #expect(try await store.session(secret: secret, idle: 1800) == anna)
        #expect(try await store.session(secret: "other", idle: 1800) == nil)
        // Used after two minutes: written down, so half an hour from the start it is still live.
        later(120)
        #expect(try await store.session(secret: secret, idle: 1800)?.lastSeenAt == anna.lastSeenAt)
        later(1700)
        #expect(try await store.session(secret: secret, idle: 1800)?.lastSeenAt == anna.lastSeenAt.addingTimeInterval(120))
        // Used again within the minute: not written down, so idle since then.
        later(30)
        _ = try await store.session(secret: secret, idle: 1800)
        later(1790)
        #expect(try await store.session(secret: secret, idle: 1800) == nil, "idle too long")

        let bo = session("bo")
        let (boSecret, againSecret) = (Secrets.make(), Secrets.make())
        try await store.createSession(bo, secret: boSecret)
        later(1)
        try await store.createSession(session("anna", hours: 1), secret: againSecret)
        #expect(try await store.liveSessions().map(\.subject) == ["anna", "bo", "anna"], "newest first")
        #expect(try await store.revokeSession(secret: againSecret))
        #expect(try await store.revokeSession(secret: againSecret) == false)
        #expect(try await store.session(secret: againSecret, idle: 1800) == nil)
        #expect(try await store.revokeSessions(subject: "anna") == 1)
        #expect(try await store.session(secret: boSecret, idle: 1800) == bo)
        #expect(try await store.revokeSessions(subject: nil) == 1)
        #expect(try await store.session(secret: boSecret, idle: 1800) == nil)
        #expect(try await store.liveSessions().isEmpty)

        let short = session("cay", hours: 1)
        let shortSecret = Secrets.make()
        try await store.createSession(short, secret: shortSecret)
        for _ in 0..<5 {
            later(600)
            #expect(try await store.session(secret: shortSecret, idle: 1800, touchEvery: 0) != nil)
        }
        later(600)
        #expect(try await store.session(secret: shortSecret, idle: 1800) == nil, "past its absolute end")
        await place.close()
    }

    func entry(_ minute: Int, _ subject: String, _ caseID: String, action: String = "case", personal: Bool = false) -> AccessLogEntry {
        AccessLogEntry(at: local("2026-01-12T10:00").addingTimeInterval(Double(minute) * 60), subject: subject, name: subject.capitalized,
                       role: "handlaggare", caseID: caseID, action: action, client: "10.0.0.\(minute)", personalShown: personal)
    }

    @Test(arguments: StoreKind.allCases) func theAccessLogIsReadNewestFirstAndRefusesChanges(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let entries = [entry(1, "anna", "c1", personal: true), entry(2, "bo", "c1", action: "history"), entry(3, "anna", "c2"),
                       entry(4, "anna", "c1", action: "list"), entry(5, "bo", "c2", personal: true)]
        try await store.appendAccess(Array(entries[..<2]))
        try await store.appendAccess([])
        try await store.appendAccess(Array(entries[2...]))
        let all = try await store.accessLog(AccessLogQuery())
        #expect(all.map { read in
            var entry = read
            entry.id = 0
            return entry
        } == entries.reversed())
        #expect(all.map(\.id) == all.map(\.id).sorted(by: >))
        #expect(try await store.accessLog(AccessLogQuery(caseID: "c1")).map(\.action) == ["list", "history", "case"])
        #expect(try await store.accessLog(AccessLogQuery(caseID: "c2", subject: "bo")).map(\.client) == ["10.0.0.5"])
        let window = AccessLogQuery(from: entries[1].at, until: entries[3].at)
        #expect(try await store.accessLog(window).map(\.caseID) == ["c2", "c1"])
        let page = try await store.accessLog(AccessLogQuery(subject: "anna", limit: 2))
        #expect(page.map(\.action) == ["list", "case"])
        let next = try await store.accessLog(AccessLogQuery(subject: "anna", before: page.last?.id, limit: 2))
        #expect(next.map(\.personalShown) == [true])

        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: folder.path("bevaka.sqlite"))
            for refused in ["UPDATE access_log SET subject = 'mallory'", "DELETE FROM access_log"] {
                await #expect(throws: DatabaseError.self) { try await queue.write { try $0.execute(sql: refused) } }
            }
        case .postgres:
            for refused in ["UPDATE access_log SET subject = 'mallory'", "DELETE FROM access_log", "TRUNCATE access_log"] {
                await #expect(throws: (any Error).self) { try await place.execute(refused) }
            }
        }
        #expect(try await store.accessLog(AccessLogQuery()).count == entries.count)
        await place.close()
    }
}
