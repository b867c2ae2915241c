import BevakaCore
import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaDelivery

/// The Swedish templates of the VGR workflows (and the yearly dialogue): one per
/// message, checked against the shipped workflows the way `bevaka validate` does,
/// and rendered with realistic values.
@Suite struct VGRTemplateTests {
    /// The templates each workflow uses, all of its email going through them.
    static let namesByWorkflow: [String: Set<String>] = [
        "vgr-rutinuppfoljning": [
            "vgr-rutin-kontrollera-overenskommelse", "vgr-rutin-begaran-om-handlingsplan", "vgr-rutin-paminnelse-handlingsplan",
            "vgr-rutin-handlingsplan-uteblev", "vgr-rutin-handlingsplan-godkand", "vgr-rutin-begaran-om-komplettering",
            "vgr-rutin-uppfoljning-handlingsplan", "vgr-rutin-avvikelsen-avhjalpt", "vgr-rutin-handlingsplan-ej-genomford",
            "vgr-rutin-atgardsstrategi-faststalld",
        ],
        "vgr-fordjupad-uppfoljning": [
            "vgr-fordjupad-forfragan", "vgr-fordjupad-vantelista", "vgr-fordjupad-lagesrapport-vantelista",
            "vgr-fordjupad-ater-till-lopande", "vgr-fordjupad-presidiet-informeras", "vgr-fordjupad-uppdrag-faststallt",
            "vgr-fordjupad-karngrupp", "vgr-fordjupad-kallelse-dialogmote", "vgr-fordjupad-paminnelse-svar-kallelse",
            "vgr-fordjupad-aterrapportering", "vgr-fordjupad-begaran-om-handlingsplan", "vgr-fordjupad-paminnelse-handlingsplan",
            "vgr-fordjupad-handlingsplan-godkand", "vgr-fordjupad-uppfoljning-handlingsplan", "vgr-fordjupad-anmodan-forbereds",
            "vgr-fordjupad-anmodan-om-rattelse", "vgr-fordjupad-anmodan-aterrapporteras", "vgr-fordjupad-uppfoljning-anmodan",
            "vgr-fordjupad-beslut-aterkrav", "vgr-fordjupad-beslut-sanktion", "vgr-fordjupad-kontrollplan-upprattas",
            "vgr-fordjupad-kontrollplan-faststalld", "vgr-fordjupad-uppfoljning-kontrollplan", "vgr-fordjupad-namndbeslut",
            "vgr-fordjupad-havning-foreslas", "vgr-fordjupad-avtalet-havs", "vgr-fordjupad-slutrapport",
            "vgr-fordjupad-slutrapport-inlamnad", "vgr-fordjupad-aterlamnad-efter-slutrapport", "vgr-fordjupad-anmalan-ivo",
            "vgr-fordjupad-polisanmalan",
        ],
        "vgr-plotsligt-avslut": [
            "vgr-avslut-valj-scenario", "vgr-avslut-forberedelser", "vgr-avslut-namndsammantrade", "vgr-avslut-uppsagning-beslutad",
            "vgr-avslut-ingen-uppsagning", "vgr-avslut-handlingsplan-startar", "vgr-avslut-daglig-avstamning",
            "vgr-avslut-dokument-mottaget", "vgr-avslut-konkursforvaltare", "vgr-avslut-enheten-stanger",
            "vgr-avslut-checklistan-klar", "vgr-avslut-forberedelse-punkt", "vgr-avslut-checklista-punkt",
        ],
        "vgr-indikation-avvikelse": ["vgr-indikation-bevakning", "vgr-indikation-ny-indikation"],
        "vgr-ny-vardgivare": [
            "vgr-ny-vardgivare-startbesok-bokat", "vgr-ny-vardgivare-startbesok", "vgr-ny-vardgivare-halvarsbesok",
            "vgr-ny-vardgivare-checklistpunkt",
        ],
        "vgr-arshjul": [
            "vgr-arshjul-teamplaneringsevent", "vgr-arshjul-arssummering", "vgr-arshjul-handboksrevision", "vgr-arshjul-arsrapport",
            "vgr-arshjul-arsrapport-skickad", "vgr-arshjul-hallpunkt", "vgr-arshjul-handboksrevision-punkt",
        ],
        "vgr-planerad-uppfoljning": [
            "vgr-planerad-paminnelse", "vgr-planerad-bokad", "vgr-planerad-rapport", "vgr-planerad-rapport-komplettering",
            "vgr-planerad-paminnelse-komplettering", "vgr-planerad-avvikelse",
        ],
        "arlig-uppfoljningsdialog": [
            "dialog-paminnelse-dialogdagen", "dialog-dialogdag-bokad", "dialog-stallningstagande", "dialog-indikation-oppnad",
            "dialog-aterkoppling", "dialog-aterkoppling-skickad", "dialog-boka-nasta-mote", "dialog-nasta-mote-bokat",
            "dialog-forberedelse-punkt",
        ],
    ]

