/// One problem in a workflow file, printed as `file:line:column: message`.
public struct WorkflowDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem found in one or more workflow files (never just the first).
public struct WorkflowLoadErrors: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [WorkflowDiagnostic]

    public init(_ diagnostics: [WorkflowDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
