import BevakaCore
import BevakaServer
import BevakaStore
import Foundation

// Benchmarks for the claims in ARCHITECTURE.md, on a real SQLite file:
//   1. write throughput and latency through the one group-commit writer,
//   2. timers fired per second when a restarted daemon catches up,
//   3. resident memory with many pending timers (the TimerService keeps a window).
// Usage: swift run -c release bevaka-bench [cases] [concurrency] [events-per-client]
//        swift run -c release bevaka-bench search [cases]   (issue 12's searches, default 100 000 cases)
//        swift run -c release bevaka-bench goals [deadlines] [B1…B6]  (issue 14's goals beside raw SQLite, default 1 000 000)
//        swift run -c release bevaka-bench nodes [cases]  (issue 15: events/s and expiries/s on SQLite and PostgreSQL
//                                                         with 1, 2, 3 nodes, default 20 000 cases; needs Debian's postgresql)
//        swift run -c release bevaka-bench pages [cases] [path]  (issue 13's pages' server time, default 100 000 cases;
//                                                              with a path part, only the pages whose path holds it)

if let named = CommandLine.arguments.dropFirst().first, ["search", "pages", "goals", "nodes"].contains(named) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-\(named)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let cases = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 100_000
    let only = CommandLine.arguments.dropFirst(3).first
    switch named {
    case "search": try await searchBenchmark(cases: cases, folder: folder)
    case "pages": try await pageBenchmark(cases: cases, only: only, folder: folder)
    case "nodes": try await nodesBenchmark(cases: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 20_000, folder: folder)
    default: try await goalsBenchmark(deadlines: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 1_000_000, only: only, folder: folder)
    }
    exit(0)
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let caseCount = arguments.count > 0 ? arguments[0] : 20_000
let concurrency = arguments.count > 1 ? arguments[1] : 64
let eventsPerClient = arguments.count > 2 ? arguments[2] : 100

let workflow = benchWorkflow(name: "bench", deadline: "due: { at: dueOn, remind: [P1D], notify: [{ to: [owner] }], raises: expire }")

/// Resident memory of this process, or of the process `pid`, from `/proc`.
func residentMegabytes(pid: String = "self") -> Double {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kb / 1024
}

