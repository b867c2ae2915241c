import BevakaCore
import Foundation
import Testing

/// Digests are written as Foundation's `%02x` wrote them, byte for byte: the history
/// chain's stored hashes and the secrets' digests must read the same after the change.
@Suite struct HexTests {
    @Test func everyByteIsWrittenAsFormatWroteIt() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Hex.lowercase(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.lowercase([UInt8]()) == "")
        #expect(Hex.lowercase([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
    }
}
