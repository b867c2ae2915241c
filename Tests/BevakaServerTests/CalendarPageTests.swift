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

/// The calendar page `/kalender` (issue 13, item 5), in-process on a real SQLite file: a case
/// officer makes their feed and their role's, sees each address once, renews and revokes, and
/// every refusal says why in Swedish with nothing changed.
@Suite struct CalendarPageTests {
    let folder: TemporaryFolder
    let store: any Store

    init() async throws {
        folder = try TemporaryFolder()
        let clock = ManualClock(local("2027-01-11T09:00"))
        store = try await TestStores.open(path: folder.path("kalender.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder),
                              now: { clock.now })
    }

    /// What a page answer holds: its status, text and where it sends the browser.
    struct Answer {
        let status: HTTPResponse.Status
        let text: String
        let location: String?
    }

    /// The address shown in the page's text area, if any.
    static func shownURL(_ page: String) -> String? {
        guard let start = page.range(of: "<textarea id=\"kalenderlank\" readonly aria-describedby=\"lank-varning\">"),
              let end = page.range(of: "</textarea>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.upperBound..<end.lowerBound])
    }

    static func path(_ url: String) throws -> String { try #require(URLComponents(string: url)?.path) }

    @Test func aCaseOfficerMakesRenewsAndRevokesFeedsSeeingEachAddressOnce() async throws {
        defer { folder.cleanup() }
        let app = Application(router: APIRouter.build(store: store))
        try await app.test(.router) { client in
            func send(_ uri: String, _ method: HTTPRequest.Method = .get, _ fields: [(String, String)] = [],
                      actor: String = "anna", role: String = "handlaggare") async throws -> Answer {
                try await client.execute(uri: uri, method: method, headers: WebPagesTests.headers(role: role, actor: actor, form: method == .post),
                                         body: method == .post ? WebPagesTests.form(fields) : nil) { response in
                    if response.status != .seeOther {
                        #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(uri)")
                    }
                    return Answer(status: response.status, text: String(buffer: response.body), location: response.headers[.location])
                }
            }
            func feedStatus(_ path: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: path, method: .get) { response in
                    if response.status == .ok { #expect(response.headers[.contentType] == "text/calendar; charset=utf-8") }
                    return response.status
                }
            }

            let empty = try await send("/kalender")
            #expect(empty.status == .ok)
            #expect(empty.text.contains("<h1>Kalenderlänkar</h1>") && empty.text.contains("<a href=\"/kalender\">Kalender</a>"))
            #expect(empty.text.contains("<strong>Lägg till kalender</strong> &gt; <strong>Prenumerera från webben</strong>"))
            #expect(empty.text.contains("Du har inga aktiva kalenderlänkar."))
            #expect(empty.text.contains("<button type=\"submit\">Skapa en kalenderlänk för mina ärenden</button>"))
            #expect(empty.text.contains("<input type=\"hidden\" name=\"roll\" value=\"handlaggare\">"))
            #expect(empty.text.contains("<button type=\"submit\">Skapa en kalenderlänk för rollen handlaggare</button>"))
            #expect(Self.shownURL(empty.text) == nil)

            // Made: the address once, with the warning, and it answers as a calendar.
            let made = try await send("/kalender", .post)
            #expect(made.status == .ok)
            let url = try #require(Self.shownURL(made.text), "\(made.text)")
            #expect(url.hasPrefix("http://localhost/calendar/") && url.hasSuffix(".ics"))
            #expect(made.text.contains("Din nya kalenderlänk: Mina ärenden"))
            #expect(made.text.contains("Länken är personlig, som ett lösenord."))
            let path = try Self.path(url)
            let secret = String(path.dropFirst("/calendar/".count).dropLast(4))
            #expect(try await feedStatus(path) == .ok)
            let feed = try #require(try await store.calendarFeeds(of: "anna").first)
            #expect(feed.subject == "anna" && feed.team == nil)
            #expect(made.text.contains("<a href=\"#lank-\(feed.id)\">förnya eller återkalla den</a>"))

            // Never again: the page lists it without its address.
            let listed = try await send("/kalender")
            #expect(!listed.text.contains(secret))
            #expect(Self.shownURL(listed.text) == nil)
            #expect(listed.text.contains("<tr id=\"lank-\(feed.id)\">\n<th scope=\"row\">Mina ärenden</th>"))
            #expect(listed.text.contains("action=\"/kalender/\(feed.id)/fornya\"") && listed.text.contains("action=\"/kalender/\(feed.id)/aterkalla\""))

            // The role's feed.
            let team = try await send("/kalender", .post, [("roll", "handlaggare")])
            #expect(team.status == .ok && team.text.contains("Din nya kalenderlänk: Rollen handlaggare"))
            #expect(try await feedStatus(try Self.path(try #require(Self.shownURL(team.text)))) == .ok)

            // Refused: a role not held, a role no workflow has; each says why, and nothing is made.
            let refusals: [([(String, String)], HTTPResponse.Status, String)] = [
                ([("roll", "teamledare")], .forbidden, "Du har inte rollen teamledare, så du kan inte skapa en kalenderlänk för den."),
                ([("roll", "nope")], .badRequest, "Rollen nope finns inte i någon process, så det finns ingen kalender för den."),
            ]
            for (fields, status, text) in refusals {
                let refused = try await send("/kalender", .post, fields)
                #expect(refused.status == status, "\(fields)")
                #expect(refused.text.contains("<h2 id=\"fel-rubrik\">Det finns problem</h2>") && refused.text.contains("<li>\(text)</li>"),
                        "\(refused.text)")
                #expect(refused.text.contains("<p>Inget har ändrats.</p>"))
                #expect(Self.shownURL(refused.text) == nil)
            }
            #expect(try await store.calendarFeeds(of: nil).count == 2)

            // Someone else cannot renew or revoke Anna's feed: it does not exist for them.
            for action in ["fornya", "aterkalla"] {
                let foreign = try await send("/kalender/\(feed.id)/\(action)", .post, actor: "bo")
                #expect(foreign.status == .notFound)
                #expect(foreign.text.contains("<li>Kalenderlänken finns inte, eller är inte din.</li>"))
            }
            #expect(try await feedStatus(path) == .ok)

            // Renewed: a new address, shown once; the old one stops at once.
            let renewed = try await send("/kalender/\(feed.id)/fornya", .post)
            #expect(renewed.status == .ok)
            let newURL = try #require(Self.shownURL(renewed.text))
            #expect(newURL != url)
            #expect(renewed.text.contains("Din förnyade kalenderlänk: Mina ärenden") && renewed.text.contains("Den gamla länken slutade fungera"))
            #expect(try await feedStatus(path) == .notFound)
            let newPath = try Self.path(newURL)
            #expect(try await feedStatus(newPath) == .ok)
            #expect((try await send("/kalender")).text.contains("Förnyad 11 januari 2027 kl. 09.00"))

            // Revoked: back to the page, which says so; the address is dead and the feed no longer listed.
            let revoked = try await send("/kalender/\(feed.id)/aterkalla", .post)
            #expect(revoked.status == .seeOther && revoked.location == "/kalender?klart=aterkallad")
            #expect(try await feedStatus(newPath) == .notFound)
            let after = try await send("/kalender?klart=aterkallad")
            #expect(after.text.contains("<div class=\"notice\" role=\"status\"><p>Kalenderlänken är återkallad. Den slutar fungera nu.</p></div>"))
            #expect(!after.text.contains("lank-\(feed.id)"))
            #expect(after.text.contains("En återkallad länk visas inte."))
            let again = try await send("/kalender/\(feed.id)/fornya", .post)
            #expect(again.status == .conflict && again.text.contains("Kalenderlänken är återkallad och kan inte förnyas."))
        }
    }

    @Test func tooManyFeedsIsRefusedInSwedish() async throws {
        defer { folder.cleanup() }
        let app = Application(router: APIRouter.build(store: store))
        try await app.test(.router) { client in
            for _ in 0..<CalendarService.activeLimit {
                let made = try await client.execute(uri: "/kalender", method: .post, headers: WebPagesTests.headers(form: true)) { $0.status }
                #expect(made == .ok)
            }
            let refused = try await client.execute(uri: "/kalender", method: .post, headers: WebPagesTests.headers(form: true)) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(refused.0 == .conflict)
            #expect(refused.1.contains("Du har redan 20 aktiva kalenderlänkar"))
            #expect(try await store.calendarFeeds(of: nil).count == CalendarService.activeLimit)
        }
    }
}
