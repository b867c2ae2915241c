/// Why a string is not a usable email address.
public enum MailAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// CR or LF anywhere (address or display name): header or SMTP command injection.
    case lineBreak
    case missingAt
    case moreThanOneAt
    case emptyLocalPart
    case emptyDomain
    /// A character not allowed in an unquoted address (space, `<`, `>`, `,`, `"`, control, non-ASCII, …).
    case invalidCharacter(Character)
    /// `Name <address` and the like.
    case unbalancedAngleBrackets

    public var description: String {
        switch self {
        case .empty: "empty email address"
        case .lineBreak: "email address or name contains a line break"
        case .missingAt: "email address has no @"
        case .moreThanOneAt: "email address has more than one @"
        case .emptyLocalPart: "email address has nothing before the @"
        case .emptyDomain: "email address has nothing after the @"
        case .invalidCharacter(let character): "email address contains \(String(reflecting: String(character)))"
        case .unbalancedAngleBrackets: "email address has unbalanced < >"
        }
    }
}
