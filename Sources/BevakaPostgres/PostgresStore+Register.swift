import BevakaCore
import BevakaStore
import Foundation
import Logging
import PostgresNIO

/// The register (issue 12) on PostgreSQL, with the same checks, words and order as the
/// SQLite store (the rules are BevakaStore's ``RegisterBatch``, ``RegisterPlacement`` and
/// ``RegisterItem/problems(in:)``; here are only the look-ups and the writes).
///
/// Every change to the register holds the register's advisory lock, so that changes
/// made on several nodes are made one at a time, each checked against the register as
/// the one before left it, as SQLite's one writer makes them. A case that names a unit
/// or contract is written holding that lock shared: it is placed (its provider, board
/// and area) by the register as it is when the case commits, and a change to the unit or
/// contract either waits for it or finds it and places it again.
extension PostgresStore: RegisterStore {
    /// The register's advisory lock ("regist" in ASCII).
    static let registerLock: Int64 = 0x72_65_67_69_73_74

    public func putRegisterItems(_ items: [RegisterItem], lines: [String]?, actor: String, dryRun: Bool) async throws -> [RegisterOutcome] {
        let now = self.now()
        return try await perform(nil, notifying: false) { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(\(Self.registerLock))", logger: self.logger)
            // A dry run checks and counts exactly as the real one, then takes it all back.
            if dryRun { try await connection.run("SAVEPOINT dry_run", logger: self.logger) }
            var batch = RegisterBatch(items, lines: lines)
            for index in batch.writingOrder {
                let problems = items[index].problems(in: try await self.facts(for: items[index], on: connection))
                guard problems.isEmpty else {
                    batch.refuse(index, problems)
                    continue
                }
                batch.wrote(index, try await self.write(items[index], actor: actor, now: now, on: connection))
            }
            let outcomes = try batch.result()
            if dryRun { try await connection.run("ROLLBACK TO SAVEPOINT dry_run", logger: self.logger) }
            return (outcomes, [])
        }
    }

    /// What the item's checks need to know of the register.
    private func facts(for item: RegisterItem, on connection: PostgresConnection) async throws -> RegisterFacts {
        var facts = RegisterFacts()
        switch item {
        case .board, .provider:
            break
        case .unit(let unit):
            facts.providerExists = try await provider(unit.provider, on: connection) != nil
            facts.contractsOfOthers = try await connection.rows("""
                SELECT c.id FROM contract_units u JOIN contracts c ON c.id = u.contract_id
                WHERE u.hsa_id = \(unit.hsaId) AND c.provider_id <> \(unit.provider) ORDER BY c.id COLLATE "C"
                """, logger: logger).map { try $0.value("id") }
        case .contract(let contract):
            facts.providerExists = try await provider(contract.provider, on: connection) != nil
            facts.boardExists = try await connection.firstRow("SELECT code FROM boards WHERE code = \(contract.board)", logger: logger) != nil
            for row in try await connection.rows("SELECT hsa_id, provider_id FROM units WHERE hsa_id = ANY(\(contract.units))", logger: logger) {
                facts.unitProviders[try row.value("hsa_id")] = try row.value("provider_id")
            }
        }
        return facts
    }

