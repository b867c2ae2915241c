import Foundation
import Testing
@testable import BevakaDelivery

@Suite struct KalmarTemplateTests {
    static let expectedNames: Set<String> = [
        "avtalet-havt", "bedomning-forsenad", "begaran-om-komplettering", "begaran-om-rattelse", "ersattning-innehallen",
        "eskalering", "havning-overvags", "paminnelse-handlingsplan", "rattelse-godkand", "sanktion-beslutad",
        "uppfoljning-dags", "standard",
    ]

    /// The folder holds Kalmar's templates, `standard` and the VGR workflows' (VGRTemplateTests), nothing else.
    @Test func shippedTemplatesLoad() throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        let everyName = Self.expectedNames.union(VGRTemplateTests.expectedNames)
        #expect(Self.expectedNames.isDisjoint(with: VGRTemplateTests.expectedNames))
        #expect(set.names() == everyName)
        for name in everyName { #expect(set.languages(of: name) == ["sv"], "\(name)") }
    }

    @Test func shippedTemplatesPassTheCheckForTheKalmarUses() throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        let problems = set.check(kalmarUses)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
        #expect(Set(kalmarUses.map(\.template)) == Self.expectedNames.subtracting(["standard"]))
    }

    @Test func standardFitsAnyWorkflowWithOrWithoutDeadline() throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        let problems = set.check([
            use("standard", "state a, on b", workflow: "annat", fields: [], personal: ["personnummer"]),
            use("standard", "state c, deadline d", deadline: true, workflow: "annat", fields: ["x"]),
        ])
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func renderingTheReminder() throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        let mail = try #require(set.render("paminnelse-handlingsplan", language: "sv", context: sampleContext(deadline: 7)))
        #expect(mail.subject == "Vårdcentralen Äppelträdet & Co: Påminnelse – handlingsplanen ska ha kommit in senast 19 juni 2026 (ärende KAL-2026-0042)")
        #expect(mail.text.contains("senast 19 juni 2026 kl. 17.00.\n\nFrist: Handlingsplanen ska ha inkommit, senast 19 juni 2026 kl. 17.00\nDagar kvar: 7\nBegäran om rättelse skickad: 1 juni 2026\n\n"))
        #expect(mail.text.contains("Handläggare: Åsa Öberg\n"))
        let html = try #require(mail.html)
        #expect(html.contains("<strong>Vårdcentralen Äppelträdet &amp; Co</strong>"))
        #expect(html.contains("<td>7</td>"))
        let today = try #require(set.render("paminnelse-handlingsplan", language: "sv", context: sampleContext(deadline: 0)))
        #expect(today.text.contains("Fristen går ut i dag.\n"))
        #expect(!today.text.contains("Dagar kvar"))
    }

    @Test func everyShippedTemplateRendersWithoutLeftovers() throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        for name in Self.expectedNames.sorted() {
            let fromDeadline = kalmarUses.contains { $0.template == name && $0.fromDeadline }
            let mail = try #require(set.render(name, language: "sv",
                                               context: sampleContext(deadline: fromDeadline ? -3 : nil)))
            for part in [mail.subject, mail.text, mail.html ?? ""] {
                #expect(!part.contains("{{") && !part.contains("}}"), "\(name)")
                #expect(!part.contains("\n\n\n"), "\(name): double blank line")
            }
            #expect(!mail.subject.isEmpty && !mail.subject.contains("\n"))
            #expect(mail.text.hasSuffix("ärendebevakning.\n") || mail.text.hasSuffix("ärendebevakningen.\n"), "\(name)")
            #expect(!mail.text.contains("&amp;"), "\(name)")
            #expect((mail.html != nil) == ["eskalering", "paminnelse-handlingsplan"].contains(name), "\(name)")
            if ProcessInfo.processInfo.environment["SHOW_MAILS"] != nil {
                print("==== \(name)\nSubject: \(mail.subject)\n\n\(mail.text)\(mail.html ?? "")")
            }
        }
    }
}