    static let expectedNames: Set<String> = namesByWorkflow.values.reduce(into: []) { $0.formUnion($1) }

    static let footer = "\n\nDet här meddelandet har skickats automatiskt från Västra Götalandsregionens ärendebevakning.\n"

    /// Every loaded version of the VGR workflows, from the shipped folder.
    static func definitions() throws -> [WorkflowDefinition] {
        let all = try WorkflowLoader.loadDirectory(workflowsFolder).all.filter { namesByWorkflow[$0.name] != nil }
        #expect(Set(all.map(\.name)) == Set(namesByWorkflow.keys))
        return all
    }

    @Test func everyUseOfTheVGRWorkflowsPassesTheCheck() throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        let definitions = try Self.definitions()
        // The uses as `bevaka validate` and `serve` compute them.
        let uses = TemplateUse.uses(of: definitions)
        let problems = set.check(uses)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
        for definition in definitions {
            let own = uses.filter { $0.workflow == definition.key.description }
            #expect(!own.isEmpty)
            #expect(Set(own.map(\.template)) == Self.namesByWorkflow[definition.name], "\(definition.key)")
            for use in own where use.template == "standard" { Issue.record("\(definition.key): \(use.where) still uses standard") }
        }
        for name in Self.expectedNames {
            #expect(set.languages(of: name) == ["sv"], "\(name)")
            #expect(name.hasPrefix("vgr-") || name.hasPrefix("dialog-"), "\(name)")
        }
    }

    @Test func everyTemplateRendersWithRealisticValues() throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        var rendered: Set<String> = []
        for definition in try Self.definitions() {
            for use in TemplateUse.uses(of: [definition]) {
                for full in [true, false] {
                    let context = Self.context(definition, use: use, allFields: full)
                    let mail = try #require(set.render(use.template, language: "sv", context: context), "\(use.template)")
                    let what = "\(use.template) (\(definition.key), \(use.where), \(full ? "all fields" : "required fields only"))"
                    let reference = Self.reference(definition, allFields: full)
                    for part in [mail.subject, mail.text] {
                        #expect(!part.contains("{{") && !part.contains("}}"), "\(what)")
                    }
                    #expect(!mail.text.contains("\n\n\n"), "\(what): double blank line")
                    #expect(!mail.text.hasPrefix("\n"), "\(what)")
                    #expect(!mail.subject.isEmpty && !mail.subject.contains("\n"), "\(what)")
                    #expect(mail.subject.hasSuffix("(ärende \(reference))"), "\(what): \(mail.subject)")
                    #expect(mail.text.contains("\nÄrende: \(reference) – \(definition.title)\n"), "\(what)")
                    #expect(mail.text.hasSuffix(Self.footer), "\(what)")
                    #expect(mail.html == nil, "\(what)")
                    if full {
                        // With every field set no label is left without its value.
                        for line in mail.text.split(separator: "\n") {
                            #expect(!line.hasSuffix(" ") && !line.contains("()"), "\(what): '\(line)'")
                        }
                        #expect(!mail.subject.contains(": :") && !mail.subject.contains("()"), "\(what)")
                    }
                    if full, ProcessInfo.processInfo.environment["SHOW_MAILS"] != nil, rendered.insert(use.template).inserted {
                        print("==== \(use.template) (\(use.where))\nSubject: \(mail.subject)\n\n\(mail.text)")
                    }
                }
            }
        }
    }

    /// A message to the provider is a formal letter to its verksamhetschef;
    /// internal ones are not. (A checklist item reminder goes to the item's roles,
    /// the provider among others, and is written for both.)
    @Test func messagesToTheProviderAreAddressedToTheVerksamhetschef() throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        var formal: Set<String> = []
        for definition in try Self.definitions() {
            for use in definition.notificationUses where !use.place.hasPrefix("checklist ") {
                let template = try #require(use.notification.template)
                let context = Self.context(definition, use: TemplateUse.uses(of: [definition]).first { $0.where == use.place }!, allFields: true)
                let mail = try #require(set.render(template, language: "sv", context: context))
                let toProvider = use.notification.to.contains("verksamhetschef")
                #expect(mail.text.hasPrefix("Till verksamhetschefen för Vårdcentralen Björkängen\n\n") == toProvider, "\(template)")
                if toProvider { formal.insert(template) }
            }
        }
        #expect(formal.contains("vgr-rutin-begaran-om-handlingsplan") && formal.contains("dialog-nasta-mote-bokat"))
    }

    @Test(arguments: [("vgr-rutinuppfoljning", "vgr-rutin-begaran-om-handlingsplan"),
                      ("vgr-fordjupad-uppfoljning", "vgr-fordjupad-begaran-om-handlingsplan")])
    func thePlanRequestStatesThePlansDueDateAndTheFollowUpDate(workflow: String, template: String) throws {
        let set = try TemplateSet.load(folder: shippedTemplates)
        let definition = try #require(try Self.definitions().first { $0.name == workflow })
        let requests = definition.notificationUses.filter { $0.notification.type == "case.actionplan.requested" }
        #expect(!requests.isEmpty && requests.allSatisfy { $0.notification.template == template })
        let use = try #require(TemplateUse.uses(of: [definition]).first { $0.template == template })

        var context = Self.context(definition, use: use, allFields: true)
        let withBoth = try #require(set.render(template, language: "sv", context: context))
        #expect(withBoth.subject == "Vårdcentralen Björkängen: Begäran om handlingsplan senast 15 april 2026 (ärende HSN 2026-00412)")
        #expect(withBoth.text.hasPrefix("Till verksamhetschefen för Vårdcentralen Björkängen\n\n"))
        #expect(withBoth.text.contains("\nHandlingsplanen ska ha kommit in till ärendets handläggare senast: 15 april 2026\n"
            + "Regionen följer upp handlingsplanen senast: 15 september 2026\n"))
        #expect(withBoth.text.contains("Avvikelse:\nTelefontiderna uppfylls inte"))
        #expect(withBoth.text.contains("Om handlingsplanen inte har kommit in senast 15 april 2026"))

        // Without a follow-up date the request says nothing of one.
        var fields = try #require(context["fields"] as? [String: Any])
        fields["uppfoljningSenast"] = nil
        context["fields"] = fields
        let planOnly = try #require(set.render(template, language: "sv", context: context))
        #expect(planOnly.text.contains("\nHandlingsplanen ska ha kommit in till ärendets handläggare senast: 15 april 2026\n"))
        #expect(!planOnly.text.contains("följer upp handlingsplanen"))
        #expect(!planOnly.text.contains("\n\n\n"))
    }

    // MARK: Sample context

    /// Field values as the daemon shows them in email: dates in Swedish, enum titles.
    static let sampleText: [String: String] = [
        "vardgivare": "Björkängens Läkarhus AB",
        "enhet": "Vårdcentralen Björkängen",
        "diarienummer": "HSN 2026-00412",
        "avtalsomrade": "Vårdval Vårdcentral",
        "beskrivning": "Telefontiderna uppfylls inte: patienterna får vänta mer än tre arbetsdagar på återuppringning.",
        "anteckning": "Dialogmöte hållet med verksamhetschefen; bemanningen i telefonin ska ses över.",
        "fragestallning": "Beror bristerna på underbemanning eller på hur telefonin är organiserad?",
        "atgardsstrategi": "Syfte: att avvikelsen upphör. Strategi: fortsatt eskalering med stöd av jurist. Åtgärder: anmodan om rättelse.",
        "avtalsstod": "Krav på tillgänglighet enligt förfrågningsunderlaget, avsnitt 6.2.",
        "nyAgare": "Karin Holm",
        "samradRegionjurist": "Jonas Lagerlöf",
        "konkursforvaltare": "Advokatfirman Ek & Ström",
        "iakttagelser": "Lokalerna är anpassade; e-tjänstekorten saknades för två läkare.",
        "team": "Team vårdval vårdcentral",
        "uppfoljningsplan": "Fokus på tillgänglighet, läkemedelsgenomgångar och kontinuitet.",
        "fokusomrade": "Tillgänglighet per telefon",
    ]

    static let sampleDates: [String: String] = [
        "planSenast": "15 april 2026", "uppfoljningSenast": "15 september 2026", "dialogSenast": "20 mars 2026",
        "namndmote": "11 juni 2026", "beslutsdatum": "11 juni 2026", "havningGallerFran": "12 juni 2026",
        "havningMottagen": "12 juni 2026", "stangningsdatum": "15 juni 2026", "dialogdag": "16 februari 2026",
        "driftstart": "1 september 2026", "startbesokDatum": "25 augusti 2026", "uppfoljningsarStart": "1 januari 2027",
    ]

    /// Enum values where the second one would not do (three different areas for the dialogue).
    static let sampleEnums: [String: String] = ["omrade1": "personal", "omrade2": "patienter", "omrade3": "tillganglighet"]

    static func value(of field: FieldDefinition) -> String {
        switch field.type {
        case .string, .stringList: sampleText[field.name] ?? "Exempeltext: \(field.title ?? field.name)"
        case .date: sampleDates[field.name] ?? "16 februari 2026"
        case .datetime: "16 februari 2026 kl. 15.00"
        case .duration: "P14D"
        case .integer: "2"
        case .decimal: "3,5"
        case .boolean: "ja"
        case .enumeration(let values): field.title(ofValue: sampleEnums[field.name] ?? values[min(1, values.count - 1)])
        }
    }

    static func reference(_ definition: WorkflowDefinition, allFields: Bool) -> String {
        allFields && definition.field("diarienummer") != nil ? "HSN 2026-00412" : "3F2A-91C0"
    }

    /// What the daemon renders with (MessageComposer.templateContext): every
    /// field, or only those a new case has (required ones and defaults).
    static func context(_ definition: WorkflowDefinition, use: TemplateUse, allFields: Bool) -> [String: Any] {
        var fields: [String: Any] = [:]
        for field in definition.fields where !field.personal && (allFields || field.required || field.defaultValue != nil) {
            fields[field.name] = value(of: field)
        }
        if !allFields {
            for field in definition.fields where field.defaultValue != nil && field.type == .boolean { fields[field.name] = "nej" }
        }
        let place = use.where.components(separatedBy: ", ")
        var state = definition.initialState
        if place[0].hasPrefix("state "), let named = definition.state(String(place[0].dropFirst(6))) { state = named }
        var context: [String: Any] = [
            "type": use.fromDeadline ? "case.deadline.reminder" : "case.event",
            "case": [
                "id": "3f2a91c0-5d1e-4c2b-9a57-0c8e2b7d4f11", "number": "3F2A-91C0", "reference": reference(definition, allFields: allFields),
                "unit": fields["enhet"] ?? "", "provider": fields["vardgivare"] ?? "", "workflow": definition.name,
                "workflowTitle": definition.title, "state": state.name, "stateTitle": state.title ?? state.name, "owner": "Åsa Öberg",
            ] as [String: Any],
            "fields": fields,
        ]
        if use.fromDeadline {
            var name = "frist", title = "Frist"
            if place.count == 2, place[1].hasPrefix("deadline ") {
                name = String(place[1].dropFirst(9))
                title = definition.watch(named: name, in: state.name)?.title ?? name
            } else if place[0].hasPrefix("checklist "), let checklist = definition.checklist(String(place[0].dropFirst(10))),
                      let item = checklist.items.first {
                name = "\(checklist.name)/\(item.id)"
                title = item.title
            }
            context["deadline"] = [
                "name": name, "title": title, "due": "15 april 2026 kl. 17.00", "dueDate": "15 april 2026", "dueTime": "17.00",
                "daysLeft": 7,
            ] as [String: Any]
        } else {
            context["event"] = "begarHandlingsplan"
        }
        return context
    }
}
