import Testing

@testable import BevakaCore

private typealias ISO = WorkflowDuration.ISODuration

@Suite("WorkflowDuration parsing")
struct WorkflowDurationParsingTests {
    @Test(arguments: [
        ("P14D", WorkflowDuration.iso(ISO(days: 14))),
        ("P1M", .iso(ISO(months: 1))),
        ("PT4H", .iso(ISO(hours: 4))),
        ("P2W", .iso(ISO(weeks: 2))),
        ("PT30M", .iso(ISO(minutes: 30))),
        ("PT45S", .iso(ISO(seconds: 45))),
        ("P1Y", .iso(ISO(years: 1))),
        ("P1Y2M3DT4H5M6S", .iso(ISO(years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6))),
        ("P1M2W", .iso(ISO(months: 1, weeks: 2))),
        ("P1DT12H", .iso(ISO(days: 1, hours: 12))),
        ("PT1H30M", .iso(ISO(hours: 1, minutes: 30))),
        ("P0D", .iso(ISO())),
        ("P014D", .iso(ISO(days: 14))),
        ("  P14D\n", .iso(ISO(days: 14))),
        ("10 working days", .workingDays(10)),
        ("1 working day", .workingDays(1)),
        ("0 working days", .workingDays(0)),
        ("10 arbetsdagar", .workingDays(10)),
        ("1 arbetsdag", .workingDays(1)),
        ("5  Working  Days", .workingDays(5)),
        ("2 Arbetsdagar", .workingDays(2)),
    ])
    func parsesValidText(text: String, expected: WorkflowDuration) throws {
        #expect(try WorkflowDuration(parsing: text) == expected)
    }

    @Test(arguments: [
        ("P14D", "P14D"),
        ("PT4H", "PT4H"),
        ("P1Y2M", "P1Y2M"),
        ("P2W", "P2W"),
        ("PT30M", "PT30M"),
        ("P1Y2M3DT4H5M6S", "P1Y2M3DT4H5M6S"),
        ("P0Y14D", "P14D"),
        ("P1DT0H", "P1D"),
        ("PT0H", "P0D"),
        ("P014D", "P14D"),
        ("10 working days", "10 working days"),
        ("1 working day", "1 working day"),
        ("0 working days", "0 working days"),
        ("10 arbetsdagar", "10 working days"),
        ("1 arbetsdag", "1 working day"),
    ])
    func canonicalDescription(text: String, canonical: String) throws {
        let parsed = try WorkflowDuration(parsing: text)
        #expect(parsed.description == canonical)
        #expect("\(parsed)" == canonical)
        #expect(try WorkflowDuration(parsing: parsed.description) == parsed)
    }

    @Test func descriptionRoundTripsForConstructedValues() throws {
        let values: [WorkflowDuration] = [
            .iso(ISO(years: 3)), .iso(ISO(weeks: 1, days: 2)), .iso(ISO(minutes: 90)),
            .iso(ISO(months: 18, seconds: 1)), .workingDays(1), .workingDays(25),
        ]
        for value in values {
            #expect(try WorkflowDuration(parsing: value.description) == value)
        }
    }

    @Test func isDateOnly() throws {
        #expect(try WorkflowDuration(parsing: "P14D").isDateOnly)
        #expect(try WorkflowDuration(parsing: "P1Y2M3W4D").isDateOnly)
        #expect(try WorkflowDuration(parsing: "10 working days").isDateOnly)
        #expect(try !WorkflowDuration(parsing: "PT4H").isDateOnly)
        #expect(try !WorkflowDuration(parsing: "P1DT1S").isDateOnly)
    }
}

@Suite("WorkflowDuration parse errors")
struct WorkflowDurationErrorTests {
    private static let hint = "expected ISO 8601 like P14D, PT4H, P1M or 'N working days'"

    private func error(_ text: String) -> DurationParseError? {
        do {
            _ = try WorkflowDuration(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("P", "there is nothing after 'P'"),
        ("PT", "there is nothing after 'T'"),
        ("P1DT", "there is nothing after 'T'"),
        ("14D", "did you mean 'P14D'?"),
        ("P-1D", "negative durations are not supported"),
        ("P1.5D", "fractions are not supported"),
        ("PT0,5H", "fractions are not supported"),
        ("P14", "'14' has no unit"),
        ("P1H", "must come after 'T', as in PT1H"),
        ("PT1D", "'D' is a date unit and must come before 'T'"),
        ("P1D2M", "'M' is repeated or out of order"),
        ("P1M1M", "'M' is repeated or out of order"),
        ("PT1H1HT", "'H' is repeated or out of order"),
        ("P1DTT1H", "'T' appears twice"),
        ("P1X", "unknown unit 'X'"),
        ("P14d", "unit 'd' must be uppercase"),
        ("p14d", "units must be uppercase, as in 'P14D'"),
        ("PD", "expected a number before 'D'"),
        ("P99999999999999999999D", "99999999999999999999 is too large"),
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("-3 working days", "negative durations are not supported"),
        ("ten working days", "working days need a whole number"),
    ])
    func specificMessages(text: String, reason: String) throws {
        let e = try #require(error(text))
        #expect(e.text == text)
        #expect(e.message.hasPrefix("'\(text)' is not a duration: "))
        #expect(e.message.contains(reason), "\(e.message)")
        #expect(e.message.hasSuffix(Self.hint))
        #expect(e.description == e.message)
    }

    @Test(arguments: ["abc", "14", "10 working hours", "working days", "10 days", "1 arbetsvecka", "D14P"])
    func unrecognisedTextGetsTheGeneralMessage(text: String) throws {
        let e = try #require(error(text))
        #expect(e == DurationParseError(text: text, reason: nil))
        #expect(e.message == "'\(text)' is not a duration: \(Self.hint)")
    }

    @Test func exampleMessageReadsWell() throws {
        let e = try #require(error("abc"))
        #expect(e.message == "'abc' is not a duration: expected ISO 8601 like P14D, PT4H, P1M or 'N working days'")
    }
}
