import Foundation

/// Type-checks an ``ExpressionSyntax`` tree against the names a workflow
/// declares and lowers it to an ``EvaluationNode``.
///
/// The checker keeps going after an error so that one compile reports every
/// type error in the expression. A subexpression whose type cannot be known
/// yields `nil`, and operators above it stay quiet about it instead of
/// reporting knock-on errors; operators whose result type is fixed (comparisons,
/// `and`, `or`, `not`, `isSet`, `days`, `date`, `duration`) still report their type.
struct ExpressionChecker {
    struct Typed {
        let node: EvaluationNode
        let type: ValueType
    }

    typealias Syntax = ExpressionSyntax

    static let functions = ["isSet", "min", "max", "abs", "days", "date", "duration"]

    let environment: [String: ValueType]
    private(set) var diagnostics: [ExpressionDiagnostic] = []
    /// Every declared name the expression reads (including through `isSet`).
    private(set) var names: Set<String> = []

    init(environment: [String: ValueType]) {
        self.environment = environment
    }

    private mutating func error(_ offset: Int, _ message: String) {
        diagnostics.append(ExpressionDiagnostic(offset: offset, message: message))
    }

    /// Stand-in for an operand that failed to check but whose type is known.
    private static func placeholder(_ type: ValueType) -> Typed {
        let value: Value =
            switch type {
            case .integer: .integer(0)
            case .date: .date(LocalDate(year: 1970, month: 1, day: 1))
            case .duration: .duration(.iso(.init()))
            default: .boolean(false)
            }
        return Typed(node: .constant(value), type: type)
    }

    // MARK: - Expressions

    mutating func check(_ syntax: Syntax) -> Typed? {
        switch syntax.kind {
        case .integer(let i):
            return Typed(node: .constant(.integer(i)), type: .integer)
        case .decimal(let d):
            return Typed(node: .constant(.decimal(d)), type: .decimal)
        case .string(let s):
            return Typed(node: .constant(.string(s)), type: .string)
        case .boolean(let b):
            return Typed(node: .constant(.boolean(b)), type: .boolean)
        case .list(let elements):
            var nodes: [EvaluationNode] = []
            for element in elements {
                guard let typed = check(element) else { continue }
                if typed.type == .string || typed.type.isEnumeration {
                    nodes.append(typed.node)
                } else {
                    error(element.offset, "a list used as a value must hold strings, found \(typed.type)")
                }
            }
            return Typed(node: .stringList(nodes), type: .stringList)
        case .name(let name):
            guard let type = resolve(name, at: syntax.offset) else { return nil }
            return Typed(node: .read(name, type), type: type)
        case .call(let name, let arguments):
            return call(name, arguments, at: syntax.offset)
        case .unary(.negate, let operand):
            guard let typed = check(operand) else { return nil }
            guard typed.type.isNumeric else {
                error(syntax.offset, "'-' needs a number, found \(typed.type)")
                return nil
            }
            return Typed(node: .negate(typed.node), type: typed.type)
        case .unary(.not, let operand):
            let node = boolean(operand, "'not' needs a boolean")
            return Typed(node: .not(node), type: .boolean)
        case .binary(let op, let lhs, let rhs, let operatorOffset):
            return binary(op, lhs, rhs, operatorOffset: operatorOffset)
        case .conditional(let condition, let whenTrue, let whenFalse):
            let test = boolean(condition, "the condition before '?' must be boolean")
            let a = check(whenTrue)
            let b = check(whenFalse)
            guard let a, let b else { return nil }
            guard let unified = Self.unify(a, b) else {
                error(whenFalse.offset, "the branches of '?' have different types: \(a.type) and \(b.type)")
                return nil
            }
            return Typed(node: .conditional(test, unified.0, unified.1), type: unified.type)
        }
    }

