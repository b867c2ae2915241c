import BevakaCore
import Hummingbird

/// Answers only requests addressed to a name this daemon serves under.
///
/// A web page on any site can make a browser send requests to 127.0.0.1 by
/// pointing a name it controls at that address (DNS rebinding); the `Host`
/// header then carries that site's name. Checking it against the names the
/// operator serves under keeps such pages out.
struct HostCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: AllowedHosts

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority ?? ""
        guard allowed.admits(host) else {
            return try Problem(.misdirectedRequest, "host-not-allowed", "This server does not answer for that name",
                               detail: host.isEmpty ? "the request has no Host header"
                                   : "Host '\(host.prefix(100))' is not one of this server's names; add it to server.allowedHosts in bevaka.yaml")
                .response(from: request, context: context)
        }
        return try await next(request, context)
    }
}

/// The host names (and literal addresses) the API answers for; ports are not compared.
public struct AllowedHosts: Sendable, Equatable {
    /// Lower-cased names without port; nil admits any name (a wildcard bind without `server.allowedHosts`).
    public let names: Set<String>?

    public init(names: Set<String>?) {
        self.names = names.map { Set($0.map { $0.lowercased() }) }
    }

    /// The names for a daemon bound to `host`: the loopback names (a rebinding page
    /// never sends those: its requests carry its own name), the bound address and
    /// those configured. A wildcard bind (0.0.0.0, ::) without a configured list
    /// admits any name (the operator is told at start).
    public static func forBind(_ host: String, configured: [String]) -> AllowedHosts {
        let wildcard = host == "0.0.0.0" || host == "::"
        if wildcard && configured.isEmpty { return AllowedHosts(names: nil) }
        var names: Set<String> = ["localhost", "127.0.0.1", "[::1]"]
        if !wildcard { names.insert(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host) }
        return AllowedHosts(names: names.union(configured.map(Self.stripPort)))
    }

    func admits(_ authority: String) -> Bool {
        guard let names else { return true }
        return names.contains(Self.stripPort(authority).lowercased())
    }

    /// `name:port` → `name`; `[::1]:8080` → `[::1]`.
    static func stripPort(_ authority: String) -> String {
        if authority.hasPrefix("[") {
            return authority.firstIndex(of: "]").map { String(authority[...$0]) } ?? authority
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 ? String(parts[0]) : authority
    }
}
