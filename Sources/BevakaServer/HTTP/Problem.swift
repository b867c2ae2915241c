import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation
import Hummingbird

/// An RFC 9457 problem detail: every refused request gets one, naming the
/// problem precisely. A refused request has changed nothing.
public struct Problem: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// A short slug, published as `urn:bevaka:problem:SLUG`.
    public let slug: String
    public let title: String
    public let detail: String
    /// Extension members (e.g. `errors`, `accepted`, `allowedRoles`).
    public let extensions: [String: JSONValue]
    /// Seconds after which the same request may succeed (`Retry-After`), for a 503 or 429.
    public let retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String, extensions: [String: JSONValue] = [:],
                retryAfter: Int? = nil) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extensions = extensions
        self.retryAfter = retryAfter
    }

    /// A write the disk did not take (full, I/O error): nothing was changed, and the same
    /// request may succeed once space is back, so it is a 503 to retry, not a 500.
    static func storageUnavailable(_ reason: String?) -> Problem {
        Problem(.serviceUnavailable, "storage-unavailable", "The database cannot take writes now",
                detail: "the write was not made: the disk refused it (\(reason ?? "storage failure")); nothing changed, try again later",
                retryAfter: 5)
    }

    public var body: JSONValue {
        var object = extensions
        object["type"] = .string("urn:bevaka:problem:\(slug)")
        object["title"] = .string(title)
        object["status"] = .int(Int(status.code))
        object["detail"] = .string(detail)
        return .object(object)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var object = body
        if case .object(var members) = object {
            members["instance"] = .string(request.uri.path)
            object = .object(members)
        }
        var response = JSONBody.response(object, status: status, contentType: "application/problem+json")
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    static func invalidRequest(_ detail: String, errors: [FieldProblem] = []) -> Problem {
        Problem(.badRequest, "invalid-request", "The request is not valid", detail: detail,
                extensions: errors.isEmpty ? [:] : ["errors": errorList(errors)])
    }

    static func errorList(_ problems: [FieldProblem]) -> JSONValue {
        .array(problems.map { .object(["field": .string($0.field), "problem": .string($0.problem)]) })
    }

    /// Maps store and engine errors to problems.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case StoreError.caseNotFound(let id):
            return Problem(.notFound, "case-not-found", "No such case", detail: "no case with id '\(id)'")
        case let refusal as AccessPolicy.Refusal:
            switch refusal {
            case .noActingRole(let held):
                return Problem(.forbidden, "role-needed", "Say which role you act in",
                               detail: "you hold \(held.isEmpty ? "no role" : held.joined(separator: ", ")); send Bevaka-Role with the one you act in",
                               extensions: ["roles": .array(held.map(JSONValue.string))])
            case .roleNotAllowed(let role, let allowed):
                return Problem(.forbidden, "role-not-allowed", "Role may not act on cases of this workflow",
                               detail: "role '\(role)' is not a role of the workflow; roles: \(allowed.joined(separator: ", "))",
                               extensions: ["role": .string(role), "allowedRoles": .array(allowed.map(JSONValue.string))])
            case .needsRole(let role):
                return Problem(.forbidden, "role-needed", "This needs the \(role) role", detail: "only holders of the role '\(role)' may do this",
                               extensions: ["allowedRoles": .array([.string(role)])])
            case .outsideTeam(let role, let team):
                return Problem(.forbidden, "team-only", "Only the follow-up team may do this",
                               detail: "this is internal to the follow-up team; role '\(role)' is not one of its roles (\(team.joined(separator: ", ")))",
                               extensions: ["role": .string(role), "allowedRoles": .array(team.map(JSONValue.string))])
            case .personOnly:
                return Problem(.forbidden, "person-only", "Only a person has a calendar",
                               detail: "a calendar feed is made by a person signed in (or by an operator with bevaka calendar create), not with a system's token")
            }
        case let error as UnknownCalendarTeam:
            return invalidRequest("no workflow has that role", errors: [FieldProblem(field: "team", problem: error.description)])
        case let error as CalendarFeedError:
            switch error {
            case .unknown:
                return Problem(.notFound, "calendar-feed-not-found", "No such calendar feed", detail: "\(error)")
            case .revoked:
                return Problem(.conflict, "calendar-feed-revoked", "The calendar feed is revoked", detail: "\(error)")
            case .tooMany(let limit):
                return Problem(.conflict, "calendar-feed-limit", "Too many calendar feeds", detail: "\(error)",
                               extensions: ["limit": .int(limit)])
            }
        case let problems as RegisterProblems:
            return Problem(.badRequest, "register-invalid", "The register refuses this", detail: problems.description,
                           extensions: ["errors": .array(problems.problems.map(JSONValue.string))])
        case StoreError.unknownWorkflow(let name, let known):
            return Problem(.badRequest, "unknown-workflow", "No such workflow",
                           detail: "no workflow named '\(name)'; known: \(known.joined(separator: ", "))",
                           extensions: ["errors": errorList([FieldProblem(field: "workflow", problem: "unknown workflow '\(name)'")]),
                                        "known": .array(known.map(JSONValue.string))])
        case StoreError.engine(let engineError):
            return from(engineError)
        case StoreError.idempotencyKeyReused:
            return Problem(.unprocessableContent, "idempotency-key-reused", "The Idempotency-Key was used for another request",
                           detail: "\(error)")
        case StoreError.linkRefused(let why):
            return Problem(.conflict, "link-refused", "The cases cannot be linked", detail: why)
        case StoreError.unsupported(let what):
            return Problem(.notImplemented, "not-supported-by-store", "The store does not do this", detail: what)
        case StoreError.deliveryNotFound(let id):
            return Problem(.notFound, "delivery-not-found", "No such delivery", detail: "no delivery with id \(id)")
        case StoreError.deliveryNotRetryable(let id, let status):
            return Problem(.conflict, "delivery-not-dead", "Only a dead delivery can be retried",
                           detail: "delivery \(id) is \(status.rawValue); only a dead delivery can be retried",
                           // Not `status`: that member is the HTTP status code (RFC 9457), which would overwrite it.
                           extensions: ["deliveryStatus": .string(status.rawValue)])
        case let engineError as EngineError:
            switch engineError {
            case .unknownEvent(let event, let accepted):
                return Problem(.badRequest, "unknown-event", "No such event", detail: engineError.description,
                               extensions: ["event": .string(event), "accepted": .array(accepted.map(JSONValue.string))])
            case .eventNotAccepted(let event, let state, let accepted):
                return Problem(.conflict, "event-not-accepted", "Event not accepted in the current state",
                               detail: engineError.description,
                               extensions: ["event": .string(event), "state": .string(state),
                                            "accepted": .array(accepted.map(JSONValue.string))])
            case .roleNotAllowed(let event, let role, let allowed):
                return Problem(.forbidden, "role-not-allowed", "Role may not fire this event", detail: engineError.description,
                               extensions: ["event": .string(event), "role": .string(role),
                                            "allowedRoles": .array(allowed.map(JSONValue.string))])
            case .invalidInput(let problems):
                return Problem(.badRequest, "invalid-payload", "The payload is not valid", detail: engineError.description,
                               extensions: ["errors": errorList(problems)])
            case .conditionNotMet(let event, let state, let conditions):
                return Problem(.conflict, "condition-not-met", "No condition for the event holds", detail: engineError.description,
                               extensions: ["event": .string(event), "state": .string(state),
                                            "conditions": .array(conditions.map(JSONValue.string))])
            case .evaluationFailed:
                return Problem(.unprocessableContent, "evaluation-failed", "The case's values do not allow this",
                               detail: engineError.description)
            case .migrationRefused(_, let reasons):
                return Problem(.conflict, "migration-refused", "The case cannot move to that version",
                               detail: engineError.description, extensions: ["reasons": .array(reasons.map(JSONValue.string))])
            case .correctionRefused(let reasons):
                return Problem(.conflict, "correction-refused", "The event cannot be annulled",
                               detail: engineError.description, extensions: ["reasons": .array(reasons.map(JSONValue.string))])
            case .handOverRefused(_, let reasons):
                return Problem(.conflict, "hand-over-refused", "The case cannot move into that workflow",
                               detail: engineError.description, extensions: ["reasons": .array(reasons.map(JSONValue.string))])
            case .checklistNotOpen(let checklist, let state):
                return Problem(.conflict, "checklist-not-open", "The checklist is not open", detail: engineError.description,
                               extensions: ["checklist": .string(checklist), "state": .string(state)])
            case .checklistItemNotOpen(let checklist, let item, _):
                return Problem(.conflict, "checklist-item-not-open", "The checklist item cannot be ticked now",
                               detail: engineError.description,
                               extensions: ["checklist": .string(checklist), "item": .string(item)])
            }
        case let error where StorageHealth.isStorageFailure(error):
            return storageUnavailable("\(error)")
        default:
            // What went wrong inside is for the log, not for the client: it may name files, SQL or data.
            let id = UUID().uuidString.lowercased()
            return Problem(.internalServerError, error is StoreError ? "store-error" : "internal-error", "Internal error",
                           detail: "the server could not do this; the operators find the cause in its log under error id \(id)",
                           extensions: ["errorId": .string(id)])
        }
    }
}

/// JSON responses with stable (sorted) keys.
enum JSONBody {
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.canonicalText)))
    }
}
