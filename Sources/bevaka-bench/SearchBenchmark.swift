import BevakaCore
import BevakaStore
import Foundation

/// `bevaka-bench search [cases]`: how fast the case list answers the searches of issue 12
/// over many cases (default 100 000) spread over a register of 60 units and 40 contracts:
/// by unit in due order, by a typed field's value, by board, by text, each a page of 50.
func searchBenchmark(cases caseCount: Int, folder: URL) async throws {
    let workflow = """
        workflow: search
        version: 1
        title: Search
        roles: { officer: Officer }
        fields: { ref: { type: string }, enhet: { type: string }, dueOn: { type: date } }
        events: { expire: {} }
        states:
          waiting:
            initial: true
            deadlines: { due: { at: dueOn, raises: expire } }
            on: { expire: done }
          done: { final: true }

        """
    try workflow.write(to: folder.appendingPathComponent("search.yaml"), atomically: true, encoding: .utf8)
    let catalog = try WorkflowLoader.loadDirectory(folder.path)
    let store = try CaseStore(path: folder.appendingPathComponent("search.sqlite").path, catalog: catalog)
    try await store.putRegister(BenchRegister.items(), actor: "bench")
    let officer = Actor(name: "bench", role: "officer")
    var start = Date()
    let clients = 64
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<clients {
            group.addTask {
                var n = client
                while n < caseCount {
                    let (unit, contract) = BenchRegister.place(n)
                    let due = LocalDate(iso: "2027-01-01")!.adding(days: (n * 7919) % 700)
                    _ = try await store.openCase(workflow: "search", owner: "o\(n % 50)",
                                                 fields: ["ref": .string("REF-\(n)"), "dueOn": .string(due.description)],
                                                 unit: unit, contract: contract, actor: officer)
                    n += clients
                }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = Date().timeIntervalSince(start)
    print(String(format: "search: %d cases opened with unit and contract in %.1f s = %.0f cases/s", caseCount, elapsed, Double(caseCount) / elapsed))

    func measure(_ name: String, rounds: Int = 200, _ filter: (Int) -> CaseFilter, expect: (Int) -> Int?) async throws {
        var times: [Double] = []
        for round in 0..<rounds {
            let query = filter(round)
            let t0 = Date()
            let page = try await store.listCasesWithCursors(query, after: nil, limit: 50)
            times.append(Date().timeIntervalSince(t0) * 1000)
            if let count = expect(round), page.count != count {
                print("search: \(name) returned \(page.count) cases, expected \(count)")
                exit(1)
            }
        }
        times.sort()
        print(String(format: "search: %-34@ p50 %6.2f ms, p99 %6.2f ms, max %6.2f ms (%d queries, pages of 50)",
                     name as NSString, percentile(times, 0.5), percentile(times, 0.99), times.last ?? 0, rounds))
    }
    start = Date()
    try await measure("by unit, in due order", { round in
        var filter = CaseFilter(); filter.unit = "U\(round % 60)"; filter.order = .due; return filter
    }, expect: { _ in 50 })
    try await measure("by a typed field (ref = REF-n)", { round in
        var filter = CaseFilter(); filter.fields["ref"] = "REF-\((round * 487) % caseCount)"; return filter
    }, expect: { _ in 1 })
    try await measure("by board, in due order", { round in
        var filter = CaseFilter(); filter.board = ["HSNV", "HSNS", "HSS"][round % 3]; filter.order = .due; return filter
    }, expect: { _ in 50 })
    try await measure("by provider and state", { round in
        var filter = CaseFilter(); filter.provider = "P\(round % 20)"; filter.state = "waiting"; return filter
    }, expect: { _ in 50 })
    try await measure("all, in due order", { _ in
        var filter = CaseFilter(); filter.order = .due; return filter
    }, expect: { _ in 50 })
    try await measure("text in a field (REF-12345…)", rounds: 20, { round in
        var filter = CaseFilter(); filter.text = "REF-1234\(round % 10)"; return filter
    }, expect: { _ in nil })
}

/// The register the benchmarks share: 3 boards, 20 providers, 60 units, 40 contracts.
enum BenchRegister {
    static func items() -> [RegisterItem] {
        var items: [RegisterItem] = ["HSNV", "HSNS", "HSS"].map { .board(Board(code: $0, name: $0)) }
        for p in 0..<20 { items.append(.provider(Provider(id: "P\(p)", name: "Vårdgivare \(p)", group: nil))) }
        for u in 0..<60 {
            items.append(.unit(CareUnit(hsaId: "U\(u)", name: "Vårdcentralen \(u)", provider: "P\(u / 3)",
                                        listed: [ListedCount(from: LocalDate(iso: "2024-01-01")!, listed: 5000 + 100 * u)])))
        }
        for c in 0..<40 {
            items.append(.contract(Contract(id: "C\(c)", provider: "P\(c / 2)", area: c % 2 == 0 ? "VV Vårdcentral" : "LOU",
                                            board: ["HSNV", "HSNS", "HSS"][(c / 2) % 3], start: LocalDate(iso: "2024-01-01")!, end: nil,
                                            team: nil, units: c % 2 == 0 ? ["U\(3 * (c / 2))", "U\(3 * (c / 2) + 1)"] : ["U\(3 * (c / 2) + 2)"])))
        }
        return items
    }

    /// The n-th case's unit and contract: spread evenly over the contracts.
    static func place(_ n: Int) -> (unit: String, contract: String) {
        let c = n % 40
        return (c % 2 == 0 ? "U\(3 * (c / 2) + (n / 40) % 2)" : "U\(3 * (c / 2) + 2)", "C\(c)")
    }
}
