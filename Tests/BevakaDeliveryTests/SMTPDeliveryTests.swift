import BevakaDelivery
import BevakaTestSupport
import Foundation
import Testing

let swedishSubject = "Påminnelse: handlingsplan för Vårdcentralen Åby öppnar – ÅÄÖ åäö"
/// Long lines (soft breaks), a line starting with ".", a line that is only ".",
/// trailing spaces, "=" signs and a "From " line.
let swedishBody = """
    Hej!

    Handlingsplanen för Vårdcentralen Åby ska vara klar före öppningen. Ärendet gäller rutiner för läkemedelshantering, hygien och journalföring – läs igenom och återkoppla senast fredag.
    .rad som börjar med punkt: ändå kvar
    .
    Raden ovan är bara en punkt; efter den följer mer text, så SMTP:s slutmarkering får inte uppstå.
    Avgift = 0 kr, rabatt =50%.\u{20}\u{20}
    From Åsa: tack!
    Med vänliga hälsningar
    Bevaka

    """
let sentDate = Date(timeIntervalSince1970: 1_782_028_800)  // Sun, 21 Jun 2026 08:00:00 +0000

func swedishMessage(id: String = "outbox-42.1@bevaka.example", html: String? = nil) throws -> MailMessage {
    MailMessage(from: try MailAddress(parsing: "Bevaka Åby <noreply@bevaka.example>"),
                to: [try MailAddress(address: "asa@vardcentralen.example", name: "Åsa Öberg"),
                     try MailAddress(parsing: "team@vardcentralen.example")],
                subject: swedishSubject, text: swedishBody, html: html, date: sentDate, messageID: id,
                extraHeaders: [("Auto-Submitted", "auto-generated")])
}

/// Rendering without a server.
@Suite struct MailRenderingTests {
    @Test func theDateIsRFC5322WithEnglishNamesAndANumericZone() throws {
        let (headers, _) = split(try swedishMessage().rendered())
        #expect(headers.hasPrefix("Date: Sun, 21 Jun 2026 08:00:00 +0000\r\n"))
        #expect(headers.contains("\r\nMessage-ID: <outbox-42.1@bevaka.example>\r\n"))
        #expect(headers.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(headers.contains("\r\nAuto-Submitted: auto-generated\r\n"))
    }

