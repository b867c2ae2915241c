import Foundation
import Testing
@testable import BevakaCore

/// Names used across the tests, shaped like a Kalmar-style risk assessment.
private let names: [String: ValueType] = [
    "severity": .integer,
    "deviation": .integer,
    "score": .integer,
    "weight": .decimal,
    "selfReported": .boolean,
    "level": .enumeration(["none", "yellow", "red", "black"]),
    "colour": .enumeration(["green", "yellow", "red", "black"]),
    "officer": .string,
    "tags": .stringList,
    "received": .date,
    "deadline": .date,
    "decidedAt": .datetime,
    "grace": .duration,
]

private func compile(_ source: String) throws -> CheckedExpression {
    try CheckedExpression.compile(source, names: names)
}

private func evaluate(_ source: String, _ values: [String: Value] = [:]) throws -> Value {
    try compile(source).evaluate { values[$0] }
}

/// The diagnostics of a source that must fail to compile (empty if it compiled).
private func diagnostics(_ source: String) -> [ExpressionDiagnostic] {
    do {
        _ = try CheckedExpression.compile(source, names: names)
        return []
    } catch {
        return error.diagnostics
    }
}

private func evaluationError(_ source: String, _ values: [String: Value] = [:]) throws -> EvaluationError? {
    let expression = try compile(source)
    do {
        _ = try expression.evaluate { values[$0] }
        return nil
    } catch {
        return error
    }
}

private func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

// MARK: - Kalmar

@Suite struct ExpressionKalmarTests {
    static let score = "severity * deviation"
    static let colour = "score <= 2 ? 'green' : score <= 6 ? 'yellow' : score <= 12 ? 'red' : 'black'"

    static func expectedColour(_ product: Int) -> String {
        switch product {
        case ...2: "green"
        case ...6: "yellow"
        case ...12: "red"
        default: "black"
        }
    }

    @Test func scoreIsAnIntegerProduct() throws {
        let score = try compile(Self.score)
        #expect(score.type == .integer)
        #expect(score.names == ["severity", "deviation"])
        for severity in 1...4 {
            for deviation in 1...4 {
                let value = try score.evaluate { ["severity": .integer(severity), "deviation": .integer(deviation)][$0] }
                #expect(value == .integer(severity * deviation))
            }
        }
    }

    @Test func colourForEveryProductFromOneToSixteen() throws {
        let colour = try compile(Self.colour)
        #expect(colour.type == .string)
        #expect(colour.names == ["score"])
        for product in 1...16 {
            let value = try colour.evaluate { $0 == "score" ? .integer(product) : nil }
            #expect(value == .string(Self.expectedColour(product)), "score \(product)")
        }
        #expect(try colour.evaluate { _ in .integer(2) } == .string("green"))
        #expect(try colour.evaluate { _ in .integer(3) } == .string("yellow"))
        #expect(try colour.evaluate { _ in .integer(6) } == .string("yellow"))
        #expect(try colour.evaluate { _ in .integer(7) } == .string("red"))
        #expect(try colour.evaluate { _ in .integer(12) } == .string("red"))
        #expect(try colour.evaluate { _ in .integer(13) } == .string("black"))
    }

    @Test func colourThroughSeverityAndDeviation() throws {
        let score = try compile(Self.score)
        let colour = try compile(Self.colour)
        for severity in 1...4 {
            for deviation in 1...4 {
                let fields: [String: Value] = ["severity": .integer(severity), "deviation": .integer(deviation)]
                let derived = try score.evaluate { fields[$0] }
                let value = try colour.evaluate { $0 == "score" ? derived : fields[$0] }
                #expect(value == .string(Self.expectedColour(severity * deviation)))
            }
        }
    }

