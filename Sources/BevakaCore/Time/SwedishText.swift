import Foundation

/// Dates, times and numbers as Swedish readers write them (Språkrådet's
/// rules): "16 februari 2026", "kl. 17.00", "3,50". Used by email templates
/// and pages; the API and webhooks keep ISO 8601.
public enum SwedishText {
    public static let monthNames = ["januari", "februari", "mars", "april", "maj", "juni", "juli",
                                    "augusti", "september", "oktober", "november", "december"]

    /// "16 februari 2026".
    public static func date(_ date: LocalDate) -> String {
        "\(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// "17.00" (with a full stop, as Swedish writes the clock).
    public static func clock(_ time: LocalTime) -> String {
        String(time.hour).leftPadded(to: 2) + "." + String(time.minute).leftPadded(to: 2)
    }

    /// "16 februari 2026 kl. 17.00", in the calendar's time zone.
    public static func moment(_ instant: Date, calendar: SwedishCalendar) -> String {
        "\(date(calendar.localDate(of: instant))) kl. \(clock(calendar.localTime(of: instant)))"
    }

    /// A decimal with a comma: "3,5", "-12,25".
    public static func decimal(_ value: Decimal) -> String {
        "\(value)".replacingOccurrences(of: ".", with: ",")
    }

    /// "24 000,00 kr": kronor to the öre, thousands apart.
    public static func kronor(_ amount: Decimal) -> String {
        let text = Ledger.format(amount)
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "\u{00A0}" + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        return (negative ? "−" : "") + whole + grouped + "," + (parts.count > 1 ? String(parts[1]) : "00") + " kr"
    }

    /// "ja" or "nej".
    public static func yesNo(_ value: Bool) -> String { value ? "ja" : "nej" }
}
