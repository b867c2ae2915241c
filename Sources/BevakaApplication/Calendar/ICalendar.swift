import BevakaCore
import Foundation

/// RFC 5545 text: content lines of `NAME;PARAM=VALUE:value`, text values escaped,
/// lines folded at 75 octets, each ended by CRLF. Pure: what to write is the caller's.
public struct ICalendarWriter: Sendable {
    public private(set) var lines: [String] = []

    public init() {}

    public mutating func begin(_ component: String) { lines.append("BEGIN:\(component)") }
    public mutating func end(_ component: String) { lines.append("END:\(component)") }

    /// A property whose value is written as is (dates, numbers, enumerations, URIs).
    public mutating func raw(_ name: String, _ value: String, parameters: String = "") {
        lines.append(name + (parameters.isEmpty ? "" : ";" + parameters) + ":" + Self.clean(value))
    }

    /// A TEXT property (SUMMARY, DESCRIPTION, X-WR-CALNAME): escaped per RFC 5545 3.3.11.
    public mutating func text(_ name: String, _ value: String) {
        lines.append(name + ":" + Self.escape(value))
    }

    /// The calendar as it goes on the wire: every content line folded and ended with CRLF.
    public var text: String { lines.map { Self.fold($0) }.joined() }

    /// Backslash, semicolon, comma and line breaks escaped; other control characters left out.
    public static func escape(_ value: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out += " "
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A raw value without the characters no content line may hold.
    static func clean(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) }))
    }

    /// One content line folded (RFC 5545 3.1): no line longer than 75 octets, a
    /// continuation starting with a space, never splitting a UTF-8 sequence; CRLF after each.
    public static func fold(_ line: String) -> String {
        var out = ""
        var current = 0
        var limit = 75
        for character in line.unicodeScalars {
            let size = String(character).utf8.count
            if current + size > limit {
                out += "\r\n "
                current = 1
                limit = 75
            }
            out.unicodeScalars.append(character)
            current += size
        }
        return out + "\r\n"
    }

    /// `20270329T170000`: an instant as wall-clock time in Europe/Stockholm (for `TZID=Europe/Stockholm`).
    public static func localDateTime(_ instant: Date, calendar: SwedishCalendar = SwedishCalendar()) -> String {
        // isoLocalString: 2027-03-29T17:00:00+02:00
        String(calendar.isoLocalString(instant).prefix(19).filter { $0 != "-" && $0 != ":" })
    }

    /// `20270329`: a day (`VALUE=DATE`, an all-day event), with no time and no zone.
    public static func date(_ day: LocalDate) -> String { day.description.filter { $0 != "-" } }

    /// `20270329T150000Z`: an instant in UTC (DTSTAMP, absolute alarm triggers).
    public static func utcDateTime(_ instant: Date) -> String {
        String(RFC3339.utcString(Date(timeIntervalSince1970: instant.timeIntervalSince1970.rounded(.down))).prefix(19)
            .filter { $0 != "-" && $0 != ":" }) + "Z"
    }

    /// Europe/Stockholm as a VTIMEZONE: CET/CEST with the EU's rules since 1996 (summer time
    /// from the last Sunday of March 02:00 to the last Sunday of October 03:00).
    public mutating func stockholmTimeZone() {
        begin("VTIMEZONE")
        raw("TZID", Self.timeZoneID)
        raw("X-LIC-LOCATION", Self.timeZoneID)
        begin("DAYLIGHT")
        raw("TZOFFSETFROM", "+0100")
        raw("TZOFFSETTO", "+0200")
        raw("TZNAME", "CEST")
        raw("DTSTART", "19810329T020000")
        raw("RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
        end("DAYLIGHT")
        begin("STANDARD")
        raw("TZOFFSETFROM", "+0200")
        raw("TZOFFSETTO", "+0100")
        raw("TZNAME", "CET")
        raw("DTSTART", "19961027T030000")
        raw("RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
        end("STANDARD")
        end("VTIMEZONE")
    }

    public static let timeZoneID = "Europe/Stockholm"
}
