import Foundation

/// Instants as text: the strict RFC 3339 form Bevaka reads from requests and
/// files, and the UTC form it writes, both to the millisecond it stores.
///
/// Written by hand rather than with `ISO8601DateFormatter`, which accepts
/// impossible dates (2026-02-30 becomes 2026-03-02) and offsets (+25:00),
/// and is slow besides.
public enum RFC3339 {
    /// Why a text is not an instant; `reason` completes "expected a date and time with zone, …".
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
    ///
    /// The date must exist, and the instant's UTC date lie within ``InputLimits/dates``; seconds are
    /// 00–59 (a leap second cannot be represented); at most three fractional
    /// digits, because instants are kept to the millisecond and more digits
    /// would be silently lost; the offset is RFC 3339's, hours 00–23.
    public static func parse(_ text: String) throws(ParseError) -> Date {
        try parse(text, checkingRange: true)
    }

    /// As ``parse(_:)``; `checkingRange: false` reads any year 0000–9999 (what an
    /// earlier release may have stored), for reading back, never for new input.
    public static func parse(_ text: String, checkingRange: Bool) throws(ParseError) -> Date {
        let bytes = Array(text.utf8)
        func fail(_ reason: String) -> ParseError { ParseError(reason: reason) }
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

        let form = "the form is 2026-12-01T09:00:00+01:00 or 2026-12-01T08:00:00.250Z"
        guard let year = number(0, 4), byte(4) == 0x2D, let month = number(5, 2), byte(7) == 0x2D, let day = number(8, 2),
              byte(10) == 0x54 || byte(10) == 0x74,
              let hour = number(11, 2), byte(13) == 0x3A, let minute = number(14, 2), byte(16) == 0x3A, let second = number(17, 2)
        else { throw fail(form) }
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else {
            throw fail("\(String(text.prefix(10))) is not a date in the calendar")
        }
        let date = LocalDate(year: year, month: month, day: day)
        guard hour <= 23, minute <= 59, second <= 59 else {
            throw fail("\(String(text.dropFirst(11).prefix(8))) is not a time of day (00:00:00 to 23:59:59)")
        }
        var index = 19
        var milliseconds = 0
        if byte(index) == 0x2E {
            index += 1
            var digits = 0
            while let b = byte(index), b >= 0x30 && b <= 0x39 {
                digits += 1
                guard digits <= 3 else { throw fail("at most three fractional digits: instants are kept to the millisecond") }
                milliseconds = milliseconds * 10 + Int(b - 0x30)
                index += 1
            }
            guard digits > 0 else { throw fail(form) }
            for _ in digits..<3 { milliseconds *= 10 }
        }
        var offsetSeconds = 0
        switch byte(index) {
        case 0x5A, 0x7A:  // Z, z
            index += 1
        case 0x2B, 0x2D:  // +, -
            guard let offsetHour = number(index + 1, 2), byte(index + 3) == 0x3A, let offsetMinute = number(index + 4, 2) else {
                throw fail(form)
            }
            guard offsetHour <= 23, offsetMinute <= 59 else {
                throw fail("\(String(decoding: bytes[index..<(index + 6)], as: UTF8.self)) is not a UTC offset")
            }
            offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (bytes[index] == 0x2D ? -1 : 1)
            index += 6
        default:
            throw fail("the time needs a zone (Z or an offset such as +01:00); " + form)
        }
        guard index == bytes.count else { throw fail(form) }
        let local = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let utc = local - Int64(offsetSeconds)
        // The range holds for the UTC date, which is what is stored and shown: 1900-01-01T00:30+01:00
        // is 1899-12-31 in UTC and would not read back.
        let utcDate = LocalDate(dayNumber: Int(floorDiv(utc, 86_400)))
        if checkingRange, let problem = InputLimits.dateProblem(utcDate) { throw fail("the date in UTC " + problem) }
        return Date(millis: utc * 1000 + Int64(milliseconds))
    }

    /// `instant` in UTC, e.g. `2026-12-01T16:00:00Z`, with milliseconds when it has
    /// any (`2026-12-01T16:00:00.250Z`), so what was sent is what is shown.
    public static func utcString(_ instant: Date) -> String {
        let millis = instant.millis
        let seconds = floorDiv(millis, 1000)
        let fraction = Int(millis - seconds * 1000)
        let day = floorDiv(seconds, 86_400)
        let secondOfDay = Int(seconds - day * 86_400)
        var text = LocalDate(dayNumber: Int(day)).description + "T" + clockText(secondOfDay)
        if fraction != 0 { text += "." + String(fraction).leftPadded(to: 3) }
        return text + "Z"
    }

    /// `HH:MM:SS` for a second of the day.
    static func clockText(_ secondOfDay: Int) -> String {
        String(secondOfDay / 3600).leftPadded(to: 2) + ":" + String(secondOfDay % 3600 / 60).leftPadded(to: 2) + ":"
            + String(secondOfDay % 60).leftPadded(to: 2)
    }

}

/// `a / b` rounded towards minus infinity, so an instant before 1970 lands on the right day.
func floorDiv<T: BinaryInteger>(_ a: T, _ b: T) -> T {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
