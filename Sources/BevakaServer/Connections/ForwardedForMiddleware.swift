import HTTPTypes
import Hummingbird

/// Behind a reverse proxy every connection comes from the proxy, so the client's
/// address is the one the proxy appends to `X-Forwarded-For`. That header is
/// believed only from the proxies listed in `server.trustedProxies`, and only as
/// far back as the first address that is not itself a trusted proxy: anything a
/// client wrote into the header before it reached the proxy is not trusted.
struct ForwardedForMiddleware: RouterMiddleware {
    typealias Context = BevakaRequestContext
    let trusted: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = Self.client(peer: context.clientAddress, forwardedFor: request.headers[values: .xForwardedFor], trusted: trusted)
        return try await next(request, context)
    }

    /// Walks the chain from the nearest hop back while each hop is a trusted proxy.
    static func client(peer: String, forwardedFor values: [String], trusted: Set<String>) -> String {
        guard trusted.contains(peer) else { return peer }
        let hops = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard isAddress(hop) else { break }
            client = hop
            if !trusted.contains(hop) { break }
        }
        return client
    }

    /// An IPv4 or IPv6 address as written in the header (no port, no name).
    static func isAddress(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 45 && text.contains(where: { $0 == "." || $0 == ":" })
            && text.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
