import BevakaCore
import Foundation
import Testing

/// Canonical JSON feeds the history hash chain: it must be valid, stable and exact.
@Suite struct JSONValueTests {
    @Test func canonicalTextSortsKeysAndEscapes() {
        let value: JSONValue = .object([
            "ö": .string("åäö \"citat\" \\ / \n\t\u{01}"), "a": .array([.int(1), .number(2.5), .number(3), .bool(false), .null]),
        ])
        #expect(value.canonicalText == #"{"a":[1,2.5,3,false,null],"ö":"åäö \"citat\" \\ / \n\t\u0001"}"#)
        // Escapes at either end, and runs of text between them kept whole (the history's hashes are over these bytes).
        #expect(JSONValue.string("\r\u{1F}Vårdcentralen \"Åby\"\u{7F}😀\\").canonicalText == #""\r\u001fVårdcentralen \"Åby\"\#u{7F}😀\\""#)
        #expect(JSONValue.string("").canonicalText == #""""#)
    }

    @Test func canonicalTextParsesBackToTheSameValue() {
        let value: JSONValue = .object(["text": .string("rad 1\nrad 2 \"x\" \u{7}"), "n": .int(-42), "d": .number(0.1),
                                        "nested": .object(["list": .array([.string("å")])])])
        #expect(JSONValue.parse(value.canonicalText) == value)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(JSONValue.array([.number(.infinity), .number(.nan)]).canonicalText == "[null,null]")
    }
}
