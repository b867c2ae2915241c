import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation
import Hummingbird

/// The register's page (`/register`): providers with their group, units (listed patients)
/// and contracts for anyone signed in; for those who keep the register
/// (`AccessPolicy.mayKeepRegister`) a CSV import, previewed before it is saved, and forms
/// for a unit's listed patients and a provider's name and group. Every change goes through
/// `RegisterService`, whose rules refuse what would make the register wrong.
enum RegisterPage {
    /// The largest CSV the page takes (a file, or the text sent back after a preview).
    static let maximumCSV = 5 << 20

    /// What the page shows besides the register: a notice, a refusal, a preview.
    struct State {
        var notice: String?
        var summary: [(text: String, href: String?)] = []
        var csvText: String?
        var fileError: String?
        var textError: String?
        var preview: [String: Any]?
        /// The form refused, by the key of its unit or provider, with the values sent and the problem per field.
        var unitForm: (key: String, values: [String: String], errors: [String: String])?
        var providerForm: (key: String, values: [String: String], errors: [String: String])?
    }

    /// How the register's kinds are named on the page.
    static let kinds = ["board": "nämnd", "provider": "vårdgivare", "unit": "enhet", "contract": "avtal"]

    static func context(providers: [Provider], units: [CareUnit], contracts: [Contract], today: LocalDate,
                        mayKeep: Bool, state: State) -> [String: Any] {
        let summary = state.summary.map { item -> [String: Any] in ["text": item.text, "href": item.href ?? ""] }
        var page: [String: Any] = [
            "heading": "Vårdgivare och avtal", "hasProviders": !providers.isEmpty, "mayKeep": mayKeep,
            "notice": state.notice ?? "", "errorSummary": summary, "hasErrors": !summary.isEmpty,
            "columns": RegisterCSV.columns.joined(separator: ", "), "csvText": state.csvText ?? "",
            "fileError": state.fileError ?? "", "textError": state.textError ?? "",
        ]
        if let preview = state.preview { page["preview"] = preview }
        page["providers"] = providers.map { provider -> [String: Any] in
            var row: [String: Any] = [
                "name": provider.name, "id": provider.id, "group": provider.group ?? "",
                "anchor": HTMLIdentifier.make("vardgivare", provider.id),
                "editName": provider.name, "editGroup": provider.group ?? "",
                "units": units.filter { $0.provider == provider.id }.map { unit(for: $0, today: today, state: state) },
                "contracts": contracts.filter { $0.provider == provider.id }.map { contract -> [String: Any] in
                    ["id": contract.id, "area": contract.area, "board": contract.board,
                     "period": SwedishText.date(contract.start) + " – " + (contract.end.map(SwedishText.date) ?? "tills vidare"),
                     "team": contract.team ?? ""]
                },
            ]
            if let form = state.providerForm, form.key == provider.id {
                row["editOpen"] = true
                row["editName"] = form.values["namn"] ?? ""
                row["editGroup"] = form.values["koncern"] ?? ""
                row["editNameError"] = form.errors["namn"] ?? ""
                row["editGroupError"] = form.errors["koncern"] ?? ""
            }
            return row
        }
        return page
    }

    static func unit(for unit: CareUnit, today: LocalDate, state: State) -> [String: Any] {
        var row: [String: Any] = [
            "name": unit.name, "hsaId": unit.hsaId, "anchor": HTMLIdentifier.make("enhet", unit.hsaId),
            "listed": unit.listed(on: today).map { String($0) } ?? "",
            "countsText": unit.listed.map { "\($0.listed) från \(SwedishText.date($0.from))" }.joined(separator: ", "),
            "countDate": today.description,
        ]
        if let form = state.unitForm, form.key == unit.hsaId {
            row["countOpen"] = true
            row["countDate"] = form.values["datum"] ?? ""
            row["countValue"] = form.values["antal"] ?? ""
            row["countDateError"] = form.errors["datum"] ?? ""
            row["countValueError"] = form.errors["antal"] ?? ""
        }
        return row
    }

