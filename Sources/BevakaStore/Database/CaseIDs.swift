import Foundation

/// A new case's id: a UUID of version 7 (RFC 9562 §5.7), its first 48 bits the
/// opening's Unix time in milliseconds and the other 74 free bits random.
///
/// The case id keys the cases table and every index that names a case (its history,
/// timers, outbox rows, field terms, tasks and parties). Random (version 4) ids put
/// each opening on a page of its own in every one of them, so a commit of 32 openings
/// rewrote some 250 pages; ids in time order append to the same few pages.
enum CaseIDs {
    static func make(at instant: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, instant.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        for index in 6..<16 { bytes[index] = generator.next() }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // variant 10
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }
}
