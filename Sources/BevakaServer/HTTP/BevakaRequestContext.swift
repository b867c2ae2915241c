import BevakaApplication
import BevakaStore
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core plus the client's address,
/// which the failed-sign-in limit counts by and the access log records.
public struct BevakaRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Who sent the request: the peer's address, or, when the peer is a trusted
    /// reverse proxy (`server.trustedProxies`), the address it says it forwarded for.
    public var clientAddress: String
    /// Who sends the request, once the authentication middleware has found out.
    public var principal: Principal?
    /// The browser session the request came with, if it came with one.
    public var session: StoredSession?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension BevakaRequestContext {
    /// Who asks (the authentication middleware put the principal here), or 401.
    func caller(writing request: Request? = nil) throws -> CaseService.Caller {
        guard let principal else {
            throw Problem(.unauthorized, "unauthorized", "Not signed in", detail: "sign in or send a bearer token")
        }
        if let request, principal.kind == .development, principal.actingRole?.isEmpty ?? true {
            _ = try RequestInput.actor(request)  // says which header is missing
        }
        return CaseService.Caller(principal, from: clientAddress)
    }
}
