import BevakaCore
import Foundation
import Testing

// The loader's checks of `checklists:` and of the states that open them. Each
// test breaks the valid file below in one place and expects the message at
// its `line:column` (1-based; a block mapping is reported at its first key,
// a quoted scalar at its opening quote).

/// Line numbers are relied on below: `cat -n` it when changing anything.
private let listsYAML = """
workflow: checklist-loader
version: 1
title: Checklistor
roles:
  handlaggare: Handläggare
  regionjurist: Regionjurist
  teamledare: Teamledare
fields:
  vardgivare: { type: string, required: true }
  namndmote: { type: date }
  enhetenStangs: { type: boolean, default: false }
events:
  avvecklas: { roles: [handlaggare] }
  allaKlara: {}
  avsluta: { roles: [handlaggare] }
checklists:
  infornamnd:
    from: namndmote
    items:
      - id: underlag
        title: "Underlag till nämnden"
        roles: [handlaggare]
        due: "-P14D"
  avveckling:
    title: "Checklista vid plötsligt avslut"
    tickRoles: [teamledare]
    completes: allaKlara
    groups:
      omEnhetenStangs:
        when: "enhetenStangs"
    items:
      - id: dialog
        title: "Dialog med ägaren"
        roles: [regionjurist, handlaggare]
        due: PT4H
      - id: personal
        title: "Personalfrågor"
        roles: [handlaggare]
        due: P1D
        group: omEnhetenStangs
states:
  ny:
    initial: true
    checklists: [infornamnd]
    on:
      avvecklas: avveckling
  avveckling:
    checklists: [avveckling]
    on:
      allaKlara: avslutad
      avsluta: avslutad
  avslutad:
    final: true

"""

