/// Recursive-descent parser for the expression language.
///
/// Grammar, lowest precedence first:
///
///     expression  = disjunction [ "?" expression ":" expression ] ;
///     disjunction = conjunction { ( "or" | "||" ) conjunction } ;
///     conjunction = negation { ( "and" | "&&" ) negation } ;
///     negation    = ( "not" | "!" ) negation | comparison ;
///     comparison  = additive [ compare-op additive ] ;      (non-associative)
///     compare-op  = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in" ;
///     additive    = term { ( "+" | "-" ) term } ;
///     term        = unary { ( "*" | "/" | "%" ) unary } ;
///     unary       = "-" unary | primary ;
///     primary     = integer | decimal | string | "true" | "false" | name
///                 | name "(" [ arguments ] ")" | "[" [ arguments ] "]" | "(" expression ")" ;
///     arguments   = expression { "," expression } ;
///
/// The first syntax error stops parsing.
struct ExpressionParser {
    typealias Token = ExpressionLexer.Token
    typealias Symbol = ExpressionLexer.Symbol

    /// Deeper trees than this (parentheses, prefix operators, or long operator
    /// chains, which nest to the left) are rejected rather than risking the stack.
    static let maximumDepth = 256

    private static let keywords: Set<String> = ["and", "or", "not", "in", "true", "false"]

