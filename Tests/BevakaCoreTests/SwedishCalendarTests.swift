import Foundation
import Testing

import BevakaCore

private let cal = SwedishCalendar()

private func d(_ s: String) -> LocalDate {
    guard let date = LocalDate(iso: s) else { fatalError("bad test date \(s)") }
    return date
}

private func t(_ s: String) -> LocalTime {
    guard let time = LocalTime(s) else { fatalError("bad test time \(s)") }
    return time
}

/// A UTC instant written as `YYYY-MM-DD HH:MM[:SS]`, computed without the code under test.
private func utc(_ s: String) -> Date {
    let parts = s.split(separator: " ")
    let hms = parts[1].split(separator: ":").map { Int($0)! }
    let seconds = d(String(parts[0])).dayNumber * 86_400 + hms[0] * 3600 + hms[1] * 60 + (hms.count > 2 ? hms[2] : 0)
    return Date(timeIntervalSince1970: TimeInterval(seconds))
}

/// An instant given by Stockholm wall-clock text, via the code under test.
private func local(_ s: String) -> Date {
    let parts = s.split(separator: " ")
    return cal.instant(on: d(String(parts[0])), at: t(String(parts[1])))
}

private func dur(_ s: String) throws -> WorkflowDuration {
    try WorkflowDuration(parsing: s)
}

private func dateNamed(_ name: String, in year: Int) -> LocalDate? {
    cal.holidays(in: year).first(where: { $0.value == name })?.key
}

@Suite("Holidays")
struct SwedishHolidayTests {
    @Test func fullTable2026() {
        let expected: [LocalDate: String] = [
            d("2026-01-01"): "Nyårsdagen",
            d("2026-01-06"): "Trettondedag jul",
            d("2026-04-03"): "Långfredagen",
            d("2026-04-05"): "Påskdagen",
            d("2026-04-06"): "Annandag påsk",
            d("2026-05-01"): "Första maj",
            d("2026-05-14"): "Kristi himmelsfärdsdag",
            d("2026-05-24"): "Pingstdagen",
            d("2026-06-06"): "Sveriges nationaldag",
            d("2026-06-19"): "Midsommarafton",
            d("2026-06-20"): "Midsommardagen",
            d("2026-10-31"): "Alla helgons dag",
            d("2026-12-24"): "Julafton",
            d("2026-12-25"): "Juldagen",
            d("2026-12-26"): "Annandag jul",
            d("2026-12-31"): "Nyårsafton",
        ]
        #expect(cal.holidays(in: 2026) == expected)
    }

    @Test func movableHolidays2027() {
        #expect(dateNamed("Påskdagen", in: 2027) == d("2027-03-28"))
        #expect(dateNamed("Långfredagen", in: 2027) == d("2027-03-26"))
        #expect(dateNamed("Annandag påsk", in: 2027) == d("2027-03-29"))
        #expect(dateNamed("Kristi himmelsfärdsdag", in: 2027) == d("2027-05-06"))
        #expect(dateNamed("Pingstdagen", in: 2027) == d("2027-05-16"))
        #expect(dateNamed("Midsommarafton", in: 2027) == d("2027-06-25"))
        #expect(dateNamed("Midsommardagen", in: 2027) == d("2027-06-26"))
        #expect(dateNamed("Alla helgons dag", in: 2027) == d("2027-11-06"))
        #expect(cal.holidays(in: 2027).count == 16)
    }

    @Test(arguments: [
        (2000, "2000-04-23"), (2008, "2008-03-23"), (2011, "2011-04-24"), (2019, "2019-04-21"),
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"),
        (2038, "2038-04-25"), (2285, "2285-03-22"),
    ])
    func easterSunday(year: Int, expected: String) {
        #expect(dateNamed("Påskdagen", in: year) == d(expected))
    }

    @Test func coincidingHolidaysKeepBothNames() {
        // Easter 2008 was 23 March, so Ascension fell on 1 May.
        let h = cal.holidays(in: 2008)
        #expect(h[d("2008-05-01")] == "Första maj / Kristi himmelsfärdsdag")
        #expect(h.count == 15)
    }

    @Test(arguments: 2020...2040)
    func midsummerAndAllSaintsFallInTheirWindows(year: Int) throws {
        let eve = try #require(dateNamed("Midsommarafton", in: year))
        #expect(eve.isoWeekday == 5)
        #expect(eve.month == 6 && (19...25).contains(eve.day))
        #expect(dateNamed("Midsommardagen", in: year) == eve.adding(days: 1))
        let allSaints = try #require(dateNamed("Alla helgons dag", in: year))
        #expect(allSaints.isoWeekday == 6)
        #expect(LocalDate(year: year, month: 10, day: 31) <= allSaints)
        #expect(allSaints <= LocalDate(year: year, month: 11, day: 6))
    }
}

