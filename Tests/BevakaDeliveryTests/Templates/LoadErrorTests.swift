import Foundation
import Testing
@testable import BevakaDelivery

@Suite struct LoadErrorTests {
    func error(_ files: [String: String]) throws -> (TemplateError?, TempFolder) {
        try loadError(files)
    }

    @Test func badFileNames() throws {
        for name in ["t.mustache", "t.SV.mustache", "t.svenska.mustache", "t x.sv.mustache", "t.sv.sv.mustache", "t:x.sv.mustache",
                     "t.html.mustache"] {
            let (error, folder) = try loadError([name: "Subject: x\n\n"])
            defer { folder.remove() }
            #expect(error == .badFileName(file: folder.path(name)), "\(name)")
            #expect(error?.description.contains("NAME.LANG.mustache") == true)
        }
        // Other files are not templates and are left alone.
        let (none, folder) = try loadError(["README.md": "x", "t.sv.mustache.orig": "x", ".t.sv.mustache": "x"])
        folder.remove()
        #expect(none == nil)
    }

    @Test func headerErrors() throws {
        let cases: [(String, (String) -> TemplateError)] = [
            ("Hej {{x}}\n\nbody", { .missingSubject(file: $0) }),
            ("subject: x\n\nbody", { .missingSubject(file: $0) }),
            ("Subject:   \n\nbody", { .emptySubject(file: $0) }),
            ("Subject: x\nbody", { .missingEmptyLine(file: $0) }),
            ("Subject: x", { .missingEmptyLine(file: $0) }),
        ]
        for (text, expected) in cases {
            let (error, folder) = try loadError(["t.sv.mustache": text])
            defer { folder.remove() }
            #expect(error == expected(folder.path("t.sv.mustache")), "\(text)")
        }
    }

    @Test func htmlWithoutText() throws {
        let (error, folder) = try loadError(["t.sv.mustache": "Subject: x\n\n", "t.en.html.mustache": "<p></p>"])
        defer { folder.remove() }
        #expect(error == .htmlWithoutText(file: folder.path("t.en.html.mustache")))
        #expect(error?.description.hasSuffix("(\(folder.path("t.en.mustache")))") == true)
    }

    @Test func syntaxErrorsNameFileLineAndColumn() throws {
        let cases: [(String, String, Int, Int, String)] = [
            // Mismatched closing tag in the body: points at the closing name.
            ("t.sv.mustache", "Subject: x\n\nintro\n{{#a}}x{{/b}}\n", 4, 11, "does not match"),
            // Bad tag in the subject: columns count from the start of the line.
            ("t.sv.mustache", "Subject: Hej {{na me}}\n\nbody\n", 1, 19, "unfinished tag"),
            // Non-ASCII letters before the tag count as one column each.
            ("t.sv.mustache", "Subject: x\n\nÅÄÖ {{na me}}\n", 3, 10, "unfinished tag"),
            // First body line: no column shift from the text pragma.
            ("t.sv.mustache", "Subject: x\n\n{{#a}}{{/b}}\n", 3, 10, "does not match"),
            ("t.sv.html.mustache", "<p>\n  {{#a}}{{/b}}</p>", 2, 12, "does not match"),
            ("t.sv.mustache", "Subject: x\n\nrad\n  {{=<% %>=}}\n", 4, 3, "changing the delimiters"),
            ("t.sv.mustache", "Subject: x\n\n{{% CONTENT_TYPE: PDF}}\n", 3, 24, "unknown pragma"),
        ]
        for (name, text, line, column, message) in cases {
            var files = [name: text]
            if name.hasSuffix(".html.mustache") { files["t.sv.mustache"] = "Subject: x\n\n" }
            let (error, folder) = try loadError(files)
            defer { folder.remove() }
            guard case .syntax(let file, let l, let c, let m) = error else {
                Issue.record("expected a syntax error for \(text.debugDescription), got \(String(describing: error))")
                continue
            }
            #expect(file == folder.path(name))
            #expect((l, c) == (line, column), "\(text.debugDescription): \(m)")
            #expect(m.contains(message), "\(m)")
            #expect(error!.description.hasPrefix("\(folder.path(name)):\(line):\(column): "))
        }
    }

    @Test func unclosedSectionIsReported() throws {
        let (error, folder) = try loadError(["t.sv.mustache": "Subject: x\n\n{{#a}}\nrad\n"])
        defer { folder.remove() }
        guard case .syntax(_, let line, _, let message) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line >= 3)
        #expect(message.contains("not closed"))
    }

    @Test func severalErrorsAreAllReportedInFileOrder() throws {
        let (error, folder) = try loadError([
            "b.sv.mustache": "no subject\n",
            "a.sv.mustache": "Subject: {{#x}}\n\n",
            "bad.mustache": "",
        ])
        defer { folder.remove() }
        let errors = try #require(error).errors
        #expect(errors.count == 3)
        #expect(errors.map(\.sortKey).map { URL(fileURLWithPath: String($0.prefix(while: { $0 != "\u{0}" }))).lastPathComponent }
            == ["a.sv.mustache", "b.sv.mustache", "bad.mustache"])
        #expect(errors[1] == .missingSubject(file: folder.path("b.sv.mustache")))
    }

    @Test func folderThatIsAFile() throws {
        let folder = try TempFolder(["f": "x"])
        defer { folder.remove() }
        #expect(throws: TemplateError.self) { try TemplateSet.load(folder: folder.url.appendingPathComponent("f")) }
    }
}
