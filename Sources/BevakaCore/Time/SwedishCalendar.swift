import Foundation

/// The Swedish working-day calendar together with civil (wall-clock) time in
/// one time zone, by default Europe/Stockholm.
///
/// All deadline arithmetic goes through here so that "P1D after 17:00" and
/// "10 working days" mean what a Swedish case officer expects, across DST
/// changes and public holidays. The value holds nothing mutable, so it can be
/// shared freely between tasks; holidays are recomputed on demand, which is
/// cheap compared with the I/O around any deadline calculation.
public struct SwedishCalendar: Sendable {
    /// Europe/Stockholm.
    ///
    /// Traps if the system has no time-zone data for it: without it every
    /// deadline would silently be off by one or two hours, which is worse.
    public static let stockholm: TimeZone = {
        guard let zone = TimeZone(identifier: "Europe/Stockholm") else {
            fatalError("time zone Europe/Stockholm is unavailable; install tzdata")
        }
        return zone
    }()

    /// The zone whose wall-clock time the calendar reads and writes. Holidays
    /// stay Swedish whatever the zone; other zones exist mainly for tests.
    public let timeZone: TimeZone

    /// Creates a calendar reading wall-clock time in `timeZone`.
    public init(timeZone: TimeZone = SwedishCalendar.stockholm) {
        self.timeZone = timeZone
    }

    // MARK: - Holidays and working days

    /// The days in `year` that are not working days even when they fall on a
    /// weekday, keyed by date, with their Swedish names.
    ///
    /// Besides the public holidays this includes Midsommarafton, Julafton and
    /// Nyårsafton, which are not public holidays by law but are days off in
    /// practice in Swedish regions. When two fall on the same date (Första maj
    /// and Kristi himmelsfärdsdag in 2008) the names are joined with " / ".
    public func holidays(in year: Int) -> [LocalDate: String] {
        var result: [LocalDate: String] = [:]
        func add(_ date: LocalDate, _ name: String) {
            if let existing = result[date] {
                result[date] = existing + " / " + name
            } else {
                result[date] = name
            }
        }
        let easter = Self.easterSunday(year)
        add(LocalDate(year: year, month: 1, day: 1), "Nyårsdagen")
        add(LocalDate(year: year, month: 1, day: 6), "Trettondedag jul")
        add(easter.adding(days: -2), "Långfredagen")
        add(easter, "Påskdagen")
        add(easter.adding(days: 1), "Annandag påsk")
        add(LocalDate(year: year, month: 5, day: 1), "Första maj")
        add(easter.adding(days: 39), "Kristi himmelsfärdsdag")
        add(easter.adding(days: 49), "Pingstdagen")
        add(LocalDate(year: year, month: 6, day: 6), "Sveriges nationaldag")
        let midsummerEve = Self.first(weekday: 5, from: LocalDate(year: year, month: 6, day: 19))
        add(midsummerEve, "Midsommarafton")
        add(midsummerEve.adding(days: 1), "Midsommardagen")
        add(Self.first(weekday: 6, from: LocalDate(year: year, month: 10, day: 31)), "Alla helgons dag")
        add(LocalDate(year: year, month: 12, day: 24), "Julafton")
        add(LocalDate(year: year, month: 12, day: 25), "Juldagen")
        add(LocalDate(year: year, month: 12, day: 26), "Annandag jul")
        add(LocalDate(year: year, month: 12, day: 31), "Nyårsafton")
        return result
    }

