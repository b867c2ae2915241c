import Foundation

/// The untyped syntax tree the parser produces; the checker turns it into an
/// ``EvaluationNode``. `offset` is where the node starts in the source.
struct ExpressionSyntax: Sendable {
    enum UnaryOperator: String, Sendable {
        case negate = "-"
        case not
    }

    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case `in`, notIn = "not in"
        case and, or

        var isComparison: Bool {
            switch self {
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
            default: false
            }
        }

        var isOrdering: Bool {
            switch self {
            case .less, .lessEqual, .greater, .greaterEqual: true
            default: false
            }
        }
    }

    indirect enum Kind: Sendable {
        case integer(Int)
        case decimal(Decimal)
        case string(String)
        case boolean(Bool)
        case list([ExpressionSyntax])
        case name(String)
        case call(String, [ExpressionSyntax])
        case unary(UnaryOperator, ExpressionSyntax)
        /// `operatorOffset` points at the operator token, for errors about the operation itself.
        case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax, operatorOffset: Int)
        case conditional(ExpressionSyntax, ExpressionSyntax, ExpressionSyntax)
    }

    let kind: Kind
    let offset: Int

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }
}
