import Foundation

/// One email, rendered as an RFC 5322 message with MIME (RFC 2045–2047) bodies.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    /// The text/plain body.
    public var text: String
    /// With an HTML body the message is multipart/alternative (text first).
    public var html: String?
    public var date: Date
    /// Without angle brackets, e.g. `outbox-42.1@bevaka.example`.
    public var messageID: String
    /// More header fields, e.g. `("Auto-Submitted", "auto-generated")`. A field
    /// whose name is not a valid field name, or that would duplicate one the
    /// message writes itself (Date, From, To, Subject, Message-ID, MIME and
    /// Content-* fields), is left out.
    public var extraHeaders: [(String, String)]

    public init(from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil,
                date: Date = Date(), messageID: String, extraHeaders: [(String, String)] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID
        self.extraHeaders = extraHeaders
    }

    static let ownHeaders: Set<String> = ["date", "from", "to", "cc", "bcc", "subject", "message-id", "mime-version",
                                          "content-type", "content-transfer-encoding", "sender", "reply-to"]

    /// Whether `name` is an RFC 5322 field name (printable ASCII except `:`).
    public static func isValidHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.value >= 33 && $0.value <= 126 && $0 != ":" }
    }

    /// The message as sent in SMTP DATA: 7-bit ASCII, CRLF line ends, no dot-stuffing.
    public func rendered() -> [UInt8] {
        var headers: [String] = [
            "Date: " + MailEncoding.date(date),
            MailEncoding.header("From", MailEncoding.mailboxes([from], headerName: "From")),
            MailEncoding.header("To", MailEncoding.mailboxes(to, headerName: "To")),
            MailEncoding.header("Subject", MailEncoding.unstructured(subject, headerName: "Subject")),
            "Message-ID: <\(MailEncoding.messageID(messageID))>",
            "MIME-Version: 1.0",
        ]
        for (name, value) in extraHeaders
        where Self.isValidHeaderName(name) && !Self.ownHeaders.contains(name.lowercased()) {
            headers.append(MailEncoding.header(name, MailEncoding.unstructured(value, headerName: name)))
        }
        let textPart = MailEncoding.quotedPrintable(text)
        var message: String
        if let html {
            let boundary = MailEncoding.boundary()
            headers.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
            message = headers.joined(separator: "\r\n") + "\r\n\r\n"
                + "This is a MIME message with text and HTML versions.\r\n"
                + "\r\n--\(boundary)\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + textPart
                + "\r\n--\(boundary)\r\n"
                + "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + MailEncoding.quotedPrintable(html)
                + "\r\n--\(boundary)--\r\n"
        } else {
            headers.append("Content-Type: text/plain; charset=UTF-8")
            headers.append("Content-Transfer-Encoding: quoted-printable")
            message = headers.joined(separator: "\r\n") + "\r\n\r\n" + textPart
            if !message.hasSuffix("\r\n") { message += "\r\n" }
        }
        return Array(message.utf8)
    }
}