    @Test func rateByLevelAndSelfReport() throws {
        let rate = try compile("selfReported ? (level == 'yellow' ? 1 : 2) : (level == 'yellow' ? 3 : 6)")
        #expect(rate.type == .integer)
        #expect(rate.names == ["selfReported", "level"])
        let cases: [(Bool, String, Int)] = [
            (true, "yellow", 1), (true, "red", 2), (true, "black", 2), (true, "none", 2),
            (false, "yellow", 3), (false, "red", 6), (false, "black", 6),
        ]
        for (selfReported, level, expected) in cases {
            let value = try rate.evaluate { ["selfReported": .boolean(selfReported), "level": .string(level)][$0] }
            #expect(value == .integer(expected), "\(selfReported) \(level)")
        }
    }

    @Test func enumComparedWithAValueItDoesNotHave() {
        let found = diagnostics("colour == 'purple'")
        #expect(found == [ExpressionDiagnostic(offset: 10, message: "'purple' is not a value of colour (green, yellow, red, black)")])
    }

    @Test func enumsOrderByDeclaration() throws {
        let severe = try compile("level >= 'red'")
        #expect(try severe.evaluate { _ in .string("yellow") } == .boolean(false))
        #expect(try severe.evaluate { _ in .string("red") } == .boolean(true))
        #expect(try severe.evaluate { _ in .string("black") } == .boolean(true))
        #expect(try severe.evaluate { _ in .string("none") } == .boolean(false))
    }
}

// MARK: - Type errors

@Suite struct ExpressionTypeErrorTests {
    @Test func addingAStringToAnInteger() {
        let found = diagnostics("severity + 'x'")
        #expect(found.count == 1)
        #expect(found.first?.offset == 9)
        #expect(found.first?.message == "'+' cannot combine integer and string")
    }

    @Test func enumAgainstUnknownLiteral() {
        let found = diagnostics("level == 'purple'")
        #expect(found == [ExpressionDiagnostic(offset: 9, message: "'purple' is not a value of level (none, yellow, red, black)")])
        #expect(diagnostics("'purple' != level").map(\.offset) == [0])
    }

    @Test func nonBooleanOperandOfAnd() {
        let found = diagnostics("selfReported and severity")
        #expect(found.map(\.offset) == [17])
        #expect(found.first?.message == "'and' needs boolean operands, found integer")
        #expect(diagnostics("severity or selfReported").map(\.offset) == [0])
        #expect(diagnostics("not officer").map(\.offset) == [4])
    }

    @Test func unknownNameSuggestsCloseNames() {
        let found = diagnostics("severty > 2")
        #expect(found == [ExpressionDiagnostic(offset: 0, message: "unknown name 'severty'; did you mean 'severity'?")])
        #expect(diagnostics("1 + zzzzzz").first?.message == "unknown name 'zzzzzz'")
        #expect(diagnostics("isSet(deadlin)") == [ExpressionDiagnostic(offset: 6, message: "unknown name 'deadlin'; did you mean 'deadline'?")])
    }

    @Test func reportsEveryErrorAtOnce() {
        //            0         1         2         3         4         5
        //            0123456789012345678901234567890123456789012345678901234567
        let source = "severity + 'x' > 2 or level == 'purple' or nope and 3"
        let found = diagnostics(source)
        #expect(found.map(\.offset) == [9, 31, 43, 52])
        #expect(found[0].message.contains("integer and string"))
        #expect(found[1].message.contains("'purple'"))
        #expect(found[2].message.contains("unknown name 'nope'"))
        #expect(found[3].message == "'and' needs boolean operands, found integer")
    }

    @Test func errorsInsideBranchesAndCalls() {
        let found = diagnostics("selfReported ? min(severity, 'a') : days(received, 3)")
        #expect(found.map(\.offset) == [15, 51])
    }

    @Test func mismatchedTernaryBranches() {
        #expect(diagnostics("selfReported ? 1 : 'one'").map(\.offset) == [19])
        #expect(diagnostics("severity ? 1 : 2").first?.message == "the condition before '?' must be boolean, found integer")
    }

