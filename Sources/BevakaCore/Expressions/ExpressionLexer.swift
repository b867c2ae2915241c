import Foundation

/// Splits expression source into tokens, each tagged with its offset.
///
/// Offsets count Unicode scalars from the start of the source. Keywords
/// (`and`, `or`, `not`, `in`, `true`, `false`) come out as identifiers; the
/// parser gives them meaning.
struct ExpressionLexer {
    /// One lexical token.
    struct Token: Equatable, Sendable {
        enum Kind: Equatable, Sendable {
            case integer(Int)
            case decimal(Decimal)
            case string(String)
            case identifier(String)
            case symbol(Symbol)
            case end
        }

        let kind: Kind
        let offset: Int
        /// The token as written, for messages.
        let text: String

        /// How the token reads in a message: `'+'`, `'severity'`, or `end of expression`.
        var quoted: String {
            kind == .end ? "end of expression" : "'\(text)'"
        }
    }

    enum Symbol: String, Sendable {
        case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]", comma = ","
        case question = "?", colon = ":"
        case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case andAnd = "&&", orOr = "||", bang = "!"
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    /// Tokenises the whole source; the last token is always `.end`.
    static func tokenize(_ source: String) throws(ExpressionDiagnostic) -> [Token] {
        var lexer = ExpressionLexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    private func text(from start: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<position])
        return String(s)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }

    private mutating func next() throws(ExpressionDiagnostic) -> Token {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
        let start = position
        guard let c = peek() else { return Token(kind: .end, offset: start, text: "") }

        if Self.isIdentifierStart(c) {
            while let d = peek(), Self.isIdentifierStart(d) || Self.isDigit(d) { position += 1 }
            let name = text(from: start)
            return Token(kind: .identifier(name), offset: start, text: name)
        }
        if Self.isDigit(c) { return try number(start: start) }
        if c == "'" || c == "\"" { return try string(quote: c, start: start) }

        let two: [String: Symbol] = ["==": .equal, "!=": .notEqual, "<=": .lessEqual, ">=": .greaterEqual, "&&": .andAnd, "||": .orOr]
        if let d = peek(1), let symbol = two[String(c) + String(d)] {
            position += 2
            return Token(kind: .symbol(symbol), offset: start, text: symbol.rawValue)
        }
        if let symbol = Symbol(rawValue: String(c)) {
            position += 1
            return Token(kind: .symbol(symbol), offset: start, text: symbol.rawValue)
        }
        switch c {
        case "=": throw ExpressionDiagnostic(offset: start, message: "unexpected '='; use '==' to compare")
        case "&": throw ExpressionDiagnostic(offset: start, message: "unexpected '&'; use 'and' or '&&'")
        case "|": throw ExpressionDiagnostic(offset: start, message: "unexpected '|'; use 'or' or '||'")
        default: throw ExpressionDiagnostic(offset: start, message: "unexpected character '\(c)'")
        }
    }

    private mutating func number(start: Int) throws(ExpressionDiagnostic) -> Token {
        while let d = peek(), Self.isDigit(d) { position += 1 }
        var isDecimal = false
        if peek() == ".", let d = peek(1), Self.isDigit(d) {
            isDecimal = true
            position += 1
            while let d = peek(), Self.isDigit(d) { position += 1 }
        }
        if let d = peek(), Self.isIdentifierStart(d) || d == "." {
            throw ExpressionDiagnostic(offset: position, message: "malformed number '\(text(from: start))\(d)'")
        }
        let literal = text(from: start)
        if isDecimal {
            guard let value = Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX")), !value.isNaN else {
                throw ExpressionDiagnostic(offset: start, message: "decimal literal \(literal) is out of range")
            }
            return Token(kind: .decimal(value), offset: start, text: literal)
        }
        guard let value = Int(literal) else {
            throw ExpressionDiagnostic(offset: start, message: "integer literal \(literal) is too large")
        }
        return Token(kind: .integer(value), offset: start, text: literal)
    }

    private mutating func string(quote: Unicode.Scalar, start: Int) throws(ExpressionDiagnostic) -> Token {
        position += 1
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                throw ExpressionDiagnostic(offset: start, message: "unterminated string; expected a closing \(quote)")
            }
            position += 1
            if c == quote { break }
            if c == "\\" {
                guard let e = peek() else { continue }
                position += 1
                switch e {
                case "'", "\"", "\\": value.append(e)
                case "n": value.append("\n")
                case "t": value.append("\t")
                default:
                    throw ExpressionDiagnostic(offset: position - 2, message: "unknown escape '\\\(e)' in string; use \\', \\\", \\\\, \\n or \\t")
                }
            } else {
                value.append(c)
            }
        }
        return Token(kind: .string(String(value)), offset: start, text: text(from: start))
    }
}
