import BevakaDelivery
import Dispatch
import Foundation

/// Owns the libcurl handles and runs every send on its own serial queue:
/// `curl_easy_perform` blocks, so it must never run on the Swift concurrency
/// pool (nor, of course, near the case writer). One message at a time; the
/// HTTP handle keeps its connections between requests.
final class DeliveryWorker: @unchecked Sendable {
    // The handles are touched only on `queue`, which is what makes this Sendable.
    private let queue = DispatchQueue(label: "bevaka.delivery.curl")
    private let http = CurlHTTPClient()
    private let smtp: CurlSMTPClient?

    init(smtp settings: SMTPSettings?) {
        smtp = settings.map(CurlSMTPClient.init(settings:))
    }

    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async -> Result<HTTPReply, CurlError> {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.http.post(url: url, headers: headers, body: body, timeout: timeout)) }
        }
    }

    func send(_ message: MailMessage, envelopeFrom: String, recipients: [String]) async -> Result<SMTPReceipt, SMTPError>? {
        guard smtp != nil else { return nil }
        return await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.smtp?.send(message, envelopeFrom: envelopeFrom, recipients: recipients))
            }
        }
    }
}
