import BevakaCore
import BevakaTestSupport
import Foundation
import Testing

/// The shipped nginx example (`systemd/nginx-bevaka.conf`) run for real: a real
/// nginx with that very file (only its ports, certificate paths, log folder and
/// upstream port changed) in front of a real daemon in `auth.mode: tokens`,
/// called with curl over TLS from several loopback addresses.
@Suite(.serialized) struct ReverseProxyTests {
    static let shippedFile = InstallTests.packageRoot + "/systemd/nginx-bevaka.conf"
    static let name = "bevaka.test"

    @Test func theShippedNginxExampleTerminatesTLSAndForwardsTheClientsAddress() async throws {
        let started = Date()
        guard let nginxBinary = Self.nginxBinary() else {
            Issue.record("nginx is not installed (looked on PATH, /usr/sbin, /usr/local/sbin): run `make test-peers`, which installs Debian's nginx")
            return
        }
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }

        // The daemon, as the example's comment says to configure it.
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder, after: "PT1H")
        let database = folder.path("proxy.sqlite")
        let created = try CommandLineTests.bevaka(["token", "create", "--name", "crm", "--role", "officer",
                                                   "--database", database, "--workflows", workflows.path])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try """
        server:
          host: 127.0.0.1
          allowedHosts: [\(Self.name)]
          trustedProxies: [127.0.0.1]
        auth: { mode: tokens }

        """.write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let daemonPort = KillRecoveryTests.freePort()
        let daemon = try KillRecoveryTests.Daemon(database: database, workflows: workflows.path, port: daemonPort,
                                                  config: folder.path("bevaka.yaml"))
        try await KillRecoveryTests.waitUntilUp(daemonPort)

        // nginx with the shipped file.
        let https = KillRecoveryTests.freePort(), http = KillRecoveryTests.freePort()
        let (certificate, key) = try Self.certificate(for: Self.name, in: folder)
        let site = try Self.shippedSite(https: https, http: http, certificate: certificate, key: key,
                                        accessLog: folder.path("access.log"), upstream: daemonPort)
        let nginx = try Nginx(binary: nginxBinary, site: site, folder: folder)
        defer { nginx.stop() }
        let curl = Curl(folder: folder, certificate: certificate, resolve: [https, http])
        let base = "https://\(Self.name):\(https)"
        try await nginx.waitUntilAnswering { try curl(["\(base)/healthz"]).code == 200 }

        // TLS: HTTP/2 answers through the proxy; HSTS; the daemon's own headers pass through.
        let health = try curl(["\(base)/healthz"])
        #expect(health.code == 200 && health.httpVersion == "2", "\(health)")
        #expect(health.body.contains(#""status":"ok""#))
        #expect(health.header("strict-transport-security") == "max-age=63072000")
        #expect(health.header("x-content-type-options") == "nosniff")
        #expect(health.header("content-security-policy") == "default-src 'none'; frame-ancestors 'none'")
        #expect(health.header("cache-control") == "no-store")
        #expect(health.header("server") == "nginx", "no version: server_tokens off")
        #expect(try curl(["--http1.1", "\(base)/healthz"]).code == 200)
        #expect(try curl(["--tlsv1.2", "--tls-max", "1.2", "\(base)/healthz"]).code == 200)
        #expect(try curl(["--tlsv1.3", "\(base)/healthz"]).code == 200)
        // TLS 1.1 is refused by the server (a protocol-version alert from nginx; the
        // client is allowed the old protocol and its SHA-1 handshake explicitly).
        let old = try curl(["--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0", "\(base)/healthz"])
        #expect(old.exit == 35 && old.stderr.contains("alert protocol version"), "\(old)")
        // TLS 1.2 without forward secrecy or with CBC: no shared suite.
        for cipher in ["AES128-SHA", "AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA"] {
            let weak = try curl(["--tlsv1.2", "--tls-max", "1.2", "--ciphers", cipher, "\(base)/healthz"])
            #expect(weak.exit == 35 && weak.stderr.contains("handshake failure"), "\(cipher): \(weak)")
        }

        // Plain HTTP: a permanent redirect to HTTPS, nothing proxied.
        let plain = try curl(["http://\(Self.name):\(http)/cases?x=1"])
        #expect(plain.code == 301, "\(plain)")
        #expect(plain.header("location") == "https://\(Self.name)/cases?x=1")

        // The name: the daemon refuses a Host it does not serve under (nginx passes it on).
        for version in ["--http1.1", "--http2"] {
            let misdirected = try curl([version, "-H", "Host: evil.example", "\(base)/healthz"])
            #expect(misdirected.code == 421, "\(version): \(misdirected)")
            #expect(misdirected.body.contains("urn:bevaka:problem:host-not-allowed"), "\(misdirected.body)")
            #expect(misdirected.header("strict-transport-security") == "max-age=63072000")
        }

        // A system's token and a write go through; bodies up to 1 MiB reach the
        // daemon (spooled to nginx's temporary folder), larger ones stop at nginx.
        let auth = ["-H", "Authorization: Bearer \(token)"]
        #expect(try curl(auth + ["\(base)/cases"]).code == 200)
        let open = #"{"workflow":"quick","owner":"o","fields":{"name":"a"}}"#
        let opened = try curl(auth + ["-H", "Content-Type: application/json", "--data-binary", open, "\(base)/cases"])
        #expect(opened.code == 201, "\(opened)")
        #expect(opened.header("location")?.hasPrefix("/cases/") == true)
        let padded = folder.path("padded.json"), tooBig = folder.path("too-big.json")
        try (open + String(repeating: " ", count: 600_000)).write(toFile: padded, atomically: true, encoding: .utf8)
        try (open + String(repeating: " ", count: 1_100_000)).write(toFile: tooBig, atomically: true, encoding: .utf8)
        let large = try curl(auth + ["-H", "Content-Type: application/json", "--data-binary", "@\(padded)", "\(base)/cases"])
        #expect(large.code == 201, "600 kB within the limit: \(large)")
        let refused = try curl(auth + ["-H", "Content-Type: application/json", "--data-binary", "@\(tooBig)", "\(base)/cases"])
        #expect(refused.code == 413, "\(refused)")
        #expect(refused.header("strict-transport-security") == "max-age=63072000", "HSTS on nginx's own pages too")

        // The client's address: nginx connects from 127.0.0.1 (a trusted proxy), so the daemon
        // counts refused tokens per forwarded client. Ten from 127.0.0.2, then it is held off…
        // (Each guess names another token id: the daemon may also count per token.)
        func guess(from address: String, _ n: Int, headers: [String] = []) throws -> CurlAnswer {
            let id = String((0..<12).map { _ in "abcdefghijkmnpqrstuvwxyz23456789".randomElement()! })
            return try curl(["--interface", address, "-H", "Authorization: Bearer bvk_\(id)_guess\(n)"] + headers + ["\(base)/cases"])
        }
        for n in 0..<10 {
            let answer = try guess(from: "127.0.0.2", n)
            #expect(answer.code == 401, "guess \(n): \(answer)")
        }
        let limited = try guess(from: "127.0.0.2", 10)
        #expect(limited.code == 429, "\(limited)")
        #expect(limited.body.contains("urn:bevaka:problem:too-many-attempts"))
        #expect(Int(limited.header("retry-after") ?? "") ?? 0 > 0)
        // …while another client is not: the daemon did not count the proxy's address.
        let other = try guess(from: "127.0.0.3", 11)
        #expect(other.code == 401, "127.0.0.3 must not share 127.0.0.2's count: \(other)")
        // A client writing its own X-Forwarded-For neither escapes its count (nginx appends
        // the real address, and the daemon stops at the last hop that is not a trusted proxy)…
        let forged = try guess(from: "127.0.0.2", 12, headers: ["-H", "X-Forwarded-For: 127.0.0.9"])
        #expect(forged.code == 429, "a forged X-Forwarded-For escaped the limit: \(forged)")
        // …nor is counted as the address it names.
        let framing = try guess(from: "127.0.0.4", 13, headers: ["-H", "X-Forwarded-For: 127.0.0.2"])
        #expect(framing.code == 401, "127.0.0.4 was taken for the 127.0.0.2 it wrote: \(framing)")
        #expect(try curl(["--interface", "127.0.0.2", "\(base)/healthz"]).code == 200, "the probes stay open")
        // …but the metrics are not for the internet: nginx refuses them (the daemon itself serves them on loopback).
        #expect(try curl(["--interface", "127.0.0.2", "\(base)/metrics"]).code == 403)
        #expect(try await ApiTokenTests.call(daemonPort, "GET", "/metrics", token: nil).0 == 200)
        // A path with an empty segment never reaches the daemon, whose router takes //deliveries
        // for /deliveries (past a check on the path's prefix); queries may hold "//".
        for path in ["//deliveries", "/cases//x", "//metrics"] {
            #expect(try curl(["--path-as-is", "\(base)\(path)"] + auth).code == 400, "\(path)")
        }
        #expect(try curl(auth + ["\(base)/cases?owner=https://x"]).code == 200)

        // The access log holds the client's address, never the token, cookies or the query.
        let secret = try curl(["-H", "Authorization: Bearer bvk_secretsecret_logme", "-H", "Cookie: bevaka_session=cookie-value-logme",
                               "\(base)/cases?owner=query-value-logme"])
        #expect(secret.code == 401)
        // …nor a calendar feed's secret, which is its address.
        let feed = try curl(["\(base)/calendar/feedsecret-logme-\(String(repeating: "x", count: 26)).ics"])
        #expect(feed.code == 404)
        // nginx writes a request's log line after its answer: wait for the last one.
        var log = ""
        for _ in 0..<100 {
            log = (try? String(contentsOfFile: folder.path("access.log"), encoding: .utf8)) ?? ""
            if log.contains("/calendar/") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(log.contains(#""GET /calendar/[secret].ics HTTP/2.0" 404"#), "\(log)")
        #expect(log.contains("127.0.0.2 [") && log.contains("127.0.0.3 ["), "\(log)")
        #expect(log.contains(#""GET /cases HTTP/2.0" 429"#), "\(log)")
        #expect(!log.contains("logme") && !log.contains("bvk_") && !log.contains(token), "\(log)")

        #expect(await daemon.stop() == 0)
        #expect(nginx.stop() == 0, "nginx: \(nginx.log)")
        print("ReverseProxyTests: \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    /// The bevaka.yaml lines the example documents are accepted by the daemon's loader as they are written.
    @Test func theConfigurationTheExampleDocumentsIsValid() throws {
        let text = try String(contentsOfFile: Self.shippedFile, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.contains("The matching lines of /etc/bevaka/bevaka.yaml") })
        let end = try #require(lines[start...].firstIndex { $0.hasPrefix("# Why each matters") })
        let yaml = lines[(start + 1)..<end].filter { $0.hasPrefix("#   ") }.map { String($0.dropFirst(4)) }.joined(separator: "\n")
        #expect(yaml.contains("trustedProxies: [127.0.0.1]") && yaml.contains("allowedHosts: [bevaka.region.se]")
                && yaml.contains("host: 127.0.0.1"), "\(yaml)")
        #expect(text.contains("server_name bevaka.region.se;") && text.contains("proxy_pass http://127.0.0.1:8080;"))
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try KillRecoveryTests.quickWorkflowFolder(in: folder)
        try yaml.write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let checked = try CommandLineTests.bevaka(["validate", "--config", folder.path("bevaka.yaml"), workflows.path])
        #expect(checked.status == 0, "\(yaml)\n\(checked.stdout)\(checked.stderr)")
    }

    // MARK: - The shipped file with the test's ports and paths

    struct SubstitutionFailed: Error, CustomStringConvertible { let description: String }

    /// The shipped file with only its listening ports, certificate paths, access log and
    /// upstream port replaced; each must be found exactly as many times as expected.
    static func shippedSite(https: Int, http: Int, certificate: String, key: String, accessLog: String, upstream: Int) throws -> String {
        var text = try String(contentsOfFile: shippedFile, encoding: .utf8)
        func replace(_ old: String, _ new: String, times: Int = 1) throws {
            let found = text.components(separatedBy: old).count - 1
            guard found == times else {
                throw SubstitutionFailed(description: "systemd/nginx-bevaka.conf holds '\(old)' \(found) times, ReverseProxyTests expects \(times): "
                                         + "update the test's substitutions together with the file")
            }
            text = text.replacingOccurrences(of: old, with: new)
        }
        try replace("listen 80;", "listen \(http);")
        try replace("listen 443 ssl http2;", "listen \(https) ssl http2;")
        // The file says to drop the IPv6 lines on a host without IPv6; so does the test.
        let ipv6 = !((try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8)) ?? "").isEmpty
        try replace("listen [::]:80;", ipv6 ? "listen [::]:\(http);" : "# (no IPv6 here)")
        try replace("listen [::]:443 ssl http2;", ipv6 ? "listen [::]:\(https) ssl http2;" : "# (no IPv6 here)")
        try replace("ssl_certificate     /etc/ssl/bevaka/fullchain.pem;", "ssl_certificate     \(certificate);")
        try replace("ssl_certificate_key /etc/ssl/bevaka/privkey.pem;", "ssl_certificate_key \(key);")
        try replace("access_log /var/log/nginx/bevaka.access.log bevaka;", "access_log \(accessLog) bevaka;", times: 2)
        try replace("proxy_pass http://127.0.0.1:8080;", "proxy_pass http://127.0.0.1:\(upstream);", times: 2)
        let directives = text.components(separatedBy: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        for leftover in ["127.0.0.1:8080", "/etc/ssl/", "/var/log/", "listen 80;", "listen 443 ", "[::]:80;", "[::]:443 "] {
            if let line = directives.first(where: { $0.contains(leftover) }) {
                throw SubstitutionFailed(description: "after the substitutions systemd/nginx-bevaka.conf still says '\(line)'")
            }
        }
        return text
    }

    /// A self-signed certificate for `name` (and its key), made with openssl.
    static func certificate(for name: String, in folder: TemporaryFolder) throws -> (String, String) {
        let certificate = folder.path("\(name).crt"), key = folder.path("\(name).key")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name)",
                             "-addext", "subjectAltName=DNS:\(name)", "-days", "1", "-keyout", key, "-out", certificate]
        process.standardOutput = FileHandle.nullDevice
        let log = folder.path("openssl.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SubstitutionFailed(description: "openssl req failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        return (certificate, key)
    }

    static func nginxBinary() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/nginx" } + ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// nginx in the foreground as whoever runs the tests: the shipped site inside a
    /// minimal main configuration whose pid file, error log and temporary folders
    /// are in the test's folder (what a non-root nginx needs).
    final class Nginx: @unchecked Sendable {
        let process = Process()
        let logPath: String
        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        init(binary: String, site: String, folder: TemporaryFolder) throws {
            let prefix = folder.path("nginx")
            for temp in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
                try FileManager.default.createDirectory(atPath: "\(prefix)/temp/\(temp)", withIntermediateDirectories: true)
            }
            try site.write(toFile: "\(prefix)/bevaka.conf", atomically: true, encoding: .utf8)
            // As root the workers run as nobody; nginx hands the temporary folders to them,
            // which they must be able to reach whatever the umask.
            for path in [folder.url.path, prefix] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
            try """
            worker_processes 1;
            events { worker_connections 128; }
            http {
                client_body_temp_path \(prefix)/temp/body;
                proxy_temp_path \(prefix)/temp/proxy;
                fastcgi_temp_path \(prefix)/temp/fastcgi;
                uwsgi_temp_path \(prefix)/temp/uwsgi;
                scgi_temp_path \(prefix)/temp/scgi;
                access_log off;
                include \(prefix)/bevaka.conf;
            }

            """.write(toFile: "\(prefix)/nginx.conf", atomically: true, encoding: .utf8)
            logPath = "\(prefix)/error.log"
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["-e", "stderr", "-p", prefix + "/", "-c", "\(prefix)/nginx.conf",
                                 "-g", "daemon off; pid \(prefix)/nginx.pid; error_log stderr;"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle(forWritingAtPath: logPath)
            try process.run()
        }

        func waitUntilAnswering(_ answers: () throws -> Bool) async throws {
            for _ in 0..<100 {
                guard process.isRunning else {
                    Issue.record("nginx exited (\(process.terminationStatus)) at start: \(log)")
                    throw SubstitutionFailed(description: "nginx did not start")
                }
                if try answers() { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("nginx did not answer within 10 s: \(log)")
            throw SubstitutionFailed(description: "nginx did not answer")
        }

        /// SIGTERM to the master (nginx unblocks its signals itself), which stops its
        /// workers; SIGKILL for the master and its children after 5 s.
        @discardableResult
        func stop() -> Int32? {
            guard process.isRunning else { return process.terminationStatus }
            process.terminate()
            for _ in 0..<100 where process.isRunning { usleep(50_000) }
            guard process.isRunning else { return process.terminationStatus }
            let pid = process.processIdentifier
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGKILL) }
            kill(pid, SIGKILL)
            process.waitUntilExit()
            return nil
        }
    }

    /// What curl got: its exit status, the status code, the HTTP version, headers (lowercased names) and body.
    struct CurlAnswer: CustomStringConvertible {
        let exit: Int32
        let code: Int
        let httpVersion: String
        let headers: [String: String]
        let body: String
        let stderr: String
        func header(_ name: String) -> String? { headers[name.lowercased()] }
        var description: String { "curl exit \(exit), HTTP/\(httpVersion) \(code) \(headers) \(body.prefix(300)) \(stderr)" }
    }

    /// curl trusting the test's certificate, with bevaka.test resolving to 127.0.0.1 on the given ports.
    struct Curl {
        let folder: TemporaryFolder
        let certificate: String
        let resolve: [Int]

        func callAsFunction(_ arguments: [String]) throws -> CurlAnswer {
            let id = UUID().uuidString
            let headers = folder.path("curl-\(id).headers"), body = folder.path("curl-\(id).body"), err = folder.path("curl-\(id).err")
            defer { for file in [headers, body, err] { try? FileManager.default.removeItem(atPath: file) } }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["curl", "-sS", "--max-time", "10", "--cacert", certificate]
                + resolve.flatMap { ["--resolve", "\(ReverseProxyTests.name):\($0):127.0.0.1"] }
                + ["-D", headers, "-o", body, "-w", "%{http_code} %{http_version}"] + arguments
            let out = Pipe()
            process.standardOutput = out
            _ = FileManager.default.createFile(atPath: err, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: err)
            try process.run()
            let written = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
            process.waitUntilExit()
            var fields: [String: String] = [:]
            for line in ((try? String(contentsOfFile: headers, encoding: .utf8)) ?? "").components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":"), !line.hasPrefix("HTTP/") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return CurlAnswer(exit: process.terminationStatus, code: written.first.flatMap { Int($0) } ?? 0,
                              httpVersion: written.count > 1 ? String(written[1]) : "",
                              headers: fields, body: (try? String(contentsOfFile: body, encoding: .utf8)) ?? "",
                              stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
        }
    }
}
