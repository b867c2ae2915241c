import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation
import Hummingbird

/// `/register/…` (boards, providers, units, contracts, their history, the CSV import)
/// and `/traffic-lights` (the team's assessment of each provider).
struct RegisterRoutes: Sendable {
    let register: RegisterService

    /// The collections by their path name and the kind their history is kept under.
    static let kinds = ["boards": "board", "providers": "provider", "units": "unit", "contracts": "contract"]

    func add(to router: Router<BevakaRequestContext>) {
        router.get("/register/boards") { request, context in try await list("boards", request, context) }
        router.get("/register/providers") { request, context in try await list("providers", request, context) }
        router.get("/register/units") { request, context in try await list("units", request, context) }
        router.get("/register/contracts") { request, context in try await list("contracts", request, context) }
        for collection in Self.kinds.keys.sorted() {
            router.get("/register/\(collection)/:key") { _, context in
                try await item(collection, try Self.key("key", context), context)
            }
            router.put("/register/\(collection)/:key") { request, context in
                try await put(collection, try Self.key("key", context), request, context)
            }
            router.get("/register/\(collection)/:key/history") { _, context in
                try await history(collection, try Self.key("key", context), context)
            }
        }
        router.post("/register/import") { request, context in try await importCSV(request, context) }
        router.get("/traffic-lights") { _, context in try await trafficLights(context) }
        router.get("/traffic-lights/:provider") { _, context in
            try await trafficLight(try Self.key("provider", context), context)
        }
        router.post("/traffic-lights/:provider") { request, context in
            try await setTrafficLight(try Self.key("provider", context), request, context)
        }
    }

    /// A key from the path as the register keeps it: the router leaves a segment
    /// percent-encoded, and an imported `Vårdcentral Berga` is asked for as `V%C3%A5rdcentral%20Berga`.
    /// A segment that is not percent-encoded UTF-8 names nothing (the empty key, which no item has).
    static func key(_ name: String, _ context: BevakaRequestContext) throws -> String {
        String(try context.parameters.require(name)).removingPercentEncoding ?? ""
    }

    // MARK: The register

    func list(_ collection: String, _ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try context.caller()
        let query = request.uri.queryParameters
        let known: Set<String> = switch collection {
        case "units": ["provider"]
        case "contracts": ["board", "area"]
        default: []
        }
        let problems = RequestInput.unknownParameters(request, known: known)
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        let items: [JSONValue] = switch collection {
        case "boards": try await register.boards(by: caller).map { RegisterRepresentation.json(.board($0)) }
        case "providers": try await register.providers(by: caller).map { RegisterRepresentation.json(.provider($0)) }
        case "units": try await register.units(provider: query["provider"].map(String.init), by: caller).map { RegisterRepresentation.json(.unit($0)) }
        default:
            try await register.contracts(board: query["board"].map(String.init), area: query["area"].map(String.init), by: caller)
                .map { RegisterRepresentation.json(.contract($0)) }
        }
        return JSONBody.response(.object(["items": .array(items)]))
    }

    func item(_ collection: String, _ key: String, _ context: BevakaRequestContext) async throws -> Response {
        let kind = Self.kinds[collection]!
        guard let item = try await register.item(kind: kind, key: key, by: try context.caller()) else {
            throw Self.notFound(kind, key)
        }
        return JSONBody.response(RegisterRepresentation.json(item))
    }

    static func notFound(_ kind: String, _ key: String) -> Problem {
        Problem(.notFound, "register-not-found", "Not in the register", detail: "no \(kind) '\(key.prefix(80))' in the register")
    }

    func put(_ collection: String, _ key: String, _ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try context.caller(writing: request)
        if let problem = key.isEmpty ? "is not percent-encoded UTF-8 text" : InputLimits.textProblem(key, maximumLength: 400) {
            throw Problem.invalidRequest("the key in the path is not valid", errors: [FieldProblem(field: "key", problem: problem)])
        }
        let body = try await RequestInput.object(request)
        let item = try RegisterRepresentation.item(Self.kinds[collection]!, key: key, from: body)
        let (stored, created) = try await register.put(item, by: caller)
        return JSONBody.response(RegisterRepresentation.json(stored), status: created ? .created : .ok)
    }

    func history(_ collection: String, _ key: String, _ context: BevakaRequestContext) async throws -> Response {
        let kind = Self.kinds[collection]!
        let caller = try context.caller()
        guard try await register.item(kind: kind, key: key, by: caller) != nil else { throw Self.notFound(kind, key) }
        let changes = try await register.history(kind: kind, key: key, by: caller)
        return JSONBody.response(.object(["items": .array(changes.map { change in
            .object(["at": .string(SwedishCalendar.isoUTCString(change.at)), "actor": .string(change.actor),
                     "change": .string(change.change), "before": change.before ?? .null, "after": change.after])
        })]))
    }

