/// Why evaluating a (type-checked) expression failed at run time.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The expression read a field that has no value (guard it with `isSet(name)`).
    case unset(String)
    /// Division or remainder by zero.
    case divisionByZero
    /// Integer arithmetic overflowed, or a decimal result was out of range.
    case overflow
    /// A value supplied at run time did not fit the type the expression was compiled against.
    case invalid(String)

    public var description: String {
        switch self {
        case .unset(let name): "'\(name)' has no value"
        case .divisionByZero: "division by zero"
        case .overflow: "arithmetic overflow"
        case .invalid(let message): message
        }
    }
}
