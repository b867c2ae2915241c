import Foundation

/// A new case's id: a UUID of version 7 (RFC 9562 §5.7), its first 48 bits the
/// opening's Unix time in milliseconds and the other 74 free bits random.
///
/// The case id keys the cases table and every index that names a case (its history,
/// timers, outbox rows, field terms, tasks and parties). Random (version 4) ids put
/// each opening on a page of its own in every one of them, so a commit of 32 openings
/// rewrote some 250 pages; ids in time order append to the same few pages.
package enum CaseIDs {
    package static func make(at instant: Date) -> String {
        // Two draws of 64 bits: asking for a byte at a time cost a getrandom call per byte.
        var generator = SystemRandomNumberGenerator()
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        let milliseconds = UInt64(max(0, instant.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        for index in 6..<16 {
            let word = index < 14 ? random.0 : random.1
            bytes[index] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(index % 8)))
        }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // variant 10
        return format(bytes)
    }

    /// The canonical lowercase text form, 8-4-4-4-12 hex digits.
    static func format(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
