import BevakaCore
import Foundation
import Testing

/// A small valid workflow that the loader tests break in one place at a time.
let validWorkflow = """
workflow: test-flow
version: 1
title: Test
roles:
  handlaggare: Handläggare
fields:
  unit: { type: string, required: true }
  dueOn: { type: date }
  level: { type: enum, values: [low, high], default: low }
derived:
  isHigh: "level == 'high'"
events:
  start:
    roles: [handlaggare]
    payload: { dueOn: required }
  missed: {}
  finish:
    roles: [handlaggare]
states:
  open:
    initial: true
    on:
      start: waiting
  waiting:
    deadlines:
      due:
        at: dueOn
        remind: [P1D]
        notify: [{ to: [owner] }]
        raises: missed
    on:
      missed: { to: done, set: { level: "'high'" } }
      finish: done
  done:
    final: true

"""

func load(_ yaml: String) throws(WorkflowLoadErrors) -> WorkflowDefinition {
    try WorkflowLoader.load(yaml: yaml, path: "test.yaml")
}

func loaderDiagnostics(_ yaml: String) -> [String] {
    do {
        _ = try load(yaml)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

@Suite struct WorkflowLoaderTests {
    @Test func validWorkflowLoads() throws {
        let definition = try load(validWorkflow)
        #expect(definition.key == WorkflowKey(name: "test-flow", version: 1))
        #expect(definition.initialState.name == "open")
        #expect(definition.state("waiting")?.deadlines.first?.raises == "missed")
        #expect(definition.dueTime == LocalTime(hour: 17, minute: 0))
        #expect(definition.derived.first?.expression.type == .boolean)
    }

    @Test func everyProblemIsReportedWithItsPosition() {
        let broken = validWorkflow
            .replacingOccurrences(of: "      start: waiting", with: "      start: wating")
            .replacingOccurrences(of: "  isHigh: \"level == 'high'\"", with: "  isHigh: \"level == 'hihg'\"")
            .replacingOccurrences(of: "    roles: [handlaggare]\n    payload", with: "    roles: [handlager]\n    payload")
        let found = loaderDiagnostics(broken)
        #expect(found.count >= 3, "\(found)")
        #expect(found.contains { $0.hasPrefix("test.yaml:11:") && $0.contains("'hihg' is not a value of level") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("test.yaml:14:") && $0.contains("role 'handlager' is not declared") && $0.contains("did you mean 'handlaggare'") }, "\(found)")
        #expect(found.contains { $0.contains("target state 'wating' is not declared") && $0.contains("did you mean 'waiting'") }, "\(found)")
    }

    @Test func enumValuesCarryTheirTitlesAndABadTitleIsNamed() throws {
        let titled = validWorkflow.replacingOccurrences(
            of: "level: { type: enum, values: [low, high], default: low }",
            with: "level: { type: enum, values: [low, high], valueTitles: { high: hög nivå }, default: low }")
        let level = try #require(try load(titled).field("level"))
        #expect(level.title(ofValue: "high") == "hög nivå")
        #expect(level.title(ofValue: "low") == "low")

        let unknown = loaderDiagnostics(titled.replacingOccurrences(of: "{ high: hög nivå }", with: "{ hihg: hög nivå }"))
        #expect(unknown.contains { $0.hasPrefix("test.yaml:9:") && $0.contains("names 'hihg', which is not one of its values (low, high)") }, "\(unknown)")
        let notEnum = loaderDiagnostics(validWorkflow.replacingOccurrences(
            of: "dueOn: { type: date }", with: "dueOn: { type: date, valueTitles: { a: b } }"))
        #expect(notEnum.contains { $0.contains("'valueTitles' is only for enum fields") }, "\(notEnum)")
    }

    /// `meeting: true` marks a date or datetime as a booked meeting (calendars show it); on any
    /// other field it is refused where it stands.
    @Test func aMeetingIsADateOrADatetime() throws {
        #expect(try load(validWorkflow).field("dueOn")?.meeting == false)
        let marked = validWorkflow.replacingOccurrences(of: "dueOn: { type: date }",
                                                        with: "dueOn: { type: date, meeting: true }\n  meetsAt: { type: datetime, meeting: true }")
        #expect(try load(marked).field("dueOn")?.meeting == true)
        #expect(try load(marked).field("meetsAt")?.meeting == true)
        let onText = loaderDiagnostics(validWorkflow.replacingOccurrences(of: "unit: { type: string, required: true }",
                                                                          with: "unit: { type: string, required: true, meeting: true }"))
        #expect(onText.contains { $0.hasPrefix("test.yaml:7:") && $0.contains("'meeting' is only for date and datetime fields (the day or time of a booked meeting); 'unit' is string") },
                "\(onText)")
        let onEnum = loaderDiagnostics(validWorkflow.replacingOccurrences(of: "default: low }", with: "default: low, meeting: true }"))
        #expect(onEnum.contains { $0.contains("'level' is enum") }, "\(onEnum)")
        let notBoolean = loaderDiagnostics(validWorkflow.replacingOccurrences(of: "dueOn: { type: date }", with: "dueOn: { type: date, meeting: yes }"))
        #expect(notBoolean.contains { $0.contains("meeting must be true or false") }, "\(notBoolean)")
        // Saying it is not one is allowed anywhere.
        #expect(try load(validWorkflow.replacingOccurrences(of: "required: true }", with: "required: true, meeting: false }")).field("unit")?.meeting == false)
    }

    @Test func swedishDatesTimesAndNumbersReadAsSwedishWritesThem() {
        #expect(SwedishText.date(LocalDate(year: 2026, month: 2, day: 16)) == "16 februari 2026")
        #expect(SwedishText.clock(LocalTime(hour: 8, minute: 5)) == "08.05")
        let instant = SwedishCalendar().instant(on: LocalDate(year: 2026, month: 6, day: 19), at: LocalTime(hour: 23, minute: 0))
        #expect(SwedishText.moment(instant, calendar: SwedishCalendar()) == "19 juni 2026 kl. 23.00")
        #expect(SwedishText.decimal(Decimal(string: "-3.25")!) == "-3,25")
    }

    @Test func expressionErrorsPointAtTheColumnInsideTheQuotes() {
        let broken = validWorkflow.replacingOccurrences(of: "  isHigh: \"level == 'high'\"", with: "  isHigh: \"level + 1\"")
        let found = loaderDiagnostics(broken)
        // `  isHigh: "level + 1"`: the quote is column 11, `+` is at offset 6 inside → column 18.
        #expect(found.contains { $0.hasPrefix("test.yaml:11:18:") }, "\(found)")
    }

    @Test func unknownKeysAreNamedWithTheAllowedOnes() {
        let found = loaderDiagnostics(validWorkflow.replacingOccurrences(of: "title: Test", with: "title: Test\ntitel: typo"))
        #expect(found.contains { $0.hasPrefix("test.yaml:4:1:") && $0.contains("unknown key 'titel'") && $0.contains("did you mean 'title'") }, "\(found)")
    }

    @Test func yamlSyntaxErrorsHaveAPosition() {
        let found = loaderDiagnostics("workflow: x\nversion: [1\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("test.yaml:") == true && found.first?.contains("not valid YAML") == true, "\(found)")
    }

    @Test func aDeadlineMustRaiseAnEventItsStateAccepts() {
        let found = loaderDiagnostics(validWorkflow.replacingOccurrences(of: "      missed: { to: done, set: { level: \"'high'\" } }\n", with: ""))
        #expect(found.contains { $0.contains("deadline raises 'missed', but state 'waiting' does not accept it") }, "\(found)")
    }

    @Test func unreachableStatesAndStuckStatesAreErrors() {
        let yaml = validWorkflow + "  orphan:\n    on:\n      finish: done\n  stuck: {}\n"
        let found = loaderDiagnostics(yaml)
        #expect(found.contains { $0.contains("state 'orphan' cannot be reached") }, "\(found)")
        #expect(found.contains { $0.contains("state 'stuck' is not final but accepts no event") }, "\(found)")
    }

    @Test func accrualsMustStateTheirPolicies() {
        let yaml = validWorkflow + """
        accruals:
          fee:
            from: dueOn
            rate: "3"
            per: month
        """
        let found = loaderDiagnostics(yaml)
        #expect(found.contains { $0.contains("accrual 'fee' needs 'proration'") }, "\(found)")
        #expect(found.contains { $0.contains("accrual 'fee' needs 'onRateChange'") }, "\(found)")
    }

    @Test func typesAreCheckedInAssignmentsAndDeadlines() {
        let yaml = validWorkflow
            .replacingOccurrences(of: "set: { level: \"'high'\" }", with: "set: { unit: \"1 + 2\" }")
            .replacingOccurrences(of: "at: dueOn", with: "at: unit")
        let found = loaderDiagnostics(yaml)
        #expect(found.contains { $0.contains("set unit must be string but '1 + 2' is integer") }, "\(found)")
        #expect(found.contains { $0.contains("'at' must name a date or datetime field; 'unit' is string") }, "\(found)")
    }

    @Test func badDurationsAndTimesAreErrors() {
        let yaml = validWorkflow.replacingOccurrences(of: "remind: [P1D]", with: "remind: [P1X]\n        time: \"25:00\"")
        let found = loaderDiagnostics(yaml)
        #expect(found.contains { $0.contains("remind: 'P1X' is not a duration") }, "\(found)")
        #expect(found.contains { $0.contains("time '25:00' is not a time of day") }, "\(found)")
    }

    @Test func duplicateKeysAreErrors() {
        let found = loaderDiagnostics(validWorkflow.replacingOccurrences(of: "  unit: { type: string, required: true }", with: "  unit: { type: string }\n  unit: { type: integer }"))
        #expect(found == ["test.yaml:8:3: duplicate key 'unit'"], "\(found)")
    }

    @Test func aBrokenDerivedValueIsReportedOnceNotAtEveryUse() {
        let yaml = validWorkflow
            .replacingOccurrences(of: "  isHigh: \"level == 'high'\"", with: "  isHigh: \"levl == 'high'\"")
            .replacingOccurrences(of: "      missed: { to: done, set: { level: \"'high'\" } }",
                                  with: "      missed:\n        - { if: \"isHigh\", to: done }\n        - { to: done }")
        let found = loaderDiagnostics(yaml)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains("unknown name 'levl'") == true, "\(found)")
    }

    @Test func aProblemInsideAYAMLAnchorIsReportedOnce() {
        let yaml = validWorkflow
            .replacingOccurrences(of: "      start: waiting", with: "      start: &go { to: wating }")
            .replacingOccurrences(of: "      finish: done\n", with: "      finish: *go\n")
        let found = loaderDiagnostics(yaml)
        #expect(found.filter { $0.contains("'wating'") }.count == 1, "\(found)")
    }

    @Test func theShippedWorkflowsAreValid() throws {
        let catalog = try WorkflowLoader.loadDirectory(shippedWorkflowsFolder)
        #expect(catalog.names.contains("kalmar-sanktionstrappa"))
    }

    @Test func twoFilesWithTheSameNameAndVersionAreRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try validWorkflow.write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try validWorkflow.write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: WorkflowLoadErrors.self) { try WorkflowLoader.loadDirectory(folder.path) }
        let v2 = validWorkflow.replacingOccurrences(of: "version: 1", with: "version: 2")
        try v2.write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let catalog = try WorkflowLoader.loadDirectory(folder.path)
        #expect(catalog.latest(named: "test-flow")?.version == 2)
        #expect(catalog.definition(WorkflowKey(name: "test-flow", version: 1)) != nil)
    }
}

/// `Workflows/` at the package root.
let shippedWorkflowsFolder: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Workflows").path
