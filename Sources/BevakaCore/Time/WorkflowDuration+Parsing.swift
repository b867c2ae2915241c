import Foundation

/// Why a workflow duration could not be read.
///
/// The message names the offending text and says what would have been
/// accepted, because it ends up in front of whoever edits the workflow file.
public struct DurationParseError: Error, Equatable, CustomStringConvertible {
    /// The text exactly as it was given to the parser.
    public let text: String
    /// A complete human-readable sentence, including ``text``.
    public let message: String

    /// Creates an error for `text`; `reason` is the specific complaint, if any.
    init(text: String, reason: String? = nil) {
        self.text = text
        let hint = "expected ISO 8601 like P14D, PT4H, P1M or 'N working days'"
        if let reason {
            self.message = "'\(text)' is not a duration: \(reason); \(hint)"
        } else {
            self.message = "'\(text)' is not a duration: \(hint)"
        }
    }

    /// The same as ``message``.
    public var description: String { message }
}

extension WorkflowDuration {
    /// Parses a duration as written in a workflow file.
    ///
    /// Accepted forms:
    /// - ISO 8601 durations with whole, non-negative numbers and uppercase
    ///   designators in the standard order: `P14D`, `P1M`, `P2W`, `PT4H`,
    ///   `PT30M`, `P1Y2M3DT4H5M6S`. At least one component is required, and a
    ///   `T` must be followed by at least one time component.
    /// - Working days: `10 working days`, `1 working day`, `10 arbetsdagar`,
    ///   `1 arbetsdag` (the words are case-insensitive and singular/plural is
    ///   not checked against the number, since a mismatch is never ambiguous).
    ///
    /// Leading and trailing whitespace is ignored.
    public init(parsing text: String) throws(DurationParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw DurationParseError(text: text, reason: "it is empty")
        }
        if trimmed.first == "P" {
            let iso = try Self.parseISO(trimmed, original: text)
            guard Self.approximateDays(of: iso) <= InputLimits.durationDays else {
                throw DurationParseError(text: text, reason: "it is longer than ten years (\(InputLimits.durationDays) days), the longest duration accepted")
            }
            self = .iso(iso)
            return
        }
        if let n = try Self.parseWorkingDays(trimmed, original: text) {
            guard n <= InputLimits.durationWorkingDays else {
                throw DurationParseError(text: text, reason: "it is more than \(InputLimits.durationWorkingDays) working days (ten years), the longest duration accepted")
            }
            self = .workingDays(n)
            return
        }
        throw DurationParseError(text: text, reason: Self.diagnoseNonISO(trimmed))
    }

    /// Canonical text: zero ISO components are dropped (`P0Y14D` → `P14D`), the
    /// all-zero ISO duration is `P0D`, working days are in English.
    public var description: String {
        switch self {
        case .iso(let d):
            var s = "P"
            if d.years != 0 { s += "\(d.years)Y" }
            if d.months != 0 { s += "\(d.months)M" }
            if d.weeks != 0 { s += "\(d.weeks)W" }
            if d.days != 0 { s += "\(d.days)D" }
            if !d.isDateOnly {
                s += "T"
                if d.hours != 0 { s += "\(d.hours)H" }
                if d.minutes != 0 { s += "\(d.minutes)M" }
                if d.seconds != 0 { s += "\(d.seconds)S" }
            }
            // "P" alone is not valid ISO 8601, so zero needs an explicit unit.
            return s == "P" ? "P0D" : s
        case .workingDays(let n):
            return n == 1 ? "1 working day" : "\(n) working days"
        }
    }

    /// True when the duration moves only the date, never the time of day, so
    /// it can be applied to a ``LocalDate`` without losing anything.
    public var isDateOnly: Bool {
        switch self {
        case .iso(let d): return d.isDateOnly
        case .workingDays: return true
        }
    }

    /// Roughly how many days a duration spans (a year as 365 days, a month as 30),
    /// saturating instead of overflowing, so that a limit can be checked on any parsed value.
    static func approximateDays(of d: ISODuration) -> Int {
        let parts = [(d.years, 365 * 86_400), (d.months, 30 * 86_400), (d.weeks, 7 * 86_400), (d.days, 86_400),
                     (d.hours, 3_600), (d.minutes, 60), (d.seconds, 1)]
        var seconds = 0
        for (count, unit) in parts {
            let (product, overflow) = count.multipliedReportingOverflow(by: unit)
            let (sum, overflowSum) = seconds.addingReportingOverflow(product)
            if overflow || overflowSum { return .max }
            seconds = sum
        }
        return seconds / 86_400 + (seconds % 86_400 == 0 ? 0 : 1)
    }

    /// The length of a duration in seconds when it is made of time parts only
    /// (`PT1H`); nil when it has calendar parts or working days.
    public var exactSeconds: Int? {
        guard case .iso(let d) = self, d.years == 0, d.months == 0, d.weeks == 0, d.days == 0 else { return nil }
        return d.hours * 3_600 + d.minutes * 60 + d.seconds
    }

    // MARK: - ISO 8601

    private static let dateDesignators: [Character] = ["Y", "M", "W", "D"]
    private static let timeDesignators: [Character] = ["H", "M", "S"]

    private static func parseISO(_ s: String, original: String) throws(DurationParseError) -> ISODuration {
        var result = ISODuration()
        var chars = Substring(s).dropFirst()  // the "P"
        var inTime = false
        var sawDateComponent = false
        var sawTimeComponent = false
        // Index into the designator list of the current section; enforcing
        // increasing order also rejects duplicates such as P1M1M.
        var nextAllowed = 0

        if chars.isEmpty {
            throw DurationParseError(text: original, reason: "there is nothing after 'P'")
        }

        while let c = chars.first {
            if c == "T" {
                if inTime {
                    throw DurationParseError(text: original, reason: "'T' appears twice")
                }
                inTime = true
                nextAllowed = 0
                chars = chars.dropFirst()
                if chars.isEmpty {
                    throw DurationParseError(text: original, reason: "there is nothing after 'T'")
                }
                continue
            }
            if c == "-" || c == "+" {
                throw DurationParseError(text: original, reason: "signs are not allowed (negative durations are not supported)")
            }
            let digits = chars.prefix(while: { $0.isASCII && $0.isNumber })
            if digits.isEmpty {
                throw DurationParseError(text: original, reason: "expected a number before '\(c)'")
            }
            chars = chars.dropFirst(digits.count)
            guard let value = Int(digits) else {
                throw DurationParseError(text: original, reason: "\(digits) is too large")
            }
            guard let unit = chars.first else {
                throw DurationParseError(text: original, reason: "'\(digits)' has no unit")
            }
            if unit == "." || unit == "," {
                throw DurationParseError(text: original, reason: "fractions are not supported, use whole numbers")
            }
            chars = chars.dropFirst()

            let section = inTime ? timeDesignators : dateDesignators
            guard let position = section.firstIndex(of: unit) else {
                let upper = Character(unit.uppercased())
                if unit.isLowercase, (dateDesignators + timeDesignators).contains(upper) {
                    throw DurationParseError(text: original, reason: "unit '\(unit)' must be uppercase")
                }
                if !inTime, timeDesignators.contains(unit) {
                    throw DurationParseError(text: original, reason: "'\(unit)' is a time unit and must come after 'T', as in PT\(digits)\(unit)")
                }
                if inTime, dateDesignators.contains(unit) {
                    throw DurationParseError(text: original, reason: "'\(unit)' is a date unit and must come before 'T'")
                }
                throw DurationParseError(text: original, reason: "unknown unit '\(unit)'")
            }
            guard position >= nextAllowed else {
                throw DurationParseError(
                    text: original,
                    reason: "'\(unit)' is repeated or out of order (the order is Y, M, W, D, then T and H, M, S)"
                )
            }
            nextAllowed = position + 1

            if inTime {
                sawTimeComponent = true
                switch unit {
                case "H": result.hours = value
                case "M": result.minutes = value
                default: result.seconds = value
                }
            } else {
                sawDateComponent = true
                switch unit {
                case "Y": result.years = value
                case "M": result.months = value
                case "W": result.weeks = value
                default: result.days = value
                }
            }
        }

        // The empty checks above already reject "P" and "PT" with precise
        // messages; this guard only keeps a future edit from letting one through.
        guard sawDateComponent || sawTimeComponent else {
            throw DurationParseError(text: original, reason: "it has no components")
        }
        return result
    }

    // MARK: - Working days

    /// Returns nil when the text does not look like a working-day duration at
    /// all, so the caller can give a generic message.
    private static func parseWorkingDays(_ s: String, original: String) throws(DurationParseError) -> Int? {
        let words = s.lowercased().split(whereSeparator: { $0.isWhitespace })
        let unit = words.dropFirst().joined(separator: " ")
        let units: Set<String> = ["working days", "working day", "arbetsdagar", "arbetsdag"]
        guard words.count >= 2, units.contains(unit) else { return nil }
        let number = words[0]
        if number.hasPrefix("-") || number.hasPrefix("+") {
            throw DurationParseError(text: original, reason: "signs are not allowed (negative durations are not supported)")
        }
        guard number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DurationParseError(text: original, reason: "working days need a whole number, as in '10 working days'")
        }
        guard let n = Int(number) else {
            throw DurationParseError(text: original, reason: "\(number) is too large")
        }
        return n
    }

    /// A best-effort reason for text that is neither ISO nor working days.
    private static func diagnoseNonISO(_ s: String) -> String? {
        let upper = s.uppercased()
        if upper.first == "P", (try? parseISO(upper, original: s)) != nil {
            return "units must be uppercase, as in '\(upper)'"
        }
        if s.first?.isNumber == true, (try? parseISO("P" + upper, original: s)) != nil {
            return "ISO 8601 durations start with 'P' (did you mean 'P\(upper)'?)"
        }
        return nil
    }
}
