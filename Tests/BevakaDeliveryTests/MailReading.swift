import Foundation

// Helpers for reading rendered messages.

/// Header section and body of a rendered message.
func split(_ rendered: [UInt8]) -> (headers: String, body: String) {
    let text = String(decoding: rendered, as: UTF8.self)
    guard let range = text.range(of: "\r\n\r\n") else { return (text, "") }
    return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
}

/// Header fields unfolded: (name, value) in order.
func unfoldedHeaders(_ section: String) -> [(String, String)] {
    let unfolded = section.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: "\t")
    return unfolded.components(separatedBy: "\r\n").map { line in
        guard let colon = line.firstIndex(of: ":") else { return (line, "") }
        return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }
}

/// RFC 2045 quoted-printable decoding, for checking the encoder.
func decodeQuotedPrintable(_ text: String) -> String {
    var bytes: [UInt8] = []
    let lines = text.components(separatedBy: "\r\n")
    for (index, line) in lines.enumerated() {
        var scalars = Array(line.utf8)[...]
        var soft = false
        if scalars.last == UInt8(ascii: "=") { soft = true; scalars = scalars.dropLast() }
        var i = scalars.startIndex
        while i < scalars.endIndex {
            if scalars[i] == UInt8(ascii: "="), i + 2 < scalars.endIndex,
               let value = UInt8(String(decoding: scalars[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                i += 3
            } else {
                bytes.append(scalars[i])
                i += 1
            }
        }
        if !soft && index < lines.count - 1 { bytes += [13, 10] }
    }
    return String(decoding: bytes, as: UTF8.self)
}
