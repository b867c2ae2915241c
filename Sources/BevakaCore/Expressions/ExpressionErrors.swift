/// Every diagnostic found while compiling one expression, ordered by offset.
///
/// A syntax error stops parsing, so it arrives alone; type errors are collected
/// across the whole expression so that a workflow author sees them all at once.
public struct ExpressionErrors: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [ExpressionDiagnostic]

    public init(diagnostics: [ExpressionDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
