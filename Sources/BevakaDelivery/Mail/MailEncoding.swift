import Foundation

/// The RFC 5322 / 2045 / 2047 pieces `MailMessage.rendered()` is made of.
/// Everything returned is 7-bit ASCII.
enum MailEncoding {
    /// Header lines are folded to at most this many characters (RFC 2047 §2
    /// limits lines holding encoded-words to 76).
    static let lineLimit = 76
    /// An encoded-word is at most 75 characters (RFC 2047 §2).
    static let wordLimit = 75

    // MARK: Headers

    /// `Name: token token…`, folded with CRLF + space between tokens so that
    /// no line exceeds `lineLimit` unless a single token is longer. No CRLF at the end.
    static func header(_ name: String, _ tokens: [String]) -> String {
        var out = name + ":"
        var lineLength = out.utf8.count
        var lineHasToken = false
        for token in tokens {
            if lineHasToken, !token.isEmpty, lineLength + 1 + token.utf8.count > lineLimit {
                out += "\r\n"
                lineLength = 0
            }
            out += " " + token
            lineLength += 1 + token.utf8.count
            lineHasToken = true
        }
        return out
    }

    /// Header text with CR, LF and other controls replaced by spaces: a header
    /// value can never start a new header field.
    static func clean(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return String(scalars).trimmingWhitespace()
    }

    /// Whether text must go into encoded-words: non-ASCII, or something a
    /// decoder could mistake for an encoded-word, or a word too long to fold.
    static func needsEncoding(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value > 0x7E }
            || text.contains("=?")
            || text.split(separator: " ").contains { $0.utf8.count > 900 }
    }

    /// Unstructured header text (Subject, extra headers) as foldable tokens.
    static func unstructured(_ text: String, headerName: String) -> [String] {
        let text = clean(text)
        if needsEncoding(text) { return encodedWords(text, firstLine: firstWordLimit(headerName)) }
        return text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    }

    /// A mailbox list (`From`, `To`) as foldable tokens.
    static func mailboxes(_ addresses: [MailAddress], headerName: String) -> [String] {
        var tokens: [String] = []
        for (index, mailbox) in addresses.enumerated() {
            var own: [String] = []
            if let name = mailbox.name.map(clean), !name.isEmpty {
                own = phrase(name, firstLine: tokens.isEmpty ? firstWordLimit(headerName) : wordLimit)
            }
            own.append("<\(mailbox.address)>")
            if index < addresses.count - 1 { own[own.count - 1] += "," }
            tokens += own
        }
        return tokens
    }

    /// A display name: atoms as they are, other ASCII as a quoted-string,
    /// anything else as encoded-words.
    static func phrase(_ name: String, firstLine: Int) -> [String] {
        if needsEncoding(name) { return encodedWords(name, firstLine: firstLine) }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ")
        if name.allSatisfy(atext.contains) {
            return name.split(separator: " ").map(String.init)
        }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return ["\"\(escaped)\""]
    }

    /// Room for the first encoded-word on the line that starts with `Name: `.
    static func firstWordLimit(_ headerName: String) -> Int {
        max(24, min(wordLimit, lineLimit - headerName.utf8.count - 2))
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words, each at most `wordLimit` characters
    /// (the first at most `firstLine`), split only between whole characters
    /// (grapheme clusters; between scalars only for a cluster too big for one word).
    static func encodedWords(_ text: String, firstLine: Int) -> [String] {
        // 12 characters of `=?UTF-8?B?` and `?=`; base64 turns 3 bytes into 4.
        func capacity(_ limit: Int) -> Int { (limit - 12) / 4 * 3 }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            let pieces = bytes.count <= capacity(wordLimit)
                ? [bytes] : character.unicodeScalars.map { Array(String($0).utf8) }
            for piece in pieces {
                let limit = capacity(words.isEmpty ? firstLine : wordLimit)
                if !chunk.isEmpty, chunk.count + piece.count > limit {
                    words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                    chunk = []
                }
                chunk += piece
            }
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// Characters allowed in a `Message-ID` between `<` and `>`.
    static func messageID(_ id: String) -> String {
        String(String.UnicodeScalarView(id.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" }))
    }

    /// RFC 5322 date-time in UTC, e.g. `Sun, 21 Jun 2026 08:00:00 +0000`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { let value = value ?? 0; return value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

    // MARK: Bodies

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: CRLF line ends, encoded
    /// lines of at most 76 characters (soft breaks `=`), `=` and line-final
    /// space/tab encoded, a character's bytes never split over two lines.
    /// Ends with CRLF exactly when the text ends with a line break.
    /// A line starting with `.` is left alone: libcurl dot-stuffs the DATA.
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        let endsWithBreak = lines.count > 1 && lines.last == ""
        if endsWithBreak { lines.removeLast() }
        let hex = Array("0123456789ABCDEF")
        var out: [String] = []
        for line in lines {
            let scalars = Array(line.unicodeScalars)
            var current = ""
            for (index, scalar) in scalars.enumerated() {
                let isLast = index == scalars.count - 1
                var token: String
                switch scalar.value {
                case 0x20 where !isLast, 0x09 where !isLast: token = String(scalar)
                case 0x21...0x7E where scalar != "=": token = String(scalar)
                default: token = String(scalar).utf8.map { "=" + String(hex[Int($0 >> 4)]) + String(hex[Int($0 & 15)]) }.joined()
                }
                // "From " at a line start gets mangled by mbox tools.
                if current.isEmpty, scalar == "F", scalars[index...].starts(with: "From ".unicodeScalars) { token = "=46" }
                if current.utf8.count + token.utf8.count > lineLimit - 1 {
                    out.append(current + "=")
                    current = ""
                    if scalar == "F", scalars[index...].starts(with: "From ".unicodeScalars) { token = "=46" }
                }
                current += token
            }
            out.append(current)
        }
        return out.joined(separator: "\r\n") + (endsWithBreak ? "\r\n" : "")
    }

    /// A multipart boundary: `=_` cannot occur in quoted-printable text, and
    /// the random part makes a clash with anything else practically impossible.
    static func boundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        return "=_bevaka_" + String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}
