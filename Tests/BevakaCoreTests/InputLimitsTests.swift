import BevakaCore
import Foundation
import Testing

/// Hostile values refused where they enter the core (issue 10): each of these
/// once crashed the daemon, stalled its one writer, broke a hash chain or was
/// stored as something else than what was sent.
@Suite struct InputLimitsTests {
    // MARK: Durations

    @Test(arguments: ["P1317624576693539401W", "P768614336404564651Y", "P99999999999999999999D", "P11Y", "P3661D",
                      "PT87841H", "99999999 working days", "2611 working days", "P10Y1M"])
    func absurdDurationsAreRefusedWhenParsed(_ text: String) {
        #expect(throws: DurationParseError.self) { try WorkflowDuration(parsing: text) }
    }

    @Test func theLongestDurationsStillWorkWithTheCalendar() throws {
        let calendar = SwedishCalendar()
        let start = LocalDate(year: 2026, month: 1, day: 1)
        let tenYears = try WorkflowDuration(parsing: "P10Y")
        #expect(calendar.adding(tenYears, to: start) == LocalDate(year: 2036, month: 1, day: 1))
        let workingDays = try WorkflowDuration(parsing: "2610 working days")
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = calendar.adding(workingDays, to: start) }
        // Not a timing test of speed, a bound on a loop: ten years of days is thousands of steps, not millions.
        #expect(elapsed < .seconds(2))
        #expect(try WorkflowDuration(parsing: "P3660D").description == "P3660D")
    }

    @Test func aDurationFieldOfAbsurdLengthIsAFieldProblem() {
        guard case .failure(let problem) = FieldValueCoder.decode(.string("P1317624576693539401W"), as: .duration) else {
            Issue.record("accepted")
            return
        }
        #expect(problem.text.contains("P1317624576693539401W"))
    }

    // MARK: Dates and instants

    @Test(arguments: ["2026-02-30", "0000-01-01", "+026-01-01", "2026-13-01", "1899-12-31", "2200-01-01", "2026-1-01", " 2026-01-01"])
    func impossibleOrOutOfRangeDatesAreRefused(_ text: String) {
        guard case .failure = FieldValueCoder.decode(.string(text), as: .date) else {
            Issue.record("\(text) was accepted as a date")
            return
        }
    }

    @Test(arguments: ["2026-02-30T10:00:00Z", "2026-12-01T10:00:00+25:00", "2026-12-01T10:00:00+01:60", "0000-01-01T00:00:00Z",
                      "2026-12-01T24:00:00Z", "2026-12-01T10:00:60Z", "2026-12-01T10:00:00", "2026-12-01T10:00:00.1234Z",
                      "2026-12-01 10:00:00Z", "2026-12-01T10:00Z", "2026-12-01T10:00:00.Z", "2026-12-01T10:00:00Zjunk"])
    func impossibleInstantsAreRefused(_ text: String) {
        guard case .failure = FieldValueCoder.decode(.string(text), as: .datetime) else {
            Issue.record("\(text) was accepted as an instant")
            return
        }
    }

    @Test func instantsKeepTheirMillisecondsToTheAPIAndBack() throws {
        let sent = "2026-12-04T21:59:28.827Z"
        let value = try FieldValueCoder.decode(.string(sent), as: .datetime).get()
        #expect(FieldValueCoder.encode(value) == .string(sent))
        let offset = try FieldValueCoder.decode(.string("2026-12-04T22:59:28.8+01:00"), as: .datetime).get()
        #expect(FieldValueCoder.encode(offset) == .string("2026-12-04T21:59:28.800Z"))
        let whole = try RFC3339.parse("2026-03-29T01:30:00-00:30")
        #expect(RFC3339.utcString(whole) == "2026-03-29T02:00:00Z")
    }

    @Test func theReasonNamesWhatIsWrongWithAnInstant() {
        #expect(throws: RFC3339.ParseError(reason: "+25:00 is not a UTC offset")) { try RFC3339.parse("2026-12-01T10:00:00+25:00") }
        #expect(throws: RFC3339.ParseError(reason: "2026-02-30 is not a date in the calendar")) { try RFC3339.parse("2026-02-30T10:00:00Z") }
    }

    /// Found by fuzz-dates: the range was checked on the local date while the UTC date is
    /// what is stored, so an accepted value could not be read back.
    @Test func theYearRangeHoldsForTheUTCDateSoEveryAcceptedInstantReadsBack() throws {
        for text in ["1900-01-01T00:30:00+01:00", "2199-12-31T23:00:00-05:00"] {
            guard case .failure = FieldValueCoder.decode(.string(text), as: .datetime) else { Issue.record("\(text) accepted"); continue }
        }
        for text in ["1900-01-01T00:30:00-01:00", "2199-12-31T23:00:00+05:00", "2026-10-25T02:30:00.250+02:00"] {
            let value = try FieldValueCoder.decode(.string(text), as: .datetime).get()
            #expect(try FieldValueCoder.decode(FieldValueCoder.encode(value), as: .datetime).get() == value, "\(text)")
        }
    }

    /// Found by the fuzzing helper: a decimal of absurd precision was accepted and stored as
    /// text too long to be read back.
    @Test func decimalsKeepAtMostTenDecimalsSoTheyReadBack() throws {
        for json: JSONValue in [.number(1e-41), .number(1.5e-100), .string("0.12345678901")] {
            guard case .failure = FieldValueCoder.decode(json, as: .decimal) else { Issue.record("\(json) accepted"); continue }
        }
        for json: JSONValue in [.number(0.5), .string("12.3456789012"), .string("-999999999999.5"), .int(24_000)] {
            let value = try FieldValueCoder.decode(json, as: .decimal).get()
            guard case .decimal(let decimal) = value else { Issue.record("not a decimal"); continue }
            #expect(try FieldValueCoder.decode(.string("\(decimal)"), as: .decimal).get() == value, "\(json)")
        }
    }

    /// What an earlier release stored reads back, though it is no longer accepted as input.
    @Test func storedValuesReadBackWithoutTheLimits() throws {
        #expect(try FieldValueCoder.decode(.string("0001-01-01"), as: .date, checkingLimits: false).get() == .date(LocalDate(year: 1, month: 1, day: 1)))
        #expect(try FieldValueCoder.decode(.string("1899-12-31T23:00:00Z"), as: .datetime, checkingLimits: false).get()
                == .datetime(try RFC3339.parse("1900-01-01T00:00:00+01:00", checkingRange: false)))
        #expect(try FieldValueCoder.decode(.string(String(repeating: "x", count: 20_000)), as: .string, checkingLimits: false).get()
                == .string(String(repeating: "x", count: 20_000)))
        guard case .failure = FieldValueCoder.decode(.string("0001-01-01"), as: .date) else { Issue.record("accepted as input"); return }
    }

    // MARK: Text and numbers

    @Test func controlCharactersAndOverlongTextAreRefused() {
        for text in ["a\u{0}b", "bell\u{7}", "\u{FFFF}", "\u{1B}[31m", String(repeating: "x", count: 10_001)] {
            guard case .failure = FieldValueCoder.decode(.string(text), as: .string) else {
                Issue.record("\(text.debugDescription.prefix(40)) was accepted")
                continue
            }
        }
        for text in ["rad ett\nrad två\ttabb\r\n", "Vårdcentralen Åby – åäö ÅÄÖ 🙂", String(repeating: "x", count: 10_000)] {
            #expect((try? FieldValueCoder.decode(.string(text), as: .string).get()) == .string(text))
        }
    }

    @Test func numbersBeyondATrillionAreRefused() {
        #expect((try? FieldValueCoder.decode(.int(1_000_000_000_000), as: .integer).get()) == .integer(1_000_000_000_000))
        for json: JSONValue in [.int(1_000_000_000_001), .int(Int.min), .number(8e15)] {
            guard case .failure = FieldValueCoder.decode(json, as: .integer) else { Issue.record("\(json) accepted"); continue }
        }
        for json: JSONValue in [.number(1e300), .string("99999999999999999999999"), .int(-1_000_000_000_001)] {
            guard case .failure = FieldValueCoder.decode(json, as: .decimal) else { Issue.record("\(json) accepted"); continue }
        }
    }

    @Test func aNulInAnOwnerOrAReasonIsRefusedBeforeItReachesTheHistory() throws {
        let engine = Engine(workflow: try load(validWorkflow))
        let actor = Actor(name: "Anna", role: "handlaggare")
        #expect(throws: EngineError.invalidInput([FieldProblem(field: "owner", problem: "contains the control character U+0000, which is not allowed in text")])) {
            try engine.open(id: "c1", owner: "ann\u{0}a", fields: ["unit": .string("Åby")], now: Date(), actor: actor)
        }
        let opened = try engine.open(id: "c1", owner: "anna", fields: ["unit": .string("Åby")], now: Date(), actor: actor).record
        #expect(throws: EngineError.invalidInput([FieldProblem(field: "reason", problem: "contains the control character U+0000, which is not allowed in text")])) {
            try engine.apply(event: "finish", payload: [:], reason: "klart\u{0}dolt", to: opened, now: Date(), actor: actor)
        }
    }

    // MARK: Opening and mandates

    /// Issue 10 item 3: whoever may open a Kalmar case could open it already `svart`,
    /// starting a 6 kr sanction without the decision-maker's event.
    @Test func aFieldAnEventSetsCannotBeGivenAtOpening() throws {
        let kalmar = try WorkflowLoader.load(path: Self.workflowsFolder + "/kalmar-sanktionstrappa.yaml")
        let officer = Actor(name: "Anna", role: "handlaggare")
        do {
            _ = try Engine(workflow: kalmar).open(id: "k1", owner: "anna", fields: [
                "enhet": .string("Vårdcentralen Åby"), "listade": .int(8_904), "sanktionsniva": .string("svart"),
                "niva": .string("svart"), "begaranSkickad": .string("2026-01-01"),
            ], now: Date(), actor: officer)
            Issue.record("opened with a running sanction")
        } catch let error {
            guard case .invalidInput(let problems) = error else { Issue.record("\(error)"); return }
            #expect(Set(problems.map(\.field)) == ["sanktionsniva", "niva", "begaranSkickad"])
        }
    }

    /// Every shipped workflow: a field that may be given at opening and is also set by an
    /// event is one the workflow says so for, and none of them carries a decision.
    @Test func noShippedWorkflowLetsOpeningSetWhatAnEventDecides() throws {
        let catalog = try WorkflowLoader.loadDirectory(Self.workflowsFolder)
        // Reviewed: descriptions and the referring clinic, free text that decides nothing.
        let reviewed: Set<String> = ["vgr-rutinuppfoljning.beskrivning", "vgr-plotsligt-avslut.beskrivning", "nationell-vardformedling.klinik"]
        var found: Set<String> = []
        for workflow in catalog.latest {
            let setByEvents = Set(workflow.events.values.flatMap { $0.payload.map(\.field) })
                .union(workflow.states.flatMap { $0.transitions.values.joined().flatMap { $0.assignments.map(\.field) } })
            for field in workflow.fields where field.settableAtOpening && !field.required && setByEvents.contains(field.name) {
                found.insert("\(workflow.name).\(field.name)")
            }
        }
        #expect(found == reviewed)
    }

    @Test func atOpeningFalseOnARequiredFieldIsALoadError() {
        let yaml = validWorkflow.replacingOccurrences(of: "  unit: { type: string, required: true }", with: "  unit: { type: string, required: true, atOpening: false }")
        #expect(yaml != validWorkflow)
        #expect(loaderDiagnostics(yaml).contains { $0.contains("field 'unit' is required when a case is opened, so it cannot be 'atOpening: false'") })
    }

    // MARK: Workflow files

    @Test func nestedAliasesAreRefusedBeforeTheyExpand() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        // An 11 KB file of this shape made `validate` abort at 4 GiB; ten levels of ten stand for 10^10 values.
        let bomb = validWorkflow.replacingOccurrences(of: "workflow: test-flow", with: "workflow: test-flow\nx-anchors:\n"
            + yaml.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n") + "\nquestions: *a9")
        #expect(bomb != validWorkflow)
        let clock = ContinuousClock()
        var diagnostics: [String] = []
        let elapsed = clock.measure { diagnostics = loaderDiagnostics(bomb) }
        #expect(diagnostics.contains { $0.contains("expands to more than 200000 values through its aliases") }, "\(diagnostics)")
        #expect(elapsed < .seconds(5))
    }

    @Test(arguments: ["PT0S", "P0D", "PT59M", "0 working days"])
    func remindersThatRepeatTooOftenAreRefused(_ every: String) {
        let yaml = validWorkflow.replacingOccurrences(of: "remind: [P1D]", with: "remind: [P1D]\n        overdue: { every: \(every) }")
        #expect(yaml != validWorkflow)
        #expect(loaderDiagnostics(yaml).contains { $0.contains("every: ") && ($0.contains("repeats too often") || $0.contains("does not move forward")) },
                "\(loaderDiagnostics(yaml))")
    }

    @Test func anOverflowingDeadlineIsAValidateError() {
        let yaml = validWorkflow.replacingOccurrences(of: "remind: [P1D]", with: "remind: [P1317624576693539401W]")
        #expect(yaml != validWorkflow)
        #expect(loaderDiagnostics(yaml).contains { $0.contains("longer than ten years") }, "\(loaderDiagnostics(yaml))")
    }

    static let workflowsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Workflows").path
}