@Suite("Working days")
struct SwedishWorkingDayTests {
    @Test func workingDayClassification() {
        #expect(!cal.isWorkingDay(d("2026-06-19")))  // Midsommarafton, a Friday
        #expect(cal.isWorkingDay(d("2026-06-18")))  // Thursday
        #expect(!cal.isWorkingDay(d("2026-06-20")))  // Saturday
        #expect(!cal.isWorkingDay(d("2026-06-21")))  // Sunday
        #expect(cal.isWorkingDay(d("2026-06-22")))  // Monday
        #expect(!cal.isWorkingDay(d("2026-01-06")))  // Trettondedag jul, a Tuesday
        #expect(!cal.isWorkingDay(d("2026-12-24")))  // Julafton, a Thursday
        #expect(!cal.isWorkingDay(d("2026-05-14")))  // Ascension, a Thursday
        #expect(cal.isWorkingDay(d("2026-05-15")))  // the "klämdag" is still a working day
    }

    @Test func oneWorkingDayOverMidsummer() {
        // Thursday before Midsommarafton: Friday is off, so Monday.
        #expect(cal.addingWorkingDays(1, to: d("2026-06-18")) == d("2026-06-22"))
        // The holiday itself as start: its own date does not count.
        #expect(cal.addingWorkingDays(1, to: d("2026-06-19")) == d("2026-06-22"))
        // An ordinary Friday.
        #expect(cal.addingWorkingDays(1, to: d("2026-06-12")) == d("2026-06-15"))
        #expect(cal.addingWorkingDays(1, to: d("2026-06-13")) == d("2026-06-15"))  // Saturday
    }

    @Test func tenWorkingDaysOverChristmasAndNewYear() {
        // Fri 18 Dec: 21, 22, 23 | 24–27 off | 28, 29, 30 | 31 Dec–3 Jan off | 4, 5 | 6 off | 7, 8.
        #expect(cal.addingWorkingDays(10, to: d("2026-12-18")) == d("2027-01-08"))
        #expect(cal.addingWorkingDays(3, to: d("2026-12-18")) == d("2026-12-23"))
        #expect(cal.addingWorkingDays(4, to: d("2026-12-18")) == d("2026-12-28"))
    }

    @Test func negativeWorkingDays() {
        #expect(cal.addingWorkingDays(-10, to: d("2027-01-08")) == d("2026-12-18"))
        #expect(cal.addingWorkingDays(-1, to: d("2026-06-22")) == d("2026-06-18"))
        // Tuesday after Easter back one: Monday, Friday are off, so Thursday.
        #expect(cal.addingWorkingDays(-1, to: d("2026-04-07")) == d("2026-04-02"))
        #expect(cal.addingWorkingDays(-1, to: d("2026-06-21")) == d("2026-06-18"))  // from Sunday
    }

    @Test func zeroWorkingDaysIsNextWorkingDay() {
        #expect(cal.addingWorkingDays(0, to: d("2026-06-18")) == d("2026-06-18"))
        #expect(cal.addingWorkingDays(0, to: d("2026-06-19")) == d("2026-06-22"))
        #expect(cal.nextWorkingDay(onOrAfter: d("2026-04-03")) == d("2026-04-07"))
        #expect(cal.nextWorkingDay(onOrAfter: d("2026-12-24")) == d("2026-12-28"))
        #expect(cal.nextWorkingDay(onOrAfter: d("2026-12-31")) == d("2027-01-04"))
    }

    @Test(arguments: [1, 2, 5, 10, 20, 60, 250])
    func forwardThenBackIsIdentityFromAWorkingDay(n: Int) {
        let start = d("2026-12-15")
        #expect(cal.addingWorkingDays(-n, to: cal.addingWorkingDays(n, to: start)) == start)
    }
}

@Suite("Wall-clock time in Europe/Stockholm")
struct StockholmZoneTests {
    @Test func stockholmIsStockholm() {
        #expect(SwedishCalendar.stockholm.identifier == "Europe/Stockholm")
        #expect(cal.timeZone.identifier == "Europe/Stockholm")
    }

    @Test func instantsAroundSpringForward() {
        #expect(local("2026-03-28 17:00") == utc("2026-03-28 16:00"))
        #expect(local("2026-03-29 17:00") == utc("2026-03-29 15:00"))
        #expect(local("2026-03-29 01:59") == utc("2026-03-29 00:59"))
        #expect(local("2026-03-29 03:00") == utc("2026-03-29 01:00"))
    }

