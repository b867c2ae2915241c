@testable import BevakaCore
import Foundation
import Testing

/// The hand-written parser reads JSON exactly as `JSONDecoder` did before it: the same
/// value for every text that both accept, and nil where JSONDecoder refused, over
/// hand-picked edge cases and many generated texts (those the writer makes and mangled ones).
@Suite struct JSONParserTests {
    /// What `JSONValue.parse` was: Foundation's decoder through `JSONValue`'s `Decodable`.
    static func before(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static let edges = [
        "null", "true", "false", "0", "-0", "1", "-1", "1.0", "2.50", "1e2", "1E+2", "1.5e-3", "-0.0", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "99999999999999999999", "1e400", "01", "1.", ".5", "-", "+1", "1e", "0x10",
        "\"\"", "\"a\"", "\"å ä ö\"", "\"\\u00e5\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83dx\"", "\"\\u12\"",
        "\"a\\nb\\t\\\"c\\\\d\\/e\\b\\f\\r\"", "\"\\x\"", "\"tab\there\"", "\"new\nline\"", "\"\u{7f}\"", "\"unterminated",
        "[]", "[1,2,3]", "[1,]", "[,1]", "[1 2]", "{}", "{\"a\":1}", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "{\"a\":1,\"a\":2}",
        " \n\t{ \"a\" : [ true , null , { } ] } \r\n", "{} {}", "[] x", "", " ", "nul", "truex", "[[[[[]]]]]",
        "{\"deadlines\":[{\"name\":\"plan\",\"dueAt\":1767225600000,\"expired\":false,\"overdueCount\":0}]}",
    ]

    @Test func readsEveryEdgeCaseAsJSONDecoderDid() {
        for text in Self.edges where !Self.trailingCommas.contains(text) {
            #expect(JSONParser.parse(text) == Self.before(text), "\(text.debugDescription)")
        }
        // The one difference, on purpose: RFC 8259 has no trailing commas; JSONDecoder let them through.
        for text in Self.trailingCommas {
            #expect(Self.before(text) != nil && JSONParser.parse(text) == nil, "\(text.debugDescription)")
        }
    }

    static let trailingCommas = ["[1,]", "{\"a\":1,}"]

    /// A number's kind follows its exact decimal value (what the fuzzer found JSONDecoder
    /// does not always do): whole and within Int is `.int`, anything else `.number`.
    @Test func aNumbersKindFollowsItsExactValue() {
        #expect(JSONParser.parse("0e-4") == .int(0))
        #expect(JSONParser.parse("-0.000") == .int(0))
        #expect(JSONParser.parse("12.300e1") == .int(123))
        #expect(JSONParser.parse("9223372036854775.0808") == .number(9223372036854775.0808))
        #expect(JSONParser.parse("1e-400") == .number(0))
        #expect(JSONParser.parse("9223372036854775807") == .int(Int.max))
        #expect(JSONParser.parse("9223372036854775808") == .number(9223372036854775808))
        #expect(JSONParser.parse("1e19") == .number(1e19))
        #expect(JSONParser.parse("1e18") == .int(1_000_000_000_000_000_000))
    }

    @Test func readsGeneratedAndMangledTextsAsJSONDecoderDid() {
        var generator = SystemRandomNumberGenerator()
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .int(Int.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator))
            case 3: return .number(Double.random(in: -1e6...1e6, using: &generator))
            case 4: return .string(String((0..<Int.random(in: 0...12, using: &generator)).map { _ in
                "aZ0 åö\"\\\n\t/€😀\u{1}".randomElement(using: &generator)! }))
            case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth + 1) })
            default:
                var object: [String: JSONValue] = [:]
                for n in 0..<Int.random(in: 0...4, using: &generator) { object["k\(n)ä"] = random(depth + 1) }
                return .object(object)
            }
        }
        for _ in 0..<2_000 {
            let text = random(0).canonicalText
            #expect(JSONParser.parse(text) == Self.before(text), "\(text.debugDescription)")
            // The same text with one byte changed, dropped or doubled.
            var bytes = Array(text.utf8)
            let at = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: bytes[at] = Array("{}[]\",:0-e.\\ntu".utf8).randomElement(using: &generator)!
            case 1: bytes.remove(at: at)
            default: bytes.insert(bytes[at], at: at)
            }
            guard let mangled = String(validating: bytes, as: UTF8.self) else { continue }
            let parsed = JSONParser.parse(mangled), decoded = Self.before(mangled)
            // A comma doubled or typed before a closing bracket: only JSONDecoder took it.
            if parsed == nil, decoded != nil, mangled.contains(",]") || mangled.contains(",}") { continue }
            #expect(parsed == decoded, "\(mangled.debugDescription)")
        }
    }

    @Test func refusesNestingDeeperThanItsLimit() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(JSONParser.parse(deep) == nil)
        let shallow = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONParser.parse(shallow) != nil)
    }
}
