import Foundation
import Testing
@testable import BevakaDelivery

@Suite struct RenderTests {
    @Test func plainTextIsNotEscapedAndHTMLIs() throws {
        try withTemplates([
            "t.sv.mustache": "Subject: Hej {{name}} & <{{{name}}}>\n\nText: {{name}} {{&name}} \"{{q}}\"\n",
            "t.sv.html.mustache": "<p title=\"{{q}}\">{{name}}</p>\n",
        ]) { set, _ in
            let mail = try #require(set.render("t", language: "sv", context: ["name": "A & B <c>", "q": "'x\""]))
            #expect(mail.subject == "Hej A & B <c> & <A & B <c>>")
            #expect(mail.text == "Text: A & B <c> A & B <c> \"'x\"\"\n")
            #expect(mail.html == "<p title=\"&#39;x&quot;\">A &amp; B &lt;c&gt;</p>\n")
        }
    }

    @Test func swedishLettersArePreserved() throws {
        try withTemplates([
            "påminnelse.sv.mustache": "Subject: Påminnelse för {{enhet}}\n\nHälsningar från Åre, Älmhult och Örebro: {{enhet}}\n",
            "påminnelse.sv.html.mustache": "<p>Påminnelse: {{enhet}}</p>",
        ]) { set, _ in
            #expect(set.names() == ["påminnelse"])
            let mail = try #require(set.render("påminnelse", language: "sv", context: ["enhet": "Vårdcentralen Öland"]))
            #expect(mail.subject == "Påminnelse för Vårdcentralen Öland")
            #expect(mail.text == "Hälsningar från Åre, Älmhult och Örebro: Vårdcentralen Öland\n")
            #expect(mail.html == "<p>Påminnelse: Vårdcentralen Öland</p>")
        }
    }

    @Test func missingLanguageFallsBackToSwedish() throws {
        try withTemplates([
            "t.sv.mustache": "Subject: Svenska\n\nsv\n",
            "t.en.mustache": "Subject: English\n\nen\n",
            "t.en.html.mustache": "<p>en</p>",
            "only.en.mustache": "Subject: Only\n\nen\n",
        ]) { set, _ in
            #expect(set.names() == ["t", "only"])
            #expect(set.languages(of: "t") == ["sv", "en"])
            #expect(set.languages(of: "nope") == [])
            #expect(set.render("t", language: "en", context: [:]) == RenderedMail(subject: "English", text: "en\n", html: "<p>en</p>"))
            #expect(set.render("t", language: "de", context: [:]) == RenderedMail(subject: "Svenska", text: "sv\n", html: nil))
            #expect(set.render("only", language: "de", context: [:]) == nil)
            #expect(set.render("nope", language: "sv", context: [:]) == nil)
        }
    }

    @Test func subjectIsOneTrimmedLine() throws {
        try withTemplates(["t.sv.mustache": "Subject:   {{a}} {{b}}  \n\n"]) { set, _ in
            let mail = try #require(set.render("t", language: "sv", context: ["a": "rad ett\r\nrad två\n", "b": "\rtre"]))
            #expect(mail.subject == "rad ett rad två   tre")
            #expect(mail.text == "")
        }
    }

    @Test func bodyKeepsLeadingBlankLineAndCRLFIsNormalised() throws {
        try withTemplates(["t.sv.mustache": "Subject: S\r\n\r\n\r\nBody {{x}}\r\n"]) { set, _ in
            let mail = try #require(set.render("t", language: "sv", context: ["x": 1]))
            #expect(mail.text == "\nBody 1\n")
        }
    }

    @Test func sectionsAndNestedDictionaries() throws {
        try withTemplates([
            "t.sv.mustache": """
                Subject: {{case.id}}

                {{#deadline}}
                Frist: {{title}} {{due}} ({{daysLeft}} dagar) {{case.id}}
                {{/deadline}}
                {{^deadline}}
                Ingen frist
                {{/deadline}}
                {{#fields.saknas}}aldrig{{/fields.saknas}}
                """,
        ]) { set, _ in
            let withDeadline = try #require(set.render("t", language: "sv", context: [
                "case": ["id": "K-1"], "deadline": ["title": "Plan", "due": "2026-06-19 17:00", "daysLeft": -2],
                "fields": [String: Any](),
            ]))
            #expect(withDeadline.text == "Frist: Plan 2026-06-19 17:00 (-2 dagar) K-1\n")
            let without = try #require(set.render("t", language: "sv", context: ["case": ["id": "K-1"]]))
            #expect(without.text == "Ingen frist\n")
        }
    }

    @Test func missingFolderIsAnEmptySet() throws {
        let set = try TemplateSet.load(folder: URL(fileURLWithPath: "/nonexistent/bevaka/templates"))
        #expect(set.names().isEmpty)
        #expect(set.render("standard", language: "sv", context: [:]) == nil)
    }
}
