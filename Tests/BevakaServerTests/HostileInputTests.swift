import BevakaCore
import BevakaServer
import BevakaStore
import BevakaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 10's hostile-input table, over HTTP: every request here once crashed
/// the daemon, broke a hash chain, bypassed a mandate or was stored as something
/// other than what was sent. Each must now be refused with a specific problem
/// and change nothing, or be kept exactly.
@Suite struct HostileInputTests {
    /// A workflow whose fields take every kind of hostile value, and whose derived
    /// value does date arithmetic with them (where the overflow used to trap).
    static let workflow = """
    workflow: hostile
    version: 1
    title: Hostile input
    roles: { officer: Officer }
    fields:
      name: { type: string, required: true }
      period: { type: duration }
      since: { type: date }
      received: { type: datetime }
      count: { type: integer }
      amount: { type: decimal }
    derived:
      until: "since + period"
    events:
      record: { roles: [officer], payload: { period: optional, since: optional, received: optional, count: optional, amount: optional } }
      close: { roles: [officer], reason: required }
    states:
      open:
        initial: true
        on: { record: open, close: closed }
      closed: { final: true }

    """

    let folder: TemporaryFolder
    let store: any Store

    init() async throws {
        folder = try TemporaryFolder()
        let workflows = folder.url.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try Self.workflow.write(to: workflows.appendingPathComponent("hostile.yaml"), atomically: true, encoding: .utf8)
        let kalmar = try String(contentsOfFile: workflowsFolder + "/kalmar-sanktionstrappa.yaml", encoding: .utf8)
        try kalmar.write(to: workflows.appendingPathComponent("kalmar.yaml"), atomically: true, encoding: .utf8)
        store = try await TestStores.open(path: folder.path("hostile.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflows.path))
    }

    func app() -> some ApplicationProtocol { Application(router: APIRouter.build(store: store)) }

    static func headers(role: String = "officer", contentType: String? = "application/json", key: String? = nil) -> HTTPFields {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        headers[HTTPField.Name("Bevaka-Actor")!] = "anna"
        headers[HTTPField.Name("Bevaka-Role")!] = role
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return headers
    }

    struct Answer {
        let status: HTTPResponse.Status
        let json: JSONValue
        let headers: HTTPFields
    }

    func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil,
              headers: HTTPFields = headers()) async throws -> Answer {
        try await send(client, method, uri, bytes: body.map { Array($0.utf8) }, headers: headers)
    }

    func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, bytes: [UInt8]?,
              headers: HTTPFields = headers()) async throws -> Answer {
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) })
        return Answer(status: response.status, json: json(response.body.readableBytesView), headers: response.headers)
    }

    func open(_ client: some TestClientProtocol) async throws -> String {
        let opened = try await send(client, .post, "/cases", #"{"workflow":"hostile","owner":"anna","fields":{"name":"n"}}"#)
        #expect(opened.status == .created, "\(opened.json)")
        return try #require(opened.json["id"]?.string)
    }

    /// The problem's type slug and the fields its errors name.
    func refusal(_ answer: Answer) -> (String?, [String]) {
        (answer.json["type"]?.string, answer.json["errors"]?.array.compactMap { $0["field"]?.string } ?? [])
    }

    func historyIsIntactAndHolds(_ client: some TestClientProtocol, _ id: String, events: [String]) async throws {
        let history = try await send(client, .get, "/cases/\(id)/history")
        #expect(history.json["chainIntact"] == .bool(true))
        #expect(history.json["items"]?.array.compactMap { $0["event"]?.string } == events)
    }

    @Test(arguments: [
        (#"{"period":"P1317624576693539401W"}"#, "period"), (#"{"period":"P768614336404564651Y"}"#, "period"),
        (#"{"period":"99999999 working days"}"#, "period"), (#"{"since":"0001-01-01"}"#, "since"),
        (#"{"since":"2026-02-30"}"#, "since"), (#"{"since":"0000-01-01"}"#, "since"),
        (#"{"received":"2026-02-30T10:00:00Z"}"#, "received"), (#"{"received":"2026-12-01T10:00:00+25:00"}"#, "received"),
        (#"{"received":"0000-12-01T10:00:00Z"}"#, "received"), (#"{"count":9223372036854775807}"#, "count"),
        (#"{"amount":1e300}"#, "amount"),
    ])
    func absurdValuesAreRefusedNamingTheFieldAndChangeNothing(_ payload: String, _ field: String) async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client)
            let answer = try await send(client, .post, "/cases/\(id)/events", #"{"event":"record","payload":\#(payload)}"#)
            #expect(answer.status == .badRequest)
            #expect(refusal(answer).0 == "urn:bevaka:problem:invalid-payload")
            #expect(refusal(answer).1 == [field])
            try await historyIsIntactAndHolds(client, id, events: ["case.opened"])
        }
    }

    @Test func aNulOrAControlCharacterAnywhereIsRefusedAndTheChainStaysIntact() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client)
            let reason = try await send(client, .post, "/cases/\(id)/events", #"{"event":"close","reason":"klart\u0000dolt"}"#)
            #expect(reason.status == .badRequest)
            #expect(refusal(reason) == ("urn:bevaka:problem:invalid-request", ["reason"]))
            let owner = try await send(client, .post, "/cases", #"{"workflow":"hostile","owner":"an\u0000na","fields":{"name":"n"}}"#)
            #expect(refusal(owner) == ("urn:bevaka:problem:invalid-request", ["owner"]))
            let nested = try await send(client, .post, "/cases", #"{"workflow":"hostile","owner":"anna","fields":{"name":"n\u001b[31m"}}"#)
            #expect(refusal(nested) == ("urn:bevaka:problem:invalid-request", ["fields.name"]))
            // A line break in a reason is text, and is kept exactly.
            let closed = try await send(client, .post, "/cases/\(id)/events", #"{"event":"close","reason":"rad ett\nrad två"}"#)
            #expect(closed.status == .ok)
            let history = try await send(client, .get, "/cases/\(id)/history")
            #expect(history.json["items"]?.array.last?["reason"]?.string == "rad ett\nrad två")
            try await historyIsIntactAndHolds(client, id, events: ["case.opened", "close"])
        }
    }

    @Test func aKnownPathAskedWithAnotherMethodSaysWhichItTakes() async throws {
        try await app().test(.router) { client in
            let put = try await send(client, .put, "/cases", "{}")
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, POST")
            #expect(put.json["type"]?.string == "urn:bevaka:problem:method-not-allowed")
            let trace = try await send(client, .trace, "/cases/some-id/history", nil)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET")
            #expect(try await send(client, .get, "/no/such/path", nil).status == .notFound)
        }
    }

    @Test func aLedgerFarInTheFutureIsRefusedNotComputed() async throws {
        try await app().test(.router) { client in
            let opened = try await send(client, .post, "/cases", #"{"workflow": "hostile", "owner": "o", "fields": {"name": "x"}}"#)
            let id = try #require(opened.json["id"]?.string, "\(opened.json)")
            let far = try await send(client, .get, "/cases/\(id)/ledger?asOf=9999-12-31", nil)
            #expect(far.status == .badRequest)
            #expect(far.json["errors"]?[0]?["field"]?.string == "asOf")
            #expect(try await send(client, .get, "/cases/\(id)/ledger?asOf=2199-12-31", nil).status == .ok)
        }
    }

    @Test func bytesThatAreNotUTF8OrNotJSONAreRefused() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let invalid = Array(#"{"workflow":"hostile","owner":"anna","fields":{"name":"n"#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8)
            let answer = try await send(client, .post, "/cases", bytes: invalid)
            #expect(answer.status == .badRequest)
            #expect(answer.json["detail"]?.string == "the body is not UTF-8 text")
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"] {
                let wrong = try await send(client, .post, "/cases", #"{"workflow":"hostile","owner":"anna","fields":{"name":"n"}}"#,
                                           headers: Self.headers(contentType: contentType))
                #expect(wrong.status == .unsupportedMediaType, "\(contentType)")
                #expect(wrong.json["type"]?.string == "urn:bevaka:problem:unsupported-media-type")
            }
            let missing = try await send(client, .post, "/cases", #"{"workflow":"hostile","owner":"anna","fields":{"name":"n"}}"#,
                                         headers: Self.headers(contentType: nil))
            #expect(missing.status == .unsupportedMediaType)
            let listed = try await send(client, .get, "/cases")
            #expect(listed.json["items"]?.array.isEmpty == true)
        }
    }

    @Test func instantsKeepTheirMilliseconds() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let id = try await open(client)
            let recorded = try await send(client, .post, "/cases/\(id)/events",
                                          #"{"event":"record","payload":{"received":"2026-12-04T22:59:28.827+01:00"}}"#)
            #expect(recorded.status == .ok)
            #expect(recorded.json["fields"]?["received"]?.string == "2026-12-04T21:59:28.827Z")
            #expect(try await send(client, .get, "/cases/\(id)").json["fields"]?["received"]?.string == "2026-12-04T21:59:28.827Z")
        }
    }

    /// Whoever could open a Kalmar case could open it `svart`: a running 6 kr sanction nobody decided.
    @Test func aSanctionCannotBeStartedByOpeningACase() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let answer = try await send(client, .post, "/cases", """
                {"workflow":"kalmar-sanktionstrappa","owner":"anna","fields":{"enhet":"VC Åby","listade":8904,
                 "sanktionsniva":"svart","begaranSkickad":"2026-01-01"}}
                """, headers: Self.headers(role: "handlaggare"))
            #expect(answer.status == .badRequest)
            #expect(Set(refusal(answer).1) == ["sanktionsniva", "begaranSkickad"])
            #expect(try await send(client, .get, "/cases").json["items"]?.array.isEmpty == true)
        }
    }

    @Test func aWriteSentAgainWithItsIdempotencyKeyIsAnsweredAgainAndDoneOnce() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            let body = #"{"workflow":"hostile","owner":"anna","fields":{"name":"once"}}"#
            let first = try await send(client, .post, "/cases", body, headers: Self.headers(key: "k-1"))
            #expect(first.status == .created)
            #expect(first.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            let again = try await send(client, .post, "/cases", body, headers: Self.headers(key: "k-1"))
            #expect(again.status == .created)
            #expect(again.json == first.json)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(again.headers[.location] == first.headers[.location])
            #expect(try await send(client, .get, "/cases").json["items"]?.array.count == 1)

            let other = try await send(client, .post, "/cases", #"{"workflow":"hostile","owner":"anna","fields":{"name":"other"}}"#,
                                       headers: Self.headers(key: "k-1"))
            #expect(other.status == .unprocessableContent)
            #expect(other.json["type"]?.string == "urn:bevaka:problem:idempotency-key-reused")

            let id = try #require(first.json["id"]?.string)
            let close = #"{"event":"close","reason":"klart"}"#
            let closed = try await send(client, .post, "/cases/\(id)/events", close, headers: Self.headers(key: "k-2"))
            #expect(closed.status == .ok)
            // The case is closed now; without the key this would be a 409. With it, the first answer.
            let closedAgain = try await send(client, .post, "/cases/\(id)/events", close, headers: Self.headers(key: "k-2"))
            #expect(closedAgain.status == .ok)
            #expect(closedAgain.json == closed.json)
            try await historyIsIntactAndHolds(client, id, events: ["case.opened", "close"])

            let bad = try await send(client, .post, "/cases", body, headers: Self.headers(key: "has space"))
            #expect(refusal(bad) == ("urn:bevaka:problem:invalid-request", ["Idempotency-Key"]))
        }
    }

    /// Answers and refusals alike are data to a browser: not sniffed, framed, cached or referred.
    @Test func everyAnswerCarriesSecurityHeaders() async throws {
        defer { folder.cleanup() }
        try await app().test(.router) { client in
            for answer in [try await send(client, .get, "/cases"), try await send(client, .get, "/cases/nope"),
                           try await send(client, .get, "/no/such/route")] {
                #expect(answer.headers[.xContentTypeOptions] == "nosniff")
                #expect(answer.headers[.cacheControl] == "no-store")
                #expect(answer.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(answer.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'")
                #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
        }
    }
}
