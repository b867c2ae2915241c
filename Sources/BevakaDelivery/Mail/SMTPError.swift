import CBevakaCurl

/// Why a message was not handed over.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libcurl's code, e.g. 7 (could not connect), 28 (timed out), 55 (a command
    /// was refused), 64 (TLS required but not available), 67 (login denied);
    /// 43 for an unusable address or setting found before talking to the server.
    public let curlCode: Int
    /// libcurl's own explanation, e.g. `RCPT failed: 550`.
    public let message: String
    /// The last SMTP reply code (CURLINFO_RESPONSE_CODE), 0 if none arrived.
    public let replyCode: Int
    /// The server's last reply line, if any.
    public let reply: String?
    /// Retrying will not help: the server refused for good (a 5xx reply,
    /// login denied) or an address is unusable. Connection trouble, timeouts,
    /// TLS trouble and 4xx replies are temporary.
    public let isPermanent: Bool

    public init(curlCode: Int, message: String, replyCode: Int = 0, reply: String? = nil, isPermanent: Bool? = nil) {
        self.curlCode = curlCode
        self.message = message
        self.replyCode = replyCode
        self.reply = reply
        self.isPermanent = isPermanent
            ?? ((500...599).contains(replyCode) || curlCode == Int(CURLE_LOGIN_DENIED.rawValue))
    }

    public var isTimeout: Bool { curlCode == Int(CURLE_OPERATION_TIMEDOUT.rawValue) }

    public var description: String {
        var text = "SMTP \(isPermanent ? "permanent" : "temporary") failure: curl error \(curlCode): \(message)"
        if let reply, !reply.isEmpty { text += " (server: \(reply))" } else if replyCode != 0 { text += " (reply \(replyCode))" }
        return text
    }
}
