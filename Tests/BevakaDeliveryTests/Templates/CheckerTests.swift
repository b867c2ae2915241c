import Foundation
import Testing
@testable import BevakaDelivery

@Suite struct CheckerTests {
    static let template = [
        "Subject: {{fields.enhet}} {{case.idd}}",                          // 1
        "",                                                                 // 2
        "Hej {{nosuch}}",                                                   // 3
        "{{fields.enhett}}",                                                // 4
        "{{fields.personnummer}}",                                          // 5
        "{{deadline.title}}",                                               // 6
        "{{#deadline}}{{title}} {{due}} {{daysLeft}} {{case.id}}{{/deadline}}", // 7
        "{{#fields.enhet}}{{case.id}} {{.}}{{/fields.enhet}}",              // 8
        "{{> footer}}",                                                     // 9
        "{{! en kommentar {{nosuch}}",                                      // 10
        "åäö {{typ}}",                                                      // 11
        "{{fields.enhet.x}}",                                               // 12
        "{{lowercased(case.owner)}} {{equalzero(case.id)}}",                // 13
        "{{enhet}}",                                                        // 14
        "{{#case}}{{stateTitle}} {{statetitle}}{{/case}}",                  // 15
        "{{#fields}}{{personnummer}}{{/fields}}",                           // 16
        "{{deadline.dagar}}",                                               // 17
        "{{{case.owner}}} {{&event}} {{type}} {{.}}",                       // 18
        "{{#equalzero(deadline.daysLeft)}}i dag {{deadline.due}}{{/equalzero(deadline.daysLeft)}}", // 19
        "{{^deadline}}{{deadline.due}}{{/deadline}}",                       // 20
        "{{% CONTENT_TYPE: TEXT}}",                                         // 21
        "",
    ].joined(separator: "\n")

    static let uses = [
        use("t", "state a, deadline d", deadline: true, personal: ["personnummer"]),
        use("t", "state b, on e", personal: ["personnummer"]),
        use("t", "state c, on f", personal: ["personnummer"]),
    ]

    @Test func everyKindOfProblemWithItsPosition() throws {
        try withTemplates([
            "t.sv.mustache": Self.template,
            "t.sv.html.mustache": "<p>\n  {{fields.enhett}}</p>\n",
        ]) { set, folder in
            let problems = set.check(Self.uses)
            let text = folder.path("t.sv.mustache")
            let html = folder.path("t.sv.html.mustache")
            let expected: [(String, Int, Int, [String])] = [
                (html, 2, 3, ["'enhett' is not a field of workflow kalmar-sanktionstrappa", "did you mean 'enhet'?"]),
                (text, 1, 27, ["'case' has no 'idd'; it has id, number, owner, provider, reference, state, stateTitle, unit, workflow, workflowTitle",
                               "did you mean 'id'?"]),
                (text, 3, 5, ["unknown name 'nosuch': the email context has type, event, case, deadline, fields"]),
                (text, 4, 1, ["'enhett' is not a field", "did you mean 'enhet'?",
                              "used by workflow kalmar-sanktionstrappa (state a, deadline d; state b, on e; state c, on f)"]),
                (text, 5, 1, ["'fields.personnummer' is a personal field of workflow kalmar-sanktionstrappa",
                              "personal data never goes into email"]),
                (text, 6, 1, ["'deadline.title' exists only in notifications from a deadline",
                              "used by workflow kalmar-sanktionstrappa (state b, on e; state c, on f)",
                              "{{#deadline}}"]),
                (text, 9, 1, ["partials ({{> name}}) are not supported"]),
                (text, 11, 5, ["unknown name 'typ'", "did you mean 'type'?"]),
                (text, 12, 1, ["'fields.enhet' is a value, not a group: it has no 'x'"]),
                (text, 13, 28, ["'equalzero' cannot be applied to 'case.id' (text)", "capitalized"]),
                (text, 14, 1, ["unknown name 'enhet'", "did you mean 'fields.enhet'?"]),
                (text, 15, 25, ["unknown name 'statetitle'", "did you mean 'stateTitle'?"]),
                (text, 16, 12, ["'fields.personnummer' is a personal field"]),
                (text, 17, 1, ["'deadline' has no 'dagar'; it has daysLeft, due, dueDate, dueTime, name, title"]),
                (text, 20, 14, ["'deadline.due' exists only in notifications from a deadline"]),
            ]
            for problem in problems { print(problem) }
            #expect(problems.count == expected.count)
            for (problem, (file, line, column, fragments)) in zip(problems, expected) {
                #expect((problem.file, problem.line, problem.column) == (file, line, column), "\(problem)")
                for fragment in fragments {
                    #expect(problem.message.contains(fragment), "\(problem) lacks \(fragment)")
                }
                #expect(problem.description.hasPrefix("\(file):\(line):\(column): "))
            }
        }
    }

    @Test func oneReportPerPositionWhateverTheNumberOfUses() throws {
        try withTemplates(["t.sv.mustache": "Subject: {{x}}\n\n{{x}} {{deadline.due}}\n"]) { set, _ in
            let many = (1...5).map { use("t", "state s\($0), on e") }
            let problems = set.check(many + many)
            #expect(problems.map { "\($0.line!):\($0.column!)" } == ["1:10", "3:1", "3:7"])
            #expect(problems[2].message.contains("(state s1, on e; state s2, on e; state s3, on e; state s4, on e; state s5, on e)"))
        }
    }