    @Test func miscellaneousTypeErrors() {
        #expect(diagnostics("weight % 2").first?.message == "'%' needs integers, found decimal and integer")
        #expect(diagnostics("selfReported < true").first?.message == "boolean values can only be compared with == or !=")
        #expect(diagnostics("severity == officer").first?.message == "cannot compare integer with string")
        #expect(diagnostics("-officer").map(\.offset) == [0])
        #expect(diagnostics("level < officer").isEmpty == false)
        #expect(diagnostics("level == colour").isEmpty == false)
        #expect(diagnostics("frobnicate(1)").first?.message.hasPrefix("unknown function 'frobnicate'") == true)
        #expect(diagnostics("mni(1, 2)").first?.message.contains("did you mean 'min'") == true)
        #expect(diagnostics("abs(1, 2)") == [ExpressionDiagnostic(offset: 0, message: "abs() takes 1 argument, found 2")])
        #expect(diagnostics("isSet(1)").map(\.offset) == [6])
        #expect(diagnostics("[1, 2]").map(\.offset) == [1, 4])
        #expect(diagnostics("date('2026-02-30')") == [ExpressionDiagnostic(offset: 5, message: "'2026-02-30' is not a valid date (YYYY-MM-DD)")])
        #expect(diagnostics("date(officer)").map(\.offset) == [5])
        #expect(diagnostics("duration('14D')").map(\.offset) == [9])
        #expect(diagnostics("duration('PT')").map(\.offset) == [9])
        #expect(diagnostics("duration('P1D2M')").map(\.offset) == [9])
        #expect(diagnostics("grace < grace").isEmpty == false)
        #expect(diagnostics("received + 1").isEmpty == false)
    }

    @Test func offsetsCountUnicodeScalars() {
        // "e" + combining acute accent is one Character but two scalars, as libyaml counts it.
        #expect(diagnostics("'e\u{301}' == nope").map(\.offset) == [8])
    }
}

// MARK: - Parse errors

@Suite struct ExpressionParseErrorTests {
    @Test func missingOperand() {
        #expect(diagnostics("severity *") == [ExpressionDiagnostic(offset: 10, message: "expected an operand, found end of expression")])
    }

    @Test func unclosedParenthesis() {
        #expect(diagnostics("(1 + 2") == [ExpressionDiagnostic(offset: 6, message: "expected ')' to close '(', found end of expression")])
    }

    @Test func unterminatedString() {
        let found = diagnostics("'unterminated")
        #expect(found.map(\.offset) == [0])
        #expect(found.first?.message.contains("unterminated string") == true)
        #expect(diagnostics("level == \"red").map(\.offset) == [9])
    }

    @Test func otherSyntaxErrors() {
        #expect(diagnostics("").map(\.offset) == [0])
        #expect(diagnostics("severity = 2").first?.message == "unexpected '='; use '==' to compare")
        #expect(diagnostics("severity = 2").map(\.offset) == [9])
        #expect(diagnostics("1 < 2 < 3").map(\.offset) == [6])
        #expect(diagnostics("severity deviation").map(\.offset) == [9])
        #expect(diagnostics("1 + 2)").first?.message == "unexpected ')' without a matching '('")
        #expect(diagnostics("[1, 2").map(\.offset) == [5])
        #expect(diagnostics("selfReported ? 1").map(\.offset) == [16])
        #expect(diagnostics("a # b").map(\.offset) == [2])
        #expect(diagnostics("99999999999999999999").first?.message.contains("too large") == true)
        #expect(diagnostics("1.2.3").map(\.offset) == [3])
        #expect(diagnostics("'a\\qb'").map(\.offset) == [2])
        #expect(diagnostics("severity and and").map(\.offset) == [13])
    }

    @Test func deepNestingIsRejectedNotCrashed() throws {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(diagnostics(deep).first?.message == "expression is nested too deeply")
        let fine = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
        #expect(diagnostics(fine).isEmpty)
        let longSum = Array(repeating: "1", count: 1_000).joined(separator: " + ")
        #expect(diagnostics(longSum).first?.message == "expression is nested too deeply")
        let longOr = Array(repeating: "false", count: 1_000).joined(separator: " or ")
        #expect(diagnostics(longOr).first?.message == "expression is nested too deeply")
        let sum = Array(repeating: "1", count: 100).joined(separator: " + ")
        #expect(try evaluate(sum) == .integer(100))
        let conditions = Array(repeating: "severity > 1", count: 100).joined(separator: " and ")
        #expect(try evaluate(conditions, ["severity": .integer(2)]) == .boolean(true))
    }
}