/// Runs `calls(client, timed)` on `clients` concurrent tasks, where each call wrapped in
/// `timed` has its latency recorded; returns every latency in milliseconds, sorted.
func concurrentLatencies(
    clients: Int,
    _ calls: @escaping @Sendable (_ client: Int, _ timed: (() async throws -> Void) async throws -> Void) async throws -> Void
) async throws -> [Double] {
    try await withThrowingTaskGroup(of: [Double].self) { group in
        for client in 0..<clients {
            group.addTask {
                var times: [Double] = []
                try await calls(client) { call in
                    let t0 = Date()
                    try await call()
                    times.append(Date().timeIntervalSince(t0) * 1000)
                }
                return times
            }
        }
        var all: [Double] = []
        for try await times in group { all += times }
        return all.sorted()
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
try workflow.write(to: folder.appendingPathComponent("bench.yaml"), atomically: true, encoding: .utf8)
let catalog = try WorkflowLoader.loadDirectory(folder.path)
let database = folder.appendingPathComponent("bench.sqlite").path
let officer = Actor(name: "bench", role: "officer")
let farFuture = "2030-01-01"

print("bevaka-bench: \(caseCount) cases, \(concurrency) concurrent clients × \(eventsPerClient) events, SQLite WAL synchronous=FULL")
let baseline = residentMegabytes()

// 1. Opening cases, then concurrent events on them.
do {
    let store = try CaseStore(path: database, catalog: catalog)
    var start = Date()
    var ids: [String] = []
    ids.reserveCapacity(caseCount)
    try await withThrowingTaskGroup(of: [String].self) { group in
        let perClient = (caseCount + concurrency - 1) / concurrency
        for client in 0..<concurrency {
            group.addTask {
                var opened: [String] = []
                for _ in 0..<min(perClient, max(0, caseCount - client * perClient)) {
                    opened.append(try await store.openCase(workflow: "bench", owner: "o", fields: ["dueOn": .string(farFuture)], actor: officer).id)
                }
                return opened
            }
        }
        for try await batch in group { ids += batch }
    }
    var elapsed = Date().timeIntervalSince(start)
    print(String(format: "open:   %6d cases in %.2f s = %7.0f cases/s", ids.count, elapsed, Double(ids.count) / elapsed))

    let opened = ids
    let before = await store.writeStatistics()
    start = Date()
    let latencies = try await concurrentLatencies(clients: concurrency) { client, timed in
        for n in 0..<eventsPerClient {
            let id = opened[(client * eventsPerClient + n) % opened.count]
            try await timed {
                _ = try await store.applyEvent(caseID: id, event: "touch", payload: ["count": .int(n)], reason: nil, actor: officer)
            }
        }
    }
    elapsed = Date().timeIntervalSince(start)
    let after = await store.writeStatistics()
    let transactions = after.transactions - before.transactions
    print(String(format: "events: %6d in %.2f s = %7.0f events/s; latency p50 %.1f ms, p99 %.1f ms; %d transactions (%.1f changes each, largest %d)",
                 latencies.count, elapsed, Double(latencies.count) / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.99),
                 transactions, Double(after.changes - before.changes) / Double(max(transactions, 1)), after.largestBatch))
}

// 2 and 3. Memory with every case holding two pending timers, then catching up after "downtime".
do {
    let inbox = TimerInbox()
    let store = try CaseStore(path: database, catalog: catalog, onCommit: { inbox.add($0) })
    let pending = try await store.pendingTimerCount()
    let rssBefore = residentMegabytes()
    let service = TimerService(store: { store }, inbox: inbox, capacity: 1024)
    let task = Task { try await service.run() }
    try await Task.sleep(for: .seconds(1))
    print(String(format: "memory: %d pending timers; RSS %.0f MB at start, %.0f MB with the store open, %.0f MB with the TimerService running (window of at most 1024)",
                 pending, baseline, rssBefore, residentMegabytes()))
    task.cancel()
    _ = await task.result

    // Catch-up: move every deadline into the past, as if the daemon had been down.
    let catchUp = try CaseStore(path: database, catalog: catalog, now: { Date().addingTimeInterval(5 * 365 * 86_400) })
    let due = try await catchUp.pendingTimerCount()
    let start = Date()
    let fired = try await catchUp.fireDueTimers(upTo: Date().addingTimeInterval(5 * 365 * 86_400))
    let elapsed = Date().timeIntervalSince(start)
    print(String(format: "timers: %d of %d fired in due order in %.2f s = %7.0f timers/s (batches of 128, each timer claimed and applied in its batch's transaction)",
                 fired, due, elapsed, Double(fired) / elapsed))
}

// 4. Checklists: the shipped sudden-termination workflow (run from the package folder).
// Each case enters scenario 2 and opens the 23-item list (15 items and their timers at
// once), then concurrent clients tick items; finally the overdue reminders of what was
// left fire as a restarted daemon would fire them.
if let shipped = try? WorkflowLoader.loadDirectory(ProcessInfo.processInfo.environment["BEVAKA_WORKFLOWS"] ?? "Workflows"),
   shipped.latest(named: "vgr-plotsligt-avslut") != nil {
    let path = folder.appendingPathComponent("checklists.sqlite").path
    let store = try CaseStore(path: path, catalog: shipped)
    let checklistCases = max(caseCount / 10, concurrency)
    let opener = Actor(name: "bench", role: "handlaggare")
    var start = Date()
    let ids = try await withThrowingTaskGroup(of: [String].self) { group in
        let perClient = (checklistCases + concurrency - 1) / concurrency
        for client in 0..<concurrency {
            group.addTask {
                var opened: [String] = []
                for _ in 0..<min(perClient, max(0, checklistCases - client * perClient)) {
                    let id = try await store.openCase(workflow: "vgr-plotsligt-avslut", owner: "o",
                                                      fields: ["vardgivare": .string("AB"), "enhet": .string("VC")], actor: opener).id
                    _ = try await store.applyEvent(caseID: id, event: "oforutsettAvslut", payload: ["orsak": .string("konkurs")],
                                                   reason: nil, actor: opener)
                    opened.append(id)
                }
                return opened
            }
        }
        var all: [String] = []
        for try await batch in group { all += batch }
        return all
    }
    var elapsed = Date().timeIntervalSince(start)
    let timers = try await store.pendingTimerCount()
    print(String(format: "checklists: %d cases opened into the 23-item list in %.2f s = %6.0f cases/s (2 transitions each); %d pending timers",
                 ids.count, elapsed, Double(ids.count) / elapsed, timers))

    // Ten ticks per case, by the responsible roles, from concurrent clients.
    let ticks: [(String, String)] = [("dialogMedAgaren", "regionjurist"), ("arbetsgrupp", "handlaggare"),
                                     ("kommunikationslista", "handlaggare"), ("dialogmoteAgare", "handlaggare"),
                                     ("personalOchMaterial", "handlaggare"), ("vaccinationsplan", "handlaggare"),
                                     ("konkursforvaltare", "regionjurist"), ("informeraPatienter", "kommunikation"),
                                     ("pressmeddelande", "kommunikation"), ("vardgrannar", "handlaggare")]
    start = Date()
    let latencies = try await concurrentLatencies(clients: concurrency) { client, timed in
        for (index, id) in ids.enumerated() where index % concurrency == client {
            for (item, role) in ticks {
                try await timed {
                    _ = try await store.applyEvent(caseID: id, event: checklistTickEvent,
                                                   payload: ["checklist": .string("avvecklingslista"), "item": .string(item)],
                                                   reason: nil, actor: Actor(name: "bench", role: role))
                }
            }
        }
    }
    elapsed = Date().timeIntervalSince(start)
    print(String(format: "ticks:  %6d in %.2f s = %7.0f ticks/s; latency p50 %.1f ms, p99 %.1f ms",
                 latencies.count, elapsed, Double(latencies.count) / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.99)))

    // A week later: every unticked item has its due notice and daily reminders to send.
    let later = try CaseStore(path: path, catalog: shipped, now: { Date().addingTimeInterval(7 * 86_400) })
    start = Date()
    let fired = try await later.fireDueTimers(upTo: Date().addingTimeInterval(7 * 86_400))
    elapsed = Date().timeIntervalSince(start)
    print(String(format: "checklist reminders: %d timers fired in %.2f s = %6.0f timers/s", fired, elapsed, Double(fired) / elapsed))
}