    /// Writes one checked item and its history row.
    private func write(_ given: RegisterItem, actor: String, now: Date, on connection: PostgresConnection) async throws -> RegisterOutcome.Change {
        let before = try await registerItem(kind: given.kind, key: given.key, on: connection)
        let item = given.keepingCounts(of: before)
        guard before != item else { return .same }
        switch item {
        case .board(let b):
            try await connection.run("""
                INSERT INTO boards (code, name) VALUES (\(b.code), \(b.name)) ON CONFLICT (code) DO UPDATE SET name = excluded.name
                """, logger: logger)
        case .provider(let p):
            try await connection.run("""
                INSERT INTO providers (id, name, provider_group) VALUES (\(p.id), \(p.name), \(p.group))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, provider_group = excluded.provider_group
                """, logger: logger)
        case .unit(let u):
            try await connection.run("""
                INSERT INTO units (hsa_id, name, provider_id) VALUES (\(u.hsaId), \(u.name), \(u.provider))
                ON CONFLICT (hsa_id) DO UPDATE SET name = excluded.name, provider_id = excluded.provider_id
                """, logger: logger)
            try await connection.run("DELETE FROM unit_listed WHERE hsa_id = \(u.hsaId)", logger: logger)
            for count in u.listed {
                try await connection.run("""
                    INSERT INTO unit_listed (hsa_id, from_date, listed) VALUES (\(u.hsaId), \(count.from.description), \(count.listed))
                    """, logger: logger)
            }
        case .contract(let c):
            try await connection.run("""
                INSERT INTO contracts (id, provider_id, area, board, start_date, end_date, team)
                VALUES (\(c.id), \(c.provider), \(c.area), \(c.board), \(c.start.description), \(c.end?.description), \(c.team))
                ON CONFLICT (id) DO UPDATE SET provider_id = excluded.provider_id, area = excluded.area, board = excluded.board,
                    start_date = excluded.start_date, end_date = excluded.end_date, team = excluded.team
                """, logger: logger)
            try await connection.run("DELETE FROM contract_units WHERE contract_id = \(c.id)", logger: logger)
            for unit in c.units {
                try await connection.run("INSERT INTO contract_units (contract_id, hsa_id) VALUES (\(c.id), \(unit))", logger: logger)
            }
        }
        // Cases keep their provider, board and area from their unit and contract.
        switch item {
        case .unit(let u) where before != nil:
            let cases = try await connection.rows("SELECT id FROM cases WHERE unit_id = \(u.hsaId)", logger: logger)
            try await Self.placeInRegister(caseIDs: try cases.map { try $0.value("id") }, on: connection, logger: logger)
        case .contract(let c) where before != nil:
            let cases = try await connection.rows("SELECT id FROM cases WHERE contract_id = \(c.id)", logger: logger)
            try await Self.placeInRegister(caseIDs: try cases.map { try $0.value("id") }, on: connection, logger: logger)
        default:
            break
        }
        let after = try await registerItem(kind: item.kind, key: item.key, on: connection)
        let change: RegisterOutcome.Change = before == nil ? .created : .changed
        try await connection.run("""
            INSERT INTO register_history (at, actor, kind, key, change, before, after)
            VALUES (\(now.millis), \(actor), \(item.kind), \(item.key), \(change.rawValue), \(try before?.json), \(try after?.json))
            """, logger: logger)
        return change
    }

    // MARK: Cases in the register

    /// Sets the cases' provider, board and area from their unit and contract (the
    /// contract's provider first), for the search indexes.
    static func placeInRegister(caseIDs: [String], on connection: PostgresConnection, logger: Logger) async throws {
        guard !caseIDs.isEmpty else { return }
        try await connection.run("""
            UPDATE cases SET
                provider_id = coalesce((SELECT provider_id FROM contracts WHERE id = cases.contract_id),
                                       (SELECT provider_id FROM units WHERE hsa_id = cases.unit_id)),
                board = (SELECT board FROM contracts WHERE id = cases.contract_id),
                area = (SELECT area FROM contracts WHERE id = cases.contract_id)
            WHERE id = ANY(\(caseIDs))
            """, logger: logger)
    }

    /// Checks that the unit and contract a case names exist and fit together, and fills
    /// the workflow's register fields the caller left out.
    func fillingFromRegister(_ given: [String: JSONValue], unit unitID: String?, contract contractID: String?,
                             definition: WorkflowDefinition, today: LocalDate,
                             on connection: PostgresConnection) async throws -> [String: JSONValue] {
        let unit = if let unitID { try await units(where: ("u.hsa_id", unitID), on: connection).first } else { nil as CareUnit? }
        let contract = if let contractID { try await contracts(where: [("c.id", contractID)], on: connection).first } else { nil as Contract? }
        let placement = try RegisterPlacement(unit: unitID, unit, contract: contractID, contract)
        let provider = if let id = placement.providerID { try await provider(id, on: connection) } else { nil as Provider? }
        return placement.filling(given, provider: provider, definition: definition, today: today)
    }

    // MARK: Reading the register

    public func boards() async throws -> [Board] {
        try await client.withBoundedConnection { connection in
            try await connection.rows("SELECT * FROM boards ORDER BY code COLLATE \"C\"", logger: self.logger).map {
                Board(code: try $0.value("code"), name: try $0.value("name"))
            }
        }
    }

