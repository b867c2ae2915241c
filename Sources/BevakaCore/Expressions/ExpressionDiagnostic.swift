/// One problem found while compiling an expression: a lexical, syntax or type error.
///
/// `offset` is a 0-based offset into the expression source, counted in Unicode
/// scalars (what libyaml counts as characters), so a caller that knows where the
/// expression starts in a YAML file can add it to the scalar's column to report
/// `file:line:column`.
public struct ExpressionDiagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    /// 0-based offset of the offending text in the expression source.
    public let offset: Int
    /// Human-readable explanation, without position information.
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "at offset \(offset): \(message)" }
}
