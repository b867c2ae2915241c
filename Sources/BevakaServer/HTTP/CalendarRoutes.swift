import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation
import Hummingbird

/// `/calendar/feeds` (a signed-in person makes, lists, renews and revokes their iCalendar
/// feeds) and `/calendar/{secret}.ics` (the feed itself, which needs no other authentication:
/// the secret in its URL is the credential).
struct CalendarRoutes: Sendable {
    let calendars: CalendarService
    /// Where the feeds' addresses and the links in them point.
    let address: PublicAddress

    func add(to router: Router<BevakaRequestContext>) {
        router.post("/calendar/feeds") { request, context in try await create(request, context) }
        router.get("/calendar/feeds") { request, context in try await list(request, context) }
        router.post("/calendar/feeds/:id/renew") { request, context in
            try await renew(try context.parameters.require("id"), request, context)
        }
        router.delete("/calendar/feeds/:id") { request, context in
            try await revoke(try context.parameters.require("id"), request, context)
        }
        router.get("/calendar/{secret}.ics") { request, context in try await feed(try context.parameters.require("secret"), request) }
    }

    /// Whether a path is a feed's (`/calendar/SECRET.ics`), which the authentication middleware lets through.
    static func isFeedPath(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return segments.count == 2 && segments[0] == "calendar" && segments[1].hasSuffix(".ics")
    }

    /// A path as it may be logged: a feed's secret is its credential, so it is never written down.
    static func loggable(_ path: String) -> String { isFeedPath(path) ? "/calendar/[secret].ics" : path }

    /// `POST /calendar/feeds`: no body (or `{}`) for the caller's own feed, `{"team": ROLE}` for a role's.
    func create(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try context.caller(writing: request)
        var request = request
        let team: String?
        if request.headers[.contentType] == nil,
           (try? await request.collectBody(upTo: RequestInput.maximumBody))?.readableBytes ?? 1 == 0 {
            team = nil
        } else {
            let body = try await RequestInput.object(request)
            try RequestInput.check(body, allowed: ["team": false])
            team = try RequestInput.string(body, "team")
            if let team, team.isEmpty || team.count > 200 {
                throw Problem.invalidRequest("'team' must name a role", errors: [FieldProblem(field: "team", problem: "a role's name, 1 to 200 characters")])
            }
        }
        let (feed, secret) = try await calendars.create(team: team, by: caller)
        return JSONBody.response(Self.json(feed, url: address.calendarURL(secret, request)), status: .created)
    }

    func list(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let problems = RequestInput.unknownParameters(request, known: [])
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        let feeds = try await calendars.feeds(by: try context.caller())
        return JSONBody.response(.object(["items": .array(feeds.map { Self.json($0) })]))
    }

    func renew(_ id: String, _ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let (feed, secret) = try await calendars.renew(id, by: try context.caller(writing: request))
        return JSONBody.response(Self.json(feed, url: address.calendarURL(secret, request)))
    }

    func revoke(_ id: String, _ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let feed = try await calendars.revoke(id, by: try context.caller(writing: request))
        return JSONBody.response(Self.json(feed))
    }

    /// The feed: 404 alike for a secret never made, renewed away or revoked.
    func feed(_ secret: String, _ request: Request) async throws -> Response {
        guard let text = try await calendars.feed(secret: secret, baseURL: address.baseURL(request)) else {
            throw Problem(.notFound, "calendar-not-found", "No such calendar",
                          detail: "no calendar at this address: it was never made, or it was renewed or revoked; ask for a new address")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.contentDisposition] = "inline; filename=\"bevaka.ics\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ feed: CalendarFeed, url: String? = nil) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(feed.id),
            "kind": .string(feed.team == nil ? "person" : "team"),
            "subject": feed.subject.map(JSONValue.string) ?? .null,
            "team": feed.team.map(JSONValue.string) ?? .null,
            "createdBy": .string(feed.createdBy),
            "createdAt": .string(SwedishCalendar.isoUTCString(feed.createdAt)),
            "renewedAt": feed.renewedAt.map { .string(SwedishCalendar.isoUTCString($0)) } ?? .null,
            "revokedAt": feed.revokedAt.map { .string(SwedishCalendar.isoUTCString($0)) } ?? .null,
            "status": .string(feed.isActive ? "active" : "revoked"),
        ]
        if let url { members["url"] = .string(url) }
        return .object(members)
    }
}
