import Foundation

/// Instants are stored as integer milliseconds since 1970 UTC: exact, sortable, indexable.
extension Date {
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
