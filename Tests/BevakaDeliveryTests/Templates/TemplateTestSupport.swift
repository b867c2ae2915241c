import BevakaTestSupport
import Foundation
@testable import BevakaDelivery

/// A temporary templates folder, removed by `remove()`.
struct TempFolder {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("bevaka-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Loads a set from files, removing the folder afterwards.
func withTemplates<T>(_ files: [String: String], _ body: (TemplateSet, TempFolder) throws -> T) throws -> T {
    let folder = try TempFolder(files)
    defer { folder.remove() }
    let set = try TemplateSet.load(folder: folder.url)
    return try body(set, folder)
}

/// The error `load` throws for these files, or nil.
func loadError(_ files: [String: String]) throws -> (TemplateError?, TempFolder) {
    let folder = try TempFolder(files)
    do {
        _ = try TemplateSet.load(folder: folder.url)
        return (nil, folder)
    } catch {
        return (error, folder)
    }
}

let kalmarFields: Set<String> = [
    "enhet", "listade", "egenrapporterad", "beskrivning", "allvarlighetsgrad", "avsteg", "niva", "sanktionsniva",
    "begaranSkickad", "planSenast", "uppfoljningSenast", "rattelseGodkand", "ersattningInnehallen",
]

func use(_ template: String, _ where: String, deadline: Bool = false, workflow: String = "kalmar-sanktionstrappa",
         fields: Set<String> = kalmarFields, personal: Set<String> = []) -> TemplateUse {
    TemplateUse(template: template, workflow: workflow, where: `where`, fromDeadline: deadline,
                fields: fields, personalFields: personal)
}

/// The uses of the shipped Kalmar workflow (Workflows/kalmar-sanktionstrappa.yaml), one per notify.
let kalmarUses: [TemplateUse] = [
    use("havning-overvags", "state registrerad, on klassificera"),
    use("begaran-om-rattelse", "state beslutOmAtgard, on skickaBegaranOmRattelse"),
    use("sanktion-beslutad", "state beslutOmAtgard, on direktSanktion"),
    use("avtalet-havt", "state beslutOmAtgard, on havaAvtalet"),
    use("begaran-om-rattelse", "state stallningstagandeHavning, on skickaBegaranOmRattelse"),
    use("avtalet-havt", "state stallningstagandeHavning, on havaAvtalet"),
    use("paminnelse-handlingsplan", "state vantarHandlingsplan, deadline handlingsplan", deadline: true),
    use("eskalering", "state vantarHandlingsplan, on handlingsplanUteblev"),
    use("eskalering", "state vantarHandlingsplan, on handlingsplanUteblev"),
    use("havning-overvags", "state vantarHandlingsplan, on handlingsplanUteblev"),
    use("bedomning-forsenad", "state bedomerHandlingsplan, deadline bedomning", deadline: true),
    use("begaran-om-komplettering", "state bedomerHandlingsplan, on begarKomplettering"),
    use("eskalering", "state bedomerHandlingsplan, on underkannHandlingsplan"),
    use("eskalering", "state bedomerHandlingsplan, on underkannHandlingsplan"),
    use("havning-overvags", "state bedomerHandlingsplan, on underkannHandlingsplan"),
    use("uppfoljning-dags", "state uppfoljning, deadline uppfoljning", deadline: true),
    use("rattelse-godkand", "state uppfoljning, on godkannUppfoljning"),
    use("eskalering", "state uppfoljning, on underkannUppfoljning"),
    use("eskalering", "state uppfoljning, on underkannUppfoljning"),
    use("havning-overvags", "state uppfoljning, on underkannUppfoljning"),
    use("ersattning-innehallen", "any state, on innehallErsattning"),
]

/// The shipped templates, beside the shipped workflows.
let shippedTemplates = URL(fileURLWithPath: workflowsFolder).appendingPathComponent("templates")

func sampleContext(deadline daysLeft: Int? = nil) -> [String: Any] {
    var context: [String: Any] = [
        "type": daysLeft == nil ? "case.escalated" : "case.deadline.reminder",
        "case": [
            "id": "3f2a91c0-5d1e-4c2b-9a57-0c8e2b7d4f11", "number": "3F2A-91C0", "reference": "KAL-2026-0042",
            "unit": "Vårdcentralen Äppelträdet & Co", "provider": "", "workflow": "kalmar-sanktionstrappa",
            "workflowTitle": "Hälsoval Kalmar län: uppföljning och sanktionstrappa",
            "state": "vantarHandlingsplan", "stateTitle": "Inväntar handlingsplan", "owner": "Åsa Öberg",
        ] as [String: Any],
        "fields": [
            "enhet": "Vårdcentralen Äppelträdet & Co", "listade": "8200", "niva": "gul", "sanktionsniva": "ingen sanktion",
            "begaranSkickad": "1 juni 2026", "planSenast": "19 juni 2026",
            "beskrivning": "Telefontider <10 min> uppfylls inte",
        ] as [String: Any],
    ]
    if let daysLeft {
        context["deadline"] = [
            "name": "handlingsplan", "title": "Handlingsplanen ska ha inkommit", "due": "19 juni 2026 kl. 17.00",
            "dueDate": "19 juni 2026", "dueTime": "17.00", "daysLeft": daysLeft,
        ] as [String: Any]
    } else {
        context["event"] = "handlingsplanUteblev"
    }
    return context
}
