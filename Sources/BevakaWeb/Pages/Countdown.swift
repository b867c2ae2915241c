import BevakaCore
import Foundation

/// How far away a due moment is, as a case officer says it: "i dag", "om 3
/// arbetsdagar", "2 dagar försenad". Working days in the Swedish calendar.
public enum Countdown {
    public static func text(to due: Date, now: Date, calendar: SwedishCalendar = SwedishCalendar()) -> String {
        let today = calendar.localDate(of: now)
        let day = calendar.localDate(of: due)
        if due <= now {
            let late = today.dayNumber - day.dayNumber
            return late <= 0 ? "försenad sedan kl. \(SwedishText.clock(calendar.localTime(of: due)))" : "\(late) \(late == 1 ? "dag" : "dagar") försenad"
        }
        if day == today { return "i dag kl. \(SwedishText.clock(calendar.localTime(of: due)))" }
        if day == today.adding(days: 1) { return "i morgon kl. \(SwedishText.clock(calendar.localTime(of: due)))" }
        var working = 0
        var cursor = today
        while cursor < day {
            cursor = cursor.adding(days: 1)
            if calendar.isWorkingDay(cursor) { working += 1 }
        }
        if working == 0 { return "om \(today.days(until: day)) dagar (helg)" }
        return "om \(working) \(working == 1 ? "arbetsdag" : "arbetsdagar")"
    }
}
