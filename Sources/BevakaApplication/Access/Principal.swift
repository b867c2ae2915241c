import BevakaCore

/// Who is asking: a signed-in person, a system with a token, or, in development
/// mode only, whoever the request headers name. Everything it may do and see is
/// decided by ``AccessPolicy`` from this value alone.
public struct Principal: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Signed in at the region's identity provider (a browser session or a user's access token).
        case person
        /// A Bevaka API token or the provider's client-credentials token.
        case system
        /// `auth.mode: none`: the `Bevaka-Actor`/`Bevaka-Role` headers, trusted as sent, on loopback.
        case development
    }

    public let kind: Kind
    /// The provider's `sub`, `token:NAME`, or the development actor's name.
    public let subject: String
    /// The person's or system's name as shown in histories.
    public let name: String
    /// Every role held (mapped from the provider's groups, or the token's one role).
    public let roles: Set<String>
    /// The role this request acts in: one held, chosen with `Bevaka-Role`, or the only one held.
    public let actingRole: String?
    /// The names a case may use for this principal as its owner or one of its people.
    public let identifiers: Set<String>

    public init(kind: Kind, subject: String, name: String, roles: Set<String>, actingRole: String? = nil, identifiers: Set<String> = []) {
        self.kind = kind
        self.subject = subject
        self.name = name
        self.roles = roles
        self.actingRole = actingRole ?? (roles.count == 1 ? roles.first : nil)
        self.identifiers = identifiers.union([subject])
    }

    /// An operator at the server's command line (`bevaka case migrate`): an admin acting as `operator`.
    public static func `operator`(_ name: String) -> Principal {
        Principal(kind: .system, subject: name, name: name, roles: [AccessPolicy.adminRole], actingRole: "operator")
    }

    /// The same principal acting in another of its roles.
    public func acting(as role: String?) -> Principal {
        Principal(kind: kind, subject: subject, name: name, roles: roles, actingRole: role, identifiers: identifiers)
    }

    /// How histories record what this principal does: the name, the provider's subject, and the acting role.
    public var actor: Actor {
        Actor(name: name == subject ? name : "\(name) (\(subject))", role: actingRole ?? "")
    }

    public var isAdmin: Bool { roles.contains(AccessPolicy.adminRole) }
}