// MARK: - Evaluation

@Suite struct ExpressionEvaluationTests {
    @Test func shortCircuitWithUnsetFields() throws {
        #expect(try evaluate("isSet(severity) and severity > 3") == .boolean(false))
        #expect(try evaluate("isSet(severity) and severity > 3", ["severity": .integer(4)]) == .boolean(true))
        #expect(try evaluate("not isSet(severity) or severity > 3") == .boolean(true))
        #expect(try evaluate("isSet(severity) ? severity : 0") == .integer(0))
        #expect(try evaluate("false && severity > 3") == .boolean(false))
        #expect(try evaluate("true || severity > 3") == .boolean(true))
        #expect(try evaluationError("severity > 3") == .unset("severity"))
        #expect(try evaluationError("true and severity > 3") == .unset("severity"))
        #expect(try evaluationError("isSet(severity) or deviation > 3") == .unset("deviation"))
        #expect(try compile("isSet(severity) and severity > 3").names == ["severity"])
    }

    @Test func integerOverflow() throws {
        let max: [String: Value] = ["severity": .integer(.max), "deviation": .integer(2)]
        #expect(try evaluationError("severity * deviation", max) == .overflow)
        #expect(try evaluationError("severity + 1", max) == .overflow)
        #expect(try evaluationError("-severity - 2", max) == .overflow)
        #expect(try evaluationError("-severity", ["severity": .integer(.min)]) == .overflow)
        #expect(try evaluationError("abs(severity)", ["severity": .integer(.min)]) == .overflow)
        #expect(try evaluationError("severity % -1", ["severity": .integer(.min)]) == .overflow)
        #expect(try evaluate("severity - 1", max) == .integer(.max - 1))
    }

    @Test func divisionByZero() throws {
        let zero: [String: Value] = ["severity": .integer(7), "deviation": .integer(0)]
        #expect(try evaluationError("severity / deviation", zero) == .divisionByZero)
        #expect(try evaluationError("severity % deviation", zero) == .divisionByZero)
        #expect(try evaluationError("weight / 0", ["weight": .decimal(1)]) == .divisionByZero)
        #expect(try evaluate("deviation == 0 ? 0 : severity / deviation", zero) == .decimal(0))
    }

    @Test func arithmeticTypesAndValues() throws {
        #expect(try compile("7 / 2").type == .decimal)
        #expect(try evaluate("7 / 2") == .decimal(Decimal(string: "3.5")!))
        #expect(try evaluate("7 % 3") == .integer(1))
        #expect(try evaluate("1 + 2 * 3") == .integer(7))
        #expect(try evaluate("(1 + 2) * 3") == .integer(9))
        #expect(try evaluate("2 - 3 - 4") == .integer(-5))
        #expect(try evaluate("-2 * -3") == .integer(6))
        #expect(try compile("severity + 1.5").type == .decimal)
        #expect(try evaluate("severity + 1.5", ["severity": .integer(2)]) == .decimal(Decimal(string: "3.5")!))
        #expect(try evaluate("weight * 2", ["weight": .integer(3)]) == .decimal(6))
        #expect(try evaluate("abs(-4)") == .integer(4))
        #expect(try evaluate("abs(-1.25)") == .decimal(Decimal(string: "1.25")!))
        #expect(try evaluate("min(3, 2)") == .integer(2))
        #expect(try evaluate("max(3, 2.5)") == .decimal(3))
        #expect(try compile("max(3, 2.5)").type == .decimal)
        #expect(try evaluate("'Dnr ' + officer + \"!\"", ["officer": .string("Ann")]) == .string("Dnr Ann!"))
        #expect(try evaluate("'it\\'s'") == .string("it's"))
    }

