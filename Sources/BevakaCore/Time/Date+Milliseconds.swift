import Foundation

/// Instants are stored as whole milliseconds since 1970 UTC. Comparing at that
/// precision keeps a deadline equal to itself after a trip through SQLite.
extension Date {
    public var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }

    /// This instant cut to whole milliseconds, as it will read back from the store.
    public var wholeMilliseconds: Date { Date(millis: millis) }

    public func isSameMillisecond(as other: Date) -> Bool { millis == other.millis }
}
