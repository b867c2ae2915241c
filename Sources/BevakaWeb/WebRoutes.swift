import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation
import Hummingbird
import Logging
import Mustache

/// The pages: "Mina ärenden" and the case page, in Swedish, server-rendered, working
/// without JavaScript. They call the application layer (`CaseService`) as the API does;
/// no rule lives here. Generic over the request context, so the server plugs in how a
/// request's principal and the session's CSRF token are found.
public struct WebRoutes<Context: RequestContext>: Sendable {
    /// Who asks: nil when nobody is signed in (the page then sends the browser to sign in).
    public typealias Caller = @Sendable (Request, Context) -> CaseService.Caller?
    /// The session's token forms carry as `_csrf` (the authentication middleware checks it).
    public typealias Token = @Sendable (Context) -> String?
    /// A calendar feed's address for its secret, as the API gives it (`BASE/calendar/SECRET.ics`).
    public typealias FeedAddress = @Sendable (_ secret: String, Request) -> String

    let cases: CaseService
    let register: RegisterService
    let calendars: CalendarService
    let calendarURL: FeedAddress
    let caller: Caller
    let csrf: Token
    let now: @Sendable () -> Date
    let library: MustacheLibrary
    let picture = WorkflowPicture()

    public init(cases: CaseService, register: RegisterService, calendars: CalendarService, calendarURL: @escaping FeedAddress,
                caller: @escaping Caller, csrf: @escaping Token, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.cases = cases
        self.register = register
        self.calendars = calendars
        self.calendarURL = calendarURL
        self.caller = caller
        self.csrf = csrf
        self.now = now
        self.library = try PageTemplates.library()
    }

    public func add(to router: Router<Context>) {
        router.get("/") { request, context in try await caseList(request, context) }
        router.get("/uppgifter") { request, context in try await tasks(request, context) }
        router.get("/register") { request, context in try await registerPage(request, context) }
        router.post("/register") { request, context in try await keepRegister(request, context) }
        router.get("/rapporter") { request, context in try await reportsPage(request, context) }
        router.get("/trafikljus") { request, context in try await trafficLightPage(request, context, problems: [], status: .ok) }
        router.post("/trafikljus") { request, context in try await setTrafficLight(request, context) }
        router.get("/arenden/:id") { request, context in
            try await casePage(try context.parameters.require("id"), request, context, submitted: nil, notice: nil)
        }
        router.post("/arenden/:id/handelse") { request, context in try await fire(try context.parameters.require("id"), request, context) }
        router.post("/arenden/:id/bocka") { request, context in try await tick(try context.parameters.require("id"), request, context) }
        addCalendarPages(to: router)
    }

    // MARK: Pages

    /// "Mina uppgifter": the checklist items and deadlines that fall on my roles, across
    /// the cases I may see, a hundred at a time (the store keeps an index of them per role).
    func tasks(_ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        // A page begins after the last task of the one before (`?efter=`); a link that is not one starts over.
        let after = request.uri.queryParameters["efter"].flatMap { TaskPosition(String($0)) }
        // One more than a page, so the page knows whether another follows.
        let views = try await cases.withTasks(after: after, limit: TaskListPage.limit + 1, by: caller)
        let (rows, next) = TaskListPage.rows(views, roles: caller.principal.roles, after: after, now: now())
        return render("tasks", [
            "heading": "Mina uppgifter", "tasks": rows, "hasTasks": !rows.isEmpty, "csrf": csrf(context) ?? "",
            "next": next.map { Self.queryValue($0.description) } ?? "",
            "later": after != nil,
            "user": caller.principal.name, "roles": caller.principal.roles.sorted().joined(separator: ", "),
        ])
    }

    /// The reports: forms that open the printable page (or CSV) of each.
    func reportsPage(_ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let boards = try await register.boards(by: caller).map { ["code": $0.code, "name": $0.name] }
        let areas = Set(try await register.contracts(board: nil, area: nil, by: caller).map(\.area)).sorted().map { ["name": $0] }
        let today = SwedishCalendar().localDate(of: now())
        return render("reports", [
            "heading": "Rapporter", "boards": boards, "areas": areas, "user": caller.principal.name,
            "from": LocalDate(year: today.year, month: 1, day: 1).description, "to": LocalDate(year: today.year, month: 12, day: 31).description,
            "month": String(today.description.prefix(7)),
        ])
    }