private func listsDiagnostics(_ yaml: String) -> [String] {
    do {
        _ = try WorkflowLoader.load(yaml: yaml, path: "lists.yaml")
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// The file with `old` (which occurs exactly once) replaced by `new`.
private func broken(_ old: String, _ new: String) -> String {
    listsYAML.replacingOccurrences(of: old, with: new)
}

@Suite struct ChecklistLoaderTests {
    @Test func theValidFileLoads() throws {
        let workflow = try WorkflowLoader.load(yaml: listsYAML, path: "lists.yaml")
        #expect(workflow.checklists.map(\.name) == ["infornamnd", "avveckling"])
        #expect(workflow.checklist("infornamnd")?.from == "namndmote")
        #expect(workflow.checklist("infornamnd")?.item("underlag")?.due == ChecklistOffset(duration: .iso(.init(days: 14)), before: true))
        #expect(workflow.checklist("avveckling")?.item("personal")?.group == "omEnhetenStangs")
        #expect(workflow.state("ny")?.checklists == ["infornamnd"])
        #expect(workflow.state("avveckling")?.checklists == ["avveckling"])
        #expect(listsDiagnostics(listsYAML) == [])
    }

    @Test func aStateOpeningAnUndeclaredChecklistGetsAHint() {
        let found = listsDiagnostics(broken("    checklists: [avveckling]\n", "    checklists: [avveckling, infornamd]\n"))
        #expect(found == ["lists.yaml:48:30: checklist 'infornamd' is not declared under checklists (did you mean 'infornamnd'?)"], "\(found)")
    }

    @Test func anItemNeedsRoles() {
        let found = listsDiagnostics(broken("        roles: [regionjurist, handlaggare]\n", ""))
        #expect(found == ["lists.yaml:32:9: item 'dialog' needs 'roles' (who is responsible)"], "\(found)")
    }

    @Test func anItemsRolesMustBeDeclared() {
        let found = listsDiagnostics(broken("roles: [regionjurist, handlaggare]", "roles: [regionjurst, handlaggare]"))
        #expect(found == ["lists.yaml:34:17: role 'regionjurst' is not declared under roles (did you mean 'regionjurist'?)"], "\(found)")
    }

    @Test func tickRolesMustBeDeclared() {
        let found = listsDiagnostics(broken("tickRoles: [teamledare]", "tickRoles: [teamleder]"))
        #expect(found == ["lists.yaml:26:17: role 'teamleder' is not declared under roles (did you mean 'teamledare'?)"], "\(found)")
    }

    @Test func aNegativeDueNeedsAFromDateField() {
        let found = listsDiagnostics(broken("        due: PT4H\n", "        due: \"-P1D\"\n"))
        #expect(found == ["lists.yaml:35:14: '-P1D' lies before the checklist opens; a negative due needs the checklist's 'from: dateField'"],
                "\(found)")
    }

    @Test func fromMustNameADateField() {
        let found = listsDiagnostics(broken("    from: namndmote\n", "    from: vardgivare\n"))
        // Without a usable `from`, the item due 14 days before it is refused too.
        #expect(found == [
            "lists.yaml:18:11: 'from' must name a date field; 'vardgivare' is string",
            "lists.yaml:23:14: '-P14D' lies before the checklist opens; a negative due needs the checklist's 'from: dateField'",
        ], "\(found)")
    }

    @Test func countedFromADateFieldDueMustBeDateOnly() {
        let found = listsDiagnostics(broken("        due: \"-P14D\"\n", "        due: PT4H\n"))
        #expect(found == ["lists.yaml:23:14: counted from the date field 'namndmote', due must be in days, weeks, months, years or working days"],
                "\(found)")
    }

    @Test func anItemsGroupMustBeDeclared() {
        let found = listsDiagnostics(broken("        group: omEnhetenStangs\n", "        group: omEnhetenStanger\n"))
        #expect(found == ["lists.yaml:40:16: group 'omEnhetenStanger' is not declared under groups of 'avveckling'"], "\(found)")
    }

    @Test func anItemIDMayAppearOnlyOnce() {
        let found = listsDiagnostics(broken("      - id: personal\n", "      - id: dialog\n"))
        #expect(found == ["lists.yaml:36:13: item 'dialog' appears twice in 'avveckling'"], "\(found)")
    }

    @Test func completesMustNameADeclaredEvent() {
        let found = listsDiagnostics(broken("    completes: allaKlara\n", "    completes: allaKlar\n"))
        #expect(found == ["lists.yaml:27:16: checklist 'avveckling' completes with 'allaKlar', which is not declared under events"], "\(found)")
    }

    @Test func anItemNeedsDue() {
        let found = listsDiagnostics(broken("        due: P1D\n", ""))
        #expect(found == ["lists.yaml:36:9: item 'personal' needs 'due' (e.g. PT4H, P1D, -P14D before the 'from' date)"], "\(found)")
    }

    @Test func aGroupNeedsABooleanWhen() {
        let missing = listsDiagnostics(broken("        when: \"enhetenStangs\"\n", "        title: \"Om enheten stängs\"\n"))
        #expect(missing == [
            "lists.yaml:30:9: group 'omEnhetenStangs' needs 'when' (the condition that opens its items)",
            "lists.yaml:40:16: group 'omEnhetenStangs' is not declared under groups of 'avveckling'",
        ], "\(missing)")
        let notBoolean = listsDiagnostics(broken("        when: \"enhetenStangs\"\n", "        when: \"vardgivare\"\n"))
        #expect(notBoolean == [
            "lists.yaml:30:15: when must be boolean but 'vardgivare' is string",
            "lists.yaml:40:16: group 'omEnhetenStangs' is not declared under groups of 'avveckling'",
        ], "\(notBoolean)")
    }

    @Test func remindNeedsEvery() {
        let found = listsDiagnostics(broken("    tickRoles: [teamledare]\n", "    tickRoles: [teamledare]\n    remind: { times: 2 }\n"))
        #expect(found == ["lists.yaml:27:13: remind needs 'every: duration'"], "\(found)")
    }

    @Test func aFinalStateCannotOpenChecklists() {
        let found = listsDiagnostics(broken("    final: true\n", "    final: true\n    checklists: [avveckling]\n"))
        #expect(found == ["lists.yaml:54:17: final state 'avslutad' cannot open checklists"], "\(found)")
    }
}