    @Test func springForwardGapMovesLaterByTheGap() {
        let instant = local("2026-03-29 02:30")
        #expect(instant == utc("2026-03-29 01:30"))
        #expect(cal.localTime(of: instant) == t("03:30"))
        #expect(cal.localDate(of: instant) == d("2026-03-29"))
        #expect(local("2026-03-29 02:00") == utc("2026-03-29 01:00"))
    }

    @Test func autumnOverlapTakesFirstOccurrence() {
        #expect(local("2026-10-25 02:30") == utc("2026-10-25 00:30"))  // CEST
        #expect(cal.isoLocalString(local("2026-10-25 02:30")) == "2026-10-25T02:30:00+02:00")
        #expect(local("2026-10-25 01:59") == utc("2026-10-24 23:59"))
        #expect(local("2026-10-25 03:00") == utc("2026-10-25 02:00"))  // CET
        // The second 02:30 still reads as 02:30 local.
        #expect(cal.localTime(of: utc("2026-10-25 01:30")) == t("02:30"))
        #expect(cal.isoLocalString(utc("2026-10-25 01:30")) == "2026-10-25T02:30:00+01:00")
    }

    @Test func localDateAndTimeCrossMidnight() {
        #expect(cal.localDate(of: utc("2026-03-28 23:30")) == d("2026-03-29"))
        #expect(cal.localTime(of: utc("2026-03-28 23:30")) == t("00:30"))
        #expect(cal.localDate(of: utc("2026-06-30 22:30")) == d("2026-07-01"))
        #expect(cal.localTime(of: utc("2026-06-30 22:30")) == t("00:30"))
        #expect(cal.localDate(of: utc("2026-12-31 22:59")) == d("2026-12-31"))
        #expect(cal.localDate(of: utc("2026-12-31 23:00")) == d("2027-01-01"))
        #expect(cal.localTime(of: utc("2026-01-01 12:34:59")) == t("13:34"))
    }

    @Test func everyHourOf2026RoundTripsExceptTheGap() {
        var checked = 0
        for day in 0..<365 {
            let date = d("2026-01-01").adding(days: day)
            for hour in 0..<24 {
                let time = LocalTime(hour: hour, minute: 15)
                if date == d("2026-03-29") && hour == 2 { continue }
                let instant = cal.instant(on: date, at: time)
                #expect(cal.localDate(of: instant) == date)
                #expect(cal.localTime(of: instant) == time)
                checked += 1
            }
        }
        #expect(checked == 365 * 24 - 1)
    }

    @Test func farFutureStillHasSummerTime() {
        // Beyond 2037 slim tzdata has no explicit transitions, only a rule.
        #expect(local("2040-07-01 12:00") == utc("2040-07-01 10:00"))
        #expect(local("2040-12-01 12:00") == utc("2040-12-01 11:00"))
        #expect(local("2099-07-01 12:00") == utc("2099-07-01 10:00"))
    }

