import Foundation

/// The ranges Bevaka accepts from anyone who can send it a value: a request,
/// a workflow file, an import. Each bound is generous for contract follow-up
/// and small enough that no arithmetic on it can overflow, loop for long or
/// build an absurd ledger, so a value past it is refused where it enters,
/// naming the field, instead of crashing or stalling the daemon later.
public enum InputLimits {
    /// Civil dates a case can carry: contract follow-up spans decades, not millennia.
    public static let dates = LocalDate(year: 1900, month: 1, day: 1)...LocalDate(year: 2199, month: 12, day: 31)

    /// The largest magnitude of an integer or decimal field (a trillion: far above any
    /// count of patients or amount in kronor, far below where products overflow).
    public static let magnitude = 1_000_000_000_000
    /// The most decimals a decimal field keeps (amounts are in öre; rates may be finer).
    public static let decimalPlaces = 10

    /// The longest duration, in days for ISO 8601 durations (ten years) and in working days.
    public static let durationDays = 3_660
    public static let durationWorkingDays = 2_610

    /// The shortest interval between repeated reminders: shorter ones only flood the history.
    public static let shortestRepeat: TimeInterval = 3_600

    /// The longest free text (a field value, a reason), in characters.
    public static let textLength = 10_000
    /// The longest name of a person or owner, in characters.
    public static let nameLength = 200

    /// What is wrong with `text` as free text, or nil when it may be stored.
    ///
    /// Control characters other than tab, line feed and carriage return are
    /// refused: a NUL in particular is cut off by C string APIs, so what is
    /// stored would no longer be what was hashed into the history chain.
    public static func textProblem(_ text: String, maximumLength: Int = textLength) -> String? {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isControl = value < 0x20 || (0x7F...0x9F).contains(value)
            if isControl && value != 0x09 && value != 0x0A && value != 0x0D {
                return "contains the control character U+\(String(value, radix: 16, uppercase: true).leftPadded(to: 4)), which is not allowed in text"
            }
            if (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE {
                return "contains the noncharacter U+\(String(value, radix: 16, uppercase: true).leftPadded(to: 4)), which is not allowed in text"
            }
        }
        // Counting characters walks the whole string; the UTF-8 size bounds it first.
        if text.utf8.count > maximumLength * 4 || text.count > maximumLength {
            return "is longer than \(maximumLength) characters"
        }
        return nil
    }

    /// What is wrong with `number` as a field value, or nil when it is within ``magnitude``.
    public static func magnitudeProblem(_ number: Decimal) -> String? {
        let bound = Decimal(magnitude)
        return number > bound || number < -bound
            ? "must be between -\(magnitude) and \(magnitude), got \(number)" : nil
    }

    /// What is wrong with `date` as a value a case may carry, or nil when it is in ``dates``.
    public static func dateProblem(_ date: LocalDate) -> String? {
        dates.contains(date) ? nil : "must be a date from \(dates.lowerBound) to \(dates.upperBound), got \(date)"
    }
}

extension String {
    package func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
