import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BevakaServer

/// The OpenAPI document served at /openapi.json describes exactly the routes the router has.
/// (A running daemon is checked against it by Tests/Peers/schemathesis_run.sh.)
@Suite struct OpenAPITests {
    let folder: TemporaryFolder
    let store: any Store

    init() async throws {
        folder = try TemporaryFolder()
        store = try await TestStores.open(path: folder.path("openapi.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder))
    }

    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    static func document() throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8))
        return try #require(parsed as? [String: Any], "the document is not a JSON object")
    }

    /// Every (method, path) of the document's operations, as `GET /cases/{id}`.
    static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]], "the document has no paths object")
        return Set(paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
    }

    /// The access settings under which the router registers routes differently (the sign-in
    /// routes only with `auth.oidc.web`); the routes of all of them are compared.
    static var accessModes: [AccessSettings] {
        var oidc = OIDCSettings(issuer: "http://127.0.0.1:9/realms/test", audience: "bevaka-api")
        let withoutWeb = AccessSettings(mode: .oidc, oidc: oidc)
        oidc.web = WebSignInSettings(clientID: "bevaka-web", clientSecret: "web-secret", redirectURI: "http://127.0.0.1:9/auth/callback")
        return [AccessSettings(), AccessSettings(mode: .tokens), withoutWeb, AccessSettings(mode: .oidc, oidc: oidc)]
    }

    @Test func theDocumentDescribesExactlyTheRoutesOfTheRouter() throws {
        defer { folder.cleanup() }
        var routes: Set<String> = []
        for access in Self.accessModes {
            // RouterPath writes a parameter `:id` as `{id}`, as OpenAPI does.
            // The pages (BevakaWeb) are HTML for people, not the API the document describes.
            routes.formUnion(APIRouter.build(store: store, access: access).routes.map { "\($0.method.rawValue) \($0.path.description)" }
                .filter { route in !route.hasSuffix(" /") && !["/uppgifter", "/register", "/trafikljus", "/rapporter", "/kalender"].contains { route.hasSuffix(" " + $0) }
                    && !route.contains(" /arenden/") && !route.contains(" /kalender/") })
        }
        #expect(routes.contains("GET /cases/{id}"), "path parameters are no longer written {name}: \(routes.sorted())")
        let documented = try Self.documentedOperations()
        let undocumented = routes.subtracting(documented).sorted()
        let unrouted = documented.subtracting(routes).sorted()
        #expect(undocumented.isEmpty, """
            routes the router registers but the OpenAPI document does not describe: \(undocumented.joined(separator: ", ")); \
            add them to Tests/Peers/openapi_document.py and run it (it rewrites OpenAPIDocument.swift)
            """)
        #expect(unrouted.isEmpty, """
            operations the OpenAPI document describes but the router does not register: \(unrouted.joined(separator: ", ")); \
            remove them from Tests/Peers/openapi_document.py and run it
            """)
    }

    @Test func theDocumentIsOpenAPI31WithAnIdAndResponsesForEveryOperation() throws {
        defer { folder.cleanup() }
        let document = try Self.document()
        let version = try #require(document["openapi"] as? String)
        #expect(version.hasPrefix("3.1."), "openapi is \(version), not 3.1.x")
        #expect((document["info"] as? [String: Any])?["title"] as? String == "Bevaka")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operationIds: [String: String] = [:]
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            let pathParameters = (item["parameters"] as? [[String: Any]]) ?? []
            for method in Self.methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let name = "\(method.uppercased()) \(path)"
                if let id = operation["operationId"] as? String, !id.isEmpty {
                    #expect(operationIds[id] == nil, "operationId \(id) of \(name) is also that of \(operationIds[id] ?? "")")
                    operationIds[id] = name
                } else {
                    Issue.record("\(name) has no operationId")
                }
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect(!responses.isEmpty, "\(name) has no responses")
                // Success is a 2xx, or for the sign-in steps the redirect that carries the browser on.
                #expect(responses.keys.contains { $0.hasPrefix("2") || $0 == "302" || $0 == "303" }, "\(name) has no success response")
                #expect(operation["security"] is [Any], "\(name) does not say which security it needs")
                // Every {parameter} of the path is declared, on the path or the operation.
                let declared = (pathParameters + ((operation["parameters"] as? [[String: Any]]) ?? []))
                    .filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                for parameter in Self.pathParameters(path) {
                    #expect(declared.contains(parameter), "\(name) does not declare its path parameter \(parameter)")
                }
            }
        }
        // Every reference points at something the document has.
        for reference in Self.references(in: document) {
            #expect(Self.resolve(reference, in: document) != nil, "\(reference) points at nothing")
        }
    }

    @Test func openAPIJsonIsServedWithoutAuthentication() async throws {
        defer { folder.cleanup() }
        for access in [AccessSettings(), AccessSettings(mode: .tokens)] {
            try await Application(router: APIRouter.build(store: store, access: access)).test(.router) { client in
                try await client.execute(uri: "/openapi.json", method: .get) { response in
                    #expect(response.status == .ok, "in auth.mode \(access.mode)")
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(String(buffer: response.body) == OpenAPIDocument.text)
                }
            }
        }
    }

    /// The literal in OpenAPIDocument.swift is what Tests/Peers/openapi_document.py writes.
    @Test func theServedTextIsTheGeneratorsOutput() throws {
        defer { folder.cleanup() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersFolder.appendingPathComponent("openapi_document.py").path, "--check"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    static func references(in value: Any) -> [String] {
        switch value {
        case let object as [String: Any]:
            let own = (object["$ref"] as? String).map { [$0] } ?? []
            return own + object.values.flatMap { references(in: $0) }
        case let array as [Any]:
            return array.flatMap { references(in: $0) }
        default:
            return []
        }
    }

    static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var current: Any? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            current = (current as? [String: Any])?[key]
        }
        return current
    }
}
