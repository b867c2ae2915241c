import BevakaCore
import BevakaDelivery
import BevakaServer
import BevakaStore
import Foundation
import Logging
import Synchronization

/// `bevaka-bench goals [deadlines] [B1…B6]`: issue 14's goals, each beside raw SQLite doing
/// the same number of commits on the same disk (`RawSQLite`), with the ratio between them.
/// B1 and B4 run the release `bevaka` daemon built beside this binary (`swift build -c
/// release`) and drive it with wrk; B5 sends to nginx and aiosmtpd on loopback.
func goalsBenchmark(deadlines: Int, only: String?, folder: URL) async throws {
    let workflows = folder.appendingPathComponent("workflows")
    try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
    try goalsWorkflow.write(to: workflows.appendingPathComponent("goals.yaml"), atomically: true, encoding: .utf8)
    try soonWorkflow.write(to: workflows.appendingPathComponent("goals-soon.yaml"), atomically: true, encoding: .utf8)
    // The daemon checks that every notification has its mail template.
    let templates = workflows.appendingPathComponent("templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    try "Subject: Fristen {{deadline}} har passerat\n\nÄrende {{case.id}}.\n".write(to: templates.appendingPathComponent("standard.sv.mustache"), atomically: true, encoding: .utf8)
    let catalog = try WorkflowLoader.loadDirectory(workflows.path)
    let goals = Goals(deadlines: deadlines, catalog: catalog, workflows: workflows, folder: folder)
    report("bevaka-bench goals: \(deadlines) deadlines; SQLite \(RawSQLite.version) WAL synchronous=FULL in \(folder.path)")
    var results: [GoalResult] = []
    func run(_ name: String, _ goal: () async throws -> [GoalResult]) async throws {
        guard only == nil || only == name else { return }
        results += try await goal()
    }
    try await run("B1") { try await goals.ingest() }
    try await run("B2") { [try await goals.expiries()] }
    try await run("B3") { try await goals.lateness() }
    try await run("B4") { try await goals.recovery() }
    try await run("B5") { try await goals.deliveries() }
    report("\n| goal | Bevaka | raw SQLite, same commits | Bevaka / raw | target |")
    report("|---|---|---|---|---|")
    for result in results { report(result.row) }
}

private let goalsWorkflow = benchWorkflow(name: "goals", deadline: "due: { at: dueOn, notify: [{ to: [owner], urgent: true }], raises: expire }")

/// A workflow of one waiting state whose one deadline (`deadline`, on the date field
/// `dueOn`) raises `expire`, with an event `touch` for the officer to fire meanwhile.
func benchWorkflow(name: String, deadline: String) -> String {
    """
    workflow: \(name)
    version: 1
    title: \(name.capitalized)
    roles: { officer: Officer }
    fields: { count: { type: integer, default: 0 }, dueOn: { type: date } }
    events:
      touch: { roles: [officer], payload: { count: required } }
      expire: {}
    states:
      waiting:
        initial: true
        deadlines:
          \(deadline)
        on: { touch: {}, expire: expired }
      expired: { final: true }

    """
}

/// A deadline two seconds after opening: for lateness and for what falls due while the daemon is down.
private let soonWorkflow = """
    workflow: goals-soon
    version: 1
    title: Goals soon
    roles: { officer: Officer }
    fields: {}
    events: { expire: {} }
    states:
      waiting:
        initial: true
        deadlines:
          soon: { after: PT2S, raises: expire }
        on: { expire: expired }
      expired: { final: true }

    """

struct GoalResult {
    let goal: String
    let bevaka: String
    let raw: String
    /// Bevaka's throughput as a share of raw SQLite's (or raw's time as a share of Bevaka's).
    let ratio: Double?
    let target: String

    var row: String {
        "| \(goal) | \(bevaka) | \(raw) | \(ratio.map { String(format: "%.1f%%", $0 * 100) } ?? "—") | \(target) |"
    }
}

struct Goals {
    let deadlines: Int
    let catalog: WorkflowCatalog
    let workflows: URL
    let folder: URL

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    // MARK: B1 ingest

    /// B1: openings, then events on them, over loopback HTTP from wrk (64 connections, 10 s each).
    func ingest() async throws -> [GoalResult] {
        let database = path("ingest.sqlite")
        let daemon = try DaemonProcess(database: database, workflows: workflows.path, log: path("ingest.log"))
        defer { daemon.kill9() }
        try await daemon.waitUntilReady()
        let open = #"{"workflow":"goals","owner":"o","fields":{"dueOn":"2030-01-01"}}"#
        let headers = #"wrk.headers["Content-Type"] = "application/json"; wrk.headers["Bevaka-Actor"] = "bench"; wrk.headers["Bevaka-Role"] = "officer""#
        try """
            wrk.method = "POST"
            wrk.body = '\(open)'
            \(headers)
            """.write(toFile: path("open.lua"), atomically: true, encoding: .utf8)
        var results: [GoalResult] = []
        var commits = try await daemon.writeTransactions()
        let opened = try Wrk.run(script: path("open.lua"), url: "\(daemon.base)/cases")
        commits = try await daemon.writeTransactions() - commits
        results.append(try compare("B1 openings over HTTP (wrk, 64 connections)", opened, commits: commits, raw: "ingest-raw.sqlite"))

        // Events on 1 000 of the cases just opened, chosen at random by the script.
        let ids = try await daemon.caseIDs(limit: 1000)
        try """
            local ids = { \(ids.map { "\"\($0)\"" }.joined(separator: ", ")) }
            local body = '{"event":"touch","payload":{"count":1}}'
            local headers = { ["Content-Type"] = "application/json", ["Bevaka-Actor"] = "bench", ["Bevaka-Role"] = "officer" }
            request = function() return wrk.format("POST", "/cases/" .. ids[math.random(#ids)] .. "/events", headers, body) end
            """.write(toFile: path("events.lua"), atomically: true, encoding: .utf8)
        commits = try await daemon.writeTransactions()
        let events = try Wrk.run(script: path("events.lua"), url: daemon.base)
        commits = try await daemon.writeTransactions() - commits
        results.append(try compare("B1 events over HTTP (wrk, 64 connections)", events, commits: commits, raw: "ingest-raw.sqlite"))
        return results
    }

    private func compare(_ goal: String, _ run: Wrk.Result, commits: Int, raw file: String) throws -> GoalResult {
        report(String(format: "%@: %d requests (%d not 2xx) in %.1f s = %.0f/s; latency p50 %.2f ms, p99 %.2f ms; %d commits",
                     goal, run.requests, run.failures, run.seconds, run.rate, run.p50, run.p99, commits))
        let raw = try RawSQLite(path: path(file))
        let rawSeconds = try raw.open(count: run.requests, commits: commits)
        let rawRate = Double(run.requests) / rawSeconds
        report(String(format: "%@ raw SQLite: %d rows in %d commits in %.2f s = %.0f/s", goal, run.requests, commits, rawSeconds, rawRate))
        return GoalResult(goal: goal, bevaka: String(format: "%.0f/s, p99 %.1f ms%@", run.rate, run.p99, run.failures > 0 ? ", \(run.failures) not 2xx" : ""),
                          raw: String(format: "%.0f/s", rawRate), ratio: run.rate / rawRate, target: "≥ 20 000/s, p99 ≤ 10 ms")
    }

    // MARK: B2 expiries

    /// Opens `count` cases of the goals workflow waiting on `dueOn`, in imports of 10 000 (one transaction each).
    func seed(_ count: Int, store: CaseStore, dueOn: String = "2030-01-01") async throws {
        let enteredAt = Date()
        let actor = Actor(name: "bench", role: "officer")
        for first in stride(from: 0, to: count, by: 10_000) {
            let rows = (first..<min(count, first + 10_000)).map { n in
                (line: n + 1, workflow: "goals",
                 row: ImportedCase(owner: "o\(n % 100)", state: "waiting", enteredAt: enteredAt, fields: ["dueOn": .string(dueOn)], firePast: false))
            }
            _ = try await store.importCases(rows, actor: actor, dryRun: false)
        }
    }

    /// Five years on, as if the daemon had been down: every seeded deadline is due.
    static let later: @Sendable () -> Date = { Date().addingTimeInterval(5 * 365 * 86_400) }

    /// B2: every deadline due at once, drained by the daemon's TimerService (each claimed,
    /// applied with its history rows and outbox row in the transaction that deletes it).
    func expiries() async throws -> GoalResult {
        let database = path("expiries.sqlite")
        var start = Date()
        try await seed(deadlines, store: try CaseStore(path: database, catalog: catalog))
        report(String(format: "B2: %d cases seeded in %.1f s", deadlines, Date().timeIntervalSince(start)))
        let (store, due, elapsed, commits, io) = try await drain(database)
        let counts = try await store.snapshot()
        let expired = counts.casesByState.first { $0.state == "expired" }?.count ?? 0
        guard expired == deadlines else { fatalError("B2: \(expired) of \(deadlines) cases expired") }
        let rate = Double(due) / elapsed
        report(String(format: "B2: %d expiries in %.2f s = %.0f/s in %d commits; %d history rows, %d outbox rows; %.1f KiB written, %.1f KiB read per expiry",
                     due, elapsed, rate, commits, counts.transitions, counts.outboxDepth,
                     Double(io.written) / 1024 / Double(max(due, 1)), Double(io.read) / 1024 / Double(max(due, 1))))
        let raw = try RawSQLite(path: path("expiries-raw.sqlite"))
        try raw.seed(cases: due)
        let rawElapsed = try raw.expire(cases: due, commits: commits)
        let rawRate = Double(due) / rawElapsed
        report(String(format: "B2 raw SQLite: %d expiries in %.2f s = %.0f/s in %d commits", due, rawElapsed, rawRate, commits))
        return GoalResult(goal: "B2 expiries drained (\(due) due at once)", bevaka: String(format: "%.0f/s", rate),
                          raw: String(format: "%.0f/s", rawRate), ratio: rate / rawRate, target: "≥ 100 000/s")
    }

    /// Runs a TimerService five years on over `database` until no timer is left.
    func drain(_ database: String) async throws -> (CaseStore, due: Int, seconds: TimeInterval, commits: Int, io: ProcessIO) {
        let inbox = TimerInbox()
        let store = try CaseStore(path: database, catalog: catalog, now: Self.later, onCommit: { inbox.add($0) })
        let due = try await store.pendingTimerCount()
        let before = await store.writeStatistics()
        let ioBefore = ProcessIO.current()
        let start = Date()
        let service = TimerService(store: { store }, inbox: inbox, now: Self.later, capacity: 1024)
        let task = Task { try await service.run() }
        while try await store.pendingTimerCount() > 0 { try await Task.sleep(for: .milliseconds(20)) }
        let elapsed = Date().timeIntervalSince(start)
        let io = ProcessIO.current() - ioBefore
        task.cancel()
        _ = await task.result
        let commits = await store.writeStatistics().transactions - before.transactions
        return (store, due, elapsed, commits, io)
    }

    // MARK: B3 lateness

    /// B3: deadlines falling due at a steady rate (cases of goals-soon opened at that rate,
    /// each due two seconds later), and how long after its due instant each one's commit returned.
    func lateness() async throws -> [GoalResult] {
        var results: [GoalResult] = []
        for (rate, seconds, target) in [(100, 10, "p99 ≤ 1 ms, max ≤ 3 ms"), (1000, 5, "p99 ≤ 5 ms")] {
            let latenesses = LatenessLog()
            let inbox = TimerInbox()
            let store = try CaseStore(path: path("lateness-\(rate).sqlite"), catalog: catalog, onCommit: { inbox.add($0) })
            var logger = Logger(label: "bench.timers") { _ in latenesses }
            logger.logLevel = .debug
            let service = TimerService(store: { store }, inbox: inbox, logger: logger)
            let task = Task { try await service.run() }
            await service.waitUntilRecovered()
            let actor = Actor(name: "bench", role: "officer")
            let count = rate * seconds
            let start = ContinuousClock.now
            for n in 0..<count {
                try await ContinuousClock().sleep(until: start + .microseconds(n * 1_000_000 / rate))
                _ = try await store.openCase(workflow: "goals-soon", owner: "o", fields: [:], actor: actor)
            }
            while latenesses.count < count && ContinuousClock.now < start + .seconds(seconds + 10) {
                try await Task.sleep(for: .milliseconds(100))
            }
            task.cancel()
            _ = await task.result
            let sorted = latenesses.sorted
            let raw = try RawSQLite(path: path("lateness-raw-\(rate).sqlite"))
            let commits = try raw.commitLatencies(count: min(count, 1000))
            let line = String(format: "%d deadlines at %d/s: lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                              sorted.count, rate, percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.last ?? 0)
            report("B3: " + line)
            report(String(format: "B3 raw SQLite: one commit of one row takes p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                         percentile(commits, 0.5), percentile(commits, 0.99), commits.last ?? 0))
            results.append(GoalResult(
                goal: "B3 lateness at \(rate)/s (\(sorted.count) deadlines)",
                bevaka: String(format: "p50 %.2f / p99 %.2f / max %.2f ms", percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.last ?? 0),
                raw: String(format: "one commit: p50 %.2f / p99 %.2f / max %.2f ms", percentile(commits, 0.5), percentile(commits, 0.99), commits.last ?? 0),
                ratio: nil, target: target))
        }
        return results
    }

    // MARK: B4 recovery and B6 footprint

    /// B4: the daemon killed with `deadlines` pending and 1 000 more falling due while it is
    /// down; how soon the restarted daemon is ready and has fired them all. B6: its memory
    /// with every case open and pending, and the database's size per pending deadline.
    func recovery() async throws -> [GoalResult] {
        let database = path("recovery.sqlite")
        var start = Date()
        try await seed(deadlines, store: try CaseStore(path: database, catalog: catalog))
        report(String(format: "B4: %d cases seeded in %.1f s", deadlines, Date().timeIntervalSince(start)))
        let soon = 1000
        var daemon = try DaemonProcess(database: database, workflows: workflows.path, log: path("recovery.log"))
        try await daemon.waitUntilReady()
        try await daemon.openSoonCases(soon)
        daemon.kill9()
        // Down while they fall due (two seconds after opening).
        try await Task.sleep(for: .seconds(3))
        start = Date()
        daemon = try DaemonProcess(database: database, workflows: workflows.path, log: path("recovery.log"))
        defer { daemon.kill9() }
        try await daemon.waitUntilReady()
        let ready = Date().timeIntervalSince(start)
        while try await daemon.expiredSoonCases() < soon {
            guard Date().timeIntervalSince(start) < 120 else { fatalError("B4: the deadlines that fell due were not fired in 120 s") }
            try await Task.sleep(for: .milliseconds(10))
        }
        let fired = Date().timeIntervalSince(start)
        let resident = daemon.residentMegabytes()
        let pending = try await daemon.pendingTimers()
        let bytes = fileSize(database) + fileSize(database + "-wal")
        report(String(format: "B4: restarted after kill -9 with %d pending: ready in %.3f s, the %d that fell due while down fired %.3f s after start",
                     pending, ready, soon, fired))
        report(String(format: "B6: %.0f MB resident with %d open cases and %d pending deadlines; %.0f bytes of database per pending deadline",
                     resident, deadlines, pending, Double(bytes) / Double(max(pending, 1))))

        let raw = try RawSQLite(path: path("recovery-raw.sqlite"))
        try raw.seed(cases: deadlines)
        let rawOpen = try RawSQLite.timeToFirstWindow(path: path("recovery-raw.sqlite"))
        let rawBytes = Double(fileSize(path("recovery-raw.sqlite")) + fileSize(path("recovery-raw.sqlite") + "-wal")) / Double(deadlines)
        report(String(format: "B4 raw SQLite: opened and read the first 1 024 timers of %d in %.2f ms; B6: %.0f bytes per timer (with a 600-byte case row)",
                     deadlines, rawOpen * 1000, rawBytes))
        return [
            GoalResult(goal: "B4 ready after kill -9 (\(pending) pending)", bevaka: String(format: "%.3f s", ready),
                       raw: String(format: "%.2f ms to open and read the first window", rawOpen * 1000), ratio: rawOpen / ready, target: "≤ 1 s"),
            GoalResult(goal: "B4 those due while down, all fired", bevaka: String(format: "%.3f s after start", fired),
                       raw: "—", ratio: nil, target: "≤ 10 s"),
            GoalResult(goal: "B6 resident memory (\(deadlines) open cases and deadlines)", bevaka: String(format: "%.0f MB", resident),
                       raw: "—", ratio: nil, target: "≤ 100 MB"),
            GoalResult(goal: "B6 database per pending deadline", bevaka: String(format: "%.0f bytes", Double(bytes) / Double(max(pending, 1))),
                       raw: String(format: "%.0f bytes", rawBytes), ratio: rawBytes / (Double(bytes) / Double(max(pending, 1))), target: "≤ 1 024 bytes"),
        ]
    }

    // MARK: B5 deliveries

    /// B5: the outbox rows of expired deadlines sent as webhooks to nginx and as email to
    /// aiosmtpd, both on loopback: each channel alone (the goal's rates: on two cores the
    /// receivers' own work is a large share of the machine), both at once, and both beside a
    /// second webhook endpoint that never answers.
    func deliveries() async throws -> [GoalResult] {
        let count = min(deadlines, 5000)
        let receivers = try Receivers(folder: folder)
        defer { receivers.stop() }
        var results: [GoalResult] = []
        let runs: [(name: String, webhooks: Bool, email: Bool, slow: Bool)] = [
            ("webhooks alone", true, false, false), ("emails alone", false, true, false),
            ("both at once", true, true, false), ("both, beside a silent second endpoint", true, true, true),
        ]
        for (number, run) in runs.enumerated() {
            let database = path("deliveries-\(number).sqlite")
            try await seed(count, store: try CaseStore(path: database, catalog: catalog))
            let (store, _, _, _, _) = try await drain(database)
            try Data("whsec_\(Data(repeating: 7, count: 32).base64EncodedString())".utf8).write(to: folder.appendingPathComponent("whsec"))
            let people = (0..<100).map { "    o\($0): { email: o\($0)@bench.example }" }.joined(separator: "\n")
            let email = """
                email:
                  from: "Bevaka <bevaka@bench.example>"
                  server: smtp://127.0.0.1:\(receivers.smtpPort)
                  security: none
                  administrators: [drift@bench.example]
                directory:
                  people:
                \(people)

                """
            let webhooks = """
                webhooks:
                  fast: { url: "http://127.0.0.1:\(receivers.httpPort)/hook", secretFiles: [whsec], types: ["*"] }
                \(run.slow ? "  slow: { url: \"http://127.0.0.1:\(receivers.silentPort)/hook\", secretFiles: [whsec], types: [\"*\"], timeout: 2s }" : "")

                """
            let yaml = (run.email ? email : "") + (run.webhooks ? webhooks : "")
            let configuration = try ConfigurationLoader.load(yaml: yaml, path: path("bevaka.yaml"), catalog: catalog)
            var logger = Logger(label: "bench.deliveries")
            logger.logLevel = .critical  // without email, every notification to a person is refused: expected here
            let service = DeliveryService(store: store, configuration: configuration,
                                          templates: try TemplateSet.load(folder: workflows.appendingPathComponent("templates")),
                                          bell: DeliveryBell(), baseURL: "http://127.0.0.1", now: Self.later, logger: logger)
            let start = Date()
            let task = Task { try await service.run() }
            // Each channel's rate over the time it took to deliver all of its own.
            let channels = (run.webhooks ? ["webhook"] : []) + (run.email ? ["email"] : [])
            var delivered: [String: Int] = [:]
            var finished: [String: TimeInterval] = [:]
            while Date().timeIntervalSince(start) < 20 && finished.count < channels.count {
                try await Task.sleep(for: .milliseconds(50))
                delivered = try await store.snapshot().deliveries.filter { $0.status == "delivered" }
                    .reduce(into: [:]) { $0[$1.channel, default: 0] += $1.count }
                for (channel, n) in delivered where n >= count && finished[channel] == nil {
                    finished[channel] = Date().timeIntervalSince(start)
                }
            }
            let elapsed = Date().timeIntervalSince(start)
            task.cancel()
            _ = await task.result
            var rates: [String] = []
            for channel in channels {
                let rate = Double(delivered[channel] ?? 0) / (finished[channel] ?? elapsed)
                rates.append(String(format: "%d %@s in %.1f s = %.0f/s", delivered[channel] ?? 0, channel, finished[channel] ?? elapsed, rate))
                let receiver = channel == "webhook" ? "webhooks to nginx" : "emails to aiosmtpd"
                let target = run.slow ? "not held up by the slow one" : channel == "webhook" ? "≥ 2 000/s" : "≥ 200/s"
                results.append(GoalResult(goal: "B5 \(receiver) (\(run.name))", bevaka: String(format: "%.0f/s", rate), raw: "—", ratio: nil,
                                          target: target))
            }
            report("B5 (\(run.name)): \(rates.joined(separator: ", "))")
        }
        return results
    }
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

/// Collects each fired timer's lateness (the TimerService logs it at debug level).
final class LatenessLog: LogHandler, @unchecked Sendable {
    private let values = Mutex<[Double]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.message.description == "timer.fired", case .string(let text)? = event.metadata?["timer.lateness"],
              let seconds = Double(text) else { return }
        values.withLock { $0.append(seconds * 1000) }
    }

    var count: Int { values.withLock { $0.count } }
    var sorted: [Double] { values.withLock { $0.sorted() } }
}

/// Bytes this process has passed to write(2) and read(2) and their kin (`/proc/self/io`).
struct ProcessIO {
    var written = 0
    var read = 0

    static func current() -> ProcessIO {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return ProcessIO() }
        var io = ProcessIO()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            if parts[0] == "wchar" { io.written = value } else if parts[0] == "rchar" { io.read = value }
        }
        return io
    }

    static func - (a: ProcessIO, b: ProcessIO) -> ProcessIO { ProcessIO(written: a.written - b.written, read: a.read - b.read) }
}

/// Prints a line at once, also into a pipe (a benchmark stopped halfway still shows what it measured).
func report(_ line: String) {
    print(line)
    fflush(nil)
}