    @Test func encodedWordsAreShortAndNeverSplitACharacter() throws {
        let subject = swedishSubject + " – 👨‍👩‍👧‍👦 ÅÄÖ åäö " + String(repeating: "ö", count: 40)
        var message = try swedishMessage()
        message.subject = subject
        let rendered = message.rendered()
        #expect(rendered.allSatisfy { $0 < 0x80 })
        let (headers, _) = split(rendered)
        for line in headers.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76, "\(line)") }
        let subjectLines = headers.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }
            .prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        let words = subjectLines.joined(separator: " ").split(separator: " ").filter { $0.hasPrefix("=?") }
        #expect(words.count > 2)
        var decoded = ""
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let data = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            // Each word is valid UTF-8 on its own.
            let text = try #require(String(data: data, encoding: .utf8), "\(word) splits a character")
            decoded += text
        }
        #expect(decoded == subject)
        // The family emoji (one grapheme) sits whole in one word.
        #expect(words.contains { word in
            String(data: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, encoding: .utf8)!.contains("👨‍👩‍👧‍👦")
        })
    }

    @Test func displayNamesAreQuotedOrEncoded() throws {
        var message = try swedishMessage()
        message.to = [try MailAddress(parsing: "\"Berg, Anna \\\"AB\\\"\" <anna@example.com>"), try MailAddress(parsing: "Plain Name <p@example.com>")]
        #expect(message.to[0].name == "Berg, Anna \"AB\"")
        let fields = unfoldedHeaders(split(message.rendered()).headers)
        #expect(fields.first { $0.0 == "To" }?.1 == #""Berg, Anna \"AB\"" <anna@example.com>, Plain Name <p@example.com>"#)
        #expect(fields.first { $0.0 == "From" }?.1 == "=?UTF-8?B?QmV2YWthIMOFYnk=?= <noreply@bevaka.example>")
    }

    @Test func quotedPrintableLinesAreShortAndDecodeBack() throws {
        let body = swedishBody + String(repeating: "åäö ÅÄÖ = lång rad utan slut ", count: 20) + "\n\tslut med tabb\t\n"
        var message = try swedishMessage()
        message.text = body
        let (headers, encoded) = split(message.rendered())
        #expect(headers.contains("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable"))
        let lines = encoded.components(separatedBy: "\r\n")
        for line in lines {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "trailing whitespace: \(line)")
            #expect(line.unicodeScalars.allSatisfy { $0.value < 0x80 })
        }
        #expect(lines.contains { $0.hasSuffix("=") }, "soft line breaks")
        #expect(!encoded.contains("\n") || !encoded.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
        #expect(encoded.contains("rabatt =3D50%. =20\r\n"), "only the last space is trailing")
        #expect(encoded.contains("\r\n=46rom =C3=85sa: tack!\r\n"))
        #expect(encoded.contains("\r\n.\r\n"), "the lone dot is left to libcurl's dot-stuffing")
        #expect(decodeQuotedPrintable(encoded) == body.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func headerValuesCannotStartNewHeaders() throws {
        var message = try swedishMessage()
        message.subject = "Hej\r\nBcc: x@y"
        message.extraHeaders = [("X-Note", "a\nBcc: z@y"), ("Bad Name", "v"), ("Evil:Name", "v"), ("Subject", "second"),
                                ("X-Trace", "1\r\n\r\nbody?")]
        message.messageID = "id@x>\r\nBcc: w@y"
        let (headers, _) = split(message.rendered())
        let fields = unfoldedHeaders(headers)
        #expect(!fields.contains { $0.0.lowercased() == "bcc" }, "\(headers)")
        #expect(fields.first { $0.0 == "Subject" }?.1 == "Hej  Bcc: x@y")
        #expect(fields.filter { $0.0 == "Subject" }.count == 1)
        #expect(fields.first { $0.0 == "X-Note" }?.1 == "a Bcc: z@y")
        #expect(fields.first { $0.0 == "X-Trace" }?.1 == "1    body?")
        #expect(!fields.contains { $0.0 == "Bad Name" || $0.0 == "Evil" })
        #expect(fields.first { $0.0 == "Message-ID" }?.1 == "<id@xBcc:w@y>")
        // Every line of the header section is a field or a continuation.
        for line in headers.components(separatedBy: "\r\n") {
            #expect(line.hasPrefix(" ") || line.contains(":"), "\(line)")
        }
    }

    @Test func badAddressesAreRefusedWithTheReason() throws {
        #expect(throws: MailAddressError.missingAt) { try MailAddress(parsing: "nobody.example") }
        #expect(throws: MailAddressError.moreThanOneAt) { try MailAddress(parsing: "a@b@c") }
        #expect(throws: MailAddressError.emptyLocalPart) { try MailAddress(parsing: "@b.example") }
        #expect(throws: MailAddressError.emptyDomain) { try MailAddress(parsing: "Name <a@>") }
        #expect(throws: MailAddressError.lineBreak) { try MailAddress(parsing: "a@b.example\r\nRCPT TO:<x@y>") }
        #expect(throws: MailAddressError.lineBreak) { try MailAddress(address: "a@b.example", name: "Evil\nBcc: x@y") }
        #expect(throws: MailAddressError.empty) { try MailAddress(parsing: "  ") }
        #expect(throws: MailAddressError.unbalancedAngleBrackets) { try MailAddress(parsing: "Name <a@b.example") }
        #expect(throws: MailAddressError.invalidCharacter(" ")) { try MailAddress(address: "a b@c.example") }
        #expect(throws: MailAddressError.invalidCharacter("å")) { try MailAddress(address: "åsa@c.example") }
        #expect(throws: MailAddressError.invalidCharacter(">")) { try MailAddress(address: "a>@c.example") }
        #expect(try MailAddress(parsing: " Åsa Öberg <asa@example.com> ") == MailAddress(address: "asa@example.com", name: "Åsa Öberg"))
        #expect(try MailAddress(parsing: "<asa@example.com>") == MailAddress(address: "asa@example.com"))
        #expect(try MailAddress(parsing: "asa@example.com").name == nil)
    }

    @Test func settingsNeverPrintThePassword() {
        let settings = SMTPSettings(url: "smtp://mail.example:587", username: "bevaka", password: "hemligt-lösen")
        #expect(settings.security == .startTLS)
        #expect(settings.timeout == .seconds(30))
        for text in [settings.description, String(describing: settings), String(reflecting: settings), "\(settings)"] {
            #expect(!text.contains("hemligt"), "\(text)")
            #expect(text.contains("password: <hidden>"))
        }
        var dumped = ""
        dump(settings, to: &dumped)
        #expect(!dumped.contains("hemligt"), "\(dumped)")
    }

    @Test func settingsThatDoNotMatchTheURLAndBadEnvelopesFailBeforeConnecting() throws {
        let message = try swedishMessage()
        let wrongScheme = CurlSMTPClient(settings: SMTPSettings(url: "smtps://127.0.0.1:1", security: .startTLS))
        guard case .failure(let scheme) = wrongScheme.send(message, envelopeFrom: "a@b.example", recipients: ["c@d.example"]) else {
            Issue.record("sent with a mismatched scheme")
            return
        }
        #expect(scheme.curlCode == 43 && !scheme.isPermanent && scheme.description.contains("smtp://"), "\(scheme)")
        let client = CurlSMTPClient(settings: SMTPSettings(url: "smtp://127.0.0.1:1", security: .none))
        guard case .failure(let injected) = client.send(message, envelopeFrom: "a@b.example", recipients: ["c@d.example>\r\nDATA"]) else {
            Issue.record("sent to an address with CRLF")
            return
        }
        #expect(injected.isPermanent && injected.curlCode == 43, "\(injected)")
        guard case .failure(let none) = client.send(message, envelopeFrom: "a@b.example", recipients: []) else {
            Issue.record("sent to nobody")
            return
        }
        #expect(none.isPermanent)
    }
}

