import Crypto
import Foundation

/// A webhook endpoint's signing secret, `whsec_` followed by base64 key bytes
/// (Standard Webhooks). Never printed: its description hides the key.
public struct WebhookSecret: Sendable, CustomStringConvertible {
    // Bytes, not SymmetricKey: that type is not Sendable in swift-crypto 3.
    let key: [UInt8]

    public init(_ text: String) throws(WebhookSecretError) {
        guard text.hasPrefix("whsec_") else { throw .missingPrefix }
        guard let bytes = Data(base64Encoded: String(text.dropFirst("whsec_".count))), bytes.count >= 16 else {
            throw .badKey
        }
        key = Array(bytes)
    }

    public var description: String { "whsec_…" }
}

public enum WebhookSecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingPrefix, badKey

    public var description: String {
        switch self {
        case .missingPrefix: "a webhook secret must start with 'whsec_'"
        case .badKey: "a webhook secret must be 'whsec_' and at least 16 bytes in base64"
        }
    }
}

/// Signs webhook requests as the Standard Webhooks specification says:
/// `webhook-signature` is `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body")),
/// one per secret (space-separated) while a secret is being rotated.
public enum WebhookSigner {
    public static func signature(id: String, timestamp: Int, body: [UInt8], secrets: [WebhookSecret]) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return secrets.map { secret in
            "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: secret.key))).base64EncodedString()
        }.joined(separator: " ")
    }

    /// The headers of a signed webhook request.
    public static func headers(id: String, timestamp: Int, body: [UInt8], secrets: [WebhookSecret]) -> [(String, String)] {
        [
            ("content-type", "application/json"),
            ("webhook-id", id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body, secrets: secrets)),
        ]
    }
}