    /// Checks an operand that must be boolean; reports and substitutes `false` otherwise.
    private mutating func boolean(_ syntax: Syntax, _ requirement: String) -> EvaluationNode {
        guard let typed = check(syntax) else { return .constant(.boolean(false)) }
        guard typed.type == .boolean else {
            error(syntax.offset, "\(requirement), found \(typed.type)")
            return .constant(.boolean(false))
        }
        return typed.node
    }

    private mutating func resolve(_ name: String, at offset: Int) -> ValueType? {
        guard let type = environment[name] else {
            error(offset, "unknown name '\(name)'" + Self.didYouMean(name, among: environment.keys))
            return nil
        }
        names.insert(name)
        return type
    }

    // MARK: - Binary operators

    private mutating func binary(_ op: Syntax.BinaryOperator, _ lhsSyntax: Syntax, _ rhsSyntax: Syntax, operatorOffset: Int) -> Typed? {
        switch op {
        case .and, .or:
            let a = boolean(lhsSyntax, "'\(op.rawValue)' needs boolean operands")
            let b = boolean(rhsSyntax, "'\(op.rawValue)' needs boolean operands")
            return Typed(node: op == .and ? .and(a, b) : .or(a, b), type: .boolean)
        case .in, .notIn:
            return membership(lhsSyntax, rhsSyntax, negated: op == .notIn, operatorOffset: operatorOffset)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let a = check(lhsSyntax)
            let b = check(rhsSyntax)
            guard let a, let b else { return Self.placeholder(.boolean) }
            guard let ordering = comparable(op, a, lhsSyntax, b, rhsSyntax, at: operatorOffset,
                                            mismatch: "cannot compare \(a.type) with \(b.type)")
            else { return Self.placeholder(.boolean) }
            return Typed(node: .compare(Self.comparison(op), a.node, b.node, ordering), type: .boolean)
        case .add, .subtract, .multiply, .divide, .remainder:
            let a = check(lhsSyntax)
            let b = check(rhsSyntax)
            guard let a, let b else { return nil }
            return arithmetic(op, a, b, at: operatorOffset)
        }
    }

    private static func comparison(_ op: Syntax.BinaryOperator) -> EvaluationNode.Comparison {
        switch op {
        case .notEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        default: .equal
        }
    }

    private mutating func arithmetic(_ op: Syntax.BinaryOperator, _ a: Typed, _ b: Typed, at offset: Int) -> Typed? {
        let kind: EvaluationNode.Arithmetic
        switch op {
        case .add: kind = .add
        case .subtract: kind = .subtract
        case .multiply: kind = .multiply
        case .divide: kind = .divide
        default: kind = .remainder
        }
        if a.type.isNumeric && b.type.isNumeric {
            if op == .remainder && (a.type != .integer || b.type != .integer) {
                error(offset, "'%' needs integers, found \(a.type) and \(b.type)")
                return nil
            }
            let decimal = op == .divide || a.type == .decimal || b.type == .decimal
            let node = EvaluationNode.arithmetic(kind, Self.promote(a, decimal), Self.promote(b, decimal))
            return Typed(node: node, type: decimal ? .decimal : .integer)
        }
        if op == .add && a.type.isStringLike && b.type.isStringLike {
            return Typed(node: .concatenate(a.node, b.node), type: .string)
        }
        if op == .subtract && a.type == .date && b.type == .date {
            return Typed(node: .daysBetween(b.node, a.node), type: .integer)
        }
        // A date moved by a calendar duration: planSenast + duration('P1M'), giltigTill - duration('P6M').
        if (op == .add || op == .subtract) && a.type == .date && b.type == .duration {
            if case .constant(.duration(let duration)) = b.node, !duration.isDateOnly {
                error(offset, "a date moves by years, months, weeks or days; '\(duration)' has hours, minutes or seconds")
                return nil
            }
            return Typed(node: .shiftDate(a.node, b.node, backwards: op == .subtract), type: .date)
        }
        if op == .add && a.type == .duration && b.type == .date {
            return Typed(node: .shiftDate(b.node, a.node, backwards: false), type: .date)
        }
        error(offset, "'\(op.rawValue)' cannot combine \(a.type) and \(b.type)")
        return nil
    }