    public func providers() async throws -> [Provider] {
        try await client.withBoundedConnection { connection in
            try await connection.rows("SELECT * FROM providers ORDER BY name COLLATE \"C\", id COLLATE \"C\"", logger: self.logger)
                .map(Self.provider(from:))
        }
    }

    public func units(provider: String?) async throws -> [CareUnit] {
        try await client.withBoundedConnection { connection in
            try await self.units(where: provider.map { ("u.provider_id", $0) }, on: connection)
        }
    }

    public func contracts(board: String?, area: String?) async throws -> [Contract] {
        try await client.withBoundedConnection { connection in
            try await self.contracts(where: [board.map { ("c.board", $0) }, area.map { ("c.area", $0) }].compactMap { $0 }, on: connection)
        }
    }

    public func registerItem(kind: String, key: String) async throws -> RegisterItem? {
        try await client.withBoundedConnection { connection in try await self.registerItem(kind: kind, key: key, on: connection) }
    }

    public func registerHistory(kind: String, key: String) async throws -> [RegisterChange] {
        try await client.withBoundedConnection { connection in
            try await connection.rows("""
                SELECT * FROM register_history WHERE kind = \(kind) AND key = \(key) ORDER BY id
                """, logger: self.logger).map { row in
                RegisterChange(at: Date(millis: try row.value("at")), actor: try row.value("actor"), kind: try row.value("kind"),
                               key: try row.value("key"), change: try row.value("change"),
                               before: try row.value("before", as: String?.self).flatMap(JSONValue.parse),
                               after: JSONValue.parse(try row.value("after")) ?? .null)
            }
        }
    }

    private func registerItem(kind: String, key: String, on connection: PostgresConnection) async throws -> RegisterItem? {
        switch kind {
        case "board":
            return try await connection.firstRow("SELECT * FROM boards WHERE code = \(key)", logger: logger).map {
                .board(Board(code: try $0.value("code"), name: try $0.value("name")))
            }
        case "provider":
            return try await provider(key, on: connection).map(RegisterItem.provider)
        case "unit":
            return try await units(where: ("u.hsa_id", key), on: connection).first.map(RegisterItem.unit)
        default:
            return try await contracts(where: [("c.id", key)], on: connection).first.map(RegisterItem.contract)
        }
    }

    private func provider(_ id: String, on connection: PostgresConnection) async throws -> Provider? {
        try await connection.firstRow("SELECT * FROM providers WHERE id = \(id)", logger: logger).map(Self.provider(from:))
    }

    private static func provider(from row: PostgresRandomAccessRow) throws -> Provider {
        Provider(id: try row.value("id"), name: try row.value("name"), group: try row.value("provider_group"))
    }

    /// Units with their listed counts, by name (all of them, or those whose `column` is
    /// `value`), in one statement, so that every unit is read as of one moment.
    private func units(where filter: (column: String, value: String)?, on connection: PostgresConnection) async throws -> [CareUnit] {
        var statement = BoundSQL()
        statement.sql = """
            SELECT u.hsa_id, u.name, u.provider_id, l.from_date, l.listed FROM units u LEFT JOIN unit_listed l ON l.hsa_id = u.hsa_id
            """
        if let filter { statement.sql += " WHERE \(filter.column) = \(try statement.bind(filter.value))" }
        statement.sql += " ORDER BY u.name COLLATE \"C\", u.hsa_id COLLATE \"C\", l.from_date COLLATE \"C\""
        var units: [CareUnit] = []
        for row in try await connection.rows(statement.query, logger: logger) {
            let hsaId: String = try row.value("hsa_id")
            if units.last?.hsaId != hsaId {
                units.append(CareUnit(hsaId: hsaId, name: try row.value("name"), provider: try row.value("provider_id")))
            }
            if let from = try row.value("from_date", as: String?.self).flatMap(LocalDate.init(iso:)),
               let listed = try row.value("listed", as: Int?.self) {
                units[units.count - 1].listed.append(ListedCount(from: from, listed: listed))
            }
        }
        return units
    }