    /// The traffic light, for the follow-up team only: red first, with a form to assess.
    func trafficLightPage(_ request: Request, _ context: Context, problems: [String], status: HTTPResponse.Status) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let lights: [(provider: Provider, light: TrafficLight?, redInGroup: [String])]
        do { lights = try await register.trafficLights(by: caller) } catch is AccessPolicy.Refusal {
            return render("message", ["heading": "Trafikljuset är teamets", "user": caller.principal.name,
                                      "text": "Trafikljusbedömningen är intern för uppföljningsteamet och visas bara för dess roller."],
                          status: .forbidden)
        }
        let calendar = SwedishCalendar()
        let rows = lights.map { entry -> [String: Any] in
            [
                "id": entry.provider.id, "name": entry.provider.name, "group": entry.provider.group ?? "",
                "colour": entry.light?.colour.title ?? "ej bedömd", "rod": entry.light?.colour == .rod,
                "comment": entry.light?.comment ?? "", "assessed": entry.light.map { SwedishText.date($0.assessedOn) } ?? "",
                "look": entry.redInGroup.isEmpty ? "" : "Röd vårdgivare i samma koncern: \(entry.redInGroup.joined(separator: ", "))",
            ]
        }
        return render("trafficLight", [
            "heading": "Trafikljus", "rows": rows, "hasRows": !rows.isEmpty, "csrf": csrf(context) ?? "",
            "today": calendar.localDate(of: now()).description, "user": caller.principal.name,
            "errorSummary": problems.map { ["text": $0] }, "hasErrors": !problems.isEmpty,
        ], status: status)
    }

    func setTrafficLight(_ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let form = try await Self.form(request)
        let acting = CaseService.Caller(caller.principal.acting(as: form["roll"].flatMap { $0.isEmpty ? nil : $0 } ?? caller.principal.actingRole),
                                        from: caller.client)
        guard let colour = form["farg"].flatMap(TrafficLight.Colour.init(rawValue:)) else {
            return try await trafficLightPage(request, context, problems: ["Välj röd, gul eller grön."], status: .badRequest)
        }
        guard let day = form["datum"].flatMap(LocalDate.init(iso:)) else {
            return try await trafficLightPage(request, context, problems: ["Ange bedömningens datum som ÅÅÅÅ-MM-DD."], status: .badRequest)
        }
        do {
            _ = try await register.setTrafficLight(provider: form["vardgivare"] ?? "", colour: colour, assessedOn: day,
                                                   comment: form["kommentar"] ?? "", by: acting)
        } catch let refused as RegisterProblems {
            let words = refused.problems.map { $0.contains("comment") ? "Skriv en kommentar som säger varför." : $0.contains("future") ? "Datumet kan inte ligga i framtiden." : "Vårdgivaren finns inte i registret." }
            return try await trafficLightPage(request, context, problems: words, status: .badRequest)
        } catch is AccessPolicy.Refusal {
            return render("message", ["heading": "Trafikljuset är teamets", "user": caller.principal.name,
                                      "text": "Bara uppföljningsteamets roller kan bedöma vårdgivare."], status: .forbidden)
        }
        return Self.seeOther("/trafikljus")
    }

    func casePage(_ id: String, _ request: Request, _ context: Context, submitted: CasePage.Submitted?, notice: String?,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let view: CaseView, history: [HistoryRecord], segments: [AccrualSegment]
        do {
            (view, history, _) = try await cases.history(id, by: caller)
            (_, segments) = try await cases.segments(id, by: caller)
        } catch StoreError.caseNotFound {
            return render("message", ["heading": "Ärendet finns inte", "user": caller.principal.name,
                                      "text": "Det finns inget ärende med det numret som du får se."], status: .notFound)
        }
        var page = CasePage.context(view, history: history, segments: segments, principal: caller.principal, now: now(),
                                    submitted: submitted, notice: notice)
        page["csrf"] = csrf(context) ?? ""
        page["user"] = caller.principal.name
        page["picture"] = picture.svg(view.definition, marking: view.record.state) ?? ""
        return render("case", page, status: status)
    }

    // MARK: Forms

    /// An event from its form: 303 back to the case on success; the page again with the
    /// problems beside their fields (400 or 409) and nothing changed otherwise.
    func fire(_ id: String, _ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let form = try await Self.form(request)
        let (view, _, _) = try await cases.history(id, by: caller)
        guard let name = form["handelse"], let event = view.definition.events[name] else {
            return try await casePage(id, request, context, submitted: nil, notice: "Okänd händelse: välj en av formulären nedan.", status: .badRequest)
        }
        let role = form["roll"] ?? ""
        guard caller.principal.roles.contains(role) || caller.principal.kind == .development else {
            let submitted = CasePage.Submitted(event: name, values: form.mapping(), errors: [:], summary: ["Du har inte rollen \(role)."])
            return try await casePage(id, request, context, submitted: submitted, notice: nil, status: .forbidden)
        }
        let acting = CaseService.Caller(caller.principal.acting(as: role), from: caller.client)
        let payload = CasePage.payload(form.fields, event: event, definition: view.definition)
        let reason = form["skal"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        do {
            _ = try await cases.apply(id, event: name, payload: payload, reason: reason, by: acting)
        } catch {
            let (errors, summary) = Self.problems(error, definition: view.definition, event: event)
            let submitted = CasePage.Submitted(event: name, values: form.mapping(), errors: errors, summary: summary)
            return try await casePage(id, request, context, submitted: submitted, notice: nil, status: errors.isEmpty ? .conflict : .badRequest)
        }
        return Self.seeOther("/arenden/\(id)?klart=\(name)")
    }

    func tick(_ id: String, _ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let form = try await Self.form(request)
        let role = form["roll"] ?? ""
        let acting = CaseService.Caller(caller.principal.acting(as: role.isEmpty ? nil : role), from: caller.client)
        var payload: [String: JSONValue] = ["checklist": .string(form["checklista"] ?? ""), "item": .string(form["punkt"] ?? "")]
        if let note = form["notering"], !note.trimmingCharacters(in: .whitespaces).isEmpty { payload["note"] = .string(note) }
        do {
            _ = try await cases.apply(id, event: checklistTickEvent, payload: payload, reason: nil, by: acting)
        } catch {
            let (_, summary) = Self.problems(error, definition: nil, event: nil)
            let submitted = CasePage.Submitted(event: "", values: [:], errors: [:], summary: summary)
            return try await casePage(id, request, context, submitted: submitted, notice: nil, status: .conflict)
        }
        return Self.seeOther(form["tillbaka"] == "uppgifter" ? "/uppgifter" : "/arenden/\(id)#" + CasePage.anchor(checklist: form["checklista"] ?? "", item: form["punkt"] ?? ""))
    }

    /// What went wrong, per field where the engine names one, in Swedish words.
    static func problems(_ error: any Error, definition: WorkflowDefinition?, event: EventDefinition?) -> ([String: String], [String]) {
        var fields: [String: String] = [:]
        var summary: [String] = []
        switch error {
        case StoreError.engine(let engine): return problems(engine, definition: definition, event: event)
        case EngineError.invalidInput(let list):
            for problem in list {
                let name = problem.field.hasPrefix("payload.") ? String(problem.field.dropFirst(8)) : problem.field
                let title = definition?.field(name)?.title ?? (name == "reason" ? "Skäl" : name)
                let text = SwedishProblems.text(problem.problem)
                // A field's problem is listed in the summary by the page, as a link to the field.
                if definition?.field(name) != nil || name == "reason" { fields[name] = text } else { summary.append("\(title): \(text)") }
            }
        case EngineError.conditionNotMet(_, _, let conditions):
            // Beside each of the event's fields a failed condition names; the summary lists them.
            let named = Set(conditions.flatMap { SwedishProblems.names(in: $0) })
            let concerned = (event?.payload.map(\.field) ?? []).filter(named.contains)
            let words = conditions.map { SwedishProblems.condition($0, definition: definition) }.joined(separator: "; ")
            for field in concerned { fields[field] = "Villkoret för händelsen gäller inte: \(words)." }
            if concerned.isEmpty { summary.append("Värdena uppfyller inte villkoren för händelsen: \(words).") }
        case EngineError.roleNotAllowed(_, let role, let allowed):
            summary.append("Rollen \(role) får inte göra det; det får \(allowed.joined(separator: ", ")).")
        case EngineError.eventNotAccepted:
            summary.append("Händelsen går inte i ärendets nuvarande läge. Sidan visar vad som går nu.")
        default:
            summary.append("Det gick inte: \(error)")
        }
        return (fields, summary)
    }

    // MARK: Helpers

    func render(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        PageResponse.render(library, template, context, status: status)
    }

    func signIn(_ request: Request) -> Response {
        let path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return Self.seeOther("/auth/login?return=" + Self.queryValue(path))
    }

    /// A value as a link's query carries it: RFC 3986's unreserved ASCII characters as they
    /// are, every other byte percent-encoded (`.alphanumerics` would let "å" through raw).
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreservedCharacters) ?? ""
    }

    static func seeOther(_ location: String) -> Response {
        var response = Response(status: .seeOther)
        response.headers[.location] = location
        return response
    }

    /// A form the browser sent (`application/x-www-form-urlencoded`, at most 64 KiB).
    struct Form: Sendable {
        var fields: [String: String]
        subscript(_ name: String) -> String? { fields[name] }
        /// The values to show again in the form, without the token.
        func mapping() -> [String: String] {
            var values: [String: String] = [:]
            for (name, value) in fields where name != "_csrf" { values[name.hasPrefix("f.") ? String(name.dropFirst(2)) : name] = value }
            return values
        }
    }

    static func form(_ request: Request) async throws -> Form {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 << 10)
        return Form(fields: FormBody.fields(String(buffer: buffer)))
    }
}

/// `application/x-www-form-urlencoded` bodies, as browsers send forms.
public enum FormBody {
    public static func fields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

/// RFC 3986's unreserved characters, ASCII only (a generic type cannot hold a static).
private let unreservedCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
