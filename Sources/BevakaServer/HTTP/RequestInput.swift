import BevakaCore
import Foundation
import HTTPTypes
import Hummingbird

/// Reading what a request carries, with precise problems for what is wrong.
enum RequestInput {
    static let maximumBody = 1 << 20

    /// The body as a JSON object, or a 400 saying why not.
    static func object(_ request: Request) async throws -> [String: JSONValue] {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBody)
        } catch {
            throw Problem(.contentTooLarge, "body-too-large", "The body is too large", detail: "bodies are limited to \(maximumBody) bytes")
        }
        let text = String(buffer: buffer)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw Problem.invalidRequest("the request needs a JSON object body")
        }
        guard let json = JSONValue.parse(text) else {
            throw Problem.invalidRequest("the body is not valid JSON")
        }
        guard case .object(let object) = json else {
            throw Problem.invalidRequest("the body must be a JSON object, not \(json.kind)")
        }
        return object
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

    static let actorHeader = HTTPField.Name("Bevaka-Actor")!
    static let roleHeader = HTTPField.Name("Bevaka-Role")!

    /// The acting person and role from the `Bevaka-Actor` and `Bevaka-Role` headers.
    static func actor(_ request: Request) throws -> Actor {
        var problems: [FieldProblem] = []
        let name = request.headers[actorHeader]?.trimmingCharacters(in: .whitespaces) ?? ""
        let role = request.headers[roleHeader]?.trimmingCharacters(in: .whitespaces) ?? ""
        if name.isEmpty { problems.append(FieldProblem(field: "Bevaka-Actor", problem: "header required: who acts")) }
        if role.isEmpty { problems.append(FieldProblem(field: "Bevaka-Role", problem: "header required: in which role")) }
        if role == systemRole { problems.append(FieldProblem(field: "Bevaka-Role", problem: "'system' is Bevaka's own role")) }
        if !role.isEmpty && role.range(of: #"^[A-Za-z][A-Za-z0-9_-]*$"#, options: .regularExpression) == nil {
            problems.append(FieldProblem(field: "Bevaka-Role", problem: "one role name expected (send the header once), got '\(role)'"))
        }
        guard problems.isEmpty else { throw Problem.invalidRequest("the actor headers are missing or wrong", errors: problems) }
        return Actor(name: name, role: role)
    }
}
