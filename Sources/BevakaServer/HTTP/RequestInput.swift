import BevakaCore
import Foundation
import HTTPTypes
import Hummingbird
import Crypto

/// Reading what a request carries, with precise problems for what is wrong.
enum RequestInput {
    static let maximumBody = 1 << 20

    /// The body as a JSON object, or a problem saying why not: 415 for another
    /// media type, 400 for bytes that are not UTF-8, not JSON, not an object, or
    /// that hold text no field may hold (a NUL, say: it would be cut off when
    /// stored and break the history's hash chain).
    static func object(_ request: Request) async throws -> [String: JSONValue] {
        try checkMediaType(request)
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBody)
        } catch {
            throw Problem(.contentTooLarge, "body-too-large", "The body is too large", detail: "bodies are limited to \(maximumBody) bytes")
        }
        guard let text = buffer.readableBytesView.withContiguousStorageIfAvailable({ String(validating: $0, as: UTF8.self) })
            ?? String(validating: Array(buffer.readableBytesView), as: UTF8.self) else {
            throw Problem.invalidRequest("the body is not UTF-8 text")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw Problem.invalidRequest("the request needs a JSON object body")
        }
        guard let json = JSONValue.parse(text) else {
            throw Problem.invalidRequest("the body is not valid JSON")
        }
        guard case .object(let object) = json else {
            throw Problem.invalidRequest("the body must be a JSON object, not \(json.kind)")
        }
        var problems: [FieldProblem] = []
        checkText(json, at: "", into: &problems)
        guard problems.isEmpty else { throw Problem.invalidRequest("the body holds text that cannot be stored", errors: problems) }
        return object
    }

    /// A body must be sent as `application/json` (or a `+json` type), so that a
    /// browser form or a mislabelled upload is refused rather than guessed at.
    static func checkMediaType(_ request: Request) throws {
        let value = request.headers[.contentType] ?? ""
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json")) else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", "The body must be JSON",
                          detail: value.isEmpty ? "send the body with Content-Type: application/json"
                              : "the body was sent as '\(value.prefix(100))'; send it with Content-Type: application/json")
        }
        let parameters = value.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for parameter in parameters where parameter.hasPrefix("charset=") && parameter != "charset=utf-8" && parameter != "charset=\"utf-8\"" {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", "The body must be UTF-8",
                          detail: "the body was sent with \(parameter.prefix(60)); JSON is UTF-8")
        }
    }

    /// Every string in a body, member names included, held to the core's text rules.
    static func checkText(_ json: JSONValue, at path: String, into problems: inout [FieldProblem]) {
        switch json {
        case .string(let text):
            if let problem = InputLimits.textProblem(text) { problems.append(FieldProblem(field: path, problem: problem)) }
        case .array(let items):
            for (index, item) in items.enumerated() { checkText(item, at: "\(path)[\(index)]", into: &problems) }
        case .object(let members):
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                let name = path.isEmpty ? key : "\(path).\(key)"
                if let problem = InputLimits.textProblem(key, maximumLength: InputLimits.nameLength) {
                    problems.append(FieldProblem(field: name.debugDescription, problem: "the member name " + problem))
                } else {
                    checkText(value, at: name, into: &problems)
                }
            }
        default:
            break
        }
    }

    /// A problem for each query parameter not in `known`.
    static func unknownParameters(_ request: Request, known: Set<String>, prefixes: [String] = []) -> [FieldProblem] {
        request.uri.queryParameters.map { String($0.key) }
            .filter { key in !known.contains(key) && !prefixes.contains { key.hasPrefix($0) } }
            .map { key in
                FieldProblem(field: String(key.prefix(60)), problem: "unknown query parameter; allowed: \((known.sorted() + prefixes.map { $0 + "NAME" }).joined(separator: ", "))")
            }
    }

    /// A page size from the `limit` query parameter: `fallback` when absent, else a whole
    /// number from 1 to `maximum` (a problem, and `fallback`, otherwise).
    static func pageLimit(_ request: Request, maximum: Int, fallback: Int, into problems: inout [FieldProblem]) -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return fallback }
        if let value = Int(text), (1...maximum).contains(value) { return value }
        problems.append(FieldProblem(field: "limit", problem: "must be a whole number from 1 to \(maximum), got '\(text.prefix(40))'"))
        return fallback
    }

    /// Checks that an object has only the allowed keys and the required ones.
    static func check(_ object: [String: JSONValue], allowed: [String: Bool]) throws {
        var problems: [FieldProblem] = []
        for key in object.keys.sorted() where allowed[key] == nil {
            problems.append(FieldProblem(field: key, problem: "unknown member; allowed: \(allowed.keys.sorted().joined(separator: ", "))"))
        }
        for (key, required) in allowed.sorted(by: { $0.key < $1.key }) where required && object[key] == nil {
            problems.append(FieldProblem(field: key, problem: "required"))
        }
        if !problems.isEmpty { throw Problem.invalidRequest("the body has problems", errors: problems) }
    }

    static func string(_ object: [String: JSONValue], _ key: String) throws -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw Problem.invalidRequest("'\(key)' must be a string", errors: [FieldProblem(field: key, problem: "expected a string, got \(other.kind)")])
        }
    }

    static func members(_ object: [String: JSONValue], _ key: String) throws -> [String: JSONValue] {
        switch object[key] {
        case nil, .null?: return [:]
        case .object(let o)?: return o
        case let other?: throw Problem.invalidRequest("'\(key)' must be an object", errors: [FieldProblem(field: key, problem: "expected an object, got \(other.kind)")])
        }
    }

    static let idempotencyKeyHeader = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    /// The `Idempotency-Key` of a write, if it has one: 1 to 200 visible ASCII characters.
    static func idempotencyKey(_ request: Request) throws -> String? {
        let values = request.headers[values: idempotencyKeyHeader]
        guard let key = values.first else { return nil }
        guard values.count == 1, (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem.invalidRequest("the Idempotency-Key header is not valid", errors: [FieldProblem(
                field: "Idempotency-Key", problem: "one key of 1 to 200 visible ASCII characters (a UUID, say), sent once")])
        }
        return key
    }

    /// What tells one request from another under the same key: the role it acts in and its body, canonically.
    static func fingerprint(role: String, body: [String: JSONValue]) -> String {
        Hex.lowercase(SHA256.hash(data: Data((role + "\u{1F}" + JSONValue.object(body).canonicalText).utf8)))
    }

    static let actorHeader = HTTPField.Name("Bevaka-Actor")!
    static let roleHeader = HTTPField.Name("Bevaka-Role")!

    /// In development mode (`auth.mode: none`), who acts: the person and role the
    /// `Bevaka-Actor` and `Bevaka-Role` headers name.
    static func actor(_ request: Request) throws -> Actor {
        var problems: [FieldProblem] = []
        let name = request.headers[actorHeader]?.trimmingCharacters(in: .whitespaces) ?? ""
        let role = request.headers[roleHeader]?.trimmingCharacters(in: .whitespaces) ?? ""
        if name.isEmpty { problems.append(FieldProblem(field: "Bevaka-Actor", problem: "header required: who acts")) }
        if let problem = InputLimits.textProblem(name, maximumLength: InputLimits.nameLength) {
            problems.append(FieldProblem(field: "Bevaka-Actor", problem: problem))
        }
        if role.isEmpty { problems.append(FieldProblem(field: "Bevaka-Role", problem: "header required: in which role")) }
        if role == systemRole { problems.append(FieldProblem(field: "Bevaka-Role", problem: "'system' is Bevaka's own role")) }
        if !role.isEmpty && role.range(of: #"^[A-Za-z][A-Za-z0-9_-]*$"#, options: .regularExpression) == nil {
            problems.append(FieldProblem(field: "Bevaka-Role", problem: "one role name expected (send the header once), got '\(role)'"))
        }
        guard problems.isEmpty else { throw Problem.invalidRequest("the actor headers are missing or wrong", errors: problems) }
        return Actor(name: name, role: role)
    }
}
