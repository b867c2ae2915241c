import BevakaApplication
import BevakaCore
import BevakaStore
import BevakaWeb
import Foundation
import Hummingbird
import Logging
import Synchronization

/// The HTTP API: cases, their events, history, ledger and notifications, and the workflows.
public enum APIRouter {
    /// - Parameter allowedHosts: the names requests must be addressed to (the daemon passes them; nil checks none).
    public static func build(store: any Store, deliveries: DeliveryRoutes.Settings = .init(),
                             operations: OperationsRoutes.Settings = .init(), allowedHosts: AllowedHosts? = nil,
                             access: AccessSettings = AccessSettings(), logger: Logger = Logger(label: "bevaka"),
                             now: @escaping @Sendable () -> Date = { Date() }) -> Router<BevakaRequestContext> {
        let router = Router(context: BevakaRequestContext.self)
        router.middlewares.add(SecurityHeadersMiddleware())
        if !access.trustedProxies.isEmpty { router.middlewares.add(ForwardedForMiddleware(trusted: Set(access.trustedProxies))) }
        if let allowedHosts { router.middlewares.add(HostCheckMiddleware(allowed: allowedHosts)) }
        let table = RouteTable()
        router.middlewares.add(ProblemMiddleware(routes: table))
        let limit = FailedAuthenticationLimit()
        let verifier = access.mode == .oidc ? access.oidc.map { OIDCVerifier(settings: $0, logger: logger) } : nil
        let web = verifier == nil ? nil : access.oidc?.web
        router.middlewares.add(AuthenticationMiddleware(mode: access.mode, store: store, oidc: verifier, web: web, limit: limit))
        router.middlewares.add(OperatorPathsMiddleware())
        if let verifier, let web {
            SignInRoutes(store: store, oidc: verifier, web: web, limit: limit, logger: logger).add(to: router)
        } else {
            SignInRoutes.addUnconfigured(to: router)
        }
        let routes = Routes(store: store, cases: CaseService(store: store, now: now), now: now)
        DeliveryRoutes(store: store, settings: deliveries, now: now).add(to: router)
        OperationsRoutes(store: store, settings: operations).add(to: router)
        RegisterRoutes(register: RegisterService(store: store, teamRoles: access.teamRoles)).add(to: router)
        ReportRoutes(reports: ReportService(store: store), now: now).add(to: router)
        let address = PublicAddress(web: web)
        let calendars = CalendarService(store: store, now: now)
        CalendarRoutes(calendars: calendars, address: address).add(to: router)
        do {
            try WebRoutes<BevakaRequestContext>(
                cases: CaseService(store: store, now: now), register: RegisterService(store: store, teamRoles: access.teamRoles),
                calendars: calendars, calendarURL: { secret, request in address.calendarURL(secret, request) },
                caller: { _, context in context.principal.map { CaseService.Caller($0, from: context.clientAddress) } },
                csrf: { $0.session?.csrf }, now: now
            ).add(to: router)
        } catch {
            logger.critical("the pages' templates do not parse: \(error)")
        }

        router.get("/healthz") { _, _ in try await routes.health() }
        router.get("/openapi.json") { _, _ in OpenAPIDocument.response() }
        router.post("/cases") { request, context in try await routes.openCase(request, context) }
        router.get("/cases") { request, context in try await routes.listCases(request, context) }
        router.get("/cases/:id") { _, context in try await routes.getCase(try context.parameters.require("id"), context) }
        router.post("/cases/:id/events") { request, context in
            try await routes.applyEvent(try context.parameters.require("id"), request, context)
        }
        router.get("/cases/:id/history") { _, context in try await routes.history(try context.parameters.require("id"), context) }
        router.get("/cases/:id/ledger") { request, context in
            try await routes.ledger(try context.parameters.require("id"), request, context)
        }
        router.get("/cases/:id/notifications") { _, context in
            try await routes.notifications(try context.parameters.require("id"), context)
        }
        router.get("/cases/:id/checklists") { _, context in
            try await routes.checklists(try context.parameters.require("id"), context)
        }
        router.get("/cases/:id/links") { _, context in try await routes.links(try context.parameters.require("id"), context) }
        router.post("/cases/:id/links") { request, context in
            try await routes.link(try context.parameters.require("id"), request, context)
        }
        router.get("/access-log") { request, context in try await routes.accessLog(request, context) }
        router.get("/workflows") { _, _ in routes.workflows() }
        router.get("/workflows/:name") { request, context in try routes.workflow(try context.parameters.require("name"), request) }
        table.set(router.routes.map { ("\($0.path)", $0.method.rawValue) })
        return router
    }
}