    private let tokens: [Token]
    private var index = 0
    private var depth = 0

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Lexes and parses a complete expression.
    static func parse(_ source: String) throws(ExpressionDiagnostic) -> ExpressionSyntax {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokenize(source))
        let syntax = try parser.expression()
        let rest = parser.current
        if rest.kind != .end {
            if case .symbol(.rightParen) = rest.kind {
                throw ExpressionDiagnostic(offset: rest.offset, message: "unexpected ')' without a matching '('")
            }
            throw ExpressionDiagnostic(offset: rest.offset, message: "unexpected \(rest.quoted); expected an operator or the end of the expression")
        }
        return syntax
    }

    // MARK: - Token helpers

    private var current: Token { tokens[index] }

    private func peek(_ ahead: Int) -> Token { tokens[min(index + ahead, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func isSymbol(_ symbol: Symbol, _ token: Token? = nil) -> Bool {
        (token ?? current).kind == .symbol(symbol)
    }

    private func isKeyword(_ word: String, _ token: Token? = nil) -> Bool {
        (token ?? current).kind == .identifier(word)
    }

    private mutating func expect(_ symbol: Symbol, _ context: String) throws(ExpressionDiagnostic) -> Token {
        guard isSymbol(symbol) else {
            throw ExpressionDiagnostic(offset: current.offset, message: "expected '\(symbol.rawValue)' \(context), found \(current.quoted)")
        }
        return advance()
    }

    private mutating func enter() throws(ExpressionDiagnostic) {
        depth += 1
        if depth > Self.maximumDepth {
            throw ExpressionDiagnostic(offset: current.offset, message: "expression is nested too deeply")
        }
    }

    // MARK: - Grammar

    mutating func expression() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        try enter()
        defer { depth -= 1 }
        let condition = try disjunction()
        guard isSymbol(.question) else { return condition }
        _ = advance()
        let whenTrue = try expression()
        _ = try expect(.colon, "to separate the branches of '?'")
        let whenFalse = try expression()
        return ExpressionSyntax(.conditional(condition, whenTrue, whenFalse), at: condition.offset)
    }

    private mutating func disjunction() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        var lhs = try conjunction()
        var links = 0
        defer { depth -= links }
        while isKeyword("or") || isSymbol(.orOr) {
            try enter()
            links += 1
            let op = advance()
            let rhs = try conjunction()
            lhs = ExpressionSyntax(.binary(.or, lhs, rhs, operatorOffset: op.offset), at: lhs.offset)
        }
        return lhs
    }

    private mutating func conjunction() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        var lhs = try negation()
        var links = 0
        defer { depth -= links }
        while isKeyword("and") || isSymbol(.andAnd) {
            try enter()
            links += 1
            let op = advance()
            let rhs = try negation()
            lhs = ExpressionSyntax(.binary(.and, lhs, rhs, operatorOffset: op.offset), at: lhs.offset)
        }
        return lhs
    }

    private mutating func negation() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        guard isKeyword("not") || isSymbol(.bang) else { return try comparison() }
        try enter()
        defer { depth -= 1 }
        let op = advance()
        let operand = try negation()
        return ExpressionSyntax(.unary(.not, operand), at: op.offset)
    }

    private func comparisonOperator() -> (ExpressionSyntax.BinaryOperator, width: Int)? {
        switch current.kind {
        case .symbol(.equal): (.equal, 1)
        case .symbol(.notEqual): (.notEqual, 1)
        case .symbol(.less): (.less, 1)
        case .symbol(.lessEqual): (.lessEqual, 1)
        case .symbol(.greater): (.greater, 1)
        case .symbol(.greaterEqual): (.greaterEqual, 1)
        case .identifier("in"): (.in, 1)
        case .identifier("not") where isKeyword("in", peek(1)): (.notIn, 2)
        default: nil
        }
    }

    private mutating func comparison() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        let lhs = try additive()
        guard let (op, width) = comparisonOperator() else { return lhs }
        let opToken = current
        for _ in 0..<width { _ = advance() }
        let rhs = try additive()
        if comparisonOperator() != nil {
            throw ExpressionDiagnostic(offset: current.offset, message: "comparisons cannot be chained; combine them with 'and' or use parentheses")
        }
        return ExpressionSyntax(.binary(op, lhs, rhs, operatorOffset: opToken.offset), at: lhs.offset)
    }

    private mutating func additive() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        var lhs = try term()
        var links = 0
        defer { depth -= links }
        while true {
            let op: ExpressionSyntax.BinaryOperator
            switch current.kind {
            case .symbol(.plus): op = .add
            case .symbol(.minus): op = .subtract
            default: return lhs
            }
            try enter()
            links += 1
            let opToken = advance()
            let rhs = try term()
            lhs = ExpressionSyntax(.binary(op, lhs, rhs, operatorOffset: opToken.offset), at: lhs.offset)
        }
    }

    private mutating func term() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        var lhs = try unary()
        var links = 0
        defer { depth -= links }
        while true {
            let op: ExpressionSyntax.BinaryOperator
            switch current.kind {
            case .symbol(.star): op = .multiply
            case .symbol(.slash): op = .divide
            case .symbol(.percent): op = .remainder
            default: return lhs
            }
            try enter()
            links += 1
            let opToken = advance()
            let rhs = try unary()
            lhs = ExpressionSyntax(.binary(op, lhs, rhs, operatorOffset: opToken.offset), at: lhs.offset)
        }
    }

    private mutating func unary() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        guard isSymbol(.minus) else { return try primary() }
        try enter()
        defer { depth -= 1 }
        let op = advance()
        let operand = try unary()
        return ExpressionSyntax(.unary(.negate, operand), at: op.offset)
    }

    private mutating func primary() throws(ExpressionDiagnostic) -> ExpressionSyntax {
        let token = current
        switch token.kind {
        case .integer(let value):
            _ = advance()
            return ExpressionSyntax(.integer(value), at: token.offset)
        case .decimal(let value):
            _ = advance()
            return ExpressionSyntax(.decimal(value), at: token.offset)
        case .string(let value):
            _ = advance()
            return ExpressionSyntax(.string(value), at: token.offset)
        case .identifier("true"), .identifier("false"):
            _ = advance()
            return ExpressionSyntax(.boolean(token.text == "true"), at: token.offset)
        case .identifier(let name) where !Self.keywords.contains(name):
            _ = advance()
            guard isSymbol(.leftParen) else { return ExpressionSyntax(.name(name), at: token.offset) }
            _ = advance()
            let arguments = try list(closedBy: .rightParen, context: "to close the arguments of \(name)()")
            return ExpressionSyntax(.call(name, arguments), at: token.offset)
        case .symbol(.leftBracket):
            _ = advance()
            let elements = try list(closedBy: .rightBracket, context: "to close the list")
            return ExpressionSyntax(.list(elements), at: token.offset)
        case .symbol(.leftParen):
            _ = advance()
            let inner = try expression()
            _ = try expect(.rightParen, "to close '('")
            return inner
        default:
            throw ExpressionDiagnostic(offset: token.offset, message: "expected an operand, found \(token.quoted)")
        }
    }

    /// Comma-separated expressions up to `closer`, which is consumed.
    private mutating func list(closedBy closer: Symbol, context: String) throws(ExpressionDiagnostic) -> [ExpressionSyntax] {
        try enter()
        defer { depth -= 1 }
        var items: [ExpressionSyntax] = []
        if isSymbol(closer) {
            _ = advance()
            return items
        }
        while true {
            items.append(try expression())
            if isSymbol(.comma) {
                _ = advance()
                continue
            }
            _ = try expect(closer, context)
            return items
        }
    }
}