    @Test func otherZones() throws {
        let newYork = SwedishCalendar(timeZone: try #require(TimeZone(identifier: "America/New_York")))
        let instant = newYork.instant(on: d("2026-12-01"), at: t("17:00"))
        #expect(instant == utc("2026-12-01 22:00"))
        #expect(newYork.isoLocalString(instant) == "2026-12-01T17:00:00-05:00")
        // US spring-forward 2026-03-08 02:30 does not exist: 03:30 EDT.
        #expect(newYork.instant(on: d("2026-03-08"), at: t("02:30")) == utc("2026-03-08 07:30"))
        // US fall-back 2026-11-01 01:30 twice: first is EDT.
        #expect(newYork.instant(on: d("2026-11-01"), at: t("01:30")) == utc("2026-11-01 05:30"))

        let utcCal = SwedishCalendar(timeZone: try #require(TimeZone(identifier: "UTC")))
        #expect(utcCal.isoLocalString(utc("2026-12-01 16:00")) == "2026-12-01T16:00:00+00:00")
        #expect(utcCal.instant(on: d("2026-03-29"), at: t("02:30")) == utc("2026-03-29 02:30"))

        let kolkata = SwedishCalendar(timeZone: try #require(TimeZone(identifier: "Asia/Kolkata")))
        #expect(kolkata.isoLocalString(utc("2026-12-01 16:00")) == "2026-12-01T21:30:00+05:30")
    }

    @Test func isoStrings() {
        let instant = local("2026-12-01 17:00")
        #expect(cal.isoLocalString(instant) == "2026-12-01T17:00:00+01:00")
        #expect(SwedishCalendar.isoUTCString(instant) == "2026-12-01T16:00:00Z")
        #expect(cal.isoLocalString(local("2026-06-01 17:00")) == "2026-06-01T17:00:00+02:00")
        #expect(SwedishCalendar.isoUTCString(utc("2026-06-01 15:04:05")) == "2026-06-01T15:04:05Z")
        // UTC text keeps the milliseconds an instant is stored with; local text stays to the second.
        let fractional = utc("2026-06-01 15:04:05").addingTimeInterval(0.999)
        #expect(SwedishCalendar.isoUTCString(fractional) == "2026-06-01T15:04:05.999Z")
        #expect(cal.isoLocalString(fractional) == "2026-06-01T17:04:05+02:00")
        // Before 1970 the floor division must still land on the right day.
        let old = utc("1969-12-31 23:59:59")
        #expect(SwedishCalendar.isoUTCString(old) == "1969-12-31T23:59:59Z")
        #expect(SwedishCalendar.isoUTCString(old.addingTimeInterval(0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(cal.isoLocalString(old) == "1970-01-01T00:59:59+01:00")
    }

    @Test func isSendable() async {
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { cal.isWorkingDay(d("2026-06-19")) }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [false, false, false, false])
    }
}

@Suite("Duration arithmetic")
struct WorkflowDurationArithmeticTests {
    @Test func oneDayAcrossSpringForwardKeepsWallClock() throws {
        let start = local("2026-03-28 17:00")
        let end = cal.adding(try dur("P1D"), to: start)
        #expect(end == local("2026-03-29 17:00"))
        #expect(end.timeIntervalSince(start) == 23 * 3600)
        #expect(cal.localTime(of: end) == t("17:00"))
    }

    @Test func oneDayAcrossFallBackKeepsWallClock() throws {
        let start = local("2026-10-24 17:00")
        let end = cal.adding(try dur("P1D"), to: start)
        #expect(end == local("2026-10-25 17:00"))
        #expect(end.timeIntervalSince(start) == 25 * 3600)
    }

    @Test func twentyFourHoursAcrossSpringForwardIsExact() throws {
        let end = cal.adding(try dur("PT24H"), to: local("2026-03-28 17:00"))
        #expect(cal.localDate(of: end) == d("2026-03-29"))
        #expect(cal.localTime(of: end) == t("18:00"))
        #expect(end == utc("2026-03-29 16:00"))
    }

    @Test func calendarPartsThenTimeParts() throws {
        // Calendar day first (17:00 on the 29th), then two exact hours.
        #expect(cal.adding(try dur("P1DT2H"), to: local("2026-03-28 17:00")) == local("2026-03-29 19:00"))
        // Time parts alone from 01:30 CET cross the gap: 01:30 + 1h = 03:30 CEST.
        #expect(cal.adding(try dur("PT1H"), to: local("2026-03-29 01:30")) == local("2026-03-29 03:30"))
        #expect(cal.adding(try dur("PT30M"), to: local("2026-10-25 02:45")) == utc("2026-10-25 01:15"))
    }

    @Test func monthsClampAndWeeksAreSevenDays() throws {
        #expect(cal.adding(try dur("P1M"), to: local("2026-01-31 17:00")) == local("2026-02-28 17:00"))
        #expect(cal.adding(try dur("P1M"), to: local("2028-01-31 17:00")) == local("2028-02-29 17:00"))
        #expect(cal.adding(try dur("P1Y"), to: local("2028-02-29 09:00")) == local("2029-02-28 09:00"))
        #expect(cal.adding(try dur("P2W"), to: local("2026-03-20 17:00")) == local("2026-04-03 17:00"))
        #expect(cal.adding(try dur("P14D"), to: local("2026-10-20 08:00")) == local("2026-11-03 08:00"))
        #expect(cal.adding(try dur("P1Y2M3DT4H5M6S"), to: local("2026-01-01 00:00")) == utc("2027-03-04 03:05:06"))
    }

    @Test func landingInTheGapOrOverlap() throws {
        // 02:30 on the 29th does not exist: 03:30 CEST.
        #expect(cal.adding(try dur("P1D"), to: local("2026-03-28 02:30")) == utc("2026-03-29 01:30"))
        // 02:30 on 25 October exists twice: the first (CEST).
        #expect(cal.adding(try dur("P1D"), to: local("2026-10-24 02:30")) == utc("2026-10-25 00:30"))
    }

    @Test func subSecondTimeOfDayIsKept() throws {
        let start = utc("2026-03-28 16:00:30").addingTimeInterval(0.25)
        let end = cal.adding(try dur("P1D"), to: start)
        #expect(end == utc("2026-03-29 15:00:30").addingTimeInterval(0.25))
    }

    @Test func workingDaysKeepTimeOfDay() throws {
        #expect(cal.adding(try dur("1 working day"), to: local("2026-06-18 17:00")) == local("2026-06-22 17:00"))
        #expect(cal.adding(try dur("10 working days"), to: local("2026-12-18 09:30")) == local("2027-01-08 09:30"))
        // Across spring-forward: Friday 27 March 17:00 CET to Monday 30 March 17:00 CEST.
        let end = cal.adding(try dur("1 arbetsdag"), to: local("2026-03-27 17:00"))
        #expect(end == utc("2026-03-30 15:00"))
        // Zero rounds a day off forward.
        #expect(cal.adding(try dur("0 working days"), to: local("2026-06-19 12:00")) == local("2026-06-22 12:00"))
        #expect(cal.adding(try dur("0 working days"), to: local("2026-06-18 12:00")) == local("2026-06-18 12:00"))
    }

    @Test func reminderSevenDaysBeforeAcrossDST() throws {
        // Deadline in CEST, reminder in CET: still 17:00 local.
        let deadline = local("2026-04-01 17:00")
        let reminder = cal.subtracting(try dur("P7D"), from: deadline)
        #expect(reminder == local("2026-03-25 17:00"))
        #expect(deadline.timeIntervalSince(reminder) == 7 * 86_400 - 3600)
        #expect(cal.isoLocalString(reminder) == "2026-03-25T17:00:00+01:00")
    }

    @Test func subtractingIsTheInverseWithoutClamping() throws {
        let instants = [
            local("2026-03-27 17:00"), local("2026-03-28 17:00"), local("2026-10-23 08:15"),
            local("2026-10-24 08:15"), local("2026-12-15 23:59"),
        ]
        for text in ["P1D", "P2W", "P1M", "P1Y2M3D", "PT24H", "P3DT4H5M6S", "10 working days", "1 working day"] {
            let duration = try dur(text)
            for instant in instants {
                let forward = cal.adding(duration, to: instant)
                let back = cal.subtracting(duration, from: forward)
                if case .workingDays = duration, !cal.isWorkingDay(cal.localDate(of: instant)) { continue }
                #expect(back == instant, "\(text) from \(cal.isoLocalString(instant))")
            }
        }
    }

    @Test func subtractingMonthsClamps() throws {
        #expect(cal.subtracting(try dur("P1M"), from: local("2026-03-31 17:00")) == local("2026-02-28 17:00"))
    }

    @Test func subtractingTimePartsIsExact() throws {
        // 03:30 CEST minus one hour is 01:30 CET.
        #expect(cal.subtracting(try dur("PT1H"), from: local("2026-03-29 03:30")) == local("2026-03-29 01:30"))
        #expect(cal.subtracting(try dur("PT24H"), from: local("2026-03-29 17:00")) == local("2026-03-28 16:00"))
    }

    @Test func subtractingWorkingDays() throws {
        #expect(cal.subtracting(try dur("1 working day"), from: local("2026-06-22 17:00")) == local("2026-06-18 17:00"))
        #expect(cal.subtracting(try dur("10 working days"), from: local("2027-01-08 17:00")) == local("2026-12-18 17:00"))
        // Zero rounds back, so a reminder never follows its deadline.
        #expect(cal.subtracting(try dur("0 working days"), from: local("2026-06-20 17:00")) == local("2026-06-18 17:00"))
        #expect(cal.subtracting(try dur("0 working days"), from: local("2026-06-18 17:00")) == local("2026-06-18 17:00"))
    }

    @Test func addingToDates() throws {
        #expect(cal.adding(try dur("P14D"), to: d("2026-12-20")) == d("2027-01-03"))
        #expect(cal.adding(try dur("P1M"), to: d("2026-01-31")) == d("2026-02-28"))
        #expect(cal.adding(try dur("P1Y2M"), to: d("2026-12-31")) == d("2028-02-29"))
        #expect(cal.adding(try dur("P2W"), to: d("2026-02-20")) == d("2026-03-06"))
        #expect(cal.adding(try dur("10 working days"), to: d("2026-12-18")) == d("2027-01-08"))
        #expect(cal.adding(try dur("1 working day"), to: d("2026-06-18")) == d("2026-06-22"))
        // Time parts are ignored, as documented.
        #expect(cal.adding(try dur("P1DT23H"), to: d("2026-06-01")) == d("2026-06-02"))
        #expect(cal.adding(try dur("PT48H"), to: d("2026-06-01")) == d("2026-06-01"))
    }
}