    /// True for Monday to Friday unless the date is in ``holidays(in:)``.
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        date.isoWeekday <= 5 && !Self.holidayDates(date.year).contains(date)
    }

    /// The years whose holidays are worked out once per process: pages count working days
    /// for every row they show, and each count asks about many days.
    private static let knownYears = 1970...2199
    private static let knownHolidays: [Set<LocalDate>] = knownYears.map { Set(SwedishCalendar().holidays(in: $0).keys) }

    /// The dates of ``holidays(in:)`` (they are the same whatever the calendar's zone).
    static func holidayDates(_ year: Int) -> Set<LocalDate> {
        knownYears.contains(year) ? knownHolidays[year - knownYears.lowerBound] : Set(SwedishCalendar().holidays(in: year).keys)
    }

    /// Moves `n` working days from `date`, not counting `date` itself.
    ///
    /// With `n > 0` this steps forward and lands on the `n`-th working day
    /// after `date` (Friday + 1 = Monday, Saturday + 1 = Monday); `n < 0` does
    /// the same backwards. `n == 0` means "no later than now, but a working
    /// day", i.e. ``nextWorkingDay(onOrAfter:)``.
    public func addingWorkingDays(_ n: Int, to date: LocalDate) -> LocalDate {
        if n == 0 { return nextWorkingDay(onOrAfter: date) }
        let step = n > 0 ? 1 : -1
        var remaining = abs(n)
        var current = date
        while remaining > 0 {
            current = current.adding(days: step)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// `date` itself if it is a working day, otherwise the first working day after it.
    public func nextWorkingDay(onOrAfter date: LocalDate) -> LocalDate {
        var current = date
        while !isWorkingDay(current) {
            current = current.adding(days: 1)
        }
        return current
    }

    /// `date` itself if it is a working day, otherwise the last working day before it.
    private func previousWorkingDay(onOrBefore date: LocalDate) -> LocalDate {
        var current = date
        while !isWorkingDay(current) {
            current = current.adding(days: -1)
        }
        return current
    }

    // MARK: - Instants and wall-clock time

    /// The civil date of `instant` in the calendar's zone.
    public func localDate(of instant: Date) -> LocalDate {
        LocalDate(dayNumber: wallClock(of: instant).dayNumber)
    }

    /// The wall-clock time of `instant` in the calendar's zone, truncated to the minute.
    public func localTime(of instant: Date) -> LocalTime {
        let minutes = Int(wallClock(of: instant).secondOfDay / 60)
        return LocalTime(hour: minutes / 60, minute: minutes % 60)
    }

    /// The instant at which clocks in the calendar's zone show `time` on `date`.
    ///
    /// Wall-clock times that do not exist because clocks sprang forward (in
    /// Stockholm 2026-03-29 02:30) are moved forward by the size of the gap
    /// (to 03:30 CEST), so a deadline in the gap is never earlier than written.
    /// Times that occur twice because clocks fell back (2026-10-25 02:30)
    /// resolve to the first occurrence (CEST), the earlier and stricter one.
    public func instant(on date: LocalDate, at time: LocalTime) -> Date {
        instant(dayNumber: date.dayNumber, secondOfDay: Double(time.hour * 3600 + time.minute * 60))
    }

    /// Adds `duration` to `instant`.
    ///
    /// Calendar parts (years and months first, clamping to the month's end,
    /// then weeks and days) move the local date and keep the local time of
    /// day, so P1D after 2026-03-28 17:00 is 2026-03-29 17:00, only 23 hours
    /// later. Time parts (hours, minutes, seconds) are then added as exact
    /// elapsed seconds. Working days move the local date by
    /// ``addingWorkingDays(_:to:)`` and keep the time of day. A local time
    /// that lands in a DST gap or overlap resolves as in ``instant(on:at:)``.
    public func adding(_ duration: WorkflowDuration, to instant: Date) -> Date {
        let local = wallClock(of: instant)
        let start = LocalDate(dayNumber: local.dayNumber)
        switch duration {
        case .iso(let d):
            let date = start
                .adding(months: d.years * 12 + d.months)
                .adding(days: d.weeks * 7 + d.days)
            let moved = d.years == 0 && d.months == 0 && d.weeks == 0 && d.days == 0
                ? instant  // keep the exact instant, even inside an overlap hour
                : self.instant(dayNumber: date.dayNumber, secondOfDay: local.secondOfDay)
            return moved.addingTimeInterval(Self.exactSeconds(of: d))
        case .workingDays(let n):
            let date = addingWorkingDays(n, to: start)
            return date == start
                ? instant
                : self.instant(dayNumber: date.dayNumber, secondOfDay: local.secondOfDay)
        }
    }

    /// Subtracts `duration` from `instant`, undoing the instant form of
    /// `adding(_:to:)` step by step in reverse: exact time parts first, then
    /// weeks and days, then years and months (clamping to the month's end),
    /// keeping the local time of day. So a reminder "P7D before" a 17:00
    /// deadline is at 17:00 local seven civil days earlier, whatever DST did
    /// in between. Working days step backwards with
    /// ``addingWorkingDays(_:to:)``; `0 working days` mirrors the forward rule
    /// and means the last working day on or before the local date, so a
    /// reminder never lands after a deadline that fell on a day off.
    ///
    /// Month clamping makes this an exact inverse only when no clamping
    /// happens (2026-03-31 − P1M is 2026-02-28, and + P1M is 2026-03-28).
    public func subtracting(_ duration: WorkflowDuration, from instant: Date) -> Date {
        switch duration {
        case .iso(let d):
            let afterTime = instant.addingTimeInterval(-Self.exactSeconds(of: d))
            if d.years == 0 && d.months == 0 && d.weeks == 0 && d.days == 0 { return afterTime }
            let local = wallClock(of: afterTime)
            let date = LocalDate(dayNumber: local.dayNumber)
                .adding(days: -(d.weeks * 7 + d.days))
                .adding(months: -(d.years * 12 + d.months))
            return self.instant(dayNumber: date.dayNumber, secondOfDay: local.secondOfDay)
        case .workingDays(let n):
            let local = wallClock(of: instant)
            let start = LocalDate(dayNumber: local.dayNumber)
            // addingWorkingDays(0) rounds forward, which would put a reminder
            // after its deadline; round backwards instead.
            let date = n == 0 ? previousWorkingDay(onOrBefore: start) : addingWorkingDays(-n, to: start)
            return date == start
                ? instant
                : self.instant(dayNumber: date.dayNumber, secondOfDay: local.secondOfDay)
        }
    }

    /// Adds a date-only duration to a civil date.
    ///
    /// Time parts (hours, minutes, seconds) are ignored rather than trapped on,
    /// because a daemon should not crash on a workflow file; callers that care
    /// check ``WorkflowDuration/isDateOnly`` when loading workflows. Months
    /// clamp to the month's end; working days use ``addingWorkingDays(_:to:)``
    /// (so `0 working days` moves a weekend date to the next working day).
    public func adding(_ duration: WorkflowDuration, to date: LocalDate) -> LocalDate {
        switch duration {
        case .iso(let d):
            return date
                .adding(months: d.years * 12 + d.months)
                .adding(days: d.weeks * 7 + d.days)
        case .workingDays(let n):
            return addingWorkingDays(n, to: date)
        }
    }

    /// `instant` as local ISO 8601 text with its UTC offset at that instant,
    /// e.g. `2026-12-01T17:00:00+01:00`; fractional seconds are truncated.
    public func isoLocalString(_ instant: Date) -> String {
        let local = wallClock(of: instant)
        let offset = local.offset
        let sign = offset < 0 ? "-" : "+"
        let absOffset = abs(offset)
        return Self.format(dayNumber: local.dayNumber, secondOfDay: local.secondOfDay)
            + sign + String(absOffset / 3600).leftPadded(to: 2) + ":" + String(absOffset % 3600 / 60).leftPadded(to: 2)
    }

    /// `instant` as UTC ISO 8601 text, e.g. `2026-12-01T16:00:00Z`, with its
    /// milliseconds when it has any (``RFC3339/utcString(_:)``).
    public static func isoUTCString(_ instant: Date) -> String { RFC3339.utcString(instant) }

    // MARK: - Private zone arithmetic

    /// A wall-clock reading: days since 1970-01-01 and seconds into that day
    /// (with the instant's fraction kept, so durations preserve sub-minute
    /// times), plus the zone's offset in effect.
    private struct WallClock {
        var dayNumber: Int
        var secondOfDay: Double
        var offset: Int
    }

    private func wallClock(of instant: Date) -> WallClock {
        let offset = timeZone.secondsFromGMT(for: instant)
        let utc = instant.timeIntervalSince1970
        let whole = utc.rounded(.down)
        let local = Int(whole) + offset
        let day = floorDiv(local, 86_400)
        return WallClock(
            dayNumber: day,
            secondOfDay: Double(local - day * 86_400) + (utc - whole),
            offset: offset
        )
    }

    /// The instant a wall clock in `timeZone` shows the given local time.
    ///
    /// Foundation only answers "what is the offset at this instant", so try
    /// the offsets in effect a day either side: a candidate is right when the
    /// zone agrees with it at the instant it produces. Two right candidates
    /// mean an overlap (take the earlier instant); none means a gap (use the
    /// offset from before the change, which lands past the gap by its size).
    private func instant(dayNumber: Int, secondOfDay: Double) -> Date {
        let local = Double(dayNumber) * 86_400 + secondOfDay
        let before = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local - 86_400))
        let after = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local + 86_400))
        let valid = Set([before, after]).filter { offset in
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(offset))) == offset
        }
        // The larger offset gives the earlier instant, i.e. the first occurrence.
        let offset = valid.max() ?? before
        return Date(timeIntervalSince1970: local - Double(offset))
    }

    private static func exactSeconds(of d: WorkflowDuration.ISODuration) -> TimeInterval {
        TimeInterval(d.hours * 3600 + d.minutes * 60 + d.seconds)
    }

    private static func format(dayNumber: Int, secondOfDay: Double) -> String {
        LocalDate(dayNumber: dayNumber).description + "T" + RFC3339.clockText(Int(secondOfDay.rounded(.down)))
    }


    // MARK: - Private holiday arithmetic

    /// Easter Sunday by the anonymous Gregorian (Meeus/Jones/Butcher) algorithm.
    static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)
    }

    /// The first date on or after `date` with the given ISO weekday (1 = Monday).
    private static func first(weekday: Int, from date: LocalDate) -> LocalDate {
        date.adding(days: (weekday - date.isoWeekday + 7) % 7)
    }

}
