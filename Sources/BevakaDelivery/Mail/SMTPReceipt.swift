/// What the server said when it took a message.
public struct SMTPReceipt: Sendable, Equatable {
    /// The reply to the end of DATA, normally 250.
    public let replyCode: Int
    /// The server's last reply line, e.g. `250 2.0.0 Ok: queued as 4Xb1`, for the log.
    public let reply: String
    /// The recipients the server accepted (all of them: one refusal fails the send).
    public let recipients: [String]
    /// The size of the message as rendered.
    public let size: Int
}
