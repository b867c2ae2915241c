import BevakaCore
import BevakaStore
import Foundation
import Hummingbird

/// `/deliveries` and `/webhooks`: what was sent, what waits, what died, and
/// the operator's two levers (retry a dead delivery, enable an endpoint).
public struct DeliveryRoutes: Sendable {
    public struct Settings: Sendable {
        /// Configured endpoints now (shown without their secrets); a reload may change them.
        public var webhooks: @Sendable () -> [String: WebhookEndpoint]
        /// Rung when an operator retries, so the DeliveryService looks at once.
        public var bell: DeliveryBell?

        public init(webhooks: [String: WebhookEndpoint] = [:], bell: DeliveryBell? = nil) {
            self.init(current: { webhooks }, bell: bell)
        }

        public init(current webhooks: @escaping @Sendable () -> [String: WebhookEndpoint], bell: DeliveryBell?) {
            self.webhooks = webhooks
            self.bell = bell
        }
    }

    let store: any Store
    let settings: Settings
    let now: @Sendable () -> Date

    func add(to router: Router<BevakaRequestContext>) {
        router.get("/deliveries") { request, _ in try await list(request) }
        router.get("/deliveries/:id") { _, context in try await detail(try id(context)) }
        router.post("/deliveries/:id/retry") { _, context in try await retry(try id(context)) }
        router.get("/webhooks") { _, _ in try await webhooks() }
        router.post("/webhooks/:name/enable") { _, context in try await enable(try context.parameters.require("name")) }
    }

    private func id(_ context: BevakaRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else {
            throw Problem.invalidRequest("a delivery id is a positive whole number, got '\(text)'")
        }
        return id
    }

    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var problems = RequestInput.unknownParameters(request, known: ["status", "case", "before", "limit"])
        var status: DeliveryStatus?
        if let text = query["status"] {
            status = DeliveryStatus(rawValue: String(text))
            if status == nil {
                let allowed = DeliveryStatus.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(FieldProblem(field: "status", problem: "must be one of \(allowed), got '\(text)'"))
            }
        }
        let limit = RequestInput.pageLimit(request, maximum: 500, fallback: 50, into: &problems)
        var before: Int64?
        if let text = query["before"] {
            before = Int64(text)
            if before == nil { problems.append(FieldProblem(field: "before", problem: "must be a delivery id, got '\(text)'")) }
        }
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        let page = try await store.deliveries(status: status, caseID: query["case"].map(String.init), before: before, limit: limit + 1)
        let items = page.prefix(limit)
        let counts = try await store.deliveryCounts()
        return JSONBody.response(.object([
            "items": .array(items.map { Self.representation($0) }),
            "next": page.count > limit ? .string(String(items.last!.id)) : .null,
            "counts": .object(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, JSONValue.int($0.value)) })),
        ]))
    }

    func detail(_ id: Int64) async throws -> Response {
        let (delivery, attempts) = try await store.delivery(id: id)
        var body = Self.representation(delivery)
        if case .object(var object) = body {
            object["attempts"] = .array(attempts.map { attempt in
                .object([
                    "attempt": .int(attempt.attempt),
                    "startedAt": .string(SwedishCalendar.isoUTCString(attempt.startedAt)),
                    "durationMs": .int(attempt.durationMilliseconds),
                    "outcome": .string(attempt.outcome),
                    "statusCode": attempt.statusCode.map(JSONValue.int) ?? .null,
                    "error": attempt.error.map(JSONValue.string) ?? .null,
                ])
            })
            body = .object(object)
        }
        return JSONBody.response(body)
    }

    func retry(_ id: Int64) async throws -> Response {
        let delivery = try await store.retryDelivery(id: id, now: now())
        settings.bell?.ring()
        return JSONBody.response(Self.representation(delivery), status: .accepted)
    }

    func webhooks() async throws -> Response {
        let disabled = try await store.disabledEndpoints()
        let webhooks = settings.webhooks()
        return JSONBody.response(.object(["items": .array(webhooks.keys.sorted().map { name in
            let endpoint = webhooks[name]!
            let off = disabled[name]
            return .object([
                "name": .string(name),
                "url": .string(endpoint.url),
                "types": .array(endpoint.types.map(JSONValue.string)),
                "personalData": .bool(endpoint.personalData),
                "officeHours": .bool(endpoint.officeHours),
                "secrets": .int(endpoint.secrets.count),
                "connections": .int(endpoint.connections),
                "enabled": .bool(off == nil),
                "disabledAt": off.map { .string(SwedishCalendar.isoUTCString($0.at)) } ?? .null,
                "disabledBecause": off.map { .string($0.reason) } ?? .null,
            ])
        })]))
    }

    func enable(_ name: String) async throws -> Response {
        let webhooks = settings.webhooks()
        guard webhooks[name] != nil else {
            throw Problem(.notFound, "webhook-not-found", "No such webhook endpoint",
                          detail: "no webhook endpoint '\(name)' is configured; configured: \(webhooks.keys.sorted().joined(separator: ", "))")
        }
        let changed = try await store.enableEndpoint(name)
        return JSONBody.response(.object(["name": .string(name), "enabled": .bool(true), "changed": .bool(changed)]))
    }

    static func representation(_ delivery: DeliveryRecord) -> JSONValue {
        func time(_ date: Date?) -> JSONValue { date.map { .string(SwedishCalendar.isoUTCString($0)) } ?? .null }
        return .object([
            "id": .int(Int(delivery.id)),
            "kind": .string(delivery.kind.rawValue),
            "notificationId": delivery.outboxID.map { .int(Int($0)) } ?? .null,
            "messageId": .string(delivery.messageID),
            "caseId": delivery.caseID.map(JSONValue.string) ?? .null,
            "channel": .string(delivery.channel.rawValue),
            "target": .string(delivery.target),
            "type": .string(delivery.type),
            "urgent": .bool(delivery.urgent),
            "status": .string(delivery.status.rawValue),
            "attemptCount": .int(delivery.attempts),
            "nextAttemptAt": time(delivery.nextAttemptAt),
            "heldUntil": time(delivery.heldUntil),
            "lastError": delivery.lastError.map(JSONValue.string) ?? .null,
            "createdAt": time(delivery.createdAt),
            "deliveredAt": time(delivery.deliveredAt),
        ])
    }
}
