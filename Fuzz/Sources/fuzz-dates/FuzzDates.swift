// Fuzzes how dates and datetimes are read from payloads and stored fields.
//
// A date or instant that the coder accepts becomes a deadline, so the coder
// must accept only what its messages promise (YYYY-MM-DD; RFC 3339 with a
// zone), read it as written, and give back text that reads as the same value.
// The strict readers below are the reference: small, independent of the core,
// and written from RFC 3339 section 5.6.
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
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    checkDate(text)
    checkDatetime(text)
    return 0
}

/// `LocalDate(iso:)` reads stored text back, so it takes any year 0000-9999;
/// the coder guards what enters a case, so it may refuse more (a range of
/// years), but never accept a date the strict reader refuses or read it differently.
private func checkDate(_ text: String) {
    if let date = LocalDate(iso: text) {
        guard let expected = strictDate(Substring(text), years: 0...9999), expected == (date.year, date.month, date.day) else {
            fatalError("LocalDate(iso:) reads '\(text)' as \(date), but it is not a date YYYY-MM-DD")
        }
        guard LocalDate(iso: date.description) == date else {
            fatalError("the date \(date) from '\(text)' is written as '\(date.description)', which does not read back")
        }
    }
    guard case .success(let value) = FieldValueCoder.decode(.string(text), as: .date) else { return }
    guard case .date(let date) = value, LocalDate(iso: text) == date else {
        fatalError("FieldValueCoder reads '\(text)' as \(value), but LocalDate(iso:) reads \(String(describing: LocalDate(iso: text)))")
    }
    guard strictDate(Substring(text), years: 1...9999) != nil else {
        fatalError("'\(text)' is accepted as a field's date \(date), but it is not a date YYYY-MM-DD in years 0001-9999")
    }
    let encoded = FieldValueCoder.encode(value)
    guard case .success(.date(date)) = FieldValueCoder.decode(encoded, as: .date) else {
        fatalError("the date \(date) from '\(text)' encodes as \(encoded), which does not decode back to it")
    }
}

private func checkDatetime(_ text: String) {
    guard case .success(let value) = FieldValueCoder.decode(.string(text), as: .datetime) else { return }
    guard case .datetime(let instant) = value else {
        fatalError("'\(text)' decodes as a datetime to a non-datetime value \(value)")
    }
    guard let expected = strictInstant(text) else {
        fatalError("'\(text)' is accepted as the instant \(instant.timeIntervalSince1970), but it is not RFC 3339 with a zone in years 0001-9999")
    }
    // Formatters keep milliseconds at best; anything closer is the same instant.
    if abs(instant.timeIntervalSince1970 - expected) >= 0.001 {
        fatalError("'\(text)' is read as \(instant.timeIntervalSince1970) s since 1970, but it says \(expected)")
    }
    let encoded = FieldValueCoder.encode(value)
    guard case .success(.datetime(let again)) = FieldValueCoder.decode(encoded, as: .datetime), again == instant else {
        fatalError("the instant \(instant.timeIntervalSince1970) from '\(text)' encodes as \(encoded), which does not decode back to it")
    }
}

// MARK: - Reference readers

/// `YYYY-MM-DD` with ASCII digits only, a year in `years` and a day that exists.
private func strictDate(_ text: Substring, years: ClosedRange<Int>) -> (year: Int, month: Int, day: Int)? {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
          let year = digits(bytes[0..<4]), let month = digits(bytes[5..<7]), let day = digits(bytes[8..<10]),
          years.contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
    else { return nil }
    return (year, month, day)
}

/// RFC 3339 `date-time` (the zone is required) as seconds since 1970, or nil.
/// Lowercase `t` and `z` are allowed as RFC 3339 allows them; leap seconds are not.
private func strictInstant(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, let date = strictDate(text.prefix(10), years: 1...9999),
          [UInt8(ascii: "T"), UInt8(ascii: "t")].contains(bytes[10]),
          bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
          let hour = digits(bytes[11..<13]), let minute = digits(bytes[14..<16]), let second = digits(bytes[17..<19]),
          hour < 24, minute < 60, second < 60
    else { return nil }
    var index = 19
    var fraction = 0.0
    if bytes[index] == UInt8(ascii: ".") {
        let start = index + 1
        index = start
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index > start, let value = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self)) else { return nil }
        fraction = value
    }
    let zone = bytes[index...]
    var offset = 0
    if zone.count == 1, [UInt8(ascii: "Z"), UInt8(ascii: "z")].contains(zone.first!) {
        offset = 0
    } else if zone.count == 6, [UInt8(ascii: "+"), UInt8(ascii: "-")].contains(zone.first!),
              zone[zone.startIndex + 3] == UInt8(ascii: ":"),
              let hours = digits(zone[(zone.startIndex + 1)..<(zone.startIndex + 3)]),
              let minutes = digits(zone[(zone.startIndex + 4)..<(zone.startIndex + 6)]),
              hours < 24, minutes < 60 {
        offset = (hours * 3600 + minutes * 60) * (zone.first! == UInt8(ascii: "-") ? -1 : 1)
    } else {
        return nil
    }
    let days = daysFromCivil(date.year, date.month, date.day)
    return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
}

private func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
    var value = 0
    for byte in bytes {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return bytes.isEmpty ? nil : value
}

private func daysIn(month: Int, year: Int) -> Int {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    switch month {
    case 2: return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (years 1-9999 only).
private func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = y / 400  // y >= 0 here
    let yoe = y - era * 400
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}
