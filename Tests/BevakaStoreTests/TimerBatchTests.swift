import BevakaCore
@testable import BevakaStore
import BevakaTestSupport
import Foundation
import GRDB
import Testing

/// Due timers are fired in batches that share one transaction.
@Suite struct TimerBatchTests {
    static let yaml = """
        workflow: soon
        version: 1
        title: Soon
        roles: { handlaggare: Handläggare }
        fields: {}
        events: { expire: {}, close: { roles: [handlaggare] } }
        states:
          waiting:
            initial: true
            deadlines:
              soon: { after: PT1S, raises: expire }
            on: { expire: expired, close: closed }
          expired: { final: true }
          closed: { final: true }
        """

    /// A timer that cannot be applied is rolled back alone: its row stays to be tried
    /// again, and the timers before and after it in the batch still fire.
    @Test(arguments: StoreKind.allCases) func aFailingTimerIsRolledBackAloneAndTheOthersFire(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: try TemporaryFolder())
        let clock = ManualClock(Date(millis: 1_800_000_000_000))
        let store = try await place.running(Self.yaml, named: "soon", now: { clock.now })
        var opened: [String] = []
        for _ in 0..<3 {
            opened.append(try await store.openCase(workflow: "soon", owner: "anna", fields: [:], actor: Actor(name: "anna", role: "handlaggare")).id)
        }
        let cases = opened
        // The middle case's timer is made unreadable, as a damaged row would be.
        try await place.execute("UPDATE timers SET kind = 'bogus' WHERE case_id = '\(cases[1])'")
        clock.set(clock.now.addingTimeInterval(2))
        let timers = try await store.earliestTimers(dueBefore: clock.now, limit: 10).map(\.id)
        #expect(timers.count == 3)
        let outcomes = try await store.fireTimers(ids: timers)
        #expect(outcomes.count == 3)
        #expect(try outcomes[0].get() == .fired(caseID: cases[0]))
        #expect(try outcomes[2].get() == .fired(caseID: cases[2]))
        guard case .failure(.corrupt(let message)) = outcomes[1] else {
            Issue.record("the damaged timer's outcome: \(outcomes[1])")
            return
        }
        #expect(message.contains("bogus"))
        #expect(try await store.pendingTimerCount() == 1)
        #expect(try await store.caseRecord(id: cases[0]).state == "expired")
        #expect(try await store.caseRecord(id: cases[1]).state == "waiting")
        #expect(try await store.caseRecord(id: cases[2]).state == "expired")
        // Fired once: firing the batch again changes nothing more.
        let again = try await store.fireTimers(ids: [timers[0], timers[2]])
        #expect(again.map { try? $0.get() } == [.missing, .missing])
        let firstHistory = try await store.history(caseID: cases[0]).count
        #expect(try await store.history(caseID: cases[2]).count == firstHistory)
        await place.close()
    }

    /// A batch worked out on a snapshot (as the TimerService does while the writer commits
    /// the one before) is not written over a case that moved on meanwhile: the timer is
    /// worked out again on the case as it is, where it no longer applies.
    @Test func aBatchWorkedOutBeforeTheCaseMovedIsNotWrittenOverIt() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let clock = ManualClock(Date(millis: 1_800_000_000_000))
        let store = try storeRunning(Self.yaml, named: "soon", in: folder, now: { clock.now })
        let officer = Actor(name: "anna", role: "handlaggare")
        let moved = try await store.openCase(workflow: "soon", owner: "anna", fields: [:], actor: officer).id
        let still = try await store.openCase(workflow: "soon", owner: "anna", fields: [:], actor: officer).id
        clock.set(clock.now.addingTimeInterval(2))
        let prepared = await store.prepareTimers(ids: try await store.earliestTimers(dueBefore: clock.now, limit: 10).map(\.id))
        #expect(prepared.ids.count == 2)
        _ = try await store.applyEvent(caseID: moved, event: "close", payload: [:], reason: nil, actor: officer)
        let outcomes = try await store.fireTimers(prepared)
        #expect(try outcomes[0].get() != .fired(caseID: moved))
        #expect(try outcomes[1].get() == .fired(caseID: still))
        #expect(try await store.caseRecord(id: moved).state == "closed")
        #expect(try await store.history(caseID: moved).map(\.entry.event).contains("expire") == false)
        #expect(try await store.caseRecord(id: still).state == "expired")
        #expect(try await store.pendingTimerCount() == 0)
    }
}