    private static func promote(_ typed: Typed, _ toDecimal: Bool) -> EvaluationNode {
        guard toDecimal, typed.type == .integer else { return typed.node }
        if case .constant(.integer(let i)) = typed.node { return .constant(.decimal(Decimal(i))) }
        return .toDecimal(typed.node)
    }

    /// Decides how two operands compare, or reports why they cannot.
    ///
    /// `mismatch` is the message for operands of unrelated types, reported at `offset`.
    private mutating func comparable(
        _ op: Syntax.BinaryOperator, _ a: Typed, _ aSyntax: Syntax, _ b: Typed, _ bSyntax: Syntax,
        at offset: Int, mismatch: String
    ) -> EvaluationNode.Ordering? {
        let ordering = op.isOrdering
        switch (a.type, b.type) {
        case _ where a.type.isNumeric && b.type.isNumeric:
            return .natural
        case (.string, .string), (.date, .date), (.datetime, .datetime):
            return .natural
        case (.boolean, .boolean), (.duration, .duration):
            if ordering {
                error(offset, "\(a.type) values can only be compared with == or !=")
                return nil
            }
            return .natural
        case (.enumeration(let x), .enumeration(let y)):
            guard Set(x) == Set(y) else {
                error(offset, "cannot compare \(Self.describe(aSyntax, a.type)) with \(Self.describe(bSyntax, b.type))")
                return nil
            }
            guard ordering else { return .natural }
            guard x == y else {
                error(offset, "cannot order \(Self.describe(aSyntax, a.type)) against \(Self.describe(bSyntax, b.type)): their values are declared in a different order")
                return nil
            }
            return .enumeration(x)
        case (.enumeration(let values), .string):
            return enumAgainstString(values, aSyntax, a.type, bSyntax, ordering: ordering, at: offset)
        case (.string, .enumeration(let values)):
            return enumAgainstString(values, bSyntax, b.type, aSyntax, ordering: ordering, at: offset)
        default:
            error(offset, mismatch)
            return nil
        }
    }

    private mutating func enumAgainstString(
        _ values: [String], _ enumSyntax: Syntax, _ enumType: ValueType, _ stringSyntax: Syntax,
        ordering: Bool, at offset: Int
    ) -> EvaluationNode.Ordering? {
        if case .string(let literal) = stringSyntax.kind {
            guard values.contains(literal) else {
                error(stringSyntax.offset, "'\(literal)' is not a value of \(Self.describe(enumSyntax, enumType))")
                return nil
            }
            return ordering ? .enumeration(values) : .natural
        }
        if ordering {
            error(offset, "\(Self.describe(enumSyntax, enumType)) can only be ordered against a string literal or the same enum")
            return nil
        }
        return .natural
    }

    /// `level (none, yellow, red)` for a name, else the type as written.
    private static func describe(_ syntax: Syntax, _ type: ValueType) -> String {
        if case .name(let name) = syntax.kind, case .enumeration(let values) = type {
            return "\(name) (\(values.joined(separator: ", ")))"
        }
        return type.description
    }

