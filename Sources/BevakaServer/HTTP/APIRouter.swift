import BevakaCore
import BevakaStore
import Foundation
import Hummingbird
import Logging
import Synchronization

/// The HTTP API: cases, their events, history, ledger and notifications, and the workflows.
public enum APIRouter {
    /// - Parameter allowedHosts: the names requests must be addressed to (the daemon passes them; nil checks none).
    public static func build(store: CaseStore, deliveries: DeliveryRoutes.Settings = .init(),
                             operations: OperationsRoutes.Settings = .init(), allowedHosts: AllowedHosts? = nil,
                             access: AccessSettings = AccessSettings(), logger: Logger = Logger(label: "bevaka"),
                             now: @escaping @Sendable () -> Date = { Date() }) -> Router<BevakaRequestContext> {
        let router = Router(context: BevakaRequestContext.self)
        router.middlewares.add(SecurityHeadersMiddleware())
        if !access.trustedProxies.isEmpty { router.middlewares.add(ForwardedForMiddleware(trusted: Set(access.trustedProxies))) }
        if let allowedHosts { router.middlewares.add(HostCheckMiddleware(allowed: allowedHosts)) }
        router.middlewares.add(ProblemMiddleware())
        if access.mode != .none {
            let verifier = access.mode == .oidc ? access.oidc.map { OIDCVerifier(settings: $0, logger: logger) } : nil
            router.middlewares.add(BearerTokenMiddleware(store: store, oidc: verifier, limit: FailedAuthenticationLimit()))
        }
        let routes = Routes(store: store, now: now)
        DeliveryRoutes(store: store, settings: deliveries, now: now).add(to: router)
        OperationsRoutes(store: store, settings: operations).add(to: router)

        router.get("/healthz") { _, _ in try await routes.health() }
        router.get("/openapi.json") { _, _ in OpenAPIDocument.response() }
        router.post("/cases") { request, _ in try await routes.openCase(request) }
        router.get("/cases") { request, _ in try await routes.listCases(request) }
        router.get("/cases/:id") { _, context in try await routes.getCase(try context.parameters.require("id")) }
        router.post("/cases/:id/events") { request, context in
            try await routes.applyEvent(try context.parameters.require("id"), request)
        }
        router.get("/cases/:id/history") { _, context in try await routes.history(try context.parameters.require("id")) }
        router.get("/cases/:id/ledger") { request, context in try await routes.ledger(try context.parameters.require("id"), request) }
        router.get("/cases/:id/notifications") { _, context in
            try await routes.notifications(try context.parameters.require("id"))
        }
        router.get("/cases/:id/checklists") { _, context in try await routes.checklists(try context.parameters.require("id")) }
        router.get("/cases/:id/links") { _, context in try await routes.links(try context.parameters.require("id")) }
        router.post("/cases/:id/links") { request, context in try await routes.link(try context.parameters.require("id"), request) }
        router.get("/workflows") { _, _ in routes.workflows() }
        router.get("/workflows/:name") { request, context in try routes.workflow(try context.parameters.require("name"), request) }
        return router
    }
}

/// Turns any error thrown by a route into RFC 9457 problem+json.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return try Problem(.notFound, "not-found", "Not found", detail: "no route for \(request.method) \(request.uri.path)")
                .response(from: request, context: context)
        } catch let error as HTTPError {
            return try Problem(error.status, "http-error", error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("request.failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            return try problem.response(from: request, context: context)
        }
    }
}

/// The route handlers, kept apart from routing so each reads on its own.
struct Routes: Sendable {
    let store: CaseStore
    let now: @Sendable () -> Date

    func health() async throws -> Response {
        let pending = try await store.pendingTimerCount()
        return JSONBody.response(.object(["status": .string("ok"), "pendingTimers": .int(pending),
                                          "workflows": .int(store.catalog.all.count)]))
    }