    /// A preview of an import: how many items would be created, changed or left as they are,
    /// and the rows that would create or change something.
    static func preview(_ outcomes: [RegisterOutcome]) -> [String: Any] {
        let rows = outcomes.filter { $0.change != .same }.map { outcome -> [String: Any] in
            [
                "line": outcome.line.map { $0.replacingOccurrences(of: "line ", with: "rad ") } ?? "",
                "kind": kinds[outcome.item.kind] ?? outcome.item.kind, "key": outcome.item.key, "label": label(outcome.item),
                "change": outcome.change == .created ? "ny" : "ändras",
            ]
        }
        return ["summary": counts(outcomes, future: true), "rows": rows, "hasRows": !rows.isEmpty]
    }

    /// "3 skapas, 1 ändras och 40 är som förut." (or, once saved, "3 skapade, 1 ändrad, 40 oförändrade").
    static func counts(_ outcomes: [RegisterOutcome], future: Bool) -> String {
        counts(created: outcomes.count { $0.change == .created }, changed: outcomes.count { $0.change == .changed },
               same: outcomes.count { $0.change == .same }, future: future)
    }

    static func counts(created: Int, changed: Int, same: Int, future: Bool) -> String {
        future ? "\(created) skapas, \(changed) ändras och \(same) är som förut."
            : "\(created) skapade, \(changed) ändrade och \(same) oförändrade."
    }

    static func label(_ item: RegisterItem) -> String {
        switch item {
        case .board(let board): board.name
        case .provider(let provider): provider.name
        case .unit(let unit): unit.name
        case .contract(let contract): "\(contract.area), \(contract.board)"
        }
    }

    /// The notice after a saved change, from the address the browser was sent to.
    static func notice(_ query: [String: String]) -> String? {
        if let created = query["skapade"].flatMap(Int.init), let changed = query["andrade"].flatMap(Int.init),
           let same = query["oforandrade"].flatMap(Int.init) {
            return "Importen är sparad: " + counts(created: created, changed: changed, same: same, future: false)
        }
        switch query["sparat"] {
        case "antal": return "Antalet listade är sparat."
        case "vardgivare": return "Vårdgivaren är sparad."
        default: return nil
        }
    }
}

extension WebRoutes {
    /// The register's page, with what `state` adds (a notice, a refusal, a preview).
    func registerPage(_ request: Request, _ context: Context, state: RegisterPage.State? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        var state = state ?? RegisterPage.State()
        if state.notice == nil {
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
            state.notice = RegisterPage.notice(query)
        }
        let keeper = keeping(caller, role: nil)
        let page = RegisterPage.context(
            providers: try await register.providers(by: caller), units: try await register.units(provider: nil, by: caller),
            contracts: try await register.contracts(board: nil, area: nil, by: caller), today: SwedishCalendar().localDate(of: now()),
            mayKeep: AccessPolicy.mayKeepRegister(keeper.principal, teamRoles: register.teamRoles) == nil, state: state)
        var values = page
        values["csrf"] = csrf(context) ?? ""
        values["user"] = caller.principal.name
        values["role"] = keeper.principal.actingRole ?? ""
        return render("register", values, status: status)
    }

    /// The caller acting in the role they keep the register in: the one the form names if
    /// they hold it, else the role they act in if it is one of the team's, else the first
    /// of the team's roles they hold.
    func keeping(_ caller: CaseService.Caller, role: String?) -> CaseService.Caller {
        let principal = caller.principal
        let chosen: String?
        if let role, !role.isEmpty, principal.roles.contains(role) {
            chosen = role
        } else if let acting = principal.actingRole, register.teamRoles.contains(acting) || principal.isAdmin {
            chosen = acting
        } else {
            chosen = principal.roles.sorted().first(where: register.teamRoles.contains) ?? principal.actingRole
        }
        return CaseService.Caller(principal.acting(as: chosen), from: caller.client)
    }

