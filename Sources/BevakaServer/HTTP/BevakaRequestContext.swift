import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core plus the client's address,
/// which the failed-sign-in limit counts by.
public struct BevakaRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
