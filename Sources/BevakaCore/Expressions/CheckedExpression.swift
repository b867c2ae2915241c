/// An expression from a workflow file that has been parsed and type-checked
/// against the fields and derived values it may read.
///
/// Compile once when the workflow loads; evaluate as often as needed. The
/// language is side-effect free: `evaluate` only calls `lookup`.
///
/// ```swift
/// let colour = try CheckedExpression.compile(
///     "score <= 2 ? 'green' : score <= 6 ? 'yellow' : 'red'", names: ["score": .integer])
/// try colour.evaluate { $0 == "score" ? .integer(4) : nil }  // .string("yellow")
/// ```
public struct CheckedExpression: Sendable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    /// The static type of the result; a guard must be `.boolean` (the caller checks).
    public let type: ValueType
    /// The declared names the expression reads, including those only tested with `isSet`.
    public let names: Set<String>

    private let root: EvaluationNode

    private init(source: String, type: ValueType, names: Set<String>, root: EvaluationNode) {
        self.source = source
        self.type = type
        self.names = names
        self.root = root
    }

    public var description: String { source }

    /// Parses and type-checks `source`, resolving identifiers in `names`.
    ///
    /// - Throws: every type error found, or the first syntax error, each with
    ///   a 0-based offset (in Unicode scalars) into `source`.
    public static func compile(_ source: String, names: [String: ValueType]) throws(ExpressionErrors) -> CheckedExpression {
        let syntax: ExpressionSyntax
        do {
            syntax = try ExpressionParser.parse(source)
        } catch {
            throw ExpressionErrors(diagnostics: [error])
        }
        var checker = ExpressionChecker(environment: names)
        let typed = checker.check(syntax)
        guard checker.diagnostics.isEmpty, let typed else {
            var diagnostics = checker.diagnostics.enumerated()
                .sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
                .map(\.element)
            if diagnostics.isEmpty {
                // Unreachable in practice: a nil type always comes with a diagnostic.
                diagnostics = [ExpressionDiagnostic(offset: 0, message: "expression could not be typed")]
            }
            throw ExpressionErrors(diagnostics: diagnostics)
        }
        return CheckedExpression(source: source, type: typed.type, names: checker.names, root: typed.node)
    }

    /// Evaluates the expression, asking `lookup` for the current value of each
    /// name it reads (`nil` when the field is unset).
    ///
    /// `and`, `or` and `?:` short-circuit, so `isSet(x) and x > 3` never reads an unset `x`.
    public func evaluate(_ lookup: (String) -> Value?) throws(EvaluationError) -> Value {
        try root.evaluate(lookup)
    }
}
