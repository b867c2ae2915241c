import CBevakaCurl
import Foundation

/// What came back from one HTTP request.
public struct HTTPReply: Sendable, Equatable {
    public let status: Int
    /// Response header fields, names lower-cased (the last value wins).
    public let headers: [String: String]
    /// The start of the body (at most `CurlHTTPClient.maximumBody` bytes are kept).
    public let body: [UInt8]

    /// `Retry-After` in seconds, when given as a number (RFC 9110 also allows a date).
    public var retryAfterSeconds: Int? {
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, Int($0.timeIntervalSinceNow.rounded(.up))) }
    }
}

/// Why a request got no HTTP answer at all.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libcurl's code, e.g. 7 (could not connect) or 28 (timed out).
    public let code: Int
    public let message: String

    public var isTimeout: Bool { code == Int(CURLE_OPERATION_TIMEDOUT.rawValue) }
    public var description: String { "curl error \(code): \(message)" }
}

/// An HTTP client over one libcurl easy handle. Reusing the handle reuses its
/// connections (keep-alive) between requests. Redirects are never followed:
/// a webhook endpoint that redirects gets its 3xx reported, not the body sent
/// elsewhere. Not thread-safe: one client per delivery worker.
public final class CurlHTTPClient {
    public static let maximumBody = 64 * 1024

    private let handle: UnsafeMutableRawPointer

    public init() {
        CurlHTTPClient.initializeLibrary
        handle = curl_easy_init()
    }

    deinit { curl_easy_cleanup(handle) }

    /// libcurl's global setup, done once per process before any handle exists.
    private static let initializeLibrary: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Sends a POST and waits for the answer (blocking this thread).
    public func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) -> Result<HTTPReply, CurlError> {
        perform(url: url, headers: headers, timeout: timeout) { handle in
            var code = bevaka_curl_set_long(handle, CURLOPT_POST, 1)
            body.withUnsafeBufferPointer { bytes in
                // COPYPOSTFIELDS: curl keeps its own copy, so the buffer need not outlive this call.
                code = code == CURLE_OK ? bevaka_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count) : code
                code = code == CURLE_OK ? bevaka_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS,
                                                                  UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)) : code
            }
            return code
        }
    }

    /// Sends a GET and waits for the answer (blocking this thread): an identity provider's
    /// discovery document and keys.
    public func get(url: String, headers: [(String, String)] = [], timeout: Duration) -> Result<HTTPReply, CurlError> {
        perform(url: url, headers: headers, timeout: timeout) { handle in bevaka_curl_set_long(handle, CURLOPT_HTTPGET, 1) }
    }

    /// One request on the reused handle: the options every request has, then `method`'s own.
    private func perform(url: String, headers: [(String, String)], timeout: Duration,
                         method: (UnsafeMutableRawPointer) -> CURLcode) -> Result<HTTPReply, CurlError> {
        curl_easy_reset(handle)  // forget the last request's options, keep its connections
        let collected = Collected()
        let context = Unmanaged.passUnretained(collected).toOpaque()
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers { list = curl_slist_append(list, "\(name): \(value)") }
        // An empty Expect stops curl waiting for "100 Continue" on larger bodies.
        list = curl_slist_append(list, "Expect:")
        defer { curl_slist_free_all(list) }

        let milliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        var code = bevaka_curl_set_string(handle, CURLOPT_URL, url)
        code = code == CURLE_OK ? bevaka_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https") : code
        code = code == CURLE_OK ? bevaka_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0) : code
        code = code == CURLE_OK ? bevaka_curl_set_long(handle, CURLOPT_NOSIGNAL, 1) : code
        code = code == CURLE_OK ? bevaka_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds) : code
        code = code == CURLE_OK ? bevaka_curl_set_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list)) : code
        code = code == CURLE_OK ? bevaka_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, collectBody) : code
        code = code == CURLE_OK ? bevaka_curl_set_pointer(handle, CURLOPT_WRITEDATA, context) : code
        code = code == CURLE_OK ? bevaka_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, collectHeader) : code
        code = code == CURLE_OK ? bevaka_curl_set_pointer(handle, CURLOPT_HEADERDATA, context) : code
        code = code == CURLE_OK ? method(handle) : code
        guard code == CURLE_OK else { return .failure(error(code)) }
        let result = curl_easy_perform(handle)
        guard result == CURLE_OK else { return .failure(error(result)) }
        var status = 0
        _ = bevaka_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPReply(status: status, headers: collected.headers, body: collected.body))
    }

    private func error(_ code: CURLcode) -> CurlError {
        CurlError(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
    }
}

/// What the callbacks collect during one request.
private final class Collected {
    var body: [UInt8] = []
    var headers: [String: String] = [:]
}

private let collectBody: bevaka_curl_data_callback = { data, size, count, context in
    let collected = Unmanaged<Collected>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    if let data, collected.body.count < CurlHTTPClient.maximumBody {
        let keep = min(length, CurlHTTPClient.maximumBody - collected.body.count)
        data.withMemoryRebound(to: UInt8.self, capacity: keep) { collected.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: keep)) }
    }
    return length
}

private let collectHeader: bevaka_curl_data_callback = { data, size, count, context in
    let collected = Unmanaged<Collected>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data else { return length }
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) }
    if line.hasPrefix("HTTP/") { collected.headers = [:] }  // a new response (e.g. after 100 Continue)
    if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        collected.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return length
}