    /// `POST /register/import` with a CSV body (`?dryRun=true` checks and counts, writing nothing).
    func importCSV(_ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try context.caller(writing: request)
        let problems = RequestInput.unknownParameters(request, known: ["dryRun"])
        guard problems.isEmpty else { throw Problem.invalidRequest("the query has problems", errors: problems) }
        let dryRun: Bool
        switch request.uri.queryParameters["dryRun"] {
        case nil, "false": dryRun = false
        case "true": dryRun = true
        case let other?: throw Problem.invalidRequest("dryRun must be true or false", errors: [FieldProblem(field: "dryRun", problem: "got '\(other.prefix(40))'")])
        }
        guard request.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", "Send the register as CSV",
                          detail: "the body must be text/csv (columns: \(RegisterCSV.columns.joined(separator: ", ")))")
        }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: 16 << 20) } catch {
            throw Problem(.contentTooLarge, "body-too-large", "The body is too large", detail: "a register import is limited to 16 MiB")
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw Problem.invalidRequest("the CSV is not UTF-8")
        }
        // Its cells are held to the text rules a JSON body's strings are (a NUL would be cut off when stored).
        if let problem = InputLimits.textProblem(text, maximumLength: 16 << 20) {
            throw Problem.invalidRequest("the CSV holds text that cannot be stored", errors: [FieldProblem(field: "body", problem: problem)])
        }
        let counts = try await register.importCSV(text, dryRun: dryRun, by: caller)
        return JSONBody.response(.object(["created": .int(counts.created), "changed": .int(counts.changed),
                                          "unchanged": .int(counts.unchanged), "dryRun": .bool(dryRun)]))
    }

    // MARK: The traffic light

    func trafficLights(_ context: BevakaRequestContext) async throws -> Response {
        let lights = try await register.trafficLights(by: try context.caller())
        return JSONBody.response(.object(["items": .array(lights.map { entry in
            var object: [String: JSONValue] = ["provider": .string(entry.provider.id), "name": .string(entry.provider.name),
                                               "group": entry.provider.group.map(JSONValue.string) ?? .null,
                                               "redInGroup": .array(entry.redInGroup.map(JSONValue.string))]
            object["current"] = entry.light.map(RegisterRepresentation.json) ?? .null
            return .object(object)
        })]))
    }

    func trafficLight(_ provider: String, _ context: BevakaRequestContext) async throws -> Response {
        let history = try await history(of: provider, by: try context.caller())
        return JSONBody.response(.object(["provider": .string(provider), "current": history.first.map(RegisterRepresentation.json) ?? .null,
                                          "history": .array(history.map(RegisterRepresentation.json))]))
    }

    /// A provider's assessments, newest first: 403 outside the team, then 404 for a provider not in the register.
    func history(of provider: String, by caller: CaseService.Caller) async throws -> [TrafficLight] {
        do {
            return try await register.trafficLightHistory(provider: provider, by: caller)
        } catch is RegisterProblems {  // its only one: no such provider
            throw Self.notFound("provider", provider)
        }
    }

    func setTrafficLight(_ provider: String, _ request: Request, _ context: BevakaRequestContext) async throws -> Response {
        let caller = try context.caller(writing: request)
        _ = try await history(of: provider, by: caller)
        let body = try await RequestInput.object(request)
        try RequestInput.check(body, allowed: ["colour": true, "assessedOn": true, "comment": true])
        let colourText = try RequestInput.string(body, "colour") ?? ""
        guard let colour = TrafficLight.Colour(rawValue: colourText) else {
            throw Problem.invalidRequest("colour must be rod, gul or gron", errors: [FieldProblem(field: "colour", problem: "expected rod, gul or gron, got '\(colourText.prefix(40))'")])
        }
        let dateText = try RequestInput.string(body, "assessedOn") ?? ""
        guard let assessedOn = LocalDate(iso: dateText) else {
            throw Problem.invalidRequest("assessedOn must be a date", errors: [FieldProblem(field: "assessedOn", problem: "expected YYYY-MM-DD, got '\(dateText.prefix(40))'")])
        }
        let light = try await register.setTrafficLight(provider: provider, colour: colour, assessedOn: assessedOn,
                                                       comment: try RequestInput.string(body, "comment") ?? "", by: caller)
        return JSONBody.response(RegisterRepresentation.json(light), status: .created)
    }
}

/// The register's items as JSON, and back.
enum RegisterRepresentation {
    static func json(_ item: RegisterItem) -> JSONValue {
        switch item {
        case .board(let b): .object(["code": .string(b.code), "name": .string(b.name)])
        case .provider(let p): .object(["id": .string(p.id), "name": .string(p.name), "group": p.group.map(JSONValue.string) ?? .null])
        case .unit(let u):
            .object(["hsaId": .string(u.hsaId), "name": .string(u.name), "provider": .string(u.provider),
                     "listed": .array(u.listed.map { .object(["from": .string($0.from.description), "listed": .int($0.listed)]) })])
        case .contract(let c):
            .object(["id": .string(c.id), "provider": .string(c.provider), "area": .string(c.area), "board": .string(c.board),
                     "start": .string(c.start.description), "end": c.end.map { .string($0.description) } ?? .null,
                     "team": c.team.map(JSONValue.string) ?? .null, "units": .array(c.units.map(JSONValue.string))])
        }
    }

