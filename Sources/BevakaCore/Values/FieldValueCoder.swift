import Foundation

/// Converts between JSON (API, storage) and typed field values.
public enum FieldValueCoder {
    /// Decodes `json` as `type`, or says exactly why it cannot (e.g. "expected a date YYYY-MM-DD, got 12").
    ///
    /// Every value is also held to ``InputLimits``: text without control
    /// characters and of bounded length, numbers of bounded magnitude, dates
    /// and instants within the years a case can span, durations of at most ten years.
    ///
    /// `checkingLimits: false` reads what the store holds: the same formats, without the
    /// limits, so that a value an earlier release accepted still reads back (new input is
    /// always checked).
    public static func decode(_ json: JSONValue, as type: ValueType, checkingLimits: Bool = true) -> Result<Value, FieldProblemText> {
        func fail(_ expected: String) -> Result<Value, FieldProblemText> {
            .failure(FieldProblemText("expected \(expected), got \(json)"))
        }
        func checkedText(_ text: String, _ value: Value) -> Result<Value, FieldProblemText> {
            guard checkingLimits else { return .success(value) }
            return InputLimits.textProblem(text).map { .failure(FieldProblemText($0)) } ?? .success(value)
        }
        func checkedNumber(_ number: Decimal, _ value: Value) -> Result<Value, FieldProblemText> {
            guard checkingLimits else { return .success(value) }
            if let problem = InputLimits.magnitudeProblem(number) { return .failure(FieldProblemText(problem)) }
            // Stored as text and read back: a tiny fraction (1e-41) would write digits that do not read back.
            if case .decimal = value, max(-number.exponent, 0) > InputLimits.decimalPlaces {
                return .failure(FieldProblemText("has more than \(InputLimits.decimalPlaces) decimals, got \(number)"))
            }
            return .success(value)
        }
        switch type {
        case .string:
            if case .string(let s) = json { return checkedText(s, .string(s)) }
            return fail("a string")
        case .integer:
            switch json {
            case .int(let i): return checkedNumber(Decimal(i), .integer(i))
            case .number(let d) where d.rounded() == d && abs(d) < 9e15: return checkedNumber(Decimal(Int(d)), .integer(Int(d)))
            default: return fail("a whole number")
            }
        case .decimal:
            switch json {
            case .int(let i): return checkedNumber(Decimal(i), .decimal(Decimal(i)))
            case .number(let d):
                guard d.isFinite, let decimal = Decimal(string: String(d), locale: posix) else { return fail("a number") }
                return checkedNumber(decimal, .decimal(decimal))
            case .string(let s):
                if s.utf8.count <= (checkingLimits ? 40 : 200), let d = Decimal(string: s, locale: posix),
                   s.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil {
                    return checkedNumber(d, .decimal(d))
                }
                return fail("a number")
            default: return fail("a number")
            }
        case .boolean:
            if case .bool(let b) = json { return .success(.boolean(b)) }
            return fail("true or false")
        case .date:
            guard case .string(let s) = json, let d = LocalDate(iso: s) else { return fail("a date YYYY-MM-DD that exists in the calendar") }
            guard checkingLimits else { return .success(.date(d)) }
            return InputLimits.dateProblem(d).map { .failure(FieldProblemText($0)) } ?? .success(.date(d))
        case .datetime:
            guard case .string(let s) = json else { return fail("a date and time with zone, e.g. 2026-12-01T09:00:00+01:00") }
            do { return .success(.datetime(try RFC3339.parse(s, checkingRange: checkingLimits))) } catch {
                return .failure(FieldProblemText("expected a date and time with zone, e.g. 2026-12-01T09:00:00+01:00: \(error.reason); got \(json)"))
            }
        case .duration:
            guard case .string(let s) = json else { return fail("a duration such as P14D or '10 working days'") }
            do { return .success(.duration(try WorkflowDuration(parsing: s))) } catch {
                return .failure(FieldProblemText(error.message))
            }
        case .enumeration(let values):
            if case .string(let s) = json, values.contains(s) { return .success(.string(s)) }
            return fail("one of \(values.joined(separator: ", "))")
        case .stringList:
            guard case .array(let items) = json else { return fail("a list of strings") }
            guard items.count <= 1_000 || !checkingLimits else { return .failure(FieldProblemText("a list holds at most 1000 strings, got \(items.count)")) }
            var strings: [String] = []
            for item in items {
                guard case .string(let s) = item else { return fail("a list of strings") }
                if checkingLimits, let problem = InputLimits.textProblem(s) { return .failure(FieldProblemText("an item \(problem)")) }
                strings.append(s)
            }
            return .success(.stringList(strings))
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

    /// Parses an RFC 3339 instant strictly (``RFC3339/parse(_:)``), or nil.
    public static func parseInstant(_ text: String) -> Date? { try? RFC3339.parse(text) }
}

/// Why a JSON value does not fit a field's type.
public struct FieldProblemText: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}
