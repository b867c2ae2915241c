// Fuzzes the expression language of guards, `set` and derived values: lexer,
// parser and type checker through `CheckedExpression.compile`, then the
// evaluator on a few sets of field values.
//
// The loader compiles every expression a workflow file contains and the
// engine evaluates them on each event, so compiling must never trap or recurse
// without bound, and evaluating must either fail with an `EvaluationError` or
// give a value of the type the checker promised.
import BevakaCore
import Foundation
import FuzzDriver

@main
enum Fuzzer {
    static func main() {
        runLibFuzzer { data, size in data.map { fuzz($0, size) } ?? 0 }
    }
}

/// One declared name of every type, so any well-typed expression can be written.
private let names: [String: ValueType] = [
    "n": .integer, "x": .decimal, "s": .string, "b": .boolean, "d": .date, "t": .datetime,
    "p": .duration, "w": .duration, "e": .enumeration(["low", "medium", "high"]), "l": .stringList,
]

/// Ordinary values, values at the edges of their types, and every field unset.
private let environments: [[String: Value]] = [
    [
        "n": .integer(3), "x": .decimal(Decimal(string: "2.5")!), "s": .string("low"), "b": .boolean(true),
        "d": .date(LocalDate(year: 2026, month: 1, day: 31)), "t": .datetime(Date(timeIntervalSince1970: 1_790_000_000)),
        "p": .duration(.iso(.init(months: 1))), "w": .duration(.workingDays(10)), "e": .string("medium"),
        "l": .stringList(["low", "a"]),
    ],
    [
        "n": .integer(.min), "x": .decimal(.greatestFiniteMagnitude), "s": .string(""), "b": .boolean(false),
        "d": .date(LocalDate(year: 9999, month: 12, day: 31)), "t": .datetime(Date(timeIntervalSince1970: 0)),
        "p": .duration(.iso(.init(years: 100, hours: 1))), "w": .duration(.workingDays(0)), "e": .string("high"),
        "l": .stringList([]),
    ],
    [
        "n": .integer(.max), "x": .decimal(-.greatestFiniteMagnitude), "s": .string("å\u{0}"), "b": .boolean(true),
        "d": .date(LocalDate(year: 1, month: 1, day: 1)), "t": .datetime(Date(timeIntervalSince1970: -62_135_596_800)),
        "p": .duration(.iso(.init(days: 1))), "w": .duration(.workingDays(250)), "e": .string("low"),
        "l": .stringList(["high", "medium", "low"]),
    ],
    [:],
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let expression = try? CheckedExpression.compile(source, names: names) else { return 0 }
    if !expression.names.isSubset(of: names.keys) {
        fatalError("'\(source)' reads names that were never declared: \(expression.names.subtracting(names.keys).sorted())")
    }
    for environment in environments {
        guard let value = try? expression.evaluate({ environment[$0] }) else { continue }
        if !value.fits(expression.type) {
            fatalError("'\(source)' is checked as \(expression.type) but evaluates to \(value)")
        }
    }
    return 0
}

extension Value {
    /// Whether a run-time value has the static type the checker gave its expression.
    fileprivate func fits(_ type: ValueType) -> Bool {
        switch (type, self) {
        case (.string, .string), (.integer, .integer), (.decimal, .decimal), (.boolean, .boolean),
             (.date, .date), (.datetime, .datetime), (.duration, .duration), (.stringList, .stringList):
            return true
        case (.enumeration(let values), .string(let s)):
            // A field may hold a value outside its enum only if the caller put it
            // there; all of ours are declared values, and literals are checked.
            return values.contains(s)
        default:
            return false
        }
    }
}
