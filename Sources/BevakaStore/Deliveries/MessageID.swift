import Foundation

/// The id a message carries to its receiver (`webhook-id`, the email's
/// `Message-ID`): a ULID, 48 bits of milliseconds and 80 random bits.
///
/// Row ids restart after a restore from backup and repeat across instances,
/// so a receiver that deduplicates on them would drop a different message
/// that happened to get an old number. A ULID is unique without coordination,
/// and it is made once per delivery row, so every retry of one message carries
/// the same id and two recipients of one notification get two.
package enum MessageID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    package static func make(now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let time = UInt64(max(0, now.millis)) & 0xFFFF_FFFF_FFFF
        let high = UInt64.random(in: 0...UInt64(UInt16.max), using: &generator)
        let low = generator.next() as UInt64
        // 128 bits as two halves: time (48) + randomness (80) = high 64 | low 64.
        let upper = time << 16 | high
        var characters = [UInt8](repeating: 0, count: 26)
        // 26 base32 digits hold 130 bits; the first digit takes the top 3.
        for index in 0..<26 {
            let shift = 125 - index * 5
            let value: UInt64
            if shift >= 64 {
                value = upper >> UInt64(shift - 64)
            } else if shift > 59 {
                value = (upper << UInt64(64 - shift)) | (low >> UInt64(shift))
            } else {
                value = low >> UInt64(shift)
            }
            characters[index] = alphabet[Int(value & 0x1F)]
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
