import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation
import Hummingbird

/// "Kalenderlänkar" (issue 13, item 5): a person's iCalendar feeds, their own and their
/// roles', made, renewed and revoked with forms. The address is shown once, on the answer to
/// the form that made or renewed it (the store keeps only its digest), never in a list, a
/// redirect's URL or anything else the browser keeps. What may be made, and by whom, is
/// ``CalendarService``'s and the access policy's to say; this only puts it in Swedish.
enum CalendarPage {
    /// A feed just made or renewed, whose address the page shows this once.
    struct Made {
        let feed: CalendarFeed
        let url: String
        let renewed: Bool
    }

    /// What the feed is called on the page: "Mina ärenden", "Rollen teamledare" (by the role's
    /// name, as the calendar program shows it: each workflow has a title of its own for a role),
    /// or (one an admin made for someone else) whose cases it reads.
    static func name(of feed: CalendarFeed, for principal: Principal) -> String {
        if let team = feed.team { return "Rollen \(team)" }
        if feed.subject == principal.subject { return "Mina ärenden" }
        return "Ärenden för \(feed.subject ?? "")"
    }

    /// The page's values: the address just made (if any), the active feeds with their forms,
    /// and a button per feed the person may make (their own, and one per role they hold among
    /// `roles`, those some workflow has).
    static func context(feeds: [CalendarFeed], principal: Principal, roles: Set<String>, made: Made?,
                        calendar: SwedishCalendar) -> [String: Any] {
        let active = feeds.filter(\.isActive)
        let revoked = feeds.count - active.count
        var choices: [[String: Any]] = [["label": "Skapa en kalenderlänk för mina ärenden"]]
        for role in principal.roles.sorted() where roles.contains(role) {
            choices.append(["label": "Skapa en kalenderlänk för rollen \(role)", "role": role])
        }
        var values: [String: Any] = [
            "heading": "Kalenderlänkar",
            "feeds": active.map { feed -> [String: Any] in
                [
                    "id": feed.id, "name": name(of: feed, for: principal),
                    "created": SwedishText.moment(feed.createdAt, calendar: calendar),
                    "renewed": feed.renewedAt.map { SwedishText.moment($0, calendar: calendar) } ?? "",
                ]
            },
            "hasFeeds": !active.isEmpty, "choices": choices,
            "revokedCount": revoked == 0 ? "" : revoked == 1 ? "En återkallad länk visas inte." : "\(revoked) återkallade länkar visas inte.",
        ]
        if let made {
            values["made"] = [
                "id": made.feed.id, "url": made.url, "name": name(of: made.feed, for: principal),
                "title": made.renewed ? "Din förnyade kalenderlänk" : "Din nya kalenderlänk", "renewed": made.renewed,
            ] as [String: Any]
        }
        return values
    }

    /// What went wrong, in Swedish, with the status to answer; nil for an error this page does not expect.
    static func problem(_ error: any Error) -> (text: String, status: HTTPResponse.Status)? {
        switch error {
        case let unknown as UnknownCalendarTeam:
            return ("Rollen \(unknown.role.prefix(80)) finns inte i någon process, så det finns ingen kalender för den.", .badRequest)
        case AccessPolicy.Refusal.needsRole(let role):
            return ("Du har inte rollen \(role.prefix(80)), så du kan inte skapa en kalenderlänk för den.", .forbidden)
        case AccessPolicy.Refusal.personOnly:
            return ("Bara en person kan ha en kalender, inte ett system.", .forbidden)
        case is AccessPolicy.Refusal:
            return ("Du får inte göra det.", .forbidden)
        case CalendarFeedError.tooMany(let limit):
            return ("Du har redan \(limit) aktiva kalenderlänkar, så många som går. Återkalla en innan du skapar en ny.", .conflict)
        case CalendarFeedError.unknown:
            return ("Kalenderlänken finns inte, eller är inte din.", .notFound)
        case CalendarFeedError.revoked:
            return ("Kalenderlänken är återkallad och kan inte förnyas. Skapa en ny i stället.", .conflict)
        default:
            return nil
        }
    }
}

extension WebRoutes {
    func addCalendarPages(to router: Router<Context>) {
        router.get("/kalender") { request, context in
            let notice = request.uri.queryParameters["klart"] == "aterkallad" ? "Kalenderlänken är återkallad. Den slutar fungera nu." : nil
            return try await calendarPage(request, context, made: nil, notice: notice)
        }
        router.post("/kalender") { request, context in try await createCalendar(request, context) }
        router.post("/kalender/:id/fornya") { request, context in
            try await renewCalendar(try context.parameters.require("id"), request, context)
        }
        router.post("/kalender/:id/aterkalla") { request, context in
            try await revokeCalendar(try context.parameters.require("id"), request, context)
        }
    }

    func calendarPage(_ request: Request, _ context: Context, made: CalendarPage.Made?, notice: String? = nil, problems: [String] = [],
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let feeds = try await calendars.feeds(by: caller)
        // A button for each role the person holds that some workflow has (a team's feed of another is refused).
        let roles = Set(calendars.store.catalog.all.flatMap { $0.roles.map(\.name) })
        var page = CalendarPage.context(feeds: feeds, principal: caller.principal, roles: roles, made: made, calendar: SwedishCalendar())
        page["csrf"] = csrf(context) ?? ""
        page["user"] = caller.principal.name
        page["notice"] = notice ?? ""
        page["errorSummary"] = problems.map { ["text": $0] }
        page["hasErrors"] = !problems.isEmpty
        return render("calendar", page, status: status)
    }

    /// The person's own feed, or (`roll`) one of a role they hold: the page with its address.
    func createCalendar(_ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let role = try await Self.form(request)["roll"].flatMap { $0.isEmpty ? nil : $0 }
        return try await calendarCommand(request, context) {
            let (feed, secret) = try await calendars.create(team: role, by: caller)
            return CalendarPage.Made(feed: feed, url: calendarURL(secret, request), renewed: false)
        }
    }

    /// A new address for the feed; the old one stops working at once.
    func renewCalendar(_ id: String, _ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        return try await calendarCommand(request, context) {
            let (feed, secret) = try await calendars.renew(id, by: caller)
            return CalendarPage.Made(feed: feed, url: calendarURL(secret, request), renewed: true)
        }
    }

    func revokeCalendar(_ id: String, _ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        return try await calendarCommand(request, context) {
            _ = try await calendars.revoke(id, by: caller)
            return nil
        }
    }

    /// Runs a form's command: the page with the new address, back to the page (303) when there
    /// is none to show, or the page with what went wrong and nothing changed.
    private func calendarCommand(_ request: Request, _ context: Context,
                                 _ command: () async throws -> CalendarPage.Made?) async throws -> Response {
        do {
            guard let made = try await command() else { return Self.seeOther("/kalender?klart=aterkallad") }
            return try await calendarPage(request, context, made: made)
        } catch {
            guard let (text, status) = CalendarPage.problem(error) else { throw error }
            return try await calendarPage(request, context, made: nil, problems: [text], status: status)
        }
    }
}