    @Test func ternaryUnifiesBranches() throws {
        let mixed = try compile("selfReported ? 1 : 2.5")
        #expect(mixed.type == .decimal)
        #expect(try mixed.evaluate { _ in .boolean(true) } == .decimal(1))
        #expect(try mixed.evaluate { _ in .boolean(false) } == .decimal(Decimal(string: "2.5")!))
        #expect(try compile("selfReported ? level : 'none'").type == .string)
        #expect(try compile("selfReported ? level : level").type == names["level"])
        #expect(try evaluate("true ? 1 : false ? 2 : 3") == .integer(1))
        #expect(try evaluate("false ? 1 : false ? 2 : 3") == .integer(3))
    }

    @Test func comparisonsAndLogic() throws {
        #expect(try evaluate("2 == 2.0") == .boolean(true))
        #expect(try evaluate("2 < 2.5") == .boolean(true))
        #expect(try evaluate("'abc' < 'abd'") == .boolean(true))
        #expect(try evaluate("not 1 == 2") == .boolean(true))
        #expect(try evaluate("!(1 == 1) || 2 >= 2") == .boolean(true))
        #expect(try evaluate("true == false") == .boolean(false))
        #expect(try evaluate("selfReported != true", ["selfReported": .boolean(false)]) == .boolean(true))
        #expect(try evaluate("level == 'red' and colour == 'red'", ["level": .string("red"), "colour": .string("red")]) == .boolean(true))
    }

    @Test func membership() throws {
        let severe = try compile("level in ['red', 'black']")
        #expect(severe.type == .boolean)
        #expect(try severe.evaluate { _ in .string("red") } == .boolean(true))
        #expect(try severe.evaluate { _ in .string("yellow") } == .boolean(false))
        #expect(try evaluate("level not in ['red', 'black']", ["level": .string("none")]) == .boolean(true))
        #expect(try evaluate("severity in [1, 2, 3]", ["severity": .integer(3)]) == .boolean(true))
        #expect(try evaluate("severity in [1, 2.5]", ["severity": .integer(1)]) == .boolean(true))
        #expect(try evaluate("'urgent' in tags", ["tags": .stringList(["urgent", "appeal"])]) == .boolean(true))
        #expect(try evaluate("officer not in tags", ["officer": .string("x"), "tags": .stringList([])]) == .boolean(true))
        #expect(try evaluate("level in tags", ["level": .string("red"), "tags": .stringList(["red"])]) == .boolean(true))
        #expect(try evaluate("['a', 'b']") == .stringList(["a", "b"]))
        #expect(try evaluate("'x' in []") == .boolean(false))
        #expect(diagnostics("level in ['red', 'purple']") == [ExpressionDiagnostic(offset: 17, message: "'purple' is not a value of level (none, yellow, red, black)")])
        #expect(diagnostics("severity in [1, 'a']").map(\.offset) == [16])
        #expect(diagnostics("severity in tags").map(\.offset) == [0])
        #expect(diagnostics("'a' in officer").map(\.offset) == [7])
    }

    @Test func datesAndDays() throws {
        let values: [String: Value] = ["received": .date(date("2026-01-31")), "deadline": .date(date("2026-03-02"))]
        #expect(try evaluate("received < deadline", values) == .boolean(true))
        #expect(try evaluate("deadline <= date('2026-03-01')", values) == .boolean(false))
        #expect(try evaluate("received == date('2026-01-31')", values) == .boolean(true))
        #expect(try compile("days(received, deadline)").type == .integer)
        #expect(try evaluate("days(received, deadline)", values) == .integer(30))
        #expect(try evaluate("days(deadline, received)", values) == .integer(-30))
        #expect(try evaluate("deadline - received", values) == .integer(30))
        #expect(try evaluate("days(date('2024-02-28'), date('2024-03-01'))") == .integer(2))
        #expect(try evaluate("max(received, deadline)", values) == .date(date("2026-03-02")))
        #expect(try evaluate("min(received, deadline)", values) == .date(date("2026-01-31")))
        #expect(diagnostics("received < severity").isEmpty == false)
        #expect(diagnostics("days(received, officer)").map(\.offset) == [15])
        let stamp: [String: Value] = ["decidedAt": .datetime(Date(timeIntervalSince1970: 1_800_000_000))]
        #expect(try evaluate("decidedAt == decidedAt", stamp) == .boolean(true))
    }