    private mutating func membership(_ lhsSyntax: Syntax, _ rhsSyntax: Syntax, negated: Bool, operatorOffset: Int) -> Typed {
        let word = negated ? "'not in'" : "'in'"
        let element = check(lhsSyntax)
        if case .list(let itemsSyntax) = rhsSyntax.kind {
            var items: [EvaluationNode] = []
            for itemSyntax in itemsSyntax {
                guard let item = check(itemSyntax) else { continue }
                items.append(item.node)
                guard let element else { continue }
                _ = comparable(.equal, element, lhsSyntax, item, itemSyntax, at: itemSyntax.offset,
                               mismatch: "list element is \(item.type) but the value looked for is \(element.type)")
            }
            guard let element else { return Self.placeholder(.boolean) }
            return Typed(node: .member(element.node, items, negated: negated), type: .boolean)
        }
        let list = check(rhsSyntax)
        if let list, list.type != .stringList {
            error(rhsSyntax.offset, "\(word) needs a list on its right, found \(list.type)")
            return Self.placeholder(.boolean)
        }
        if let element, !element.type.isStringLike {
            error(lhsSyntax.offset, "\(word) a list of strings needs a string on its left, found \(element.type)")
            return Self.placeholder(.boolean)
        }
        guard let element, let list else { return Self.placeholder(.boolean) }
        return Typed(node: .memberOfList(element.node, list.node, negated: negated), type: .boolean)
    }

    /// Brings two branches of `?:` to one type: integer+decimal → decimal, enum+string → string.
    private static func unify(_ a: Typed, _ b: Typed) -> (EvaluationNode, EvaluationNode, type: ValueType)? {
        if a.type == b.type { return (a.node, b.node, a.type) }
        if a.type.isNumeric && b.type.isNumeric { return (promote(a, true), promote(b, true), .decimal) }
        if a.type.isStringLike && b.type.isStringLike {
            if case .enumeration(let x) = a.type, case .enumeration(let y) = b.type, Set(x) != Set(y) { return nil }
            if case .enumeration = a.type, case .enumeration = b.type { return (a.node, b.node, a.type) }
            return (a.node, b.node, .string)
        }
        return nil
    }

    // MARK: - Functions

    private mutating func call(_ name: String, _ arguments: [Syntax], at offset: Int) -> Typed? {
        func arity(_ count: Int) -> Bool {
            guard arguments.count == count else {
                error(offset, "\(name)() takes \(count) argument\(count == 1 ? "" : "s"), found \(arguments.count)")
                return false
            }
            return true
        }
        switch name {
        case "isSet":
            guard arity(1) else { return Self.placeholder(.boolean) }
            guard case .name(let field) = arguments[0].kind else {
                error(arguments[0].offset, "isSet() takes a field name, such as isSet(deadline)")
                return Self.placeholder(.boolean)
            }
            guard resolve(field, at: arguments[0].offset) != nil else { return Self.placeholder(.boolean) }
            return Typed(node: .isSet(field), type: .boolean)
        case "min", "max":
            let typed = arguments.map { check($0) }
            guard arity(2), let a = typed[0], let b = typed[1] else { return nil }
            let isMin = name == "min"
            func node(_ x: EvaluationNode, _ y: EvaluationNode) -> EvaluationNode {
                isMin ? .minimum(x, y) : .maximum(x, y)
            }
            if a.type.isNumeric && b.type.isNumeric {
                let decimal = a.type == .decimal || b.type == .decimal
                return Typed(node: node(Self.promote(a, decimal), Self.promote(b, decimal)), type: decimal ? .decimal : .integer)
            }
            if a.type == b.type && [ValueType.date, .datetime, .string].contains(a.type) {
                return Typed(node: node(a.node, b.node), type: a.type)
            }
            error(offset, "\(name)() needs two numbers, dates, datetimes or strings, found \(a.type) and \(b.type)")
            return nil
        case "abs":
            let typed = arguments.map { check($0) }
            guard arity(1), let a = typed[0] else { return nil }
            guard a.type.isNumeric else {
                error(arguments[0].offset, "abs() needs a number, found \(a.type)")
                return nil
            }
            return Typed(node: .absolute(a.node), type: a.type)
        case "days":
            let typed = arguments.map { check($0) }
            guard arity(2) else { return Self.placeholder(.integer) }
            var ok = true
            for (index, argument) in typed.enumerated() {
                if let argument, argument.type != .date {
                    error(arguments[index].offset, "days() needs dates, found \(argument.type)")
                    ok = false
                }
            }
            guard ok, let from = typed[0], let to = typed[1] else { return Self.placeholder(.integer) }
            return Typed(node: .daysBetween(from.node, to.node), type: .integer)
        case "date":
            guard arity(1) else { return Self.placeholder(.date) }
            guard case .string(let text) = arguments[0].kind else {
                error(arguments[0].offset, "date() takes a string literal, such as date('2026-01-31')")
                return Self.placeholder(.date)
            }
            guard let date = LocalDate(iso: text) else {
                error(arguments[0].offset, "'\(text)' is not a valid date (YYYY-MM-DD)")
                return Self.placeholder(.date)
            }
            return Typed(node: .constant(.date(date)), type: .date)
        case "duration":
            guard arity(1) else { return Self.placeholder(.duration) }
            guard case .string(let text) = arguments[0].kind else {
                error(arguments[0].offset, "duration() takes a string literal, such as duration('P14D')")
                return Self.placeholder(.duration)
            }
            guard let duration = Self.isoDuration(text) else {
                error(arguments[0].offset, "'\(text)' is not an ISO 8601 duration such as P14D, P2W, P1M or PT4H")
                return Self.placeholder(.duration)
            }
            return Typed(node: .constant(.duration(.iso(duration))), type: .duration)
        default:
            for argument in arguments { _ = check(argument) }
            error(offset, "unknown function '\(name)'" + Self.didYouMean(name, among: Self.functions)
                  + "; functions are \(Self.functions.joined(separator: ", "))")
            return nil
        }
    }

