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
            var batch = RegisterBatch(items, lines: lines)
            for index in batch.writingOrder {
                let problems = items[index].problems(in: try Self.facts(for: items[index], db: db))
                guard problems.isEmpty else {
                    batch.refuse(index, problems)
                    continue
                }
                batch.wrote(index, try Self.write(items[index], db: db, actor: actor, now: now))
            }
            return try batch.result()
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

    /// What the item's checks need to know of the register.
    static func facts(for item: RegisterItem, db: Database) throws -> RegisterFacts {
        var facts = RegisterFacts()
        func exists(_ sql: String, _ key: String) throws -> Bool { try Bool.fetchOne(db, sql: sql, arguments: [key]) == true }
        switch item {
        case .board, .provider:
            break
        case .unit(let unit):
            facts.providerExists = try exists("SELECT 1 FROM providers WHERE id = ?", unit.provider)
            facts.contractsOfOthers = try String.fetchAll(db, sql: """
                SELECT c.id FROM contract_units u JOIN contracts c ON c.id = u.contract_id WHERE u.hsa_id = ? AND c.provider_id <> ?
                """, arguments: [unit.hsaId, unit.provider])
        case .contract(let contract):
            facts.providerExists = try exists("SELECT 1 FROM providers WHERE id = ?", contract.provider)
            facts.boardExists = try exists("SELECT 1 FROM boards WHERE code = ?", contract.board)
            for unit in contract.units {
                facts.unitProviders[unit] = try String.fetchOne(db, sql: "SELECT provider_id FROM units WHERE hsa_id = ?", arguments: [unit])
            }
        }
        return facts
    }

    /// Writes one checked item and its history row.
    static func write(_ given: RegisterItem, db: Database, actor: String, now: Date) throws -> RegisterOutcome.Change {
        let before = try registerItem(kind: given.kind, key: given.key, db: db)
        let item = given.keepingCounts(of: before)
        guard before != item else { return .same }
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
        let change: RegisterOutcome.Change = before == nil ? .created : .changed
        try db.execute(sql: """
            INSERT INTO register_history (at, actor, kind, key, change, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [now.millis, actor, item.kind, item.key, change.rawValue, try before?.json, try after?.json])
        return change
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
        let placement = try RegisterPlacement(unit: unitID, try unitID.flatMap { try Self.unit($0, db: db) },
                                              contract: contractID, try contractID.flatMap { try Self.contract($0, db: db) })
        let provider = try placement.providerID.flatMap { try Row.fetchOne(db, sql: "SELECT * FROM providers WHERE id = ?", arguments: [$0]) }
            .map(providerRow)
        return placement.filling(given, provider: provider, definition: definition, today: today)
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
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM providers WHERE id = ?", arguments: [provider]) == true
            let problems = TrafficLight.problems(providerExists: exists, provider: provider, comment: text, assessedOn: assessedOn, now: now)
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
            return TrafficLight.overview(providers: try Row.fetchAll(db, sql: "SELECT * FROM providers").map(Self.providerRow), current: current)
        }
    }

    static func trafficLightRow(_ row: Row) -> TrafficLight {
        TrafficLight(provider: row["provider_id"], colour: TrafficLight.Colour(rawValue: row["colour"]) ?? .gul,
                     assessedOn: LocalDate(iso: row["assessed_on"]) ?? .distantPast, comment: row["comment"],
                     actor: row["actor"], at: Date(millis: row["at"]))
    }
}