/// The router's paths and their methods, so that a known path asked with another
/// method is told which methods it takes (405 with `Allow`), not that it does not exist.
final class RouteTable: Sendable {
    private let routes = Mutex<[(segments: [Substring], method: String)]>([])

    func set(_ routes: [(path: String, method: String)]) {
        self.routes.withLock { $0 = routes.map { (Self.segments($0.path), $0.method) } }
    }

    /// The methods the routes matching `path` take (none: no such path).
    func methods(for path: String) -> [String] {
        let asked = Self.segments(path)
        return routes.withLock { routes in
            Set(routes.filter { route in
                route.segments.count == asked.count && zip(route.segments, asked).allSatisfy { $0.hasPrefix("{") || $0.hasPrefix(":") || $0 == $1 }
            }.map(\.method)).sorted()
        }
    }

    private static func segments(_ path: String) -> [Substring] { path.split(separator: "/", omittingEmptySubsequences: true) }
}

/// Turns any error thrown by a route into RFC 9457 problem+json.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let methods = routes.methods(for: request.uri.path)
            guard methods.isEmpty else {
                var response = try Problem(.methodNotAllowed, "method-not-allowed", "Method not allowed",
                                           detail: "\(request.uri.path.prefix(200)) takes \(methods.joined(separator: ", ")), not \(request.method)",
                                           extensions: ["allowed": .array(methods.map(JSONValue.string))])
                    .response(from: request, context: context)
                response.headers[.allow] = methods.joined(separator: ", ")
                return response
            }
            return try Problem(.notFound, "not-found", "Not found", detail: "no route for \(request.method) \(request.uri.path.prefix(200))")
                .response(from: request, context: context)
        } catch let error as HTTPError {
            return try Problem(error.status, "http-error", error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("request.failed", metadata: ["error": "\(error)", "path": "\(CalendarRoutes.loggable(request.uri.path))",
                                                                  "error.id": "\(problem.extensions["errorId"]?.string ?? "-")"])
            }
            return try problem.response(from: request, context: context)
        }
    }
}

/// Deliveries and webhooks are the operators': the access policy says who they are.
struct OperatorPathsMiddleware: RouterMiddleware {
    typealias Context = BevakaRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The router ignores empty segments (`//deliveries` is `/deliveries`), so this must too.
        let first = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).first
        if first == "deliveries" || first == "webhooks" {
            guard let principal = context.principal else { throw Problem(.unauthorized, "unauthorized", "Not signed in", detail: "sign in or send a bearer token") }
            if let refusal = AccessPolicy.mayOperate(principal) { throw refusal }
        }
        return try await next(request, context)
    }
}

/// The route handlers, kept apart from routing so each reads on its own. They read
/// requests and render answers; what may be seen and done is the ``CaseService``'s
/// to decide.
struct Routes: Sendable {
    let store: any Store
    let cases: CaseService
    let now: @Sendable () -> Date

    /// Who asks, from where. A write in development mode must name its actor and role.
    func caller(_ context: BevakaRequestContext, writing request: Request? = nil) throws -> CaseService.Caller {
        try context.caller(writing: request)
    }

    func health() async throws -> Response {
        let pending = try await store.pendingTimerCount()
        return JSONBody.response(.object(["status": .string("ok"), "pendingTimers": .int(pending),
                                          "workflows": .int(store.catalog.all.count)]))
    }

    func openCase(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try caller(context, writing: request)
        let body = try await RequestInput.object(request)
        try RequestInput.check(body, allowed: ["workflow": true, "owner": true, "fields": false, "people": false, "unit": false, "contract": false])
        guard let workflow = try RequestInput.string(body, "workflow"), let owner = try RequestInput.string(body, "owner") else {
            throw Problem.invalidRequest("'workflow' and 'owner' must be strings")
        }
        let unit = try RequestInput.string(body, "unit")
        let contract = try RequestInput.string(body, "contract")
        let fields = try RequestInput.members(body, "fields")
        let people = try RequestInput.members(body, "people")
        let now = self.now
        return try await once(request, caller: caller, body: body, render: { (view: CaseView) in
            Rendered(status: .created, body: CaseRepresentation.detail(view, now: now()), location: "/cases/\(view.record.id)")
        }) { claim in
            try await cases.open(workflow: workflow, owner: owner, fields: fields, people: people, unit: unit, contract: contract,
                                 by: caller, once: claim)
        }
    }

