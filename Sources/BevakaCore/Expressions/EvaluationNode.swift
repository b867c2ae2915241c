import Foundation

/// A type-checked expression tree, ready to evaluate.
///
/// The checker has already inserted integer→decimal promotions and resolved
/// every operator to one of these cases, so evaluation only has to deal with
/// run-time failures: unset fields, overflow, division by zero, and values the
/// caller supplies with the wrong type.
indirect enum EvaluationNode: Sendable {
    enum Arithmetic: Sendable {
        case add, subtract, multiply, divide, remainder
    }

    enum Comparison: Sendable {
        case equal, notEqual, less, lessEqual, greater, greaterEqual
    }

    /// How two values are ordered: by their natural order, or an enum's declared order.
    enum Ordering: Sendable {
        case natural
        case enumeration([String])
    }

    case constant(Value)
    /// Reads a field; the type is the declared one, used to validate what the caller supplies.
    case read(String, ValueType)
    case isSet(String)
    case stringList([EvaluationNode])
    case toDecimal(EvaluationNode)
    case negate(EvaluationNode)
    case not(EvaluationNode)
    /// Both operands have the same numeric type (integer, or decimal after promotion).
    case arithmetic(Arithmetic, EvaluationNode, EvaluationNode)
    case concatenate(EvaluationNode, EvaluationNode)
    /// Whole days from the first date to the second.
    case daysBetween(EvaluationNode, EvaluationNode)
    /// A date moved forwards (or backwards) by a date-only duration, in the Swedish calendar
    /// (months clamp to the month's end; working days skip weekends and holidays).
    case shiftDate(EvaluationNode, EvaluationNode, backwards: Bool)
    case compare(Comparison, EvaluationNode, EvaluationNode, Ordering)
    /// `element in [a, b, …]`.
    case member(EvaluationNode, [EvaluationNode], negated: Bool)
    /// `element in stringList`.
    case memberOfList(EvaluationNode, EvaluationNode, negated: Bool)
    case and(EvaluationNode, EvaluationNode)
    case or(EvaluationNode, EvaluationNode)
    case conditional(EvaluationNode, EvaluationNode, EvaluationNode)
    case minimum(EvaluationNode, EvaluationNode)
    case maximum(EvaluationNode, EvaluationNode)
    case absolute(EvaluationNode)

    func evaluate(_ lookup: (String) -> Value?) throws(EvaluationError) -> Value {
        switch self {
        case .constant(let value):
            return value
        case .read(let name, let type):
            guard let value = lookup(name) else { throw .unset(name) }
            return try Self.conform(value, to: type, name: name)
        case .isSet(let name):
            return .boolean(lookup(name) != nil)
        case .stringList(let elements):
            var strings: [String] = []
            for element in elements { strings.append(try element.evaluate(lookup).asString()) }
            return .stringList(strings)
        case .toDecimal(let operand):
            return .decimal(try operand.evaluate(lookup).asDecimal())
        case .negate(let operand):
            switch try operand.evaluate(lookup) {
            case .integer(let i):
                let (result, overflow) = Int(0).subtractingReportingOverflow(i)
                if overflow { throw .overflow }
                return .integer(result)
            case let other:
                return .decimal(-(try other.asDecimal()))
            }
        case .not(let operand):
            return .boolean(!(try operand.evaluate(lookup).asBoolean()))
        case .arithmetic(let op, let lhs, let rhs):
            return try Self.arithmetic(op, try lhs.evaluate(lookup), try rhs.evaluate(lookup))
        case .concatenate(let lhs, let rhs):
            return .string(try lhs.evaluate(lookup).asString() + rhs.evaluate(lookup).asString())
        case .daysBetween(let from, let to):
            let start = try from.evaluate(lookup).asDate()
            let end = try to.evaluate(lookup).asDate()
            return .integer(start.days(until: end))
        case .shiftDate(let date, let by, let backwards):
            let day = try date.evaluate(lookup).asDate()
            guard case .duration(let duration) = try by.evaluate(lookup) else { throw .invalid("expected a duration") }
            guard duration.isDateOnly else {
                throw .invalid("a date moves by years, months, weeks, days or working days, not by \(duration)")
            }
            guard backwards else { return .date(SwedishCalendar().adding(duration, to: day)) }
            switch duration {
            case .iso(let d):
                return .date(day.adding(days: -(d.weeks * 7 + d.days)).adding(months: -(d.years * 12 + d.months)))
            case .workingDays(let n):
                return .date(SwedishCalendar().addingWorkingDays(-n, to: day))
            }
        case .compare(let op, let lhs, let rhs, let ordering):
            let a = try lhs.evaluate(lookup)
            let b = try rhs.evaluate(lookup)
            switch op {
            case .equal: return .boolean(Self.equal(a, b))
            case .notEqual: return .boolean(!Self.equal(a, b))
            case .less: return .boolean(try Self.order(a, b, ordering) < 0)
            case .lessEqual: return .boolean(try Self.order(a, b, ordering) <= 0)
            case .greater: return .boolean(try Self.order(a, b, ordering) > 0)
            case .greaterEqual: return .boolean(try Self.order(a, b, ordering) >= 0)
            }
        case .member(let element, let candidates, let negated):
            let value = try element.evaluate(lookup)
            for candidate in candidates where Self.equal(value, try candidate.evaluate(lookup)) {
                return .boolean(!negated)
            }
            return .boolean(negated)
        case .memberOfList(let element, let list, let negated):
            let value = try element.evaluate(lookup).asString()
            let strings = try list.evaluate(lookup).asStringList()
            return .boolean(strings.contains(value) != negated)
        case .and(let lhs, let rhs):
            guard try lhs.evaluate(lookup).asBoolean() else { return .boolean(false) }
            return .boolean(try rhs.evaluate(lookup).asBoolean())
        case .or(let lhs, let rhs):
            if try lhs.evaluate(lookup).asBoolean() { return .boolean(true) }
            return .boolean(try rhs.evaluate(lookup).asBoolean())
        case .conditional(let condition, let whenTrue, let whenFalse):
            return try condition.evaluate(lookup).asBoolean() ? whenTrue.evaluate(lookup) : whenFalse.evaluate(lookup)
        case .minimum(let lhs, let rhs):
            let a = try lhs.evaluate(lookup)
            let b = try rhs.evaluate(lookup)
            return try Self.order(b, a, .natural) < 0 ? b : a
        case .maximum(let lhs, let rhs):
            let a = try lhs.evaluate(lookup)
            let b = try rhs.evaluate(lookup)
            return try Self.order(b, a, .natural) > 0 ? b : a
        case .absolute(let operand):
            switch try operand.evaluate(lookup) {
            case .integer(let i):
                guard i != .min else { throw .overflow }
                return .integer(abs(i))
            case let other:
                return .decimal(abs(try other.asDecimal()))
            }
        }
    }

    // MARK: - Helpers

    /// Checks a caller-supplied value against the declared type (integers are accepted as decimals).
    private static func conform(_ value: Value, to type: ValueType, name: String) throws(EvaluationError) -> Value {
        switch (type, value) {
        case (.string, .string), (.enumeration, .string), (.integer, .integer), (.decimal, .decimal),
             (.boolean, .boolean), (.date, .date), (.datetime, .datetime), (.duration, .duration),
             (.stringList, .stringList):
            return value
        case (.decimal, .integer(let i)):
            return .decimal(Decimal(i))
        default:
            throw .invalid("'\(name)' is declared \(type) but holds \(value)")
        }
    }

    private static func arithmetic(_ op: Arithmetic, _ a: Value, _ b: Value) throws(EvaluationError) -> Value {
        if case .integer(let x) = a, case .integer(let y) = b, op != .divide {
            let result: (partialValue: Int, overflow: Bool)
            switch op {
            case .add: result = x.addingReportingOverflow(y)
            case .subtract: result = x.subtractingReportingOverflow(y)
            case .multiply: result = x.multipliedReportingOverflow(by: y)
            case .remainder:
                guard y != 0 else { throw .divisionByZero }
                result = x.remainderReportingOverflow(dividingBy: y)
            case .divide: preconditionFailure("integer division is promoted to decimal")
            }
            if result.overflow { throw .overflow }
            return .integer(result.partialValue)
        }
        let x = try a.asDecimal()
        let y = try b.asDecimal()
        let result: Decimal
        switch op {
        case .add: result = x + y
        case .subtract: result = x - y
        case .multiply: result = x * y
        case .divide:
            guard !y.isZero else { throw .divisionByZero }
            result = x / y
        case .remainder: throw .invalid("'%' needs integer operands")
        }
        if result.isNaN { throw .overflow }
        return .decimal(result)
    }

    /// Equality with integers and decimals compared numerically.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.integer(let x), .decimal(let y)): Decimal(x) == y
        case (.decimal(let x), .integer(let y)): x == Decimal(y)
        default: a == b
        }
    }

    /// -1, 0 or 1 as `a` sorts before, with, or after `b`.
    private static func order(_ a: Value, _ b: Value, _ ordering: Ordering) throws(EvaluationError) -> Int {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        if case .enumeration(let values) = ordering {
            let x = try a.asString()
            let y = try b.asString()
            guard let i = values.firstIndex(of: x) else { throw .invalid("'\(x)' is not one of \(values.joined(separator: ", "))") }
            guard let j = values.firstIndex(of: y) else { throw .invalid("'\(y)' is not one of \(values.joined(separator: ", "))") }
            return sign(i, j)
        }
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return sign(x, y)
        case (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal): return sign(try a.asDecimal(), try b.asDecimal())
        case (.string(let x), .string(let y)): return sign(x, y)
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.datetime(let x), .datetime(let y)): return sign(x, y)
        default: throw .invalid("cannot order \(a) and \(b)")
        }
    }
}

extension Value {
    fileprivate func asBoolean() throws(EvaluationError) -> Bool {
        guard case .boolean(let b) = self else { throw .invalid("expected a boolean, found \(self)") }
        return b
    }

    fileprivate func asString() throws(EvaluationError) -> String {
        guard case .string(let s) = self else { throw .invalid("expected a string, found \(self)") }
        return s
    }

    fileprivate func asStringList() throws(EvaluationError) -> [String] {
        guard case .stringList(let l) = self else { throw .invalid("expected a list of strings, found \(self)") }
        return l
    }

    fileprivate func asDate() throws(EvaluationError) -> LocalDate {
        guard case .date(let d) = self else { throw .invalid("expected a date, found \(self)") }
        return d
    }

    fileprivate func asDecimal() throws(EvaluationError) -> Decimal {
        switch self {
        case .integer(let i): return Decimal(i)
        case .decimal(let d): return d
        default: throw .invalid("expected a number, found \(self)")
        }
    }
}