    static func json(_ light: TrafficLight) -> JSONValue {
        .object(["colour": .string(light.colour.rawValue), "colourTitle": .string(light.colour.title),
                 "assessedOn": .string(light.assessedOn.description), "comment": .string(light.comment),
                 "actor": .string(light.actor), "at": .string(SwedishCalendar.isoUTCString(light.at))])
    }

    /// A PUT body as an item of `kind` with `key` from the path.
    static func item(_ kind: String, key: String, from body: [String: JSONValue]) throws -> RegisterItem {
        var problems: [FieldProblem] = []
        func text(_ name: String, required: Bool) throws -> String? {
            let value = try RequestInput.string(body, name)
            if required, (value ?? "").trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem(field: name, problem: "required")) }
            if let value, value.count > 400 { problems.append(FieldProblem(field: name, problem: "at most 400 characters")) }
            return value
        }
        func date(_ name: String, required: Bool) throws -> LocalDate? {
            guard let value = try text(name, required: required) else { return nil }
            guard let date = LocalDate(iso: value) else {
                problems.append(FieldProblem(field: name, problem: "expected YYYY-MM-DD, got '\(value.prefix(40))'"))
                return nil
            }
            return date
        }
        let item: RegisterItem
        switch kind {
        case "board":
            try RequestInput.check(body, allowed: ["name": true])
            item = .board(Board(code: key, name: try text("name", required: true) ?? ""))
        case "provider":
            try RequestInput.check(body, allowed: ["name": true, "group": false])
            item = .provider(Provider(id: key, name: try text("name", required: true) ?? "", group: try text("group", required: false)))
        case "unit":
            try RequestInput.check(body, allowed: ["name": true, "provider": true, "listed": false])
            var listed: [ListedCount] = []
            switch body["listed"] {
            case nil, .null?: break
            case .array(let entries)? where entries.count > 1000:
                problems.append(FieldProblem(field: "listed", problem: "at most 1000 counts, got \(entries.count)"))
            case .array(let entries)?:
                for (index, entry) in entries.enumerated() {
                    guard case .object(let count) = entry, case .string(let from)? = count["from"], let day = LocalDate(iso: from),
                          case .int(let number)? = count["listed"], (0...InputLimits.magnitude).contains(number), count.count == 2 else {
                        problems.append(FieldProblem(field: "listed[\(index)]", problem: "expected {\"from\": \"YYYY-MM-DD\", \"listed\": a whole number from 0 to \(InputLimits.magnitude)}"))
                        continue
                    }
                    // One count per day: a second would overwrite the first when stored.
                    guard !listed.contains(where: { $0.from == day }) else {
                        problems.append(FieldProblem(field: "listed[\(index)]", problem: "a second count from \(day)"))
                        continue
                    }
                    listed.append(ListedCount(from: day, listed: number))
                }
            default: problems.append(FieldProblem(field: "listed", problem: "expected a list of {from, listed}"))
            }
            item = .unit(CareUnit(hsaId: key, name: try text("name", required: true) ?? "", provider: try text("provider", required: true) ?? "",
                                  listed: listed))
        default:
            try RequestInput.check(body, allowed: ["provider": true, "area": true, "board": true, "start": true, "end": false,
                                                   "team": false, "units": false])
            var units: [String] = []
            switch body["units"] {
            case nil, .null?: break
            case .array(let entries)? where entries.count > 1000:
                problems.append(FieldProblem(field: "units", problem: "at most 1000 units, got \(entries.count)"))
            case .array(let entries)?:
                for (index, entry) in entries.enumerated() {
                    guard case .string(let unit) = entry else {
                        problems.append(FieldProblem(field: "units[\(index)]", problem: "expected an HSA-id as a string"))
                        continue
                    }
                    // A unit is the contract's once (the store keeps each pair once).
                    guard !units.contains(unit) else {
                        problems.append(FieldProblem(field: "units[\(index)]", problem: "'\(unit.prefix(80))' is listed already"))
                        continue
                    }
                    units.append(unit)
                }
            default: problems.append(FieldProblem(field: "units", problem: "expected a list of HSA-ids"))
            }
            item = .contract(Contract(id: key, provider: try text("provider", required: true) ?? "", area: try text("area", required: true) ?? "",
                                      board: try text("board", required: true) ?? "", start: try date("start", required: true) ?? .distantPast,
                                      end: try date("end", required: false), team: try text("team", required: false), units: units))
        }
        guard problems.isEmpty else { throw Problem.invalidRequest("the \(kind) has problems", errors: problems) }
        return item
    }
}
