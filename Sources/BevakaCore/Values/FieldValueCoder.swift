import Foundation

/// Converts between JSON (API, storage) and typed field values.
public enum FieldValueCoder {
    /// Decodes `json` as `type`, or says exactly why it cannot (e.g. "expected a date YYYY-MM-DD, got 12").
    public static func decode(_ json: JSONValue, as type: ValueType) -> Result<Value, FieldProblemText> {
        func fail(_ expected: String) -> Result<Value, FieldProblemText> {
            .failure(FieldProblemText("expected \(expected), got \(json)"))
        }
        switch type {
        case .string:
            if case .string(let s) = json { return .success(.string(s)) }
            return fail("a string")
        case .integer:
            switch json {
            case .int(let i): return .success(.integer(i))
            case .number(let d) where d.rounded() == d && abs(d) < 9e15: return .success(.integer(Int(d)))
            default: return fail("a whole number")
            }
        case .decimal:
            switch json {
            case .int(let i): return .success(.decimal(Decimal(i)))
            case .number(let d): return Decimal(string: String(d), locale: posix).map { .success(.decimal($0)) } ?? fail("a number")
            case .string(let s):
                if let d = Decimal(string: s, locale: posix), s.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil {
                    return .success(.decimal(d))
                }
                return fail("a number")
            default: return fail("a number")
            }
        case .boolean:
            if case .bool(let b) = json { return .success(.boolean(b)) }
            return fail("true or false")
        case .date:
            if case .string(let s) = json, let d = LocalDate(iso: s) { return .success(.date(d)) }
            return fail("a date YYYY-MM-DD")
        case .datetime:
            if case .string(let s) = json, let d = parseInstant(s) { return .success(.datetime(d)) }
            return fail("a date and time with zone, e.g. 2026-12-01T09:00:00+01:00")
        case .duration:
            if case .string(let s) = json, let d = try? WorkflowDuration(parsing: s) { return .success(.duration(d)) }
            return fail("a duration such as P14D or '10 working days'")
        case .enumeration(let values):
            if case .string(let s) = json, values.contains(s) { return .success(.string(s)) }
            return fail("one of \(values.joined(separator: ", "))")
        case .stringList:
            if case .array(let items) = json {
                var strings: [String] = []
                for item in items {
                    guard case .string(let s) = item else { return fail("a list of strings") }
                    strings.append(s)
                }
                return .success(.stringList(strings))
            }
            return fail("a list of strings")
        }
    }

    public static func encode(_ value: Value) -> JSONValue {
        switch value {
        case .string(let s): .string(s)
        case .integer(let i): .int(i)
        case .decimal(let d): .number(NSDecimalNumber(decimal: d).doubleValue)
        case .boolean(let b): .bool(b)
        case .date(let d): .string(d.description)
        case .datetime(let d): .string(SwedishCalendar.isoUTCString(d))
        case .duration(let d): .string(d.description)
        case .stringList(let l): .array(l.map(JSONValue.string))
        }
    }

    static let posix = Locale(identifier: "en_US_POSIX")

    /// Parses an RFC 3339 instant with or without fractional seconds.
    public static func parseInstant(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}

/// Why a JSON value does not fit a field's type.
public struct FieldProblemText: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}