    /// A write's answer, sent now and, under an `Idempotency-Key`, kept to be sent again.
    struct Rendered: Sendable {
        var status: HTTPResponse.Status = .ok
        var body: JSONValue
        var location: String?

        var response: Response {
            var response = JSONBody.response(body, status: status)
            if let location { response.headers[.location] = location }
            return response
        }
    }

    /// Runs a write once per `Idempotency-Key` and caller: the key, the answer and the
    /// change are committed together; the same request sent again by the same caller gets
    /// the first answer with `Idempotent-Replayed: true` and changes nothing; another
    /// request under the same key is refused (422). Keys are the caller's own: one
    /// caller's key never answers another's request. Without the header the write simply runs.
    func once<R: Sendable>(_ request: Request, caller: CaseService.Caller, body: [String: JSONValue],
                           render: @escaping @Sendable (R) throws -> Rendered,
                           _ command: (IdempotencyClaim<R>?) async throws -> R) async throws -> Response {
        // The answer made inside the transaction (to be kept) is the one sent, not a second rendering.
        let kept = Mutex<Rendered?>(nil)
        let claim = try RequestInput.idempotencyKey(request).map { key in
            IdempotencyClaim<R>(
                scope: "\(caller.principal.kind.rawValue):\(caller.principal.subject)\u{1F}\(request.method) \(request.uri.path)", key: key,
                fingerprint: RequestInput.fingerprint(role: caller.principal.actingRole ?? "", body: body),
                render: { result in
                    let rendered = (try? render(result)) ?? Rendered(body: .object([:]))
                    kept.withLock { $0 = rendered }
                    return StoredResponse(status: Int(rendered.status.code), body: rendered.body.canonicalText, location: rendered.location)
                })
        }
        do {
            let result = try await command(claim)
            return try (kept.withLock { $0 } ?? render(result)).response
        } catch StoreError.replayed(let stored) {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[RequestInput.replayedHeader] = "true"
            if let location = stored.location { headers[.location] = location }
            return Response(status: .init(code: stored.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: stored.body)))
        }
    }

    func getCase(_ id: String, _ context: BevakaRequestContext) async throws -> Response {
        let view = try await cases.view(id, by: try caller(context))
        return JSONBody.response(CaseRepresentation.detail(view, now: now()))
    }

    func listCases(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try caller(context)
        let query = request.uri.queryParameters
        let known: Set<String> = ["workflow", "state", "owner", "overdue", "limit", "after", "unit", "provider", "contract", "board", "area",
                     "role", "diarienummer", "q", "order"]
        var problems = RequestInput.unknownParameters(request, known: known, prefixes: ["field."])
        var filter = CaseFilter()
        filter.workflow = query["workflow"].map(String.init)
        filter.state = query["state"].map(String.init)
        filter.owner = query["owner"].map(String.init)
        filter.unit = query["unit"].map(String.init)
        filter.provider = query["provider"].map(String.init)
        filter.contract = query["contract"].map(String.init)
        filter.board = query["board"].map(String.init)
        filter.area = query["area"].map(String.init)
        filter.role = query["role"].map(String.init)
        if let diarienummer = query["diarienummer"] { filter.fields["diarienummer"] = String(diarienummer) }
        for (name, value) in query where name.hasPrefix("field.") {
            let field = String(name.dropFirst("field.".count))
            guard !field.isEmpty, field.count <= 100 else {
                problems.append(FieldProblem(field: String(name.prefix(60)), problem: "name a field after 'field.'"))
                continue
            }
            filter.fields[field] = String(value)
        }
        if let text = query["q"].map(String.init), !text.isEmpty {
            guard text.count <= 200 else { throw Problem.invalidRequest("the query has problems", errors: [FieldProblem(field: "q", problem: "at most 200 characters")]) }
            filter.text = text
            let folded = text.lowercased()
            filter.statesMatchingText = store.catalog.all.flatMap { definition in
                definition.states.filter { $0.title?.lowercased().contains(folded) == true }.map { (definition.name, $0.name) }
            }
        }
        switch query["order"] {
        case nil: filter.order = .created
        case let text?:
            if let order = CaseFilter.Order(rawValue: String(text)) { filter.order = order } else {
                problems.append(FieldProblem(field: "order", problem: "must be created or due, got '\(text.prefix(40))'"))
            }
        }
        switch query["overdue"] {
        case nil, "false": filter.overdue = false
        case "true": filter.overdue = true
        case let other?: problems.append(FieldProblem(field: "overdue", problem: "must be true or false, got '\(other.prefix(40))'"))
        }
        let limit = RequestInput.pageLimit(request, maximum: 500, fallback: 50, into: &problems)
        if let workflow = filter.workflow, store.catalog.latest(named: workflow) == nil {
            problems.append(FieldProblem(field: "workflow", problem: "no workflow named '\(workflow.prefix(80))'"))
        }
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        let after = query["after"].map(String.init)
        let page: [(view: CaseView, cursor: CaseCursor)]
        do {
            page = try await cases.list(filter, after: after, limit: limit + 1, by: caller)
        } catch StoreError.caseNotFound(let id) where id == after {
            throw Problem.invalidRequest("'after' is not a cursor of this list",
                                         errors: [FieldProblem(field: "after", problem: "give the 'next' of the previous page (with the same order)")])
        }
        let items = page.prefix(limit)
        let time = now()
        return JSONBody.response(.object([
            "items": .array(items.map { CaseRepresentation.summary($0.view, now: time) }),
            "next": page.count > limit ? .string(items.last!.cursor.description) : .null,
        ]))
    }

    func applyEvent(_ id: String, _ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try caller(context, writing: request)
        let body = try await RequestInput.object(request)
        try RequestInput.check(body, allowed: ["event": true, "payload": false, "reason": false])
        guard let event = try RequestInput.string(body, "event") else { throw Problem.invalidRequest("'event' must be a string") }
        let payload = try RequestInput.members(body, "payload")
        let reason = try RequestInput.string(body, "reason")
        let now = self.now
        return try await once(request, caller: caller, body: body, render: { (view: CaseView) in
            Rendered(body: CaseRepresentation.detail(view, now: now()))
        }) { claim in
            try await cases.apply(id, event: event, payload: payload, reason: reason, by: caller, once: claim)
        }
    }

    func history(_ id: String, _ context: BevakaRequestContext) async throws -> Response {
        let (_, records, intact) = try await cases.history(id, by: try caller(context))
        return JSONBody.response(.object(["caseId": .string(id), "chainIntact": .bool(intact),
                                          "items": .array(records.map(CaseRepresentation.history))]))
    }

    func ledger(_ id: String, _ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        var asOf: LocalDate?
        if let text = request.uri.queryParameters["asOf"] {
            guard let date = LocalDate(iso: String(text)) else {
                throw Problem.invalidRequest("'asOf' must be a date", errors: [FieldProblem(field: "asOf", problem: "expected YYYY-MM-DD, got '\(text.prefix(40))'")])
            }
            // A ledger runs month by month up to asOf: a date in the year 9999 would keep a core busy for minutes.
            if let problem = InputLimits.dateProblem(date) {
                throw Problem.invalidRequest("'asOf' is out of range", errors: [FieldProblem(field: "asOf", problem: problem)])
            }
            asOf = date
        }
        let (view, segments) = try await cases.segments(id, by: try caller(context))
        let date = asOf ?? view.definition.calendar.localDate(of: now())
        let rows = Ledger.monthly(segments, asOf: date, workflow: view.definition)
        if request.headers[.accept]?.contains("text/csv") == true {
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"ledger-\(id).csv\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: Ledger.csv(rows))))
        }
        return JSONBody.response(CaseRepresentation.ledger(rows, asOf: date))
    }

    func notifications(_ id: String, _ context: BevakaRequestContext) async throws -> Response {
        let records = try await cases.notifications(id, by: try caller(context))
        return JSONBody.response(.object(["caseId": .string(id), "items": .array(records.map(CaseRepresentation.notification))]))
    }

    func checklists(_ id: String, _ context: BevakaRequestContext) async throws -> Response {
        let view = try await cases.view(id, by: try caller(context), action: "checklists")
        return JSONBody.response(.object([
            "caseId": .string(id), "workflow": .string(view.record.workflow.name), "state": .string(view.record.state),
            "items": ChecklistRepresentation.checklists(view.record, definition: view.definition, now: now()),
        ]))
    }

    func links(_ id: String, _ context: BevakaRequestContext) async throws -> Response {
        let links = try await cases.links(id, by: try caller(context))
        return JSONBody.response(.object(["caseId": .string(id), "items": .array(links.map(ChecklistRepresentation.link))]))
    }

    /// Links two cases; the actor's role must be a role of the case's workflow.
    func link(_ id: String, _ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try caller(context, writing: request)
        let body = try await RequestInput.object(request)
        try RequestInput.check(body, allowed: ["case": true, "relation": false, "reason": false])
        guard let other = try RequestInput.string(body, "case") else { throw Problem.invalidRequest("'case' must be a case id") }
        let relation = try RequestInput.string(body, "relation") ?? "related"
        guard YAMLReader.isIdentifier(relation) else {
            throw Problem.invalidRequest("'relation' must be a name", errors: [FieldProblem(field: "relation", problem: "letters, digits, '_' or '-', starting with a letter; got '\(relation)'")])
        }
        let reason = try RequestInput.string(body, "reason")
        do {
            return try await once(request, caller: caller, body: body, render: { (link: CaseLink) in
                Rendered(status: .created, body: ChecklistRepresentation.link(link))
            }) { claim in
                try await cases.link(id, to: other, relation: relation, reason: reason, by: caller, once: claim)
            }
        } catch StoreError.caseNotFound(let missing) where missing == other && missing != id {
            throw Problem.invalidRequest("'case' names no case", errors: [FieldProblem(field: "case", problem: "no case with id '\(other)'")])
        }
    }

    /// `2026-05-28T07:13:39.18159Z` as `2026-05-28T07:13:39.181Z`: fractional seconds cut to milliseconds.
    static func toMilliseconds(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."), let t = text.firstIndex(of: "T"), dot > t else { return text }
        let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
        guard digits.count > 3 else { return text }
        return String(text[...dot]) + digits.prefix(3) + text[digits.endIndex...]
    }

    /// The access log, for auditors: `case`, `subject`, `from`/`until` (dates or RFC 3339 instants), `before`, `limit`.
    func accessLog(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try caller(context)
        let parameters = request.uri.queryParameters
        var problems = RequestInput.unknownParameters(request, known: ["case", "subject", "from", "until", "before", "limit"])
        var query = AccessLogQuery()
        query.caseID = parameters["case"].map(String.init)
        query.subject = parameters["subject"].map(String.init)
        for key: Substring in ["from", "until"] {
            guard let text = parameters[key].map(String.init) else { continue }
            // A bound may carry more fractional digits than an instant Bevaka keeps: the milliseconds count.
            let instant = (try? RFC3339.parse(Self.toMilliseconds(text), checkingRange: false))
                ?? LocalDate(iso: text).map { SwedishCalendar().instant(on: $0, at: LocalTime(hour: 0, minute: 0)) }
            guard let instant else {
                problems.append(FieldProblem(field: String(key), problem: "expected a date (YYYY-MM-DD) or an RFC 3339 instant, got '\(text.prefix(40))'"))
                continue
            }
            if key == "from" { query.from = instant } else { query.until = instant }
        }
        if let text = parameters["before"] {
            if let value = Int64(text), value > 0 { query.before = value } else {
                problems.append(FieldProblem(field: "before", problem: "must be an entry id (a positive whole number), got '\(text.prefix(40))'"))
            }
        }
        query.limit = RequestInput.pageLimit(request, maximum: 1000, fallback: 100, into: &problems)
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        let entries = try await cases.accessLog(query, by: caller)
        return JSONBody.response(.object([
            "items": .array(entries.map { entry in
                .object(["id": .int(Int(entry.id)), "at": .string(SwedishCalendar.isoUTCString(entry.at)), "subject": .string(entry.subject),
                         "name": .string(entry.name), "role": .string(entry.role), "caseId": .string(entry.caseID),
                         "action": .string(entry.action), "client": .string(entry.client), "personalShown": .bool(entry.personalShown)])
            }),
            "next": entries.count == query.limit ? .string(String(entries.last!.id)) : .null,
        ]))
    }

    func workflows() -> Response {
        let all = store.catalog.all
        return JSONBody.response(.object(["items": .array(store.catalog.latest.map { latest in
            WorkflowRepresentation.summary(latest, versions: all.filter { $0.name == latest.name }.map(\.version))
        })]))
    }

    func workflow(_ name: String, _ request: Request) throws -> Response {
        let versions = store.catalog.all.filter { $0.name == name }.map(\.version)
        var definition = store.catalog.latest(named: name)
        if let text = request.uri.queryParameters["version"] {
            guard let version = Int(text) else { throw Problem.invalidRequest("'version' must be a whole number") }
            definition = store.catalog.definition(WorkflowKey(name: name, version: version))
        }
        guard let definition else {
            throw Problem(.notFound, "workflow-not-found", "No such workflow",
                          detail: "no workflow '\(name)'\(versions.isEmpty ? "" : " in that version; versions: \(versions.map(String.init).joined(separator: ", "))")")
        }
        return JSONBody.response(WorkflowRepresentation.detail(definition, versions: versions))
    }
}
