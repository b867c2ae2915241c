import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import GRDB
import Testing

/// The register (issue 12) on both stores: what it refuses and keeps, how it is read, the
/// traffic light, and the cases that name a unit and contract.
@Suite struct RegisterStoreTests {
    typealias RegisterCaseStore = RegisterStore & CoreStore

    let folder: TemporaryFolder
    let clock = ManualClock(local("2026-12-01T09:00"))
    let catalog: WorkflowCatalog
    let day = LocalDate(iso: "2026-01-01")!

    init() throws {
        folder = try TemporaryFolder()
        catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
    }

    /// A store on `place`'s data (a second call: the file reopened, or another node).
    func open(_ place: StorePlace) async throws -> any RegisterCaseStore {
        let clock = self.clock
        return try await place.open(catalog, as: (any RegisterCaseStore).self, now: { clock.now })
    }

    /// Two boards, two providers of one group, their units and a contract each.
    var register: [RegisterItem] {
        [
            .contract(Contract(id: "C2", provider: "P2", area: "LOU", board: "HSS", start: day, end: LocalDate(iso: "2026-12-31"), team: "Team Syd",
                               units: ["U2"])),
            .unit(CareUnit(hsaId: "U2", name: "VC Två", provider: "P2")),
            .board(Board(code: "HSS", name: "Hälso- och sjukvårdsstyrelsen")),
            .board(Board(code: "HSNV", name: "Hälso- och sjukvårdsnämnden väster")),
            .provider(Provider(id: "P1", name: "Ett AB", group: "Nordhälsan")),
            .provider(Provider(id: "P2", name: "Två AB", group: "Nordhälsan")),
            .unit(CareUnit(hsaId: "U1", name: "VC Ett", provider: "P1",
                           listed: [ListedCount(from: day, listed: 5000), ListedCount(from: LocalDate(iso: "2026-06-01")!, listed: 5200)])),
            .unit(CareUnit(hsaId: "U1b", name: "BVC Ett", provider: "P1")),
            .contract(Contract(id: "C1", provider: "P1", area: "VV Vårdcentral", board: "HSNV", start: day, end: nil, team: nil, units: ["U1", "U1b"])),
        ]
    }

