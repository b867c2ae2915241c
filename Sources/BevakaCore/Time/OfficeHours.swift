import Foundation

/// When non-urgent notifications may go out: on working days of the Swedish
/// calendar (weekends and public holidays, Midsummer Eve and Christmas Eve
/// among them, are not), from `opens` until `closes`, local time.
public struct OfficeHours: Sendable, CustomStringConvertible {
    public var opens: LocalTime
    public var closes: LocalTime
    public var calendar: SwedishCalendar

    public init(opens: LocalTime = LocalTime(hour: 8, minute: 0), closes: LocalTime = LocalTime(hour: 17, minute: 0),
                calendar: SwedishCalendar = SwedishCalendar()) {
        self.opens = opens
        self.closes = closes
        self.calendar = calendar
    }

    /// True when `instant` falls inside office hours.
    public func contains(_ instant: Date) -> Bool {
        let date = calendar.localDate(of: instant)
        guard calendar.isWorkingDay(date) else { return false }
        return instant >= calendar.instant(on: date, at: opens) && instant < calendar.instant(on: date, at: closes)
    }

    /// `instant` itself inside office hours, otherwise the next opening: a
    /// reminder at 23:00 on Midsummer Eve goes out on the next working day at `opens`.
    public func nextOpening(from instant: Date) -> Date {
        if contains(instant) { return instant }
        var date = calendar.localDate(of: instant)
        if instant >= calendar.instant(on: date, at: opens) { date = date.adding(days: 1) }
        return calendar.instant(on: calendar.nextWorkingDay(onOrAfter: date), at: opens)
    }

    public var description: String { "working days \(opens)–\(closes) \(calendar.timeZone.identifier)" }
}
