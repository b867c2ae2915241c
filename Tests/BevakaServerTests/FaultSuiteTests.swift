import BevakaCore
import BevakaTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Faults the real `bevaka` binary must survive: SIGKILL at random moments
/// under concurrent writes (with clients retrying under `Idempotency-Key`),
/// and a full disk. Both tests drive the process over loopback HTTP and check
/// only what the API says.
@Suite(.serialized) struct FaultSuiteTests {
    typealias Kill = KillRecoveryTests

    // MARK: Kill loop under load

    /// How many SIGKILLs the kill loop does (`BEVAKA_KILLS`, default 24) and
    /// for how long at most (`BEVAKA_KILL_SECONDS`, default 240): the loop
    /// stops at whichever comes first.
    static let kills = ProcessInfo.processInfo.environment["BEVAKA_KILLS"].flatMap { Int($0) }.map { max($0, 1) } ?? 24
    static let killSeconds = ProcessInfo.processInfo.environment["BEVAKA_KILL_SECONDS"].flatMap { Double($0) } ?? 240
    static let clientCount = 8

    /// Where the clients send: the port of the daemon now alive, or nil
    /// between a kill and the next start; `stopping` asks the clients to start
    /// no new logical write (the one under way is still retried to an answer).
    actor Cluster {
        private(set) var port: Int?
        private(set) var stopping = false
        func up(_ port: Int) { self.port = port }
        func down() { port = nil }
        func stop() { stopping = true }
    }

    /// One logical write: one key, one body, retried until it gets an answer.
    struct Write: Sendable {
        let key: String
        let path: String
        let body: String
        var attempts = 0
        var answer: Kill.Answer?
        var acknowledged: Bool { answer.map { (200..<300).contains($0.status) } ?? false }
        var replayed: Bool { answer?.header("Idempotent-Replayed")?.lowercased() == "true" }
    }

    /// What the clients did, for the checker.
    actor WriteLog {
        /// Acknowledged openings: unique case name → the id the 2xx answered.
        var opened: [String: String] = [:]
        /// Acknowledged `close` events, by case id (a case is closed at most once by the clients).
        var closed: Set<String> = []
        /// `close` events answered with a refusal (4xx), by case id: they must have changed nothing.
        var refusedCloses: [String: Int] = [:]
        var writes = 0, acknowledged = 0, retried = 0, replays = 0, unanswered = 0
        var statuses: [Int: Int] = [:]
        var reusedKeys: [String] = []
        /// Names of the openings that needed more than one attempt.
        var retriedOpenings: Set<String> = []

        func record(_ write: Write) {
            writes += 1
            if write.attempts > 1 { retried += 1 }
            if write.replayed { replays += 1 }
            guard let answer = write.answer else {
                unanswered += 1
                return
            }
            statuses[answer.status, default: 0] += 1
            if write.acknowledged { acknowledged += 1 }
            if answer.json["type"]?.string == "urn:bevaka:problem:idempotency-key-reused" { reusedKeys.append(write.key) }
        }

        func opened(_ name: String, id: String, attempts: Int) {
            opened[name] = id
            if attempts > 1 { retriedOpenings.insert(name) }
        }
        func closed(_ id: String) { closed.insert(id) }
        func refusedClose(_ id: String, status: Int) { refusedCloses[id] = status }
    }

