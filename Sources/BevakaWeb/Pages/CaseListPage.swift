import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation
import Hummingbird

/// "Mina ärenden": the cases a person works on, by what is due next, overdue first.
enum CaseListPage {
    /// One case's row: what it is, what is due next and when, where.
    static func row(_ view: CaseView, now: Date) -> [String: Any] {
        let record = view.record, definition = view.definition
        let calendar = definition.calendar
        var row: [String: Any] = [
            "id": record.id, "reference": record.reference, "workflowTitle": definition.title,
            "stateTitle": definition.state(record.state)?.title ?? record.state,
            "unit": record.text("enhet") ?? "", "provider": record.text("vardgivare") ?? "",
        ]
        if let next = nextDue(record, definition) {
            row["due"] = [
                "title": next.title, "when": SwedishText.moment(next.at, calendar: calendar),
                "countdown": Countdown.text(to: next.at, now: now, calendar: calendar), "overdue": next.at <= now,
            ] as [String: Any]
        }
        return row
    }

    /// The earliest deadline or unticked checklist item, with its title.
    static func nextDue(_ record: CaseRecord, _ definition: WorkflowDefinition) -> (title: String, at: Date)? {
        guard let first = record.dueItems(definition).first else { return nil }
        if case .checklistItem = first.kind { return ("Checklista: " + first.title, first.dueAt) }
        return (first.title, first.dueAt)
    }
}

extension WebRoutes {
    /// "Mina ärenden" (`/`), or every case the caller sees (`?vy=alla`, a team lead's view),
    /// filtered by process, state (of the chosen process), unit and board, 50 to a page.
    /// A value that names nothing (a hand-made link) is left out of the filter.
    func caseList(_ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? { query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let everything = query["vy"] == "alla"
        var filter = CaseFilter()
        filter.order = .due
        if !everything { filter.ownedBy = Array(caller.principal.identifiers) }
        let catalog = cases.store.catalog
        let process = value("process").flatMap { catalog.latest(named: $0) }
        filter.workflow = process?.name
        // A state is chosen among the chosen process's (its names mean nothing across processes).
        filter.state = process.flatMap { definition in value("lage").flatMap { definition.state($0) == nil ? nil : $0 } }
        let units = try await register.units(provider: nil, by: caller).sorted { $0.name < $1.name }
        let boards = try await register.boards(by: caller).sorted { $0.code < $1.code }
        filter.unit = value("enhet").flatMap { unit in units.contains { $0.hsaId == unit } ? unit : nil }
        filter.board = value("namnd").flatMap { board in boards.contains { $0.code == board } ? board : nil }
        let after = value("efter").flatMap { CaseCursor($0) == nil ? nil : $0 }
        let page = try await cases.list(filter, after: after, limit: 51, by: caller)
        let time = now()
        let rows = page.prefix(50).map { CaseListPage.row($0.view, now: time) }
        // The filters as the next page's link carries them.
        var chosen = [("vy", everything ? "alla" : "mina")]
        for (name, value) in [("process", filter.workflow), ("lage", filter.state), ("enhet", filter.unit), ("namnd", filter.board)] {
            if let value { chosen.append((name, value)) }
        }
        let filters = chosen.map { "\($0.0)=\(Self.queryValue($0.1))" }.joined(separator: "&")
        return render("caseList", [
            "heading": everything ? "Alla ärenden jag ser" : "Mina ärenden", "view": everything ? "alla" : "mina",
            "cases": rows, "hasCases": !rows.isEmpty,
            "next": page.count > 50 ? filters + "&efter=" + Self.queryValue(page[49].cursor.description) : "",
            "workflows": catalog.openableNames.compactMap { name in
                catalog.latest(named: name).map { ["name": name, "title": $0.title, "selected": name == filter.workflow] as [String: Any] }
            },
            "states": (process?.states ?? []).map { ["name": $0.name, "title": $0.title ?? $0.name, "selected": $0.name == filter.state] as [String: Any] },
            "units": units.map { ["id": $0.hsaId, "name": $0.name, "selected": $0.hsaId == filter.unit] as [String: Any] },
            "boards": boards.map { ["code": $0.code, "name": $0.name, "selected": $0.code == filter.board] as [String: Any] },
            "user": caller.principal.name,
        ])
    }
}
