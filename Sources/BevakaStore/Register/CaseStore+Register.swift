import BevakaCore
import Foundation
import GRDB

/// One thing put into the register, by the API or an import row.
public enum RegisterItem: Sendable, Equatable {
    case board(Board)
    case provider(Provider)
    case unit(CareUnit)
    case contract(Contract)

    public var kind: String {
        switch self { case .board: "board"; case .provider: "provider"; case .unit: "unit"; case .contract: "contract" }
    }
    public var key: String {
        switch self {
        case .board(let b): b.code
        case .provider(let p): p.id
        case .unit(let u): u.hsaId
        case .contract(let c): c.id
        }
    }
    /// Free texts that may be absent (a group, a team).
    var optionalTexts: [String] {
        switch self {
        case .provider(let p): [p.group].compactMap { $0 }
        case .contract(let c): [c.team].compactMap { $0 }
        default: []
        }
    }

    /// Boards, then providers, units and contracts: what a row refers to is written before it.
    var order: Int {
        switch self { case .board: 0; case .provider: 1; case .unit: 2; case .contract: 3 }
    }
}

/// The register (issue 12): boards, providers, units and contracts, kept with the
/// history of every change, and the team's traffic light per provider.
extension CaseStore {
    /// As ``putRegister(_:lines:actor:dryRun:)``, saying what each item did (or would do), in the order given.
    public func putRegisterItems(_ items: [RegisterItem], lines: [String]? = nil, actor: String, dryRun: Bool = false) async throws -> [RegisterOutcome] {
        let now = self.now()
        let work: @Sendable (Database) throws -> [RegisterOutcome] = { db in
            var problems: [String] = []
            var outcomes: [(Int, RegisterOutcome)] = []
            let ordered = items.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }
            for (index, item) in ordered {
                let at = lines.map { "\($0[index]): " } ?? ""
                let itemProblems = try Self.check(item, db: db)
                if !itemProblems.isEmpty {
                    problems += itemProblems.map { at + $0 }
                    continue
                }
                let change = RegisterOutcome.Change(rawValue: try Self.write(item, db: db, actor: actor, now: now)) ?? .same
                outcomes.append((index, RegisterOutcome(item: item, change: change, line: lines?[index])))
            }
            guard problems.isEmpty else { throw RegisterProblems(problems) }
            return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return try await writer.perform { db in
            guard dryRun else { return (try work(db), []) }
            // A dry run checks and counts exactly as the real one, then takes it all back.
            var outcomes: [RegisterOutcome] = []
            try db.inSavepoint {
                outcomes = try work(db)
                return .rollback
            }
            return (outcomes, [])
        }
    }