/// libcurl against a real SMTP server (aiosmtpd) on loopback.
@Suite(.serialized) struct SMTPDeliveryTests {
    func plainClient(_ sink: SMTPSink, username: String? = nil, password: String? = nil) -> CurlSMTPClient {
        CurlSMTPClient(settings: SMTPSettings(url: sink.url, security: .none, username: username, password: password,
                                              timeout: .seconds(15), heloName: "bevaka.example"))
    }

    @Test func aSwedishMessageArrivesIntact() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let sink = try SMTPSink(folder: folder.path("sink"))
        let client = plainClient(sink)
        let recipients = ["asa@vardcentralen.example", "team@vardcentralen.example", "hidden-bcc@bevaka.example"]
        let receipt = try client.send(try swedishMessage(), envelopeFrom: "bounces@bevaka.example", recipients: recipients).get()
        #expect(receipt.replyCode == 250)
        #expect(receipt.reply.contains("Message accepted"), "\(receipt.reply)")
        let messages = sink.messages
        try #require(messages.count == 1)
        let seen = messages[0]
        #expect(seen["defects"] as? [String] == [])
        #expect(seen["subject"] as? String == swedishSubject)
        #expect((seen["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == swedishBody)
        #expect(seen["html"] is NSNull)
        #expect(seen["content_type"] as? String == "text/plain")
        #expect(seen["message_id"] as? String == "<outbox-42.1@bevaka.example>")
        #expect(seen["date"] as? String == "Sun, 21 Jun 2026 08:00:00 +0000")
        #expect(seen["date_epoch"] as? Double == sentDate.timeIntervalSince1970)
        #expect(seen["from"] as? String == "Bevaka Åby <noreply@bevaka.example>")
        #expect(seen["to"] as? String == "Åsa Öberg <asa@vardcentralen.example>, team@vardcentralen.example")
        #expect(seen["mail_from"] as? String == "bounces@bevaka.example")
        #expect(seen["rcpt_tos"] as? [String] == recipients)
        #expect((seen["headers"] as? [[String]])?.contains(["Auto-Submitted", "auto-generated"]) == true)
        #expect((seen["headers"] as? [[String]])?.contains { $0.first?.lowercased() == "bcc" } == false)
        let raw = try #require(seen["raw"] as? String)
        #expect(raw.contains("=\r\n"), "soft line breaks were needed")
        // libcurl dot-stuffed these on the wire and aiosmtpd removed the stuffing again.
        #expect(raw.contains("\r\n.rad som b=C3=B6rjar med punkt: =C3=A4nd=C3=A5 kvar\r\n.\r\nRaden ovan"))
        #expect(seen["tls"] as? Bool == false)
    }

    @Test func textAndHTMLArriveAsMultipartAlternativeOverTheSameConnection() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let sink = try SMTPSink(folder: folder.path("sink"))
        let client = plainClient(sink)
        let html = "<!DOCTYPE html>\n<html><body><h1>Påminnelse</h1>\n<p style=\"color: #333\">Handlingsplan för "
            + "<b>Vårdcentralen Åby</b> – öppnar snart. " + String(repeating: "Ännu en lång mening på svenska. ", count: 6)
            + "</p>\n.<p>punkt först</p>\n</body></html>\n"
        _ = try client.send(try swedishMessage(id: "outbox-1.1@bevaka.example"), envelopeFrom: "b@bevaka.example",
                            recipients: ["asa@vardcentralen.example"]).get()
        _ = try client.send(try swedishMessage(id: "outbox-2.1@bevaka.example", html: html), envelopeFrom: "b@bevaka.example",
                            recipients: ["asa@vardcentralen.example"]).get()
        let messages = sink.messages
        try #require(messages.count == 2)
        let seen = messages[1]
        #expect(seen["content_type"] as? String == "multipart/alternative")
        #expect(seen["defects"] as? [String] == [])
        #expect(seen["subject"] as? String == swedishSubject)
        #expect(seen["message_id"] as? String == "<outbox-2.1@bevaka.example>")
        #expect((seen["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == swedishBody)
        #expect((seen["html"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == html)
        let raw = try #require(seen["raw"] as? String)
        let plain = try #require(raw.range(of: "Content-Type: text/plain; charset=UTF-8"))
        let rich = try #require(raw.range(of: "Content-Type: text/html; charset=UTF-8"))
        #expect(plain.lowerBound < rich.lowerBound, "text part first")
        // The reused handle kept the connection open: same client port.
        #expect(messages[0]["peer_port"] as? Int == seen["peer_port"] as? Int)
    }

    @Test func startTLSIsRequiredUnlessSecurityIsNone() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let sink = try SMTPSink(folder: folder.path("sink"))  // no STARTTLS on offer
        let message = try swedishMessage()
        let strict = CurlSMTPClient(settings: SMTPSettings(url: sink.url, timeout: .seconds(15)))
        guard case .failure(let error) = strict.send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]) else {
            Issue.record("sent in clear text although STARTTLS is required")
            return
        }
        #expect(error.curlCode == 64, "\(error)")  // CURLE_USE_SSL_FAILED
        #expect(error.description.contains("STARTTLS"), "\(error)")
        #expect(!error.isPermanent)
        #expect(sink.messages.isEmpty)
        // Explicitly clear text: delivered.
        _ = try plainClient(sink).send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]).get()
        #expect(sink.messages.count == 1)
    }

    @Test func startTLSWithAPrivateCAAndAuthentication() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (certificate, key) = try selfSignedCertificate(in: folder)
        let sink = try SMTPSink(folder: folder.path("sink"), arguments: ["--starttls", certificate, key, "--auth", "bevaka:hemligt"])
        let message = try swedishMessage()
        // Without the CA the certificate does not verify.
        let unverified = CurlSMTPClient(settings: SMTPSettings(url: sink.url, username: "bevaka", password: "hemligt", timeout: .seconds(15)))
        guard case .failure(let error) = unverified.send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]) else {
            Issue.record("accepted a self-signed certificate")
            return
        }
        #expect(error.curlCode == 60, "\(error)")  // CURLE_PEER_FAILED_VERIFICATION
        #expect(!error.isPermanent)
        // Not even for a clear-text server that demands STARTTLS.
        let clear = CurlSMTPClient(settings: SMTPSettings(url: sink.url, security: .none, timeout: .seconds(15)))
        guard case .failure(let refused) = clear.send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]) else {
            Issue.record("the server took mail without STARTTLS")
            return
        }
        #expect(refused.replyCode == 530, "\(refused)")
        let client = CurlSMTPClient(settings: SMTPSettings(url: sink.url, username: "bevaka", password: "hemligt",
                                                           caFile: certificate, timeout: .seconds(15)))
        let receipt = try client.send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]).get()
        #expect(receipt.replyCode == 250)
        let messages = sink.messages
        try #require(messages.count == 1)
        #expect(messages[0]["tls"] as? Bool == true)
        #expect(messages[0]["authenticated"] as? Bool == true)
        #expect(messages[0]["subject"] as? String == swedishSubject)
    }

    @Test func theRightPasswordDeliversAndAWrongOneFailsPermanently() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let sink = try SMTPSink(folder: folder.path("sink"), arguments: ["--auth", "bevaka:hemligt"])
        let message = try swedishMessage()
        guard case .failure(let denied) = plainClient(sink, username: "bevaka", password: "fel")
            .send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]) else {
            Issue.record("a wrong password was accepted")
            return
        }
        #expect(denied.curlCode == 67, "\(denied)")  // CURLE_LOGIN_DENIED
        #expect(denied.replyCode == 535, "\(denied)")
        #expect(denied.isPermanent)
        #expect(!denied.description.contains("fel"))
        #expect(sink.messages.isEmpty)
        // No credentials at all: the server refuses MAIL FROM with 530.
        guard case .failure(let anonymous) = plainClient(sink).send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]) else {
            Issue.record("delivered without authentication")
            return
        }
        #expect(anonymous.replyCode == 530, "\(anonymous)")
        _ = try plainClient(sink, username: "bevaka", password: "hemligt")
            .send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]).get()
        let messages = sink.messages
        #expect(messages.count == 1)
        #expect(messages.first?["authenticated"] as? Bool == true)
    }

    @Test func aServerThatIsDownIsATemporaryFailureAndTheSameClientSendsOnceItIsUp() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        // Learn a free port from a sink, then stop it.
        let first = try SMTPSink(folder: folder.path("first"))
        let port = first.port
        first.stop()
        let client = CurlSMTPClient(settings: SMTPSettings(url: "smtp://127.0.0.1:\(port)", security: .none, timeout: .seconds(10)))
        let message = try swedishMessage()
        guard case .failure(let down) = client.send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]) else {
            Issue.record("sent to nothing")
            return
        }
        #expect(down.curlCode == 7, "\(down)")  // CURLE_COULDNT_CONNECT
        #expect(down.replyCode == 0)
        #expect(!down.isPermanent)
        let sink = try SMTPSink(folder: folder.path("sink"), port: port)
        #expect(sink.port == port)
        let receipt = try client.send(message, envelopeFrom: "b@bevaka.example", recipients: ["a@c.example"]).get()
        #expect(receipt.replyCode == 250)
        #expect(sink.messages.count == 1)
    }

    @Test func aRejectedRecipientIsPermanentAndNothingIsSent() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let sink = try SMTPSink(folder: folder.path("sink"), arguments: ["--reject-rcpt", "nobody@vardcentralen.example"])
        let client = plainClient(sink)
        guard case .failure(let error) = client.send(try swedishMessage(), envelopeFrom: "b@bevaka.example",
                                                     recipients: ["asa@vardcentralen.example", "nobody@vardcentralen.example"]) else {
            Issue.record("a rejected recipient went through")
            return
        }
        #expect(error.replyCode == 550, "\(error)")
        #expect(error.isPermanent)
        #expect(error.reply?.contains("mailbox unknown") == true, "\(error)")
        #expect(sink.messages.isEmpty)
        // The next message on the same handle is fine.
        _ = try client.send(try swedishMessage(), envelopeFrom: "b@bevaka.example", recipients: ["asa@vardcentralen.example"]).get()
        #expect(sink.messages.count == 1)
    }
}