    /// Contracts with their units, by board, area and id (those whose columns have the
    /// values `filters` give), in one statement.
    private func contracts(where filters: [(column: String, value: String)], on connection: PostgresConnection) async throws -> [Contract] {
        var statement = BoundSQL()
        statement.sql = "SELECT c.*, u.hsa_id FROM contracts c LEFT JOIN contract_units u ON u.contract_id = c.id"
        let conditions = try filters.map { "\($0.column) = \(try statement.bind($0.value))" }
        if !conditions.isEmpty { statement.sql += " WHERE " + conditions.joined(separator: " AND ") }
        statement.sql += " ORDER BY c.board COLLATE \"C\", c.area COLLATE \"C\", c.id COLLATE \"C\", u.hsa_id COLLATE \"C\""
        var contracts: [Contract] = []
        for row in try await connection.rows(statement.query, logger: logger) {
            let id: String = try row.value("id")
            if contracts.last?.id != id {
                contracts.append(Contract(
                    id: id, provider: try row.value("provider_id"), area: try row.value("area"), board: try row.value("board"),
                    start: LocalDate(iso: try row.value("start_date")) ?? .distantPast,
                    end: try row.value("end_date", as: String?.self).flatMap(LocalDate.init(iso:)), team: try row.value("team"), units: []))
            }
            if let unit = try row.value("hsa_id", as: String?.self) { contracts[contracts.count - 1].units.append(unit) }
        }
        return contracts
    }

    // MARK: The traffic light

    /// Records the team's assessment of a provider; the history keeps every one, and the
    /// latest (the one written last, under the register's lock) is the current one.
    public func setTrafficLight(provider: String, colour: TrafficLight.Colour, assessedOn: LocalDate, comment: String,
                                actor: String) async throws -> TrafficLight {
        let now = self.now()
        let text = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await perform(nil, notifying: false) { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(\(Self.registerLock))", logger: self.logger)
            let exists = try await self.provider(provider, on: connection) != nil
            let problems = TrafficLight.problems(providerExists: exists, provider: provider, comment: text, assessedOn: assessedOn, now: now)
            guard problems.isEmpty else { throw RegisterProblems(problems) }
            try await connection.run("""
                INSERT INTO traffic_lights (provider_id, colour, assessed_on, comment, actor, at)
                VALUES (\(provider), \(colour.rawValue), \(assessedOn.description), \(text), \(actor), \(now.millis))
                """, logger: self.logger)
            return (TrafficLight(provider: provider, colour: colour, assessedOn: assessedOn, comment: text, actor: actor, at: now), [])
        }
    }

    /// Every assessment of a provider, newest first.
    public func trafficLightHistory(provider: String) async throws -> [TrafficLight] {
        try await client.withBoundedConnection { connection in
            try await connection.rows("SELECT * FROM traffic_lights WHERE provider_id = \(provider) ORDER BY id DESC", logger: self.logger)
                .map(Self.trafficLight(from:))
        }
    }

    /// Each provider's current light, red first, with the red providers of its group: the
    /// providers and their latest assessments read in one statement.
    public func trafficLights() async throws -> [(provider: Provider, light: TrafficLight?, redInGroup: [String])] {
        try await client.withBoundedConnection { connection in
            var providers: [Provider] = []
            var current: [TrafficLight] = []
            for row in try await connection.rows("""
                SELECT p.*, t.provider_id, t.colour, t.assessed_on, t.comment, t.actor, t.at FROM providers p
                LEFT JOIN LATERAL (SELECT * FROM traffic_lights WHERE provider_id = p.id ORDER BY id DESC LIMIT 1) t ON true
                """, logger: self.logger) {
                providers.append(try Self.provider(from: row))
                if try row.value("provider_id", as: String?.self) != nil { current.append(try Self.trafficLight(from: row)) }
            }
            return TrafficLight.overview(providers: providers, current: current)
        }
    }

    private static func trafficLight(from row: PostgresRandomAccessRow) throws -> TrafficLight {
        TrafficLight(provider: try row.value("provider_id"), colour: TrafficLight.Colour(rawValue: try row.value("colour")) ?? .gul,
                     assessedOn: LocalDate(iso: try row.value("assessed_on")) ?? .distantPast, comment: try row.value("comment"),
                     actor: try row.value("actor"), at: Date(millis: try row.value("at")))
    }
}