    @Test func durationLiterals() throws {
        #expect(try evaluate("duration('P14D')") == .duration(.iso(.init(days: 14))))
        #expect(try evaluate("duration('P1Y2M3W4DT5H6M7S')") == .duration(.iso(.init(years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7))))
        #expect(try evaluate("duration('PT4H')") == .duration(.iso(.init(hours: 4))))
        #expect(try evaluate("grace == duration('P2W')", ["grace": .duration(.iso(.init(weeks: 2)))]) == .boolean(true))
    }

    @Test func datesMoveByCalendarDurations() throws {
        let values: [String: Value] = ["received": .date(date("2026-01-31")), "deadline": .date(date("2026-08-31"))]
        #expect(try compile("received + duration('P1M')").type == .date)
        // Months clamp to the month's end; weeks and days count civil days.
        #expect(try evaluate("received + duration('P1M')", values) == .date(date("2026-02-28")))
        #expect(try evaluate("received + duration('P6M')", values) == .date(date("2026-07-31")))
        #expect(try evaluate("received + duration('P2W')", values) == .date(date("2026-02-14")))
        #expect(try evaluate("duration('P90D') + received", values) == .date(date("2026-05-01")))
        #expect(try evaluate("deadline - duration('P6M')", values) == .date(date("2026-02-28")))
        #expect(try evaluate("deadline - duration('P3M')", values) == .date(date("2026-05-31")))
        // A duration field works the same; working days skip weekends and Swedish holidays.
        let grace: [String: Value] = ["received": .date(date("2026-06-18")), "grace": .duration(.workingDays(2))]
        #expect(try evaluate("received + grace", grace) == .date(date("2026-06-23")))  // Midsummer Eve 19 June is off
        #expect(try evaluate("received - grace", grace) == .date(date("2026-06-16")))
        // The follow-up window of VGR's ladder: one to six months after approval.
        let window = "deadline >= received + duration('P1M') and deadline <= received + duration('P6M')"
        #expect(try evaluate(window, ["received": .date(date("2026-02-16")), "deadline": .date(date("2026-03-16"))]) == .boolean(true))
        #expect(try evaluate(window, ["received": .date(date("2026-02-16")), "deadline": .date(date("2026-03-15"))]) == .boolean(false))
        #expect(try evaluate(window, ["received": .date(date("2026-02-16")), "deadline": .date(date("2026-08-17"))]) == .boolean(false))
        // Hours do not move a date: refused when written, and when a field holds them.
        #expect(diagnostics("received + duration('PT4H')").map(\.message)
            == ["a date moves by years, months, weeks or days; 'PT4H' has hours, minutes or seconds"])
        #expect(try evaluationError("received + grace", ["received": .date(date("2026-06-18")), "grace": .duration(.iso(.init(hours: 4)))])
            == .invalid("a date moves by years, months, weeks, days or working days, not by PT4H"))
        #expect(diagnostics("duration('P1D') - received").isEmpty == false)
        #expect(diagnostics("decidedAt + duration('P1D')").isEmpty == false)
    }

    @Test func callerValuesMustMatchDeclaredTypes() throws {
        let error = try evaluationError("severity > 1", ["severity": .string("high")])
        guard case .invalid = error else {
            Issue.record("expected .invalid, got \(String(describing: error))")
            return
        }
        #expect(try evaluationError("level >= 'red'", ["level": .string("mauve")]) == .invalid("'mauve' is not one of none, yellow, red, black"))
    }

    @Test func descriptions() throws {
        #expect(try compile("1 + 1").description == "1 + 1")
        #expect(ExpressionDiagnostic(offset: 3, message: "boom").description == "at offset 3: boom")
        #expect(EvaluationError.unset("deadline").description == "'deadline' has no value")
    }
}
