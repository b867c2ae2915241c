/// Bytes as lowercase hexadecimal, two digits each: how digests (the history chain's
/// SHA-256, secrets' digests, workflow versions' hashes) are written down. Written
/// directly rather than with `String(format: "%02x")` per byte, which went through
/// Foundation's formatter and was a tenth of firing a deadline (issue 14's profile).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
