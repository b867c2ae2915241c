@testable import BevakaServer
import BevakaCore
import BevakaTestSupport
import BevakaStore
import Clocks
import Foundation
import Synchronization
import Testing

/// The TimerService on a test clock: deadlines fire when virtual time reaches
/// them, a sooner timer wakes it, and what fell due while down fires at start.
@Suite struct TimerServiceTests {
    let folder: TemporaryFolder
    let clock = TestClock<Duration>()
    let start = local("2026-01-15T10:00")
    let inbox = TimerInbox()
    let store: any Store
    let officer = Actor(name: "anna", role: "handlaggare")

    init() async throws {
        folder = try TemporaryFolder()
        let clock = self.clock, start = self.start, inbox = self.inbox
        store = try await TestStores.open(path: folder.path("timers.sqlite"), catalog: try WorkflowLoader.loadDirectory(workflowsFolder),
                              now: { Self.wallClock(clock, start) }, onCommit: { inbox.add($0) })
    }

    /// Wall-clock time as the test clock sees it.
    static func wallClock(_ clock: TestClock<Duration>, _ start: Date) -> Date {
        let elapsed = TestClock<Duration>.Instant().duration(to: clock.now)
        return start.addingTimeInterval(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    func service(capacity: Int = 1024, afterRefillRead: (@Sendable () async -> Void)? = nil) -> TimerService {
        let clock = self.clock, start = self.start, store = self.store
        return TimerService(store: { store }, inbox: inbox, clock: clock, now: { Self.wallClock(clock, start) },
                            horizon: 200 * 86_400, capacity: capacity, afterRefillRead: afterRefillRead)
    }

    /// Opens a yellow Kalmar case whose plan is due on `planDue` (requested today).
    func caseWithPlanDue(_ planDue: String) async throws -> String {
        let opened = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna",
                                              fields: ["enhet": .string("VC"), "listade": .int(100)], actor: officer)
        _ = try await store.applyEvent(caseID: opened.id, event: "klassificera",
                                       payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(3)], reason: nil, actor: officer)
        _ = try await store.applyEvent(caseID: opened.id, event: "skickaBegaranOmRattelse",
                                       payload: ["begaranSkickad": .string("2026-01-15"), "planSenast": .string(planDue)],
                                       reason: nil, actor: officer)
        return opened.id
    }

    func events(_ id: String) async throws -> [String] {
        try await store.history(caseID: id).map(\.entry.event).filter { $0.hasPrefix("deadline.") }
    }

    /// Waits (bounded, in real time) for work the service does on other threads.
    func eventually(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not reached within 5 s")
    }

    /// Moves virtual time one second past `text` (a sleep due exactly at "now" would wait for the next advance).
    func advance(past text: String) async {
        await clock.advance(to: .init(offset: .seconds(local(text).timeIntervalSince(start) + 1)))
    }

    func run<T>(_ service: TimerService, _ body: () async throws -> T) async throws -> T {
        let task = Task { try await service.run() }
        defer { task.cancel() }
        return try await body()
    }

    @Test func aDeadlineFiresWhenVirtualTimeReachesIt() async throws {
        defer { folder.cleanup() }
        let id = try await caseWithPlanDue("2026-02-16")
        try await run(service()) {
            // 2026-02-09 17:00 is the P7D reminder; nothing later may fire yet.
            await advance(past: "2026-02-09T17:00")
            try await eventually { try await events(id) == ["deadline.reminder"] }
            await advance(past: "2026-02-16T17:00")
            try await eventually { try await events(id) == ["deadline.reminder", "deadline.reminder", "deadline.expired"] }
            #expect(try await store.caseRecord(id: id).state == "beslutOmAtgard")
            #expect(try await store.pendingTimerCount() == 0)
        }
    }

    @Test func aSoonerTimerWakesTheSleepingService() async throws {
        defer { folder.cleanup() }
        _ = try await caseWithPlanDue("2026-03-16")
        let firstReminder = local("2026-03-09T17:00")
        try await run(service()) {
            try await eventually { inbox.plannedWake == firstReminder }
            // Asleep until March; a plan due tomorrow has its P1D reminder today at 17:00.
            let soon = try await caseWithPlanDue("2026-01-16")
            try await eventually { inbox.plannedWake == local("2026-01-15T17:00") }
            await advance(past: "2026-01-15T17:00")
            try await eventually { try await events(soon) == ["deadline.reminder"] }
        }
    }

    @Test func timersThatFellDueWhileDownFireAtStartInDueOrder() async throws {
        defer { folder.cleanup() }
        var ids: [String] = []
        for due in ["2026-01-28", "2026-01-20", "2026-01-24"] { ids.append(try await caseWithPlanDue(due)) }
        // The service was not running; now it starts long after all of them.
        await advance(past: "2026-03-01T08:00")
        try await run(service(capacity: 2)) {
            try await eventually { try await store.pendingTimerCount() == 0 }
        }
        var expiries: [(Int64, String)] = []
        for id in ids {
            for record in try await store.history(caseID: id) where record.entry.event == "deadline.expired" {
                expiries.append((record.id, id))
            }
            #expect(try await events(id).filter { $0 == "deadline.expired" }.count == 1)
        }
        // History ids grow with commit order: the earliest due fired first.
        #expect(expiries.sorted { $0.0 < $1.0 }.map(\.1) == [ids[1], ids[2], ids[0]])
    }

    /// Issue 10 item 4: a timer committed while the service read its window was
    /// thrown away with the inbox and waited for the next refill (five minutes in
    /// the daemon, 200 days here), so its deadline fired that much late.
    @Test func aTimerCommittedWhileTheWindowIsReadStillFiresOnTime() async throws {
        defer { folder.cleanup() }
        let committedDuringRefill = Mutex<String?>(nil)
        let once = Mutex(false)
        let service = service(afterRefillRead: { [self] in
            guard once.withLock({ done in defer { done = true }; return !done }) else { return }
            // The read has returned; this commit lands in the inbox only.
            let id = try? await caseWithPlanDue("2026-01-16")
            committedDuringRefill.withLock { $0 = id }
        })
        try await run(service) {
            try await eventually { committedDuringRefill.withLock { $0 } != nil && inbox.plannedWake != nil }
            let id = try #require(committedDuringRefill.withLock { $0 })
            // Its P1D reminder is today at 17:00, well inside the window.
            #expect(inbox.plannedWake == local("2026-01-15T17:00"))
            await advance(past: "2026-01-15T17:00")
            try await eventually { try await events(id) == ["deadline.reminder"] }
        }
    }
}
