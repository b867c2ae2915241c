import Foundation

/// A duration as written in a workflow file: ISO 8601 (`P14D`, `P1M`, `PT4H`,
/// `P2W`, `P1Y2M3DT4H5M6S`) or Swedish working days (`10 working days`).
///
/// Calendar parts (years, months, weeks, days) are civil: they are added in
/// Europe/Stockholm wall-clock time so that "P1D after 17:00" is 17:00 the next
/// day across a DST change. Time parts (hours, minutes, seconds) are exact.
public enum WorkflowDuration: Hashable, Sendable, CustomStringConvertible {
    case iso(ISODuration)
    case workingDays(Int)

    public struct ISODuration: Hashable, Sendable {
        public var years = 0
        public var months = 0
        public var weeks = 0
        public var days = 0
        public var hours = 0
        public var minutes = 0
        public var seconds = 0

        public init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0, hours: Int = 0, minutes: Int = 0, seconds: Int = 0) {
            self.years = years
            self.months = months
            self.weeks = weeks
            self.days = days
            self.hours = hours
            self.minutes = minutes
            self.seconds = seconds
        }

        /// True when the duration has only calendar parts (Y, M, W, D).
        public var isDateOnly: Bool { hours == 0 && minutes == 0 && seconds == 0 }
    }
}
