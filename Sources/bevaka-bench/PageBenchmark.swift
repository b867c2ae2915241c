import BevakaCore
import BevakaServer
import BevakaStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// `bevaka-bench pages [cases]`: the server time of every page (issue 13, item 6: under
/// 50 ms with 100,000 cases). The cases are the shipped workflows' on a real SQLite file:
/// Kalmar cases waiting for an action plan (two in three) or just registered, and one in
/// fifty a sudden termination with its nine preparation items on finance, communications,
/// the lawyer and the case officer; 100 owners, the bench's register of 60 units. Each page
/// goes through the daemon's router, middleware, handler and template in process (no
/// socket), so what is timed is the server's part.
func pageBenchmark(cases caseCount: Int, only: String?, folder: URL) async throws {
    let store = try CaseStore(path: folder.appendingPathComponent("pages.sqlite").path,
                              catalog: try WorkflowLoader.loadDirectory(workflowsFolder()))
    try await store.putRegister(BenchRegister.items(), actor: "bench")
    let calendar = SwedishCalendar()
    let today = calendar.localDate(of: Date())
    let officer = Actor(name: "bench", role: "handlaggare")
    let start = Date()
    let clients = 64
    let opened = try await withThrowingTaskGroup(of: [String].self) { group in
        for client in 0..<clients {
            group.addTask {
                var ids: [String] = []
                var n = client
                while n < caseCount {
                    let (unit, contract) = BenchRegister.place(n)
                    let owner = "o\(n % 100)"
                    if n % 50 == 0 {
                        let id = try await store.openCase(workflow: "vgr-plotsligt-avslut", owner: owner,
                                                          fields: ["diarienummer": .string("HSN 2026/\(n)")], unit: unit, contract: contract,
                                                          actor: officer).id
                        _ = try await store.applyEvent(caseID: id, event: "forutsettAvslut",
                                                       payload: ["namndmote": .string(today.adding(days: 20 + n % 60).description)],
                                                       reason: nil, actor: officer)
                        ids.append(id)
                    } else {
                        let id = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: owner,
                                                          fields: ["diarienummer": .string("RS 2026/\(n)")], unit: unit, contract: contract,
                                                          actor: officer).id
                        if n % 3 != 0 {
                            _ = try await store.applyEvent(caseID: id, event: "klassificera",
                                                           payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(3)], reason: nil, actor: officer)
                            _ = try await store.applyEvent(caseID: id, event: "skickaBegaranOmRattelse",
                                                           payload: ["begaranSkickad": .string(today.description),
                                                                     "planSenast": .string(today.adding(days: 1 + (n * 7919) % 700).description)],
                                                           reason: nil, actor: officer)
                        }
                        ids.append(id)
                    }
                    n += clients
                }
                return ids
            }
        }
        var all: [String] = []
        for try await ids in group { all += ids }
        return all
    }
    let elapsed = Date().timeIntervalSince(start)
    print(String(format: "pages: %d cases opened and moved on in %.1f s", caseCount, elapsed))

    // The Kalmar case and the termination of owner o7 that the case page shows.
    let kalmar = try await store.listCases({ var f = CaseFilter(); f.owner = "o7"; f.workflow = "kalmar-sanktionstrappa"; f.state = "vantarHandlingsplan"; return f }(),
                                           after: nil, limit: 1)[0].id
    let termination = try await store.listCases({ var f = CaseFilter(); f.workflow = "vgr-plotsligt-avslut"; return f }(), after: nil, limit: 1)[0].id
    _ = opened

    let app = Application(router: APIRouter.build(store: store))
    let year = today.year
    let pages: [(name: String, uri: String, role: String, actor: String)] = [
        ("Mina ärenden (1 000 cases of o7)", "/", "handlaggare", "o7"),
        ("Mina ärenden, Kalmar only", "/?process=kalmar-sanktionstrappa", "handlaggare", "o7"),
        ("Alla ärenden (team lead)", "/?vy=alla", "teamledare", "lead"),
        ("Mina uppgifter (finance)", "/uppgifter", "ekonomi", "eva"),
        ("Mina uppgifter (case officer)", "/uppgifter", "handlaggare", "o7"),
        ("Kalmar case page", "/arenden/\(kalmar)", "handlaggare", "o7"),
        ("Termination case page", "/arenden/\(termination)", "handlaggare", "o0"),
        ("Register", "/register", "handlaggare", "o7"),
        ("Trafikljus", "/trafikljus", "handlaggare", "o7"),
        ("Rapporter (forms)", "/rapporter", "handlaggare", "o7"),
        ("Kalenderlänkar", "/kalender", "handlaggare", "o7"),
        ("Board report, the year (HTML)", "/reports/boards?from=\(year)-01-01&to=\(year)-12-31&format=html", "handlaggare", "o7"),
    ]
    try await app.test(.router) { client in
        for page in pages where only.map({ page.uri.contains($0) }) ?? true {
            var headers = HTTPFields()
            headers[HTTPField.Name("Bevaka-Actor")!] = page.actor
            headers[HTTPField.Name("Bevaka-Role")!] = page.role
            headers[.accept] = "text/html"
            // One request first: the first case page draws its workflow with Graphviz (then cached).
            _ = try await client.execute(uri: page.uri, method: .get, headers: headers) { $0.status }
            var times: [Double] = []
            var bytes = 0
            let rounds = page.uri.hasPrefix("/reports") ? 10 : only == nil ? 100 : 1000
            for _ in 0..<rounds {
                let t0 = Date()
                let (status, size) = try await client.execute(uri: page.uri, method: .get, headers: headers) { ($0.status, $0.body.readableBytes) }
                times.append(Date().timeIntervalSince(t0) * 1000)
                bytes = size
                guard status == .ok else {
                    print("pages: \(page.uri) answered \(status.code)")
                    exit(1)
                }
            }
            times.sort()
            print(String(format: "pages: %-36@ p50 %6.2f ms, p99 %6.2f ms, max %6.2f ms (%d requests, %d kB)",
                         page.name as NSString, percentile(times, 0.5), percentile(times, 0.99), times.last ?? 0, rounds, bytes / 1024))
        }
    }
}

/// The shipped workflows: beside the binary's package (`swift run` from the checkout).
func workflowsFolder() -> String {
    let here = URL(fileURLWithPath: #filePath)
    return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Workflows").path
}
