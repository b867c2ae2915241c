import CBevakaCurl

/// Sends mail over SMTP through one libcurl easy handle, reused between
/// messages (so is an open, authenticated connection). Blocks the calling
/// thread. Not thread-safe: one client per delivery worker.
public final class CurlSMTPClient {
    public let settings: SMTPSettings

    private let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER: libcurl's detailed message for a failure.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    public init(settings: SMTPSettings) {
        CurlSMTPClient.initializeLibrary
        self.settings = settings
        handle = curl_easy_init()
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)  // says QUIT on a connection still open
        errorBuffer.deallocate()
    }

    /// libcurl's global setup, done once per process before any handle exists.
    private static let initializeLibrary: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    private static let invalid = Int(CURLE_BAD_FUNCTION_ARGUMENT.rawValue)

    /// Sends `message` to `recipients` (the SMTP envelope; Bcc is just a
    /// recipient missing from the headers). `envelopeFrom` is where bounces
    /// go; empty means the null sender `<>`. Fails as a whole if the server
    /// refuses any recipient.
    public func send(_ message: MailMessage, envelopeFrom: String, recipients: [String]) -> Result<SMTPReceipt, SMTPError> {
        // Addresses go into SMTP commands: validate them so none can carry a CRLF.
        do {
            if !envelopeFrom.isEmpty { try MailAddress.validate(envelopeFrom) }
            for recipient in recipients { try MailAddress.validate(recipient) }
        } catch {
            return .failure(SMTPError(curlCode: Self.invalid, message: "bad envelope address: \(error)", isPermanent: true))
        }
        guard !recipients.isEmpty else {
            return .failure(SMTPError(curlCode: Self.invalid, message: "no recipients", isPermanent: true))
        }
        let url: String
        switch prepareURL() {
        case .success(let value): url = value
        case .failure(let error): return .failure(error)
        }

        curl_easy_reset(handle)  // forget the last message's options, keep the connection
        errorBuffer[0] = 0
        let upload = Upload(bytes: message.rendered())
        let context = Unmanaged.passUnretained(upload).toOpaque()
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { list = curl_slist_append(list, "<\(recipient)>") }
        defer { curl_slist_free_all(list) }

        let milliseconds = Int(settings.timeout.components.seconds * 1000
            + settings.timeout.components.attoseconds / 1_000_000_000_000_000)
        let useSSL = settings.security == .none ? CURLUSESSL_NONE : CURLUSESSL_ALL
        var code = bevaka_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        code = code == CURLE_OK ? bevaka_curl_set_string(handle, CURLOPT_URL, url) : code
        code = code == CURLE_OK ? bevaka_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps") : code
        code = code == CURLE_OK ? bevaka_curl_set_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue)) : code
        code = code == CURLE_OK ? bevaka_curl_set_long(handle, CURLOPT_NOSIGNAL, 1) : code
        code = code == CURLE_OK ? bevaka_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds) : code
        code = code == CURLE_OK ? bevaka_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(envelopeFrom)>") : code
        code = code == CURLE_OK ? bevaka_curl_set_list(handle, CURLOPT_MAIL_RCPT, list) : code
        code = code == CURLE_OK ? bevaka_curl_set_long(handle, CURLOPT_UPLOAD, 1) : code
        code = code == CURLE_OK ? bevaka_curl_set_read_callback(handle, CURLOPT_READFUNCTION, readMessage) : code
        code = code == CURLE_OK ? bevaka_curl_set_pointer(handle, CURLOPT_READDATA, context) : code
        code = code == CURLE_OK ? bevaka_curl_set_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.bytes.count)) : code
        code = code == CURLE_OK ? bevaka_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, collectReply) : code
        code = code == CURLE_OK ? bevaka_curl_set_pointer(handle, CURLOPT_HEADERDATA, context) : code
        if code == CURLE_OK, let username = settings.username {
            code = bevaka_curl_set_string(handle, CURLOPT_USERNAME, username)
        }
        if code == CURLE_OK, let password = settings.password {
            code = bevaka_curl_set_string(handle, CURLOPT_PASSWORD, password)
        }
        if code == CURLE_OK, let caFile = settings.caFile {
            code = bevaka_curl_set_string(handle, CURLOPT_CAINFO, caFile)
        }
        guard code == CURLE_OK else { return .failure(error(code, reply: nil)) }

        let result = withExtendedLifetime(upload) { curl_easy_perform(handle) }
        guard result == CURLE_OK else { return .failure(error(result, reply: upload.lastRefusal)) }
        return .success(SMTPReceipt(replyCode: replyCode(), reply: upload.lastReply ?? "",
                                    recipients: recipients, size: upload.bytes.count))
    }

    /// The settings' URL with the EHLO name as its path (libcurl's way of
    /// taking it), after checking the scheme matches the security asked for.
    private func prepareURL() -> Result<String, SMTPError> {
        let lower = settings.url.lowercased()
        let expected = settings.security == .implicitTLS ? "smtps://" : "smtp://"
        guard lower.hasPrefix(expected) else {
            return .failure(SMTPError(curlCode: Self.invalid, message:
                "security \(settings.security.rawValue) needs a \(expected) URL, not \(settings.url)", isPermanent: false))
        }
        let rest = settings.url.dropFirst(expected.count)
        guard !rest.isEmpty, !rest.contains(where: { "/?#@".contains($0) }), !settings.url.hasLineBreak else {
            return .failure(SMTPError(curlCode: Self.invalid, message:
                "SMTP URL must be scheme://host[:port] without path or user: \(settings.url)", isPermanent: false))
        }
        guard let helo = settings.heloName else { return .success(settings.url) }
        guard !helo.isEmpty, helo.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || ".-[]:".unicodeScalars.contains($0) })
        else {
            return .failure(SMTPError(curlCode: Self.invalid, message: "bad EHLO name \(helo)", isPermanent: false))
        }
        return .success(settings.url + "/" + helo)
    }

    private func replyCode() -> Int {
        var code = 0
        _ = bevaka_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private func error(_ code: CURLcode, reply: String?) -> SMTPError {
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let replyCode = replyCode()
        return SMTPError(curlCode: Int(code.rawValue), message: detail, replyCode: replyCode,
                         reply: replyCode >= 400 ? reply : nil)
    }
}

/// One message on its way out, and what the server said meanwhile.
private final class Upload {
    let bytes: [UInt8]
    var offset = 0
    var lastReply: String?
    /// The last 4xx/5xx line: after a refusal libcurl still says QUIT, whose 221 comes last.
    var lastRefusal: String?

    init(bytes: [UInt8]) { self.bytes = bytes }
}

private let readMessage: bevaka_curl_read_callback = { buffer, size, count, context in
    let upload = Unmanaged<Upload>.fromOpaque(context!).takeUnretainedValue()
    let length = min(size * count, upload.bytes.count - upload.offset)
    guard length > 0, let buffer else { return 0 }
    upload.bytes.withUnsafeBufferPointer { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + upload.offset, byteCount: length)
    }
    upload.offset += length
    return length
}

/// libcurl hands SMTP server replies to the header callback, one line at a time.
private let collectReply: bevaka_curl_data_callback = { data, size, count, context in
    let upload = Unmanaged<Upload>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data else { return length }
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: min(length, 512)), as: UTF8.self)
    }
    let reply = line.trimmed(of: "\r\n ")
    upload.lastReply = reply
    if let first = reply.first, first == "4" || first == "5" { upload.lastRefusal = reply }
    return length
}

extension String {
    fileprivate func trimmed(of set: String) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }),
              let last = lastIndex(where: { !set.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