    /// Parses `PnYnMnWnD` with an optional `TnHnMnS` part, each component optional but at least one present.
    static func isoDuration(_ text: String) -> WorkflowDuration.ISODuration? {
        var rest = Substring(text)
        guard rest.first == "P" else { return nil }
        rest = rest.dropFirst()
        var duration = WorkflowDuration.ISODuration()
        var components = 0
        var inTime = false
        var allowed: [Character] = ["Y", "M", "W", "D"]
        while let c = rest.first {
            if c == "T" {
                guard !inTime else { return nil }
                inTime = true
                allowed = ["H", "M", "S"]
                rest = rest.dropFirst()
                guard !rest.isEmpty else { return nil }
                continue
            }
            let digits = rest.prefix { ("0"..."9").contains($0) }
            guard !digits.isEmpty, digits.count <= 9, let n = Int(String(digits)) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let position = allowed.firstIndex(of: unit) else { return nil }
            rest = rest.dropFirst()
            allowed.removeFirst(position + 1)
            components += 1
            switch (inTime, unit) {
            case (false, "Y"): duration.years = n
            case (false, "M"): duration.months = n
            case (false, "W"): duration.weeks = n
            case (false, "D"): duration.days = n
            case (true, "H"): duration.hours = n
            case (true, "M"): duration.minutes = n
            default: duration.seconds = n
            }
        }
        return components > 0 ? duration : nil
    }

    /// `; did you mean 'x'?` for up to three declared names close to `name`, or nothing.
    static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String {
        let lowered = name.lowercased()
        let limit = max(1, lowered.count / 3)
        let close = candidates
            .map { (name: $0, distance: editDistance(lowered, $0.lowercased())) }
            .filter { $0.distance <= limit }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
            .prefix(3)
            .map { "'\($0.name)'" }
        switch close.count {
        case 0: return ""
        case 1: return "; did you mean \(close[0])?"
        default: return "; did you mean \(close.dropLast().joined(separator: ", ")) or \(close.last!)?"
        }
    }

    /// Edit distance counting insertions, deletions, substitutions and adjacent swaps.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

extension ValueType {
    fileprivate var isNumeric: Bool { self == .integer || self == .decimal }

    fileprivate var isEnumeration: Bool {
        if case .enumeration = self { return true }
        return false
    }

    /// Strings and enum values: both are strings at run time.
    fileprivate var isStringLike: Bool { self == .string || isEnumeration }
}
