import BevakaApplication
/// Who may reach the API and how they prove who they are: `auth` and the
/// access parts of `server` in bevaka.yaml.
public struct AccessSettings: Sendable, Equatable {
    /// How callers prove who they are (`auth.mode`); `none` only on loopback.
    public var mode: AuthenticationMode = .none
    /// The identity provider (`auth.oidc`), for `mode == .oidc`.
    public var oidc: OIDCSettings?
    /// Names the API answers for besides loopback (`server.allowedHosts`).
    public var allowedHosts: [String] = []
    /// Reverse proxies whose `X-Forwarded-For` is believed (`server.trustedProxies`).
    public var trustedProxies: [String] = []
    /// The follow-up team's roles (`auth.teamRoles`): they keep the register and see the traffic light.
    public var teamRoles: Set<String> = AccessPolicy.defaultTeamRoles

    public init(mode: AuthenticationMode = .none, oidc: OIDCSettings? = nil) {
        self.mode = mode
        self.oidc = oidc
    }
}
