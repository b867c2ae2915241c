import BevakaCore
import BevakaTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Issue 16: people sign in with a browser at the region's OpenID provider (code
/// flow with PKCE, state, nonce), get a server-side session, and see only the
/// cases and fields that are theirs; reads of personal data are in the access
/// log. A real provider (idpyoidc, `Tests/Peers/oidc_provider.py`) and a real
/// daemon run on loopback; the test plays the browser, cookies and all.
@Suite(.serialized) struct SignInTests {
    static let users = ["anna:Anna Andersson:handlaggare", "tea:Tea Ledare:teamledare", "bo:Bo Berg:beslutsfattare",
                        "vera:Vera Två:handlaggare,beslutsfattare", "revisor:Rut Revisor:revision", "admin:Ada Admin:bevaka-admin"]

    /// The shipped workflows, which the README starts the daemon with.
    static var shippedWorkflows: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Workflows").path
    }

    struct Setup {
        let provider: OpenIDProvider
        let daemon: KillRecoveryTests.Daemon
        let port: Int
        let folder: TemporaryFolder
        var base: String { "http://127.0.0.1:\(port)" }
        var database: String { folder.path("s.sqlite") }
    }

    /// The provider's groups that map to Bevaka's roles here.
    static let groups = ["handlaggare": ["handlaggare"], "teamledare": ["teamledare"], "beslutsfattare": ["beslutsfattare"],
                         "revision": ["auditor"], "bevaka-admin": ["admin"]]

    /// The daemon with browser sign-in at a loopback OpenID provider holding `users` (`login:Name:group,group`).
    static func start(idle: String = "30m", users: [String] = users, groups: [String: [String]] = groups) async throws -> Setup {
        let port = KillRecoveryTests.freePort()
        let provider = try OpenIDProvider(bevakaPort: port, users: users)
        let folder = try TemporaryFolder()
        let groupLines = groups.sorted { $0.key < $1.key }.map { "          \($0.key): [\($0.value.joined(separator: ", "))]" }.joined(separator: "\n")
        try """
            auth:
              mode: oidc
              oidc:
                issuer: \(provider.issuer)
                audience: bevaka-api
                groups:
            \(groupLines)
                web:
                  clientId: \(provider.webClient.0)
                  clientSecretFile: \(folder.path("web.secret"))
                  redirectUri: http://127.0.0.1:\(port)/auth/callback
                  postLogoutRedirectUri: http://127.0.0.1:\(port)/
                  sessionIdle: \(idle)

            """.write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        try provider.webClient.1.write(toFile: folder.path("web.secret"), atomically: true, encoding: .utf8)
        let daemon = try KillRecoveryTests.Daemon(database: folder.path("s.sqlite"), workflows: shippedWorkflows, port: port,
                                                  config: folder.path("bevaka.yaml"))
        try await KillRecoveryTests.waitUntilUp(port)
        return Setup(provider: provider, daemon: daemon, port: port, folder: folder)
    }

    /// A browser: keeps each site's cookies, follows no redirect by itself.
    final class Browser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        var cookies: [String: [String: String]] = [:]  // host:port → name → value
        var lastSetCookies: [HTTPCookie] = []
        lazy var session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)
        }

        struct Answer {
            let status: Int
            let headers: [String: String]
            let text: String
            var json: JSONValue { JSONValue.parse(text) ?? .null }
            var location: String { headers["location"] ?? "" }
        }

        func request(_ method: String, _ url: String, body: String? = nil, type: String = "application/json",
                     headers: [String: String] = [:]) async throws -> Answer {
            let target = URL(string: url)!
            var request = URLRequest(url: target, timeoutInterval: 20)
            request.httpMethod = method
            request.httpShouldHandleCookies = false
            let site = "\(target.host!):\(target.port ?? 80)"
            if let jar = cookies[site], !jar.isEmpty {
                request.setValue(jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), forHTTPHeaderField: "Cookie")
            }
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue(type, forHTTPHeaderField: "Content-Type")
            }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await session.data(for: request)
            let http = response as! HTTPURLResponse
            var fields: [String: String] = [:]
            for (key, value) in http.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
            lastSetCookies = HTTPCookie.cookies(withResponseHeaderFields: http.allHeaderFields as? [String: String] ?? [:], for: target)
            for cookie in lastSetCookies {
                if cookie.value.isEmpty { cookies[site, default: [:]][cookie.name] = nil } else { cookies[site, default: [:]][cookie.name] = cookie.value }
            }
            return Answer(status: http.statusCode, headers: fields, text: String(decoding: data, as: UTF8.self))
        }

        /// Signs in as `user` the way a person does: Bevaka → the provider's form → back to Bevaka.
        func signIn(_ setup: Setup, as user: String, returnTo: String = "/cases") async throws -> (Answer, setCookie: String) {
            let start = try await request("GET", setup.base + "/auth/login?return=" + returnTo)
            #expect(start.status == 302)
            let form = try await request("GET", try #require(start.headers["location"]))
            #expect(form.status == 200, "\(form.text)")
            let action = try #require(form.text.firstMatch(of: /<form method="post" action="([^"]+)"/)?.1)
            let token = try #require(form.text.firstMatch(of: /name="token" value="([^"]+)"/)?.1)
            let actionURL = action.hasPrefix("http") ? String(action) : setup.provider.issuer + action
            let login = try await request("POST", actionURL, body: "username=\(user)&token=\(token)", type: "application/x-www-form-urlencoded")
            #expect(login.status == 302, "\(login.text)")
            #expect(login.location.hasPrefix(setup.base + "/auth/callback?"))
            let back = try await request("GET", login.location)
            return (back, back.headers["set-cookie"] ?? "")
        }

        func csrf(_ setup: Setup) async throws -> String {
            try #require(try await request("GET", setup.base + "/auth/session").json["csrfToken"]?.string)
        }
    }

    /// Runs `bevaka ARGS` and returns what it printed.
    static func cli(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = KillRecoveryTests.binary
        process.arguments = try TestStores.commandLine(arguments)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static let referral = """
        {"workflow": "nationell-vardformedling", "owner": "anna", "fields": {"vardformedlingsId": "VF-1", "patientNamn": "Pia Patient",
         "personnummer": "19121212-1212", "vantarSedan": "2026-09-01", "blankettInkom": "2026-12-01"}}
        """

    @Test func aPersonSignsInActsWithTheirSessionAndLogsOut() async throws {
        let setup = try await Self.start()
        defer { setup.folder.cleanup() }
        let anna = Browser()
        let (back, setCookie) = try await anna.signIn(setup, as: "anna")
        #expect(back.status == 303)
        #expect(back.location == "/cases")
        // The session cookie: only its secret, and only over HTTPS, never to scripts, not sent on cross-site posts.
        #expect(setCookie.contains("__Host-bevaka_session="))
        for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] { #expect(setCookie.contains(attribute), "\(setCookie)") }
        let me = try await anna.request("GET", setup.base + "/auth/session")
        #expect(me.json["subject"]?.string == "anna")
        #expect(me.json["name"]?.string == "Anna Andersson")
        #expect(me.json["roles"] == .array([.string("handlaggare")]))

        // A change without the session's CSRF token is refused and changes nothing.
        let forged = try await anna.request("POST", setup.base + "/cases", body: Self.referral)
        #expect(forged.status == 403)
        #expect(forged.json["type"]?.string == "urn:bevaka:problem:csrf-token-missing")
        let wrong = try await anna.request("POST", setup.base + "/cases", body: Self.referral, headers: ["X-CSRF-Token": "guess"])
        #expect(wrong.status == 403)
        #expect(try await anna.request("GET", setup.base + "/cases").json["items"]?.array.isEmpty == true)

        let csrf = try await anna.csrf(setup)
        let opened = try await anna.request("POST", setup.base + "/cases", body: Self.referral, headers: ["X-CSRF-Token": csrf])
        #expect(opened.status == 201, "\(opened.text)")
        let id = try #require(opened.json["id"]?.string)
        #expect(opened.json["fields"]?["personnummer"]?.string == "19121212-1212")
        // History names the person, the provider's subject and the role they acted in.
        let history = try await anna.request("GET", setup.base + "/cases/\(id)/history")
        #expect(history.json["items"]?[0]?["actor"]?.string == "Anna Andersson (anna)")
        #expect(history.json["items"]?[0]?["role"]?.string == "handlaggare")
        // The actor headers cannot make her someone else.
        let claimed = try await anna.request("POST", setup.base + "/cases", body: Self.referral,
                                             headers: ["X-CSRF-Token": csrf, "Bevaka-Actor": "chefen"])
        #expect(claimed.status == 400)

        // Logging out (a form, with its token) ends the session on the server and sends her to the provider's logout.
        let cookie = try #require(anna.cookies["127.0.0.1:\(setup.port)"]?["__Host-bevaka_session"])
        let noToken = try await anna.request("POST", setup.base + "/auth/logout", body: "", type: "application/x-www-form-urlencoded")
        #expect(noToken.status == 403)
        let out = try await anna.request("POST", setup.base + "/auth/logout", body: "_csrf=\(csrf)", type: "application/x-www-form-urlencoded")
        #expect(out.status == 303)
        #expect(out.location.hasPrefix(setup.provider.issuer + "/logout?"), "\(out.location)")
        #expect(out.location.contains("id_token_hint="))
        #expect(try await anna.request("GET", setup.base + "/auth/session").status == 401)
        // The old cookie, kept by someone, opens nothing: the session is revoked on the server.
        let thief = Browser()
        thief.cookies["127.0.0.1:\(setup.port)"] = ["__Host-bevaka_session": cookie]
        #expect(try await thief.request("GET", setup.base + "/cases").status == 401)
        await setup.daemon.stop()
    }

    @Test func eachPersonSeesOnlyTheirCasesAndFieldsAndEveryReadIsLogged() async throws {
        let setup = try await Self.start()
        defer { setup.folder.cleanup() }
        let anna = Browser(), tea = Browser(), bo = Browser(), admin = Browser(), revisor = Browser()
        for (browser, user) in [(anna, "anna"), (tea, "tea"), (bo, "bo"), (admin, "admin"), (revisor, "revisor")] {
            #expect(try await browser.signIn(setup, as: user).0.status == 303)
        }
        let opened = try await anna.request("POST", setup.base + "/cases", body: Self.referral, headers: ["X-CSRF-Token": try await anna.csrf(setup)])
        let id = try #require(opened.json["id"]?.string)

        // A coordinator holds a role of the workflow: she sees the case, but not the patient.
        let seen = try await tea.request("GET", setup.base + "/cases/\(id)")
        #expect(seen.status == 200)
        #expect(seen.json["fields"]?["vardformedlingsId"]?.string == "VF-1")
        #expect(seen.json["fields"]?["personnummer"] == nil)
        #expect(seen.json["fields"]?["patientNamn"] == nil)
        #expect(seen.json["hiddenFields"] == .array([.string("kontaktuppgifter"), .string("patientNamn"), .string("personnummer")]))
        let teaHistory = try await tea.request("GET", setup.base + "/cases/\(id)/history")
        #expect(!teaHistory.text.contains("19121212-1212"), "the opening's payload must not show the personnummer")
        #expect(!(try await tea.request("GET", setup.base + "/cases").text.contains("19121212-1212")))
        // Someone with no part in it: the case does not exist for him, and lists leave it out.
        let hidden = try await bo.request("GET", setup.base + "/cases/\(id)")
        #expect(hidden.status == 404)
        #expect(try await bo.request("GET", setup.base + "/cases/\(id)/history").status == 404)
        #expect(try await bo.request("GET", setup.base + "/cases").json["items"]?.array.isEmpty == true)
        let boEvent = try await bo.request("POST", setup.base + "/cases/\(id)/events", body: #"{"event": "avsluta", "reason": "x"}"#,
                                           headers: ["X-CSRF-Token": try await bo.csrf(setup)])
        #expect(boEvent.status == 404)
        // Once the case names him (case.people, by his e-mail at the provider), he sees it, as one of its people;
        // the patient's details stay with the roles named for them.
        let naming = try await anna.request("POST", setup.base + "/cases/\(id)/events",
                                            body: #"{"event": "case.people", "payload": {"role": "teamledare", "people": [{"name": "Bo Berg", "email": "bo@bevaka.test"}]}}"#,
                                            headers: ["X-CSRF-Token": try await anna.csrf(setup)])
        #expect(naming.status == 200, "\(naming.text)")
        #expect(naming.json["people"]?["teamledare"]?[0]?["email"]?.string == "bo@bevaka.test")
        let named = try await bo.request("GET", setup.base + "/cases/\(id)")
        #expect(named.status == 200)
        #expect(named.json["fields"]?["personnummer"] == nil)
        #expect(try await bo.request("GET", setup.base + "/cases").json["items"]?.array.count == 1, "and lists it")
        // An admin sees every case, but a patient's details only with a role named for them.
        let adminView = try await admin.request("GET", setup.base + "/cases/\(id)")
        #expect(adminView.status == 200)
        #expect(adminView.json["fields"]?["personnummer"] == nil)
        #expect(try await anna.request("GET", setup.base + "/cases/\(id)").json["fields"]?["personnummer"]?.string == "19121212-1212")

        // The access log: every read of the case, by whom, in what role, from where; the auditor reads it, nobody else.
        #expect(try await anna.request("GET", setup.base + "/access-log").status == 403)
        #expect(try await admin.request("GET", setup.base + "/access-log").status == 403)
        let log = try await revisor.request("GET", setup.base + "/access-log?case=\(id)")
        #expect(log.status == 200, "\(log.text)")
        let items = try #require(log.json["items"]?.array)
        #expect(!items.isEmpty)
        func entries(_ subject: String) -> [JSONValue] { items.filter { $0["subject"]?.string == subject } }
        #expect(entries("anna").contains { $0["action"]?.string == "open" && $0["personalShown"] == .bool(true) })
        #expect(entries("anna").contains { $0["action"]?.string == "case" && $0["role"]?.string == "handlaggare" })
        #expect(entries("tea").contains { $0["action"]?.string == "case" && $0["personalShown"] == .bool(false) })
        #expect(entries("tea").contains { $0["action"]?.string == "history" })
        #expect(entries("tea").contains { $0["action"]?.string == "list" })
        #expect(entries("admin").count == 1)
        #expect(entries("bo").map { $0["personalShown"] } == [.bool(false), .bool(false)], "nothing before he was named, then the case and the list")
        #expect(items.allSatisfy { $0["client"]?.string == "127.0.0.1" })
        #expect(try await revisor.request("GET", setup.base + "/access-log?from=yesterday").status == 400)
        // A bound with microseconds counts to the millisecond; one from 1654 finds nothing before it.
        let fine = try await revisor.request("GET", setup.base + "/access-log?from=2026-01-01T00:00:00.123456Z")
        #expect(fine.status == 200 && fine.json["items"]?.array.count ?? 0 >= items.count)
        #expect(try await revisor.request("GET", setup.base + "/access-log?until=1654-05-28T07:13:39.18159Z").json["items"]?.array.isEmpty == true)

        // Append-only, whoever asks: even the database refuses to change or remove an entry.
        await #expect(throws: (any Error).self) { try await TestStores.execute("UPDATE access_log SET subject = 'nobody'", at: setup.database) }
        await #expect(throws: (any Error).self) { try await TestStores.execute("DELETE FROM access_log", at: setup.database) }
        #expect(try await TestStores.integer("SELECT count(*) FROM access_log WHERE subject = 'anna'", at: setup.database) ?? 0 > 0)
        await setup.daemon.stop()
    }

    @Test func aPersonWithSeveralRolesSaysWhichOneTheyActIn() async throws {
        let setup = try await Self.start()
        defer { setup.folder.cleanup() }
        let vera = Browser()
        _ = try await vera.signIn(setup, as: "vera")
        #expect(try await vera.request("GET", setup.base + "/auth/session").json["roles"]
                == .array([.string("beslutsfattare"), .string("handlaggare")]))
        let csrf = try await vera.csrf(setup)
        let unsaid = try await vera.request("POST", setup.base + "/cases", body: Self.referral, headers: ["X-CSRF-Token": csrf])
        #expect(unsaid.status == 403)
        #expect(unsaid.json["type"]?.string == "urn:bevaka:problem:role-needed")
        let notHeld = try await vera.request("POST", setup.base + "/cases", body: Self.referral,
                                             headers: ["X-CSRF-Token": csrf, "Bevaka-Role": "teamledare"])
        #expect(notHeld.status == 403)
        #expect(notHeld.json["type"]?.string == "urn:bevaka:problem:role-not-held")
        let wrongWorkflow = try await vera.request("POST", setup.base + "/cases", body: Self.referral,
                                                   headers: ["X-CSRF-Token": csrf, "Bevaka-Role": "beslutsfattare"])
        #expect(wrongWorkflow.status == 403)
        #expect(wrongWorkflow.json["type"]?.string == "urn:bevaka:problem:role-not-allowed")
        let opened = try await vera.request("POST", setup.base + "/cases", body: Self.referral,
                                            headers: ["X-CSRF-Token": csrf, "Bevaka-Role": "handlaggare"])
        #expect(opened.status == 201, "\(opened.text)")
        await setup.daemon.stop()
    }

    @Test func aForgedOrReplayedSignInIsRefusedAndRepeatedFailuresAreSlowedDown() async throws {
        let setup = try await Self.start()
        defer { setup.folder.cleanup() }
        // The provider's answer taken to another browser (login CSRF): its state is not that browser's.
        let victim = Browser()
        let start = try await victim.request("GET", setup.base + "/auth/login")
        let form = try await victim.request("GET", start.location)
        let token = try #require(form.text.firstMatch(of: /name="token" value="([^"]+)"/)?.1)
        let action = try #require(form.text.firstMatch(of: /<form method="post" action="([^"]+)"/)?.1)
        let login = try await victim.request("POST", action.hasPrefix("http") ? String(action) : setup.provider.issuer + action,
                                             body: "username=anna&token=\(token)", type: "application/x-www-form-urlencoded")
        let attacker = Browser()
        let stolen = try await attacker.request("GET", login.location)
        #expect(stolen.status == 400)
        #expect(stolen.json["type"]?.string == "urn:bevaka:problem:sign-in-state-mismatch")
        // The rightful browser signs in once; the same answer again is refused (state and code are good once).
        #expect(try await victim.request("GET", login.location).status == 303)
        let state = try #require(URLComponents(string: login.location)?.queryItems?.first { $0.name == "state" }?.value)
        victim.cookies["127.0.0.1:\(setup.port)"]?["__Host-bevaka_login"] = state
        let replayed = try await victim.request("GET", login.location)
        #expect(replayed.status == 400)
        // The provider says no: a clear refusal, no session.
        let refused = try await Browser().request("GET", setup.base + "/auth/callback?error=access_denied&state=x")
        #expect(refused.status == 400)
        #expect(refused.json["type"]?.string == "urn:bevaka:problem:sign-in-failed")
        // A return address on another site is not followed after signing in (no open redirect).
        let (away, _) = try await Browser().signIn(setup, as: "tea", returnTo: "//evil.example/")
        #expect(away.location == "/")
        // Guessing: after ten refused sign-ins from one address, it must wait.
        var last = 0
        for _ in 0..<12 { last = try await Browser().request("GET", setup.base + "/auth/callback?code=c&state=guess").status }
        #expect(last == 429)
        await setup.daemon.stop()
    }

    @Test func aSessionEndsWhenIdleTooLongOrPastItsLifetime() async throws {
        let setup = try await Self.start()
        defer { setup.folder.cleanup() }
        let anna = Browser(), tea = Browser()
        _ = try await anna.signIn(setup, as: "anna")
        _ = try await tea.signIn(setup, as: "tea")
        #expect(try await anna.request("GET", setup.base + "/cases").status == 200)
        let past = Int64((Date().timeIntervalSince1970 - 31 * 60) * 1000)
        try await TestStores.execute("UPDATE sessions SET last_seen_at = \(past) WHERE subject = 'anna'", at: setup.database)
        try await TestStores.execute("UPDATE sessions SET expires_at = \(past) WHERE subject = 'tea'", at: setup.database)
        let idle = try await anna.request("GET", setup.base + "/cases")
        #expect(idle.status == 401)
        #expect(idle.json["title"]?.string == "Signed out")
        #expect(try await tea.request("GET", setup.base + "/cases").status == 401)

        // An operator ends a person's sessions from the command line; the running daemon refuses them at once.
        let bo = Browser()
        _ = try await bo.signIn(setup, as: "bo")
        #expect(try await bo.request("GET", setup.base + "/cases").status == 200)
        let listed = try Self.cli(["session", "list", "--database", setup.database, "--workflows", Self.shippedWorkflows])
        #expect(listed.contains("bo\tBo Berg\tbeslutsfattare"), "\(listed)")
        #expect(!listed.contains("tea\t"), "a session past its lifetime is not live")
        #expect(try Self.cli(["session", "revoke", "--subject", "bo", "--database", setup.database,
                              "--workflows", Self.shippedWorkflows]).contains("ended 1 session"))
        #expect(try await bo.request("GET", setup.base + "/cases").status == 401)
        await setup.daemon.stop()
    }
}
