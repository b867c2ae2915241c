/// One mailbox: `a@b.example`, optionally with a display name.
///
/// Only plain ASCII `local@domain` addresses are accepted (no quoted local
/// parts, no comments, no SMTPUTF8); everything accepted is safe to put both
/// in a header and in an SMTP `MAIL FROM`/`RCPT TO` command.
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    public let address: String
    public let name: String?

    public init(address: String, name: String? = nil) throws(MailAddressError) {
        try MailAddress.validate(address)
        if let name, name.hasLineBreak { throw .lineBreak }
        self.address = address
        let trimmed = name?.trimmingWhitespace()
        self.name = trimmed?.isEmpty == true ? nil : trimmed
    }

    /// Parses `a@b.example`, `<a@b.example>`, `Name <a@b.example>` or `"Name, Jr." <a@b.example>`.
    public init(parsing text: String) throws(MailAddressError) {
        if text.hasLineBreak { throw .lineBreak }
        let text = text.trimmingWhitespace()
        guard let open = text.lastIndex(of: "<") else {
            if text.contains(">") { throw .unbalancedAngleBrackets }
            try self.init(address: text)
            return
        }
        guard text.last == ">" else { throw .unbalancedAngleBrackets }
        let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = text[..<open].trimmingWhitespace()
        if name.count >= 2, name.first == "\"", name.last == "\"" {
            name = String(name.dropFirst().dropLast())
                .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
        }
        try self.init(address: address, name: name)
    }

    /// `Name <address>` (unencoded, for logs) or the bare address.
    public var description: String { name.map { "\($0) <\(address)>" } ?? address }

    static func validate(_ address: String) throws(MailAddressError) {
        if address.isEmpty { throw .empty }
        if address.hasLineBreak { throw .lineBreak }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 1 { throw .missingAt }
        if parts.count > 2 { throw .moreThanOneAt }
        if parts[0].isEmpty { throw .emptyLocalPart }
        if parts[1].isEmpty { throw .emptyDomain }
        // Printable ASCII without the characters that delimit addresses in
        // headers and SMTP commands.
        if let bad = address.first(where: { character in
            !character.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F } || "<>()[],;:\\\"".contains(character)
        }) { throw .invalidCharacter(bad) }
    }
}

extension StringProtocol {
    /// CR or LF anywhere (a `Character` check would miss the "\r\n" grapheme).
    var hasLineBreak: Bool { unicodeScalars.contains { $0 == "\r" || $0 == "\n" } }

    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