    static func check(_ item: RegisterItem, db: Database) throws -> [String] {
        var problems: [String] = []
        func present(_ text: String, _ what: String) {
            if text.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(what) is empty") }
            if text.count > 400 { problems.append("\(what) is longer than 400 characters") }
            if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                problems.append("\(what) holds a control character")
            }
        }
        for optional in item.optionalTexts where optional.count > 400 || optional.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append("'\(optional.prefix(40))…' is longer than 400 characters or holds a control character")
        }
        func exists(_ sql: String, _ key: String) throws -> Bool { try Bool.fetchOne(db, sql: sql, arguments: [key]) == true }
        switch item {
        case .board(let board):
            present(board.code, "the board's code"); present(board.name, "the board's name")
        case .provider(let provider):
            present(provider.id, "the provider's id"); present(provider.name, "the provider's name")
        case .unit(let unit):
            present(unit.hsaId, "the unit's HSA-id"); present(unit.name, "the unit's name")
            if try !exists("SELECT 1 FROM providers WHERE id = ?", unit.provider) {
                problems.append("provider: no provider '\(unit.provider.prefix(80))' in the register")
            }
            if let negative = unit.listed.first(where: { $0.listed < 0 || $0.listed > 1_000_000_000_000 }) {
                problems.append("listed: \(negative.listed) is not a number of patients from 0 to 10^12")
            }
            let days = unit.listed.map(\.from)
            for day in Set(days) where days.filter({ $0 == day }).count > 1 {
                problems.append("listed: two counts from \(day); give one count per date")
            }
            // A unit that moves to another provider must leave the contracts of the old one first.
            let listing = try String.fetchAll(db, sql: """
                SELECT c.id FROM contract_units u JOIN contracts c ON c.id = u.contract_id WHERE u.hsa_id = ? AND c.provider_id <> ?
                """, arguments: [unit.hsaId, unit.provider])
            if !listing.isEmpty {
                problems.append("provider: contract \(listing.joined(separator: ", ")) of another provider lists the unit; change the contract first")
            }
        case .contract(let contract):
            present(contract.id, "the contract's id"); present(contract.area, "the contract's area")
            if try !exists("SELECT 1 FROM providers WHERE id = ?", contract.provider) {
                problems.append("provider: no provider '\(contract.provider.prefix(80))' in the register")
            }
            if try !exists("SELECT 1 FROM boards WHERE code = ?", contract.board) {
                problems.append("board: no board '\(contract.board.prefix(80))' in the register")
            }
            if let end = contract.end, end < contract.start { problems.append("end: \(end) is before the start \(contract.start)") }
            for unit in Set(contract.units) where contract.units.filter({ $0 == unit }).count > 1 {
                problems.append("units: '\(unit.prefix(80))' is listed twice")
            }
            for unit in contract.units {
                let owner = try String.fetchOne(db, sql: "SELECT provider_id FROM units WHERE hsa_id = ?", arguments: [unit])
                if owner == nil { problems.append("units: no unit '\(unit.prefix(80))' in the register") }
                else if owner != contract.provider { problems.append("units: '\(unit.prefix(80))' belongs to provider '\(owner!)', not '\(contract.provider)'") }
            }
        }
        return problems
    }

    /// Writes one checked item and its history row; "created", "changed" or "same".
    static func write(_ given: RegisterItem, db: Database, actor: String, now: Date) throws -> String {
        let before = try registerItem(kind: given.kind, key: given.key, db: db)
        // A unit given without counts keeps those it has; one given with counts has exactly those.
        var item = given
        if case .unit(var unit) = given, unit.listed.isEmpty, case .unit(let stored)? = before {
            unit.listed = stored.listed
            item = .unit(unit)
        }
        guard before != item else { return "same" }
        switch item {
        case .board(let b):
            try db.execute(sql: "INSERT INTO boards (code, name) VALUES (?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name",
                           arguments: [b.code, b.name])
        case .provider(let p):
            try db.execute(sql: """
                INSERT INTO providers (id, name, provider_group) VALUES (?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name, provider_group = excluded.provider_group
                """, arguments: [p.id, p.name, p.group])
        case .unit(let u):
            try db.execute(sql: """
                INSERT INTO units (hsa_id, name, provider_id) VALUES (?, ?, ?)
                ON CONFLICT(hsa_id) DO UPDATE SET name = excluded.name, provider_id = excluded.provider_id
                """, arguments: [u.hsaId, u.name, u.provider])
            try db.execute(sql: "DELETE FROM unit_listed WHERE hsa_id = ?", arguments: [u.hsaId])
            for count in u.listed {
                try db.execute(sql: """
                    INSERT INTO unit_listed (hsa_id, from_date, listed) VALUES (?, ?, ?)
                    ON CONFLICT(hsa_id, from_date) DO UPDATE SET listed = excluded.listed
                    """, arguments: [u.hsaId, count.from.description, count.listed])
            }
        case .contract(let c):
            try db.execute(sql: """
                INSERT INTO contracts (id, provider_id, area, board, start_date, end_date, team) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET provider_id = excluded.provider_id, area = excluded.area, board = excluded.board,
                    start_date = excluded.start_date, end_date = excluded.end_date, team = excluded.team
                """, arguments: [c.id, c.provider, c.area, c.board, c.start.description, c.end?.description, c.team])
            try db.execute(sql: "DELETE FROM contract_units WHERE contract_id = ?", arguments: [c.id])
            for unit in c.units {
                try db.execute(sql: "INSERT INTO contract_units (contract_id, hsa_id) VALUES (?, ?)", arguments: [c.id, unit])
            }
        }
        // Cases keep their provider, board and area from their unit and contract.
        switch item {
        case .unit(let u) where before != nil:
            try placeInRegister(caseIDs: try String.fetchAll(db, sql: "SELECT id FROM cases WHERE unit_id = ?", arguments: [u.hsaId]), db: db)
        case .contract(let c) where before != nil:
            try placeInRegister(caseIDs: try String.fetchAll(db, sql: "SELECT id FROM cases WHERE contract_id = ?", arguments: [c.id]), db: db)
        default: break
        }
        let after = try registerItem(kind: item.kind, key: item.key, db: db)
        let change = before == nil ? "created" : "changed"
        try db.execute(sql: """
            INSERT INTO register_history (at, actor, kind, key, change, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [now.millis, actor, item.kind, item.key, change, try before.map(json), try json(after!)])
        return change
    }

    static func json(_ item: RegisterItem) throws -> String {
        switch item {
        case .board(let b): try StoredFields.json(b)
        case .provider(let p): try StoredFields.json(p)
        case .unit(let u): try StoredFields.json(u)
        case .contract(let c): try StoredFields.json(c)
        }
    }

    static func registerItem(kind: String, key: String, db: Database) throws -> RegisterItem? {
        switch kind {
        case "board":
            return try Row.fetchOne(db, sql: "SELECT * FROM boards WHERE code = ?", arguments: [key]).map { .board(Board(code: $0["code"], name: $0["name"])) }
        case "provider":
            return try Row.fetchOne(db, sql: "SELECT * FROM providers WHERE id = ?", arguments: [key]).map(providerRow).map(RegisterItem.provider)
        case "unit":
            return try unit(key, db: db).map(RegisterItem.unit)
        default:
            return try contract(key, db: db).map(RegisterItem.contract)
        }
    }

    static func providerRow(_ row: Row) -> Provider { Provider(id: row["id"], name: row["name"], group: row["provider_group"]) }

    static func unit(_ hsaId: String, db: Database) throws -> CareUnit? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM units WHERE hsa_id = ?", arguments: [hsaId]) else { return nil }
        let listed = try Row.fetchAll(db, sql: "SELECT from_date, listed FROM unit_listed WHERE hsa_id = ? ORDER BY from_date", arguments: [hsaId])
            .compactMap { row in LocalDate(iso: row["from_date"]).map { ListedCount(from: $0, listed: row["listed"]) } }
        return CareUnit(hsaId: row["hsa_id"], name: row["name"], provider: row["provider_id"], listed: listed)
    }

    static func contract(_ id: String, db: Database) throws -> Contract? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM contracts WHERE id = ?", arguments: [id]) else { return nil }
        return try contractRow(row, db: db)
    }

    static func contractRow(_ row: Row, db: Database) throws -> Contract {
        let units = try String.fetchAll(db, sql: "SELECT hsa_id FROM contract_units WHERE contract_id = ? ORDER BY hsa_id", arguments: [row["id"] as String])
        return Contract(id: row["id"], provider: row["provider_id"], area: row["area"], board: row["board"],
                        start: LocalDate(iso: row["start_date"]) ?? .distantPast, end: (row["end_date"] as String?).flatMap(LocalDate.init(iso:)),
                        team: row["team"], units: units)
    }

    // MARK: Cases in the register

    /// Sets the cases' provider, board and area from their unit and contract (the
    /// contract's provider first), for the search indexes.
    static func placeInRegister(caseIDs: [String], db: Database) throws {
        for id in caseIDs {
            try db.execute(sql: """
                UPDATE cases SET
                    provider_id = coalesce((SELECT provider_id FROM contracts WHERE id = cases.contract_id),
                                           (SELECT provider_id FROM units WHERE hsa_id = cases.unit_id)),
                    board = (SELECT board FROM contracts WHERE id = cases.contract_id),
                    area = (SELECT area FROM contracts WHERE id = cases.contract_id)
                WHERE id = ?
                """, arguments: [id])
        }
    }

    /// Checks that the unit and contract a case names exist and fit together, and fills
    /// the workflow's register fields the caller left out.
    static func fillingFromRegister(_ given: [String: JSONValue], unit unitID: String?, contract contractID: String?,
                                    definition: WorkflowDefinition, db: Database, today: LocalDate) throws -> [String: JSONValue] {
        var problems: [String] = []
        let unit = try unitID.flatMap { try Self.unit($0, db: db) }
        if let unitID, unit == nil { problems.append("unit: no unit '\(unitID.prefix(80))' in the register") }
        let contract = try contractID.flatMap { try Self.contract($0, db: db) }
        if let contractID, contract == nil { problems.append("contract: no contract '\(contractID.prefix(80))' in the register") }
        if let unit, let contract, unit.provider != contract.provider || !(contract.units.isEmpty || contract.units.contains(unit.hsaId)) {
            problems.append("unit: '\(unit.hsaId)' is not one of the units of contract '\(contract.id)'")
        }
        guard problems.isEmpty else { throw RegisterProblems(problems) }
        var fields = given
        func fill(_ name: String, _ value: JSONValue?) {
            guard fields[name] == nil, let value, definition.field(name) != nil else { return }
            fields[name] = value
        }
        let providerID = unit?.provider ?? contract?.provider
        let provider = try providerID.flatMap { try Row.fetchOne(db, sql: "SELECT * FROM providers WHERE id = ?", arguments: [$0]) }.map(providerRow)
        fill("enhet", unit.map { .string($0.name) })
        fill("vardgivare", provider.map { .string($0.name) })
        fill("avtalsomrade", contract.map { .string($0.area) })
        if definition.field("listade")?.type == .integer { fill("listade", unit?.listed(on: today).map(JSONValue.int)) }
        return fields
    }

    // MARK: Reading the register

    public func boards() async throws -> [Board] {
        try await database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM boards ORDER BY code").map { Board(code: $0["code"], name: $0["name"]) } }
    }

    public func providers() async throws -> [Provider] {
        try await database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM providers ORDER BY name, id").map(Self.providerRow) }
    }

    public func units(provider: String? = nil) async throws -> [CareUnit] {
        try await database.read { db in
            let ids = try String.fetchAll(db, sql: "SELECT hsa_id FROM units WHERE ?1 IS NULL OR provider_id = ?1 ORDER BY name, hsa_id",
                                          arguments: [provider])
            return try ids.compactMap { try Self.unit($0, db: db) }
        }
    }

    public func contracts(board: String? = nil, area: String? = nil) async throws -> [Contract] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM contracts WHERE (?1 IS NULL OR board = ?1) AND (?2 IS NULL OR area = ?2) ORDER BY board, area, id
                """, arguments: [board, area]).map { try Self.contractRow($0, db: db) }
        }
    }

    public func registerItem(kind: String, key: String) async throws -> RegisterItem? {
        try await database.read { db in try Self.registerItem(kind: kind, key: key, db: db) }
    }

    public func registerHistory(kind: String, key: String) async throws -> [RegisterChange] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM register_history WHERE kind = ? AND key = ? ORDER BY id", arguments: [kind, key]).map { row in
                RegisterChange(at: Date(millis: row["at"]), actor: row["actor"], kind: row["kind"], key: row["key"], change: row["change"],
                               before: (row["before"] as String?).flatMap(JSONValue.parse), after: JSONValue.parse(row["after"]) ?? .null)
            }
        }
    }

    // MARK: The traffic light

    /// Records the team's assessment of a provider; the history keeps every one.
    public func setTrafficLight(provider: String, colour: TrafficLight.Colour, assessedOn: LocalDate, comment: String,
                                actor: String) async throws -> TrafficLight {
        let now = self.now()
        let text = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await writer.perform { db in
            var problems: [String] = []
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM providers WHERE id = ?", arguments: [provider]) != true {
                problems.append("provider: no provider '\(provider.prefix(80))' in the register")
            }
            if text.isEmpty { problems.append("comment: the assessment needs a comment that says why") }
            if assessedOn > SwedishCalendar().localDate(of: now) { problems.append("assessedOn: \(assessedOn) is in the future") }
            guard problems.isEmpty else { throw RegisterProblems(problems) }
            try db.execute(sql: """
                INSERT INTO traffic_lights (provider_id, colour, assessed_on, comment, actor, at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [provider, colour.rawValue, assessedOn.description, text, actor, now.millis])
            return (TrafficLight(provider: provider, colour: colour, assessedOn: assessedOn, comment: text, actor: actor, at: now), [])
        }
    }

    /// Every assessment of a provider, newest first.
    public func trafficLightHistory(provider: String) async throws -> [TrafficLight] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM traffic_lights WHERE provider_id = ? ORDER BY id DESC", arguments: [provider]).map(Self.trafficLightRow)
        }
    }

    /// Each provider's current light (nil: not assessed), red first, with the red
    /// providers of its group that ask for a look at it (seed 000 ch. 2).
    public func trafficLights() async throws -> [(provider: Provider, light: TrafficLight?, redInGroup: [String])] {
        try await database.read { db in
            let current = try Row.fetchAll(db, sql: """
                SELECT t.* FROM traffic_lights t
                WHERE t.id = (SELECT max(id) FROM traffic_lights WHERE provider_id = t.provider_id)
                """).map(Self.trafficLightRow)
            let lights = Dictionary(uniqueKeysWithValues: current.map { ($0.provider, $0) })
            let providers = try Row.fetchAll(db, sql: "SELECT * FROM providers").map(Self.providerRow)
            var redByGroup: [String: [String]] = [:]
            for provider in providers where lights[provider.id]?.colour == .rod {
                if let group = provider.group { redByGroup[group, default: []].append(provider.id) }
            }
            let rank: [TrafficLight.Colour?: Int] = [.rod: 0, .gul: 1, .gron: 2, nil: 3]
            return providers.map { provider in
                (provider, lights[provider.id], provider.group.map { redByGroup[$0, default: []].filter { $0 != provider.id }.sorted() } ?? [])
            }.sorted { (rank[$0.light?.colour] ?? 3, $0.provider.name) < (rank[$1.light?.colour] ?? 3, $1.provider.name) }
        }
    }

    static func trafficLightRow(_ row: Row) -> TrafficLight {
        TrafficLight(provider: row["provider_id"], colour: TrafficLight.Colour(rawValue: row["colour"]) ?? .gul,
                     assessedOn: LocalDate(iso: row["assessed_on"]) ?? .distantPast, comment: row["comment"],
                     actor: row["actor"], at: Date(millis: row["at"]))
    }
}