    @Test func usesFromSeveralWorkflowsAreMerged() throws {
        try withTemplates(["t.sv.mustache": "Subject: {{fields.enhet}}\n\n{{fields.namn}}\n"]) { set, _ in
            let problems = set.check([
                use("t", "state a, on x", workflow: "kalmar", fields: ["enhet"]),
                use("t", "state b, on y", workflow: "vgr", fields: ["enhet", "namn"]),
                use("t", "state c, on z", workflow: "ivo", fields: ["namm"]),
            ])
            #expect(problems.count == 2)
            // enhet: missing only in ivo.
            #expect(problems[0].line == 1 && problems[0].column == 10)
            #expect(problems[0].message.contains("'enhet' is not a field of workflow ivo (fields: namm)"))
            // namn: missing in kalmar and ivo, one report naming both.
            #expect(problems[1].message.contains("of workflow ivo, kalmar"))
            #expect(problems[1].message.contains("did you mean 'namm'?"))
            #expect(problems[1].message.contains("workflow kalmar (state a, on x) and workflow ivo (state c, on z)"))
        }
    }

    @Test func missingTemplates() throws {
        try withTemplates([
            "paminnelse.sv.mustache": "Subject: x\n\n",
            "engelsk.en.mustache": "Subject: x\n\n",
        ]) { set, folder in
            let problems = set.check([
                use("paminelse", "state v, deadline h", deadline: true),
                use("paminelse", "state w, deadline h", deadline: true),
                use("engelsk", "state x, on y"),
                use("paminnelse", "state v, deadline h", deadline: true),
            ])
            #expect(problems.count == 2)
            let english = problems[0]
            #expect(english.file == folder.path("engelsk.sv.mustache"))
            #expect(english.line == nil && english.column == nil)
            #expect(english.message.contains("template 'engelsk' has no Swedish version (engelsk.sv.mustache); it has only en"))
            let typo = problems[1]
            #expect(typo.file == folder.path("paminelse.sv.mustache"))
            #expect(typo.description == "\(folder.path("paminelse.sv.mustache")): no template 'paminelse' "
                + "(paminelse.sv.mustache is missing); used by workflow kalmar-sanktionstrappa "
                + "(state v, deadline h; state w, deadline h); templates: paminnelse; did you mean 'paminnelse'?")
        }
        let empty = try TemplateSet.load(folder: URL(fileURLWithPath: "/nonexistent/templates"))
        let problems = empty.check([use("standard", "state a, on b")])
        #expect(problems.map(\.message) == ["no template 'standard' (standard.sv.mustache is missing); "
            + "used by workflow kalmar-sanktionstrappa (state a, on b); the folder has no templates"])
    }

    @Test func deadlineScopeAndGuards() throws {
        try withTemplates([
            "t.sv.mustache": """
                Subject: {{#deadline}}{{title}}{{/deadline}}

                {{#deadline}}
                {{title}} {{due}} {{deadline.daysLeft}} {{.name}} {{case.id}} {{.case}}
                {{/deadline}}
                {{#deadline.due}}{{.}}{{/deadline.due}}

                """,
        ]) { set, _ in
            let problems = set.check([use("t", "state a, on b"), use("t", "state c, deadline d", deadline: true)])
            // `.case` looks only at the innermost scope (the deadline), where there is no `case`.
            #expect(problems.map { "\($0.line!):\($0.column!) \($0.message)" } == [
                "4:63 unknown name '.case': the email context has type, event, case, deadline, fields",
            ])
        }
    }

    @Test func inheritanceIsUnsupported() throws {
        try withTemplates(["t.sv.mustache": "Subject: x\n\n{{<base}}{{/base}}\n"]) { set, _ in
            let problems = set.check([use("t", "state a, on b")])
            #expect(problems.map { "\($0.line!):\($0.column!)" } == ["3:1"])
            #expect(problems.first?.message.contains("inheritance") == true)
        }
    }

    @Test func scannerPositions() {
        let tags = TagScanner.scan("a{{x}}\nåä {{{y}}} {{& z }}{{#s}}{{/s}}{{!c\nd}}{{^i}}", line: 3, column: 5)
        #expect(tags.map { "\($0.kind) \($0.content) \($0.line):\($0.column)" } == [
            "variable x 3:6",
            "unescapedVariable y 4:4",
            "unescapedVariable z 4:12",
            "section s 4:20",
            "sectionEnd s 4:26",
            "comment c\nd 4:32",
            "invertedSection i 5:4",
        ])
        #expect(MustacheTag(kind: .variable, content: "a(b(c.d))", line: 1, column: 1).nameAndTransforms! == (["a", "b"], "c.d"))
        #expect(MustacheTag(kind: .variable, content: "a(b", line: 1, column: 1).nameAndTransforms == nil)
    }

    @Test func didYouMean() {
        #expect(closestMatch(to: "enhett", in: ["enhet", "listade"]) == "enhet")
        #expect(closestMatch(to: "planSenats", in: ["planSenast", "begaranSkickad"]) == "planSenast")
        #expect(closestMatch(to: "xyz", in: ["enhet"]) == nil)
    }
}