    /// What the register refuses, all of it at once and nothing written; what a change keeps.
    @Test(arguments: StoreKind.allCases) func theRegisterRefusesWhatWouldMakeItWrong(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        try await store.putRegister([
            .board(Board(code: "HSNV", name: "HSNV")),
            .provider(Provider(id: "P1", name: "Ett AB", group: nil)), .provider(Provider(id: "P2", name: "Två AB", group: nil)),
            .unit(CareUnit(hsaId: "U1", name: "VC Ett", provider: "P1", listed: [ListedCount(from: day, listed: 5000)])),
            .contract(Contract(id: "C1", provider: "P1", area: "VV Vårdcentral", board: "HSNV", start: day, end: nil, team: nil, units: ["U1"])),
        ], actor: "test")
        await #expect {
            try await store.putRegister([
                .contract(Contract(id: "C2", provider: "P1", area: "LOU", board: "HSNX", start: day, end: nil, team: nil, units: ["U1", "U1"])),
                .unit(CareUnit(hsaId: "U2", name: "VC Två", provider: "P2",
                               listed: [ListedCount(from: day, listed: 1), ListedCount(from: day, listed: 2)])),
                .unit(CareUnit(hsaId: "U1", name: "VC Ett", provider: "P2")),
                .provider(Provider(id: "P3", name: "Tre\u{0}AB", group: nil)),
            ], actor: "test")
        } throws: { error in
            let problems = (error as? RegisterProblems)?.problems ?? []
            return problems.contains("board: no board 'HSNX' in the register") && problems.contains("units: 'U1' is listed twice")
                && problems.contains("listed: two counts from 2026-01-01; give one count per date")
                && problems.contains("provider: contract C1 of another provider lists the unit; change the contract first")
                && problems.contains("the provider's name holds a control character")
        }
        let contractCount = try await store.contracts().count
        let providerCount = try await store.providers().count
        #expect(contractCount == 1 && providerCount == 2)
        // A unit changed without counts keeps them; history says what changed.
        let counts = try await store.putRegister([.unit(CareUnit(hsaId: "U1", name: "Vårdcentralen Ett", provider: "P1"))], actor: "test")
        #expect(counts.changed == 1)
        #expect(try await store.units().first?.listed == [ListedCount(from: day, listed: 5000)])
        let history = try await store.registerHistory(kind: "unit", key: "U1")
        #expect(history.map(\.change) == ["created", "changed"])
        let same = try await store.putRegister([.unit(CareUnit(hsaId: "U1", name: "Vårdcentralen Ett", provider: "P1"))], actor: "test")
        #expect(same.changed == 0)
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func aDryRunSaysWhatEachItemWouldDoAndWritesNothing(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let lines = register.indices.map { "line \($0 + 2)" }
        let dry = try await store.putRegisterItems(register, lines: lines, actor: "anna", dryRun: true)
        #expect(dry.map(\.item) == register, "in the order given")
        #expect(dry.map(\.line) == lines && dry.allSatisfy { $0.change == .created })
        #expect(try await store.boards().isEmpty)
        #expect(try await store.units().isEmpty)
        #expect(try await store.registerHistory(kind: "board", key: "HSS").isEmpty)

        #expect(try await store.putRegisterItems(register, lines: lines, actor: "anna", dryRun: false) == dry)
        var changed = register
        changed[5] = .provider(Provider(id: "P2", name: "Två och Tre AB", group: nil))
        let again = try await store.putRegisterItems(changed, lines: nil, actor: "bo", dryRun: true)
        #expect(again.map(\.change) == [.same, .same, .same, .same, .same, .changed, .same, .same, .same])
        #expect(try await store.providers().last?.name == "Två AB")
        #expect(try await store.putRegister(changed, actor: "bo") == (created: 0, changed: 1))
        let history = try await store.registerHistory(kind: "provider", key: "P2")
        #expect(history.map(\.actor) == ["anna", "bo"] && history.map(\.at) == [clock.now, clock.now])
        #expect(history[1].before == .object(["group": .string("Nordhälsan"), "id": .string("P2"), "name": .string("Två AB")]))
        #expect(history[1].after == .object(["id": .string("P2"), "name": .string("Två och Tre AB")]))

        // One bad row: every problem under its line, nothing written, not even by a dry run.
        let bad: [RegisterItem] = [.provider(Provider(id: "P9", name: "Nio AB", group: nil)),
                                   .unit(CareUnit(hsaId: "U9", name: " ", provider: "P8"))]
        for dryRun in [true, false] {
            await #expect {
                try await store.putRegisterItems(bad, lines: ["line 2", "line 3"], actor: "bo", dryRun: dryRun)
            } throws: { error in
                (error as? RegisterProblems)?.problems == ["line 3: the unit's name is empty", "line 3: provider: no provider 'P8' in the register"]
            }
        }
        #expect(try await store.registerItem(kind: "provider", key: "P9") == nil)
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func theRegisterIsReadInOrder(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        try await store.putRegister(register, actor: "anna")
        #expect(try await store.boards().map(\.code) == ["HSNV", "HSS"])
        #expect(try await store.providers().map(\.id) == ["P1", "P2"])
        #expect(try await store.units().map(\.hsaId) == ["U1b", "U1", "U2"], "by name: BVC Ett, VC Ett, VC Två")
        #expect(try await store.units(provider: "P1").map(\.hsaId) == ["U1b", "U1"])
        #expect(try await store.units(provider: "P1").last?.listed.map(\.listed) == [5000, 5200], "by date")
        #expect(try await store.contracts().map(\.id) == ["C1", "C2"])
        #expect(try await store.contracts(board: "HSS", area: nil).map(\.id) == ["C2"])
        #expect(try await store.contracts(board: "HSNV", area: "LOU").isEmpty)
        #expect(try await store.contracts(board: nil, area: "VV Vårdcentral").first?.units == ["U1", "U1b"])
        #expect(try await store.registerItem(kind: "contract", key: "C2") == register[0])
        #expect(try await store.registerItem(kind: "unit", key: "U2") == register[1])
        #expect(try await store.registerItem(kind: "board", key: "HSS") == register[2])
        #expect(try await store.registerItem(kind: "provider", key: "P1") == register[4])
        #expect(try await store.registerItem(kind: "unit", key: "U9") == nil)
        #expect(try await open(place).registerHistory(kind: "contract", key: "C1").map(\.change) == ["created"])
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func theTrafficLightIsAnAppendOnlyHistoryPerProvider(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        try await store.putRegister(register + [.provider(Provider(id: "P3", name: "Alfa AB", group: nil)),
                                                .provider(Provider(id: "P4", name: "Alfa AB", group: nil))], actor: "anna")
        let assessed = LocalDate(iso: "2026-11-30")!
        _ = try await store.setTrafficLight(provider: "P2", colour: .gron, assessedOn: assessed, comment: "Bra", actor: "anna")
        clock.set(clock.now.addingTimeInterval(60))
        let red = try await store.setTrafficLight(provider: "P2", colour: .rod, assessedOn: assessed, comment: "  Brister i journalen \n", actor: "bo")
        #expect(red == TrafficLight(provider: "P2", colour: .rod, assessedOn: assessed, comment: "Brister i journalen", actor: "bo", at: clock.now))
        _ = try await store.setTrafficLight(provider: "P1", colour: .gul, assessedOn: assessed, comment: "Följs upp", actor: "anna")
        #expect(try await store.trafficLightHistory(provider: "P2").map(\.colour) == [.rod, .gron], "newest first")
        let lights = try await store.trafficLights()
        #expect(lights.map(\.provider.id) == ["P2", "P1", "P3", "P4"], "red, yellow, then not assessed, by name and id")
        #expect(lights.map(\.light?.colour) == [.rod, .gul, nil, nil])
        #expect(lights.map(\.redInGroup) == [[], ["P2"], [], []])
        await #expect {
            try await store.setTrafficLight(provider: "P9", colour: .gul, assessedOn: LocalDate(iso: "2026-12-02")!, comment: " ", actor: "bo")
        } throws: { error in
            (error as? RegisterProblems)?.problems == ["provider: no provider 'P9' in the register",
                                                       "comment: the assessment needs a comment that says why",
                                                       "assessedOn: 2026-12-02 is in the future"]
        }
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: folder.path("bevaka.sqlite"))
            for refused in ["UPDATE traffic_lights SET colour = 'gron'", "DELETE FROM register_history"] {
                await #expect(throws: DatabaseError.self) { try await queue.write { try $0.execute(sql: refused) } }
            }
        case .postgres:
            for refused in ["UPDATE traffic_lights SET colour = 'gron'", "DELETE FROM traffic_lights", "TRUNCATE traffic_lights CASCADE",
                            "UPDATE register_history SET actor = 'x'", "DELETE FROM register_history", "TRUNCATE register_history"] {
                await #expect(throws: (any Error).self) { try await place.execute(refused) }
            }
        }
        #expect(try await store.trafficLightHistory(provider: "P2").count == 2)
        await place.close()
    }

    /// The provider, board and area the store keeps beside a case's unit and contract, for the search indexes.
    func placement(of caseID: String, _ place: StorePlace) async throws -> [String?] {
        try await place.firstRow("SELECT provider_id, board, area FROM cases WHERE id = '\(caseID)'")
    }

    @Test(arguments: StoreKind.allCases) func aCaseTakesItsFieldsAndPlaceFromTheRegister(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        try await store.putRegister(register, actor: "anna")
        let kalmar = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna", fields: [:], unit: "U1", actor: officer)
        #expect(kalmar.unit == "U1" && kalmar.contract == nil)
        #expect(kalmar.fields["enhet"] == .string("VC Ett") && kalmar.fields["listade"] == .integer(5200), "the count today")
        #expect(try await placement(of: kalmar.id, place) == ["P1", nil, nil])
        let indication = try await store.openCase(workflow: "vgr-indikation-avvikelse", owner: "anna",
                                                  fields: ["kalla": .string("tips"), "enhet": .string("Filialen")],
                                                  unit: "U1b", contract: "C1", actor: officer)
        #expect(indication.fields["enhet"] == .string("Filialen"), "what the caller gave is kept")
        #expect(indication.fields["vardgivare"] == .string("Ett AB") && indication.fields["avtalsomrade"] == .string("VV Vårdcentral"))
        #expect(try await store.caseRecord(id: indication.id) == indication)
        #expect(try await placement(of: indication.id, place) == ["P1", "HSNV", "VV Vårdcentral"])

        let refusals: [(unit: String?, contract: String, problem: String)] = [
            ("U9", "C1", "unit: no unit 'U9' in the register"), ("U2", "C1", "unit: 'U2' is not one of the units of contract 'C1'"),
            (nil, "C9", "contract: no contract 'C9' in the register"),
        ]
        for (unit, contract, problem) in refusals {
            await #expect {
                try await store.openCase(workflow: "vgr-indikation-avvikelse", owner: "anna", fields: ["kalla": .string("tips")],
                                         unit: unit, contract: contract, actor: officer)
            } throws: { error in
                (error as? RegisterProblems)?.problems == [problem]
            }
        }
        // A contract that moves to another board and area takes its cases with it.
        try await store.putRegister([.contract(Contract(id: "C1", provider: "P1", area: "LOU", board: "HSS", start: day, end: nil, team: nil,
                                                        units: ["U1", "U1b"]))], actor: "anna")
        #expect(try await placement(of: indication.id, place) == ["P1", "HSS", "LOU"])
        #expect(try await placement(of: kalmar.id, place) == ["P1", nil, nil])
        await place.close()
    }

    @Test(arguments: StoreKind.allCases) func importedCasesJoinTheRegister(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        try await store.putRegister(register, actor: "anna")
        func row(unit: String) -> ImportedCase {
            var row = ImportedCase(owner: "anna", state: "vantarHandlingsplan", enteredAt: local("2026-05-20T09:00"),
                                   fields: ["niva": .string("gul"), "sanktionsniva": .string("ingen"), "begaranSkickad": .string("2026-05-20"),
                                            "planSenast": .string("2099-12-10")], firePast: false)
            row.unit = unit
            row.contract = "C1"
            return row
        }
        await #expect {
            try await store.importCases([(line: 2, workflow: "kalmar-sanktionstrappa", row: row(unit: "U1")),
                                         (line: 3, workflow: "kalmar-sanktionstrappa", row: row(unit: "U9"))], actor: officer, dryRun: false)
        } throws: { error in
            (error as? ImportProblems)?.problems == ["line 3: unit: no unit 'U9' in the register"]
        }
        let imported = try #require(try await store.importCases([(line: 2, workflow: "kalmar-sanktionstrappa", row: row(unit: "U1"))],
                                                                actor: officer, dryRun: false).first)
        #expect(imported.unit == "U1" && imported.contract == "C1")
        #expect(imported.fields["enhet"] == .string("VC Ett"))
        #expect(imported.fields["listade"] == .integer(5000), "the count that held when the case entered its state")
        #expect(try await store.caseRecord(id: imported.id) == imported)
        #expect(try await placement(of: imported.id, place) == ["P1", "HSNV", "VV Vårdcentral"])
        await place.close()
    }

    /// On PostgreSQL the changes are spread over two nodes: the register's lock makes them one
    /// at a time, each checked against the register the one before left.
    @Test(arguments: StoreKind.allCases) func changesMadeAtOnceAreMadeOneAtATime(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: folder)
        let store = try await open(place)
        let nodes = kind == .postgres ? [store, try await open(place)] : [store]
        try await store.putRegister(register, actor: "anna")
        let day = self.day
        let opened = try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<16 {
                let node = nodes[i % nodes.count]
                group.addTask {
                    if i % 4 == 0 {
                        try await node.putRegister([.provider(Provider(id: "P5", name: "Fem AB", group: nil)),
                                                    .contract(Contract(id: "C1", provider: "P1", area: "Area \(i)", board: i % 8 == 0 ? "HSS" : "HSNV",
                                                                       start: day, end: nil, team: nil, units: ["U1", "U1b"]))],
                                                   actor: "node \(i)")
                        return nil
                    }
                    return try await node.openCase(workflow: "vgr-indikation-avvikelse", owner: "anna", fields: ["kalla": .string("tips")],
                                                   unit: "U1", contract: "C1", actor: officer).id
                }
            }
            return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(try await store.registerHistory(kind: "provider", key: "P5").map(\.change) == ["created"])
        #expect(try await store.registerHistory(kind: "contract", key: "C1").count == 5)
        let contract = try #require(try await store.contracts().first { $0.id == "C1" })
        for id in opened {
            #expect(try await placement(of: id, place) == ["P1", contract.board, contract.area])
        }
        await place.close()
    }
}