    /// `POST /register`: the import (multipart, with a file) or one of the small forms; `atgard` says which.
    func keepRegister(_ request: Request, _ context: Context) async throws -> Response {
        guard let caller = caller(request, context) else { return signIn(request) }
        var request = request
        var fields: [String: String]
        var file: MultipartFormBody.Part?
        if let boundary = MultipartFormBody.boundary(request.headers[.contentType]) {
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: MultipartFormBody.maximumBody) } catch {
                var state = RegisterPage.State()
                state.fileError = "Det som skickades är större än \(MultipartFormBody.maximumBody >> 20) MiB. En fil får vara högst 5 MiB."
                state.summary = [(state.fileError!, "#csv-fil")]
                return try await registerPage(request, context, state: state, status: .contentTooLarge)
            }
            guard let parts = try? MultipartFormBody.parts(body, boundary: boundary) else {
                var state = RegisterPage.State()
                state.fileError = "Formuläret kunde inte läsas. Välj filen igen och försök på nytt."
                state.summary = [(state.fileError!, "#csv-fil")]
                return try await registerPage(request, context, state: state, status: .badRequest)
            }
            fields = [:]
            for part in parts where !part.isFile { fields[part.name] = part.text ?? "" }
            file = parts.first { $0.isFile && $0.name == "fil" }
        } else {
            fields = try await Self.form(request).fields
        }
        let keeper = keeping(caller, role: fields["roll"])
        guard AccessPolicy.mayKeepRegister(keeper.principal, teamRoles: register.teamRoles) == nil else { return notTheTeams(caller) }
        do {
            switch fields["atgard"] {
            case "forhandsgranska", "importera":
                return try await importCSV(fields, file: file, dryRun: fields["atgard"] == "forhandsgranska", by: keeper, request, context)
            case "antal":
                return try await setListed(fields, by: keeper, request, context)
            case "vardgivare":
                return try await editProvider(fields, by: keeper, request, context)
            default:
                var state = RegisterPage.State()
                state.summary = [("Okänd åtgärd: använd formulären på sidan.", nil)]
                return try await registerPage(request, context, state: state, status: .badRequest)
            }
        } catch is AccessPolicy.Refusal {
            return notTheTeams(caller)
        }
    }

    func notTheTeams(_ caller: CaseService.Caller) -> Response {
        render("message", ["heading": "Registret förs av uppföljningsteamet", "user": caller.principal.name,
                           "text": "Bara uppföljningsteamets roller kan importera till registret eller ändra det. Du kan läsa det på sidan Vårdgivare."],
               status: .forbidden)
    }

    /// A preview (`dryRun`) or an import of the file, or of the text when no file was chosen.
    func importCSV(_ fields: [String: String], file: MultipartFormBody.Part?, dryRun: Bool, by keeper: CaseService.Caller,
                   _ request: Request, _ context: Context) async throws -> Response {
        var state = RegisterPage.State()
        let fromFile = (file?.body.readableBytes ?? 0) > 0
        let field = fromFile ? "csv-fil" : "csv-text"
        func refuse(_ text: String, status: HTTPResponse.Status, csv: String? = nil) async throws -> Response {
            if fromFile { state.fileError = text } else { state.textError = text }
            state.summary.insert((text, "#" + field), at: 0)
            state.csvText = csv ?? (fromFile ? fields["text"] : nil)
            return try await registerPage(request, context, state: state, status: status)
        }
        let size = fromFile ? file!.body.readableBytes : fields["text"]?.utf8.count ?? 0
        guard size > 0 else { return try await refuse("Välj en CSV-fil, eller klistra in CSV-texten.", status: .badRequest) }
        guard size <= RegisterPage.maximumCSV else {
            return try await refuse("\(fromFile ? "Filen" : "Texten") är större än 5 MiB. Dela upp den i flera, eller importera den med bevaka register import.",
                                    status: .contentTooLarge)
        }
        guard let text = fromFile ? file!.text : fields["text"] else {
            return try await refuse("Filen är inte text i UTF-8. Spara den som CSV (UTF-8) och välj den igen.", status: .badRequest)
        }
        // The cells are held to the text rules every stored text is (a NUL would be cut off when stored).
        if InputLimits.textProblem(text, maximumLength: RegisterPage.maximumCSV) != nil {
            return try await refuse("\(fromFile ? "Filen" : "Texten") innehåller ett styrtecken som inte kan sparas.", status: .badRequest, csv: "")
        }
        let outcomes: [RegisterOutcome]
        do {
            outcomes = try await register.importCSVItems(text, dryRun: dryRun, by: keeper)
        } catch let refused as RegisterProblems {
            state.summary = refused.problems.map { (SwedishRegisterProblems.text($0), nil) }
            let count = refused.problems.count
            return try await refuse("\(fromFile ? "Filen" : "Texten") har \(count == 1 ? "ett problem" : "\(count) problem"), listade överst. Rätta \(count == 1 ? "det" : "dem") och förhandsgranska igen.",
                                    status: .badRequest, csv: text)
        }
        guard dryRun else {
            let created = outcomes.count { $0.change == .created }, changed = outcomes.count { $0.change == .changed }
            return Self.seeOther("/register?skapade=\(created)&andrade=\(changed)&oforandrade=\(outcomes.count - created - changed)")
        }
        state.preview = RegisterPage.preview(outcomes)
        state.csvText = text
        return try await registerPage(request, context, state: state)
    }

    /// One unit's listed patients from a date.
    func setListed(_ fields: [String: String], by keeper: CaseService.Caller, _ request: Request, _ context: Context) async throws -> Response {
        let key = fields["enhet"] ?? ""
        var errors: [String: String] = [:]
        var summary: [(String, String?)] = []
        let day = LocalDate(iso: (fields["datum"] ?? "").trimmingCharacters(in: .whitespaces))
        if day == nil { errors["datum"] = "Ange ett datum som finns, som ÅÅÅÅ-MM-DD (till exempel 2026-12-01)." }
        let count = Int((fields["antal"] ?? "").filter { !$0.isWhitespace })
        if count == nil { errors["antal"] = "Ange antalet listade patienter som ett heltal, till exempel 8200." }
        if let day, let count {
            do {
                _ = try await register.setListed(unit: key, from: day, listed: count, by: keeper)
                return Self.seeOther("/register?sparat=antal#" + HTMLIdentifier.make("enhet", key))
            } catch let refused as RegisterProblems {
                for problem in refused.problems {
                    if problem.hasPrefix("listed:") { errors["antal"] = SwedishRegisterProblems.text(problem) }
                    else { summary.append((SwedishRegisterProblems.text(problem), nil)) }
                }
            }
        }
        var state = RegisterPage.State()
        let anchor = HTMLIdentifier.make("enhet", key)
        state.summary = ["datum", "antal"].compactMap { name in errors[name].map { ($0, "#\(anchor)-\(name)") } } + summary
        state.unitForm = (key, fields, errors)
        return try await registerPage(request, context, state: state, status: .badRequest)
    }

    /// One provider's name and group.
    func editProvider(_ fields: [String: String], by keeper: CaseService.Caller, _ request: Request, _ context: Context) async throws -> Response {
        let key = fields["vardgivare"] ?? ""
        var errors: [String: String] = [:]
        var summary: [(String, String?)] = []
        do {
            _ = try await register.editProvider(key, name: fields["namn"] ?? "", group: fields["koncern"], by: keeper)
            return Self.seeOther("/register?sparat=vardgivare#" + HTMLIdentifier.make("vardgivare", key))
        } catch let refused as RegisterProblems {
            for problem in refused.problems {
                let text = SwedishRegisterProblems.text(problem)
                if problem.hasPrefix("the provider's name") { errors["namn"] = text }
                else if problem.hasPrefix("'") { errors["koncern"] = text }
                else { summary.append((text, nil)) }
            }
        }
        var state = RegisterPage.State()
        let anchor = HTMLIdentifier.make("vardgivare", key)
        state.summary = ["namn", "koncern"].compactMap { name in errors[name].map { ($0, "#\(anchor)-\(name)") } } + summary
        state.providerForm = (key, fields, errors)
        return try await registerPage(request, context, state: state, status: .badRequest)
    }
}
