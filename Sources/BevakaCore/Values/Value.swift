import Foundation

/// The type of a case field, a payload value, or an expression.
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case string
    case integer
    case decimal
    case boolean
    case date
    case datetime
    case duration
    /// One of a fixed set of named values; an enum value is a string at run time.
    case enumeration([String])
    case stringList

    public var description: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .decimal: "decimal"
        case .boolean: "boolean"
        case .date: "date"
        case .datetime: "datetime"
        case .duration: "duration"
        case .enumeration(let values): "enum(\(values.joined(separator: ", ")))"
        case .stringList: "list of string"
        }
    }
}

/// A typed value held in a case field or produced by an expression.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case decimal(Decimal)
    case boolean(Bool)
    case date(LocalDate)
    case datetime(Date)
    case duration(WorkflowDuration)
    case stringList([String])

    public var description: String {
        switch self {
        case .string(let s): "'\(s)'"
        case .integer(let i): String(i)
        case .decimal(let d): "\(d)"
        case .boolean(let b): b ? "true" : "false"
        case .date(let d): d.description
        case .datetime(let d): SwedishCalendar.isoUTCString(d)
        case .duration(let d): d.description
        case .stringList(let l): "[" + l.map { "'\($0)'" }.joined(separator: ", ") + "]"
        }
    }
}
