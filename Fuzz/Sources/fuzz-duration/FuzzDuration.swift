// Fuzzes the duration parser and the calendar arithmetic behind every deadline.
//
// A duration comes straight from a workflow file or an API payload, and the
// daemon then adds it to real instants when it schedules timers, so neither
// step may trap (integer overflow), take seconds (a huge working-day count) or
// give a deadline before its start.
import BevakaCore
import Foundation
import FuzzDriver

@main
enum Fuzzer {
    static func main() {
        runLibFuzzer { data, size in data.map { fuzz($0, size) } ?? 0 }
    }
}

private let calendar = SwedishCalendar()

/// Instants that have tripped date code before: a DST spring-forward evening,
/// the autumn overlap hour, a year's last working afternoon, the epoch.
private let instants: [Date] = [
    "2026-03-28T16:00:00Z", "2026-10-25T00:30:00Z", "2026-12-30T16:00:00Z", "1970-01-01T00:00:00Z",
].map { ISO8601DateFormatter().date(from: $0)! }

/// Dates around month ends, a leap day, holidays and a weekend.
private let dates: [LocalDate] = [
    LocalDate(year: 2026, month: 1, day: 31), LocalDate(year: 2028, month: 2, day: 29),
    LocalDate(year: 2026, month: 12, day: 24), LocalDate(year: 2026, month: 6, day: 20),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let duration = try? WorkflowDuration(parsing: text) else { return 0 }

    // The canonical text is what the API shows and what may be stored again,
    // so it must read back as the same duration.
    let canonical = duration.description
    guard let again = try? WorkflowDuration(parsing: canonical), again == duration else {
        fatalError("'\(text)' parses to \(duration), whose description '\(canonical)' does not parse back to it")
    }
    // Payloads reach the same parser through the field coder.
    guard case .success(.duration(duration)) = FieldValueCoder.decode(.string(text), as: .duration) else {
        fatalError("'\(text)' parses as a duration but FieldValueCoder refuses it or reads it differently")
    }

    for instant in instants {
        let due = calendar.adding(duration, to: instant)
        // Durations cannot be negative, so a deadline never precedes its start.
        if due < instant {
            fatalError("\(instant) + \(duration) = \(due) is earlier than the start")
        }
        // Calendar parts move the local date exactly as they move a LocalDate.
        if duration.isDateOnly {
            let viaDate = calendar.adding(duration, to: calendar.localDate(of: instant))
            if calendar.localDate(of: due) != viaDate {
                fatalError("\(instant) + \(duration) lands on \(calendar.localDate(of: due)), but the local date + it is \(viaDate)")
            }
        }
        _ = calendar.isoLocalString(due)
        _ = SwedishCalendar.isoUTCString(due)
        // Reminders count backwards from the deadline.
        _ = calendar.subtracting(duration, from: due)
    }
    for date in dates {
        let moved = calendar.adding(duration, to: date)
        if moved < date {
            fatalError("\(date) + \(duration) = \(moved) is earlier than the start")
        }
        _ = moved.description
        if case .workingDays(let n) = duration {
            _ = calendar.addingWorkingDays(-n, to: date)
        }
    }
    return 0
}
