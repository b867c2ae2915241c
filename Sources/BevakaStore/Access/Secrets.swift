import BevakaCore
import Crypto
import Foundation

/// Random secrets for tokens, sessions and sign-in requests, and the digests
/// under which they are stored: only a SHA-256 of a 256-bit random secret is
/// ever written down, so a copy of the database gives none of them away.
public enum Secrets {
    /// 256 random bits from the system's generator, as base64url without padding (43 characters).
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    /// A public id for a token or a feed, which finds its row (the secret beside it is what
    /// proves anything): 12 characters from an alphabet without look-alikes (no 0, 1, l, o).
    package static func shortID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in idAlphabet.randomElement(using: &generator)! })
    }

    private static let idAlphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")

    public static func digest(_ secret: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(secret.utf8)))
    }

    public static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