    /// Sends `write` until it gets a definitive answer: any HTTP status but 503
    /// (a 503 says "not now", so the same write is sent again). A connection
    /// error means the daemon died (or is not up yet): the SAME key and body go
    /// again to the next life. Gives up only at `deadline` or when cancelled.
    static func send(_ write: inout Write, to cluster: Cluster, until deadline: ContinuousClock.Instant) async {
        while ContinuousClock.now < deadline, !Task.isCancelled {
            guard let port = await cluster.port else {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            write.attempts += 1
            do {
                let answer = try await Kill.exchange(port, "POST", write.path, body: write.body,
                                                     headers: ["Idempotency-Key": write.key], timeout: 20)
                if answer.status != 503 {
                    write.answer = answer
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            } catch {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// One client: opens cases with unique names and closes about a third of
    /// them (before their deadline, unless a kill delays the close past it).
    static func client(_ number: Int, cluster: Cluster, log: WriteLog, deadline: ContinuousClock.Instant) async {
        var sequence = 0
        while await !cluster.stopping, !Task.isCancelled, ContinuousClock.now < deadline {
            sequence += 1
            let name = "c\(number)-\(sequence)"
            var open = Write(key: UUID().uuidString, path: "/cases",
                             body: #"{"workflow":"quick","owner":"o","fields":{"name":"\#(name)"}}"#)
            await send(&open, to: cluster, until: deadline)
            await log.record(open)
            guard open.acknowledged, let id = open.answer?.json["id"]?.string else { continue }
            await log.opened(name, id: id, attempts: open.attempts)
            guard Int.random(in: 0..<3) == 0 else { continue }
            var close = Write(key: UUID().uuidString, path: "/cases/\(id)/events", body: #"{"event":"close","reason":"done"}"#)
            await send(&close, to: cluster, until: deadline)
            await log.record(close)
            if close.acknowledged {
                await log.closed(id)
            } else if let status = close.answer?.status, (400..<500).contains(status) {
                await log.refusedClose(id, status: status)
            }
        }
    }

    /// Eight clients open and close cases while the daemon is SIGKILLed at random
    /// moments and restarted on the same file; every write carries an
    /// `Idempotency-Key` and is retried with the same key after a crash. At the
    /// end every acknowledged write is there exactly once, every deadline fired
    /// exactly once, and every history chain is intact.
    @Test func killLoopUnderLoadLosesAndDoublesNothing() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Kill.binary.path), "build the bevaka product first: \(Kill.binary.path)")
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try Kill.quickWorkflowFolder(in: folder, after: "PT2S")
        let database = folder.path("kill-loop.sqlite")
        let started = ContinuousClock.now
        let loopEnd = started + .seconds(Self.killSeconds)
        // The clients give up a write only long after the loop and the last life (a safety bound).
        let clientEnd = loopEnd + .seconds(60)

        let cluster = Cluster()
        let log = WriteLog()
        var daemon: Kill.Daemon?
        defer { if let daemon, daemon.process.isRunning { daemon.kill9() } }
        let clients = (0..<Self.clientCount).map { number in
            Task { await Self.client(number, cluster: cluster, log: log, deadline: clientEnd) }
        }
        defer { for task in clients { task.cancel() } }

        var killed = 0
        while killed < Self.kills, ContinuousClock.now < loopEnd {
            let port = Kill.freePort()
            daemon = try Kill.Daemon(database: database, workflows: workflows.path, port: port)
            try await Kill.waitUntilUp(port)
            await cluster.up(port)
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...700)))
            await cluster.down()
            daemon?.kill9()
            killed += 1
        }
        let loopTime = ContinuousClock.now - started

        // The last, clean life: every write under way gets its answer, every deadline falls due.
        let port = Kill.freePort()
        daemon = try Kill.Daemon(database: database, workflows: workflows.path, port: port)
        try await Kill.waitUntilUp(port)
        await cluster.stop()
        await cluster.up(port)
        for task in clients { await task.value }
        for _ in 0..<200 {
            let (_, waiting) = try await Kill.request(port, "GET", "/cases?state=waiting&limit=1")
            if waiting["items"]?.array.isEmpty == true { break }
            try await Task.sleep(for: .milliseconds(100))
        }

        // The checker reads everything back through the API.
        let cases = try await Self.allCases(port)
        let histories = try await Self.histories(of: cases.map(\.id), port: port)
        let opened = await log.opened, closed = await log.closed, refusedCloses = await log.refusedCloses
        var byName: [String: [String]] = [:]
        var problems: [String] = []
        for summary in cases {
            guard let history = histories[summary.id] else {
                problems.append("\(summary.id): no history")
                continue
            }
            let events = history.items.compactMap { $0["event"]?.string }
            let opening = history.items.first { $0["event"]?.string == "case.opened" }
            guard let name = opening?["payload"]?["name"]?.string ?? opening?["payload"]?["fields"]?["name"]?.string else {
                problems.append("\(summary.id): no case.opened row with a name: \(events)")
                continue
            }
            byName[name, default: []].append(summary.id)
            let expired = events.filter { $0 == "deadline.expired" }.count
            let closes = events.filter { $0 == "close" }.count
            if !history.chainIntact { problems.append("\(name) \(summary.id): history chain broken") }
            if expired > 1 { problems.append("\(name) \(summary.id): \(expired) deadline.expired rows: \(events)") }
            if closes > 1 { problems.append("\(name) \(summary.id): \(closes) close rows: \(events)") }
            if closes == 0, expired != 1 || summary.state != "expired" {
                problems.append("\(name) \(summary.id): not closed, but \(expired) deadline.expired rows and state \(summary.state): \(events)")
            }
            if closes == 1, expired != 0 || summary.state != "closed" {
                problems.append("\(name) \(summary.id): closed, but \(expired) deadline.expired rows and state \(summary.state): \(events)")
            }
            if closed.contains(summary.id), closes != 1 {
                problems.append("\(name) \(summary.id): acknowledged close is in the history \(closes) times: \(events)")
            }
            if let status = refusedCloses[summary.id], closes != 0 {
                problems.append("\(name) \(summary.id): close answered \(status) (refused) but applied: \(events)")
            }
        }
        let duplicates = byName.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
        let missing = opened.filter { byName[$0.key]?.contains($0.value) != true }.sorted { $0.key < $1.key }
        let missingCloses = closed.filter { histories[$0] == nil }

        let stats = await (log.writes, log.acknowledged, log.retried, log.replays, log.unanswered, log.statuses)
        FileHandle.standardError.write(Data("""
            kill loop: \(killed) kills (asked \(Self.kills)) in \(Self.seconds(loopTime)), \
            \(Self.clientCount) clients; \(stats.0) writes: \(stats.1) acknowledged, \(stats.2) retried, \(stats.3) replays, \
            \(stats.4) unanswered; statuses \(stats.5.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")); \
            \(cases.count) cases in the database for \(opened.count) acknowledged openings, \(closed.count) acknowledged closes, \(refusedCloses.count) refused; \
            \(duplicates.count) duplicated names, \(missing.count) missing, \(problems.count) other problems\n
            """.utf8))
        if killed < Self.kills {
            FileHandle.standardError.write(Data("kill loop: stopped after \(killed) of \(Self.kills) kills at the \(Int(Self.killSeconds)) s bound\n".utf8))
        }

        #expect(killed > 0)
        #expect(stats.4 == 0, "\(stats.4) writes never got an answer")
        #expect(await log.reusedKeys.isEmpty, "a retry with the same key and body was refused as a reused key")
        let duplicated = duplicates.count, missed = missing.count, broken = problems.count
        let retriedOpenings = await log.retriedOpenings
        #expect(duplicated == 0, """
            \(duplicates.count) openings are in the database more than once \
            (\(duplicates.filter { retriedOpenings.contains($0.key) }.count) of them retried after a kill), e.g. \
            \(duplicates.prefix(5).map { "\($0.key): \($0.value.joined(separator: ", "))" }.joined(separator: "; "))
            """)
        #expect(missed == 0, "\(missing.count) acknowledged openings are missing, e.g. \(missing.prefix(5).map { "\($0.key) \($0.value)" })")
        #expect(missingCloses.isEmpty, "acknowledged closes on cases not in the database: \(missingCloses.prefix(5))")
        #expect(broken == 0, "\(problems.count) problems, e.g.:\n\(problems.prefix(10).joined(separator: "\n"))")
        #expect(await daemon?.stop() == 0)
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    struct CaseSummary: Sendable {
        let id: String
        let state: String
    }

    struct History: Sendable {
        let chainIntact: Bool
        let items: [JSONValue]
    }

    /// Every case, page by page (bounded).
    static func allCases(_ port: Int) async throws -> [CaseSummary] {
        var cases: [CaseSummary] = []
        var after: String?
        for _ in 0..<10_000 {
            let (status, page) = try await Kill.request(port, "GET", "/cases?limit=500" + (after.map { "&after=\($0)" } ?? ""))
            #expect(status == 200)
            cases += page["items"]?.array.compactMap { item in
                item["id"]?.string.map { CaseSummary(id: $0, state: item["state"]?.string ?? "?") }
            } ?? []
            guard let next = page["next"]?.string else { break }
            after = next
        }
        return cases
    }

    /// Every case's history, four requests at a time.
    static func histories(of ids: [String], port: Int) async throws -> [String: History] {
        try await withThrowingTaskGroup(of: (String, History?).self) { group in
            var result: [String: History] = [:]
            var pending = ids[...]
            func next() {
                guard let id = pending.popFirst() else { return }
                group.addTask {
                    let (status, body) = try await Kill.request(port, "GET", "/cases/\(id)/history")
                    guard status == 200 else { return (id, nil) }
                    return (id, History(chainIntact: body["chainIntact"] == .bool(true), items: body["items"]?.array ?? []))
                }
            }
            for _ in 0..<4 { next() }
            while let (id, history) = try await group.next() {
                result[id] = history
                next()
            }
            return result
        }
    }

    // MARK: Full disk

    /// Whether a tmpfs can be mounted here (root, and allowed by the container): nil, or why not.
    static let tmpfsProblem: String? = {
        guard let folder = try? TemporaryFolder() else { return "no temporary folder" }
        defer { folder.cleanup() }
        let (status, output) = Self.tool("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder.url.path])
        guard status == 0 else { return "mount exited \(status): \(output.replacingOccurrences(of: "\n", with: " "))" }
        _ = Self.tool("/bin/umount", [folder.url.path])
        return nil
    }()

    /// Runs a system tool to its end (bounded at 30 s): exit status and output.
    @discardableResult
    static func tool(_ path: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { return (-1, "\(error)") }
        for _ in 0..<3000 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        // mount and umount say a line at most: it fits in the pipe while they run.
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Fills the file system of `path` by appending to it until a write fails; returns the errno of that failure.
    static func fill(_ path: String) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        for chunk in [65_536, 4_096, 512] {
            let bytes = [UInt8](repeating: 0x2e, count: chunk)
            for _ in 0..<10_000 {
                if bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, chunk) }) != chunk { break }
            }
        }
        let last: Int32 = [UInt8](repeating: 0x2e, count: 1).withUnsafeBytes { write(descriptor, $0.baseAddress, 1) } < 0 ? errno : 0
        fsync(descriptor)
        return last
    }

    /// The sum of a Prometheus metric's samples (any labels), or nil if it is not there.
    static func metric(_ name: String, in text: String) -> Double? {
        let values = text.split(separator: "\n").compactMap { line -> Double? in
            guard line.hasPrefix(name + " ") || line.hasPrefix(name + "{") else { return nil }
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    /// The database on a 4 MB tmpfs that fills up: writes answer 503 storage-unavailable
    /// with Retry-After (not 500), /readyz says 503 and /metrics counts the failures;
    /// once space is freed writes succeed again without a restart, nothing acknowledged
    /// is lost, and `bevaka check` passes.
    @Test(.enabled(if: tmpfsProblem == nil, Comment(rawValue: "cannot mount tmpfs here: \(tmpfsProblem ?? "")")),
          TestStores.sqliteOnly("the SQLite file on a full tmpfs; a PostgreSQL server refusing writes is MultiNodeDaemonTests' readiness test"))
    func fullDiskAnswers503AndRecovers() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workflows = try Kill.quickWorkflowFolder(in: folder, after: "PT1H")
        let disk = folder.path("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let (mounted, mountOutput) = Self.tool("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk])
        try #require(mounted == 0, "mount tmpfs: \(mountOutput)")
        defer {
            if Self.tool("/bin/umount", [disk]).0 != 0 { Self.tool("/bin/umount", ["-l", disk]) }
        }
        let database = disk + "/bevaka.sqlite"
        let filler = disk + "/filler"
        let port = Kill.freePort()
        let daemon = try Kill.Daemon(database: database, workflows: workflows.path, port: port)
        defer { if daemon.process.isRunning { daemon.kill9() } }
        try await Kill.waitUntilUp(port)

        var acknowledged: [String: String] = [:]  // name → id
        var sequence = 0
        /// Opens a case with a unique, long name (the disk fills sooner); records it if acknowledged.
        func open() async throws -> Kill.Answer {
            sequence += 1
            let name = "d\(sequence)-" + String(repeating: "x", count: 2_000)
            let answer = try await Kill.exchange(port, "POST", "/cases", body: #"{"workflow":"quick","owner":"o","fields":{"name":"\#(name)"}}"#,
                                                 headers: ["Idempotency-Key": UUID().uuidString], timeout: 20)
            if (200..<300).contains(answer.status), let id = answer.json["id"]?.string { acknowledged[name] = id }
            return answer
        }

        // Before: writes succeed.
        for _ in 0..<5 { #expect(try await open().status == 201) }
        #expect(try await Kill.request(port, "GET", "/readyz").0 == 200)

        // Full: fill what is left, then keep writing until writes fail (bounded).
        let fillErrno = Self.fill(filler)
        #expect(fillErrno == ENOSPC, "the filler stopped with errno \(fillErrno), not ENOSPC")
        var failures: [Kill.Answer] = []
        var acknowledgedWhileFull = 0
        for _ in 0..<300 where failures.count < 5 {
            let answer = try await open()
            if (200..<300).contains(answer.status) { acknowledgedWhileFull += 1 } else { failures.append(answer) }
        }
        let seen = Dictionary(grouping: failures, by: \.status).map { "\($0.key)×\($0.value.count) \($0.value[0].json["type"]?.string ?? $0.value[0].text.prefix(120).description)" }
        FileHandle.standardError.write(Data("full disk: \(acknowledgedWhileFull) writes acknowledged after filling, then failures: \(seen.joined(separator: "; "))\n".utf8))
        #expect(!failures.isEmpty, "no write failed although the disk is full")
        let statuses = Set(failures.map(\.status))
        let types = Set(failures.map { $0.json["type"]?.string ?? "none" })
        let withoutRetryAfter = failures.filter { ($0.header("Retry-After") ?? "").isEmpty }.count
        #expect(statuses == [503], "writes on a full disk answered \(statuses.sorted()), e.g. \(failures.first?.text.prefix(300) ?? "")")
        #expect(types == ["urn:bevaka:problem:storage-unavailable"], "problem types on a full disk: \(types.sorted())")
        #expect(withoutRetryAfter == 0, "\(withoutRetryAfter) of \(failures.count) failed writes have no Retry-After header")
        let (readyWhileFull, readyBody) = try await Kill.request(port, "GET", "/readyz")
        #expect(readyWhileFull == 503, "/readyz while writes fail: \(readyWhileFull) \(readyBody)")
        let metrics = try await Kill.exchange(port, "GET", "/metrics")
        let writeFailures = Self.metric("bevaka_storage_write_failures_total", in: metrics.text)
        #expect((writeFailures ?? 0) > 0, "bevaka_storage_write_failures_total is \(writeFailures.map { "\($0)" } ?? "absent")")
        let (healthWhileFull, _) = try await Kill.request(port, "GET", "/healthz")
        FileHandle.standardError.write(Data("full disk: /readyz \(readyWhileFull), /healthz \(healthWhileFull), write failures metric \(writeFailures.map { "\($0)" } ?? "absent")\n".utf8))

        // Freed: writes succeed again without a restart, and /readyz is 200 again.
        try FileManager.default.removeItem(atPath: filler)
        var recovered: Kill.Answer?
        for _ in 0..<50 {
            let answer = try await open()
            if (200..<300).contains(answer.status) {
                recovered = answer
                break
            }
            let wait = answer.header("Retry-After").flatMap(Double.init).map { min(max($0, 0.05), 1) } ?? 0.2
            try await Task.sleep(for: .seconds(wait))
        }
        #expect(recovered != nil, "writes still fail after the disk was freed (no restart)")
        for _ in 0..<5 {
            let answer = try await open()
            #expect(answer.status == 201, "after freeing the disk: \(answer.status) \(answer.text.prefix(300))")
        }
        var readyAfter = 0
        for _ in 0..<50 {
            readyAfter = try await Kill.request(port, "GET", "/readyz").0
            if readyAfter == 200 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(readyAfter == 200, "/readyz after the disk was freed: \(readyAfter)")

        // Everything acknowledged is there, and nothing refused was written.
        var present = 0
        for (name, id) in acknowledged {
            let (status, body) = try await Kill.request(port, "GET", "/cases/\(id)")
            if status == 200, body["fields"]?["name"]?.string == name { present += 1 }
        }
        #expect(present == acknowledged.count, "\(acknowledged.count - present) of \(acknowledged.count) acknowledged cases are missing")
        let cases = try await Self.allCases(port)
        #expect(cases.count == acknowledged.count, "\(cases.count) cases in the database, \(acknowledged.count) acknowledged")

        // A clean stop, and the file passes `bevaka check`.
        #expect(await daemon.stop() == 0)
        let checkLog = folder.path("check.log")
        let check = try Kill.launch(["check", "--database", database], stderr: checkLog)
        for _ in 0..<600 where check.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        if check.isRunning { kill(check.processIdentifier, SIGKILL) }
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "bevaka check: \((try? String(contentsOfFile: checkLog, encoding: .utf8)) ?? "")")
    }
}
