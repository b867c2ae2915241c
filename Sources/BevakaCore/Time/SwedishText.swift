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

    /// "ja" or "nej".
    public static func yesNo(_ value: Bool) -> String { value ? "ja" : "nej" }
}
