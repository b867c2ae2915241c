// Fuzzes the JSON reader every request body, stored field and payload goes through
// (`JSONValue.parse`, hand-written for speed in issue 14). Foundation's JSONDecoder is
// the reference: whatever the reader accepts, JSONDecoder accepts as the same value
// (a number as the same number: where the exact value is whole the reader says `.int`,
// JSONDecoder sometimes `.number`, and the other way round past 2^53 or on underflow)
// (it also takes trailing commas, which RFC 8259 has not, and stops at a NUL byte; the
// reader refuses both), and
// what the reader accepts it writes as canonical text that reads back as itself.
import BevakaCore
import Foundation
import FuzzDriver

@main
enum Fuzzer {
    static func main() {
        runLibFuzzer { data, size in data.map { fuzz($0, size) } ?? 0 }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // The reader takes a Swift String, so its input is valid UTF-8.
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    // JSONDecoder is not asked about texts nested past 128: its error path for them works
    // out a source location per level, which takes seconds and, under the address
    // sanitizer's larger frames, overflows the stack (CI's crash of 2026-12-05 was
    // inside JSONError.SourceLocation). The reader's own depth limit (512) is pinned by
    // JSONParserTests; here such a text must only read back as itself.
    if nesting(text) > 128 {
        if let value = JSONValue.parse(text), !(JSONValue.parse(value.canonicalText).map { equivalent($0, value) } ?? false) {
            fatalError("\(value) is written as \(value.canonicalText.debugDescription), which does not read back as itself")
        }
        return 0
    }
    let reference = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    guard let value = JSONValue.parse(text) else {
        // Refused: only what JSONDecoder refuses too, or takes only with a trailing comma.
        // JSONDecoder also stops at a NUL byte as if the text ended there ("0\0" is 0 to it).
        // And it skips the value of a name given twice without reading it, so a control
        // character or a bad escape there (which the reader refuses anywhere) gets through.
        let control = text.utf8.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if let reference, !hasTrailingComma(text), !control, !repeatsAName(text) {
            fatalError("JSONValue.parse refuses \(text.debugDescription), which JSONDecoder reads as \(reference)")
        }
        return 0
    }
    guard let reference, equivalent(value, reference) else {
        fatalError("JSONValue.parse reads \(text.debugDescription) as \(value), JSONDecoder as \(String(describing: reference))")
    }
    // The canonical writer writes a whole double as an integer, so it reads back as one.
    guard let again = JSONValue.parse(value.canonicalText), equivalent(again, value) else {
        fatalError("\(value) is written as \(value.canonicalText.debugDescription), which does not read back as itself")
    }
    return 0
}

/// How deep brackets nest in the text, counting those outside strings.
private func nesting(_ text: String) -> Int {
    var deepest = 0, level = 0, inString = false, escaped = false
    for byte in text.utf8 {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "["), UInt8(ascii: "{"): level += 1; deepest = max(deepest, level)
        case UInt8(ascii: "]"), UInt8(ascii: "}"): level -= 1
        default: break
        }
    }
    return deepest
}

/// Whether a comma is followed (after whitespace) by a closing bracket somewhere in the text.
private func hasTrailingComma(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: ",") {
        var next = index + 1
        while next < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[next]) { next += 1 }
        if next < bytes.count, bytes[next] == UInt8(ascii: "]") || bytes[next] == UInt8(ascii: "}") { return true }
    }
    return false
}

/// The same JSON, a number being the same number whether it came as `.int` or `.number`.
private func equivalent(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    // Past 2^53 JSONDecoder sometimes cuts a fraction off where the reader rounds to the
    // nearest double, so there a number may differ in its last places.
    case (.int(let x), .number(let y)), (.number(let y), .int(let x)): return abs(Double(x) - y) <= max(1, abs(y)) * 1e-12
    case (.number(let x), .number(let y)): return x == y || abs(x - y) <= max(1, abs(y)) * 1e-12
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(equivalent)
    case (.object(let x), .object(let y)):
        return x.count == y.count && x.allSatisfy { key, value in y[key].map { equivalent(value, $0) } ?? false }
    default: return a == b
    }
}

/// Whether some object name is written twice (roughly: any two names alike anywhere).
private func repeatsAName(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    var names = Set<ArraySlice<UInt8>>()
    var index = 0
    while index < bytes.count {
        guard bytes[index] == UInt8(ascii: "\"") else { index += 1; continue }
        let start = index
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
        index += 1
        var next = index
        while next < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[next]) { next += 1 }
        if next < bytes.count, bytes[next] == UInt8(ascii: ":"), !names.insert(bytes[start..<min(index, bytes.count)]).inserted { return true }
    }
    return false
}
