/// Where and how to hand mail to an SMTP server.
public struct SMTPSettings: Sendable, CustomStringConvertible {
    public enum Security: String, Sendable {
        /// `smtp://` URL, STARTTLS required: a server that does not offer it
        /// gets nothing (CURLUSESSL_ALL). The default.
        case startTLS
        /// `smtps://` URL, TLS from the first byte (usually port 465).
        case implicitTLS
        /// `smtp://` URL in clear text: only for a local relay, configured explicitly.
        case none
    }

    /// `smtp://host:port` or `smtps://host:port` (no path: `heloName` gives that).
    public var url: String
    public var security: Security
    public var username: String?
    /// Never printed (see `description`).
    public var password: String?
    /// A PEM CA bundle to verify the server with instead of the system's
    /// (a private CA or a self-signed test server).
    public var caFile: String?
    /// For the whole conversation with the server, connecting included.
    public var timeout: Duration
    /// The name to send in EHLO; libcurl's default is this host's name.
    public var heloName: String?

    public init(url: String, security: Security = .startTLS, username: String? = nil, password: String? = nil,
                caFile: String? = nil, timeout: Duration = .seconds(30), heloName: String? = nil) {
        self.url = url
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.timeout = timeout
        self.heloName = heloName
    }

    public var description: String {
        var parts = ["url: \(url)", "security: \(security.rawValue)"]
        if let username { parts.append("username: \(username)") }
        if password != nil { parts.append("password: <hidden>") }
        if let caFile { parts.append("caFile: \(caFile)") }
        parts.append("timeout: \(timeout)")
        if let heloName { parts.append("heloName: \(heloName)") }
        return "SMTPSettings(\(parts.joined(separator: ", ")))"
    }
}

extension SMTPSettings: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String { description }
    /// `dump()` and the debugger show `description` too, not the stored password.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