    func openCase(_ request: Request) async throws -> Response {
        let actor = try RequestInput.actor(request)
        let body = try await RequestInput.object(request)
        try RequestInput.check(body, allowed: ["workflow": true, "owner": true, "fields": false])
        guard let workflow = try RequestInput.string(body, "workflow"), let owner = try RequestInput.string(body, "owner") else {
            throw Problem.invalidRequest("'workflow' and 'owner' must be strings")
        }
        let fields = try RequestInput.members(body, "fields")
        guard let definition = store.catalog.forOpening(named: workflow) else {
            throw StoreError.unknownWorkflow(workflow, known: store.catalog.openableNames)
        }
        let roles = definition.roles.map(\.name)
        guard roles.contains(actor.role) else {
            throw Problem(.forbidden, "role-not-allowed", "Role may not open cases of this workflow",
                          detail: "role '\(actor.role)' is not a role of \(workflow); roles: \(roles.joined(separator: ", "))",
                          extensions: ["role": .string(actor.role), "allowedRoles": .array(roles.map(JSONValue.string))])
        }
        let now = self.now
        return try await once(request, actor: actor, body: body, render: { (record: CaseRecord) in
            Rendered(status: .created, body: CaseRepresentation.detail(record, definition: definition, now: now()), location: "/cases/\(record.id)")
        }) { claim in
            try await store.openCase(workflow: workflow, owner: owner, fields: fields, actor: actor, once: claim)
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

    /// Runs a write once per `Idempotency-Key`: the key, the answer and the change are
    /// committed together; the same request sent again gets the first answer with
    /// `Idempotent-Replayed: true` and changes nothing; another request under the
    /// same key is refused (422). Without the header the write simply runs.
    func once<R: Sendable>(_ request: Request, actor: Actor, body: [String: JSONValue],
                           render: @escaping @Sendable (R) throws -> Rendered,
                           _ command: (IdempotencyClaim<R>?) async throws -> R) async throws -> Response {
        // The answer made inside the transaction (to be kept) is the one sent, not a second rendering.
        let kept = Mutex<Rendered?>(nil)
        let claim = try RequestInput.idempotencyKey(request).map { key in
            IdempotencyClaim<R>(
                scope: "\(actor.name)\u{1F}\(request.method) \(request.uri.path)", key: key,
                fingerprint: RequestInput.fingerprint(role: actor.role, body: body),
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

    func getCase(_ id: String) async throws -> Response {
        let record = try await store.caseRecord(id: id)
        let definition = try definition(of: record)
        return JSONBody.response(CaseRepresentation.detail(record, definition: definition, now: now()))
    }

    func listCases(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let known: Set<String> = ["workflow", "state", "owner", "overdue", "limit", "after"]
        var problems: [FieldProblem] = []
        for key in query.map({ String($0.key) }) where !known.contains(key) {
            problems.append(FieldProblem(field: key, problem: "unknown query parameter; allowed: \(known.sorted().joined(separator: ", "))"))
        }
        var filter = CaseFilter()
        filter.workflow = query["workflow"].map(String.init)
        filter.state = query["state"].map(String.init)
        filter.owner = query["owner"].map(String.init)
        switch query["overdue"] {
        case nil, "false": filter.overdue = false
        case "true": filter.overdue = true
        case let other?: problems.append(FieldProblem(field: "overdue", problem: "must be true or false, got '\(other)'"))
        }
        var limit = 50
        if let text = query["limit"] {
            if let value = Int(text), (1...500).contains(value) { limit = value } else {
                problems.append(FieldProblem(field: "limit", problem: "must be a whole number from 1 to 500, got '\(text)'"))
            }
        }
        if let workflow = filter.workflow, store.catalog.latest(named: workflow) == nil {
            problems.append(FieldProblem(field: "workflow", problem: "no workflow named '\(workflow)'"))
        }
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        let after = query["after"].map(String.init)
        let page: [CaseRecord]
        do {
            page = try await store.listCases(filter, after: after, limit: limit + 1)
        } catch StoreError.caseNotFound(let id) {
            throw Problem.invalidRequest("'after' names no case", errors: [FieldProblem(field: "after", problem: "no case with id '\(id)'")])
        }
        let items = page.prefix(limit)
        let time = now()
        return JSONBody.response(.object([
            "items": .array(try items.map { CaseRepresentation.summary($0, definition: try definition(of: $0), now: time) }),
            "next": page.count > limit ? .string(items.last!.id) : .null,
        ]))
    }

    func applyEvent(_ id: String, _ request: Request) async throws -> Response {
        let actor = try RequestInput.actor(request)
        let body = try await RequestInput.object(request)
        try RequestInput.check(body, allowed: ["event": true, "payload": false, "reason": false])
        guard let event = try RequestInput.string(body, "event") else { throw Problem.invalidRequest("'event' must be a string") }
        let payload = try RequestInput.members(body, "payload")
        let reason = try RequestInput.string(body, "reason")
        let (store, now) = (self.store, self.now)
        return try await once(request, actor: actor, body: body, render: { (record: CaseRecord) in
            Rendered(body: CaseRepresentation.detail(record, definition: try store.definition(record.workflow), now: now()))
        }) { claim in
            try await store.applyEvent(caseID: id, event: event, payload: payload, reason: reason, actor: actor, once: claim)
        }
    }

    func history(_ id: String) async throws -> Response {
        let records = try await store.history(caseID: id)
        let intact = CaseStore.chainIsIntact(records, caseID: id)
        return JSONBody.response(.object(["caseId": .string(id), "chainIntact": .bool(intact),
                                          "items": .array(records.map(CaseRepresentation.history))]))
    }

    func ledger(_ id: String, _ request: Request) async throws -> Response {
        let record = try await store.caseRecord(id: id)
        let definition = try definition(of: record)
        var asOf = definition.calendar.localDate(of: now())
        if let text = request.uri.queryParameters["asOf"] {
            guard let date = LocalDate(iso: String(text)) else {
                throw Problem.invalidRequest("'asOf' must be a date", errors: [FieldProblem(field: "asOf", problem: "expected YYYY-MM-DD, got '\(text)'")])
            }
            asOf = date
        }
        let rows = Ledger.monthly(try await store.segments(caseID: id), asOf: asOf, workflow: definition)
        if request.headers[.accept]?.contains("text/csv") == true {
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"ledger-\(id).csv\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: Ledger.csv(rows))))
        }
        return JSONBody.response(CaseRepresentation.ledger(rows, asOf: asOf))
    }

    func notifications(_ id: String) async throws -> Response {
        let records = try await store.notifications(caseID: id)
        return JSONBody.response(.object(["caseId": .string(id), "items": .array(records.map(CaseRepresentation.notification))]))
    }

    func checklists(_ id: String) async throws -> Response {
        let record = try await store.caseRecord(id: id)
        let definition = try definition(of: record)
        return JSONBody.response(.object([
            "caseId": .string(id), "workflow": .string(record.workflow.name), "state": .string(record.state),
            "items": ChecklistRepresentation.checklists(record, definition: definition, now: now()),
        ]))
    }

    func links(_ id: String) async throws -> Response {
        let links = try await store.links(caseID: id)
        return JSONBody.response(.object(["caseId": .string(id), "items": .array(links.map(ChecklistRepresentation.link))]))
    }

    /// Links two cases; the actor's role must be a role of the case's workflow.
    func link(_ id: String, _ request: Request) async throws -> Response {
        let actor = try RequestInput.actor(request)
        let body = try await RequestInput.object(request)
        try RequestInput.check(body, allowed: ["case": true, "relation": false, "reason": false])
        guard let other = try RequestInput.string(body, "case") else { throw Problem.invalidRequest("'case' must be a case id") }
        let relation = try RequestInput.string(body, "relation") ?? "related"
        guard YAMLReader.isIdentifier(relation) else {
            throw Problem.invalidRequest("'relation' must be a name", errors: [FieldProblem(field: "relation", problem: "letters, digits, '_' or '-', starting with a letter; got '\(relation)'")])
        }
        let record = try await store.caseRecord(id: id)
        let roles = try definition(of: record).roles.map(\.name)
        guard roles.contains(actor.role) else {
            throw Problem(.forbidden, "role-not-allowed", "Role may not link cases of this workflow",
                          detail: "role '\(actor.role)' is not a role of \(record.workflow.name); roles: \(roles.joined(separator: ", "))",
                          extensions: ["role": .string(actor.role), "allowedRoles": .array(roles.map(JSONValue.string))])
        }
        let reason = try RequestInput.string(body, "reason")
        do {
            return try await once(request, actor: actor, body: body, render: { (link: CaseLink) in
                Rendered(status: .created, body: ChecklistRepresentation.link(link))
            }) { claim in
                try await store.link(id, to: other, relation: relation, actor: actor, reason: reason, once: claim)
            }
        } catch StoreError.caseNotFound(let missing) where missing == other {
            throw Problem.invalidRequest("'case' names no case", errors: [FieldProblem(field: "case", problem: "no case with id '\(other)'")])
        }
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

    func definition(of record: CaseRecord) throws -> WorkflowDefinition {
        try store.definition(record.workflow)
    }
}
