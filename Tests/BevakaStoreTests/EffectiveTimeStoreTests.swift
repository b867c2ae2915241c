import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// Effective times on a real SQLite file and a real PostgreSQL database: kept beside the registration time in
/// the history, covered by the hash chain, and the older rows' hashes unchanged.
@Suite struct EffectiveTimeStoreTests {
    @Test(arguments: StoreKind.allCases) func theHistoryKeepsBothTimesAndTheChainCoversThem(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: try TemporaryFolder())
        let clock = ManualClock(local("2026-02-01T09:00"))
        let store = try await place.running(EffectiveTimeFixture.yaml, named: "plan", now: { clock.now })
        let officer = Actor(name: "anna", role: "handlaggare")
        let opened = try await store.openCase(workflow: "plan", owner: "anna", fields: ["enhet": .string("VC Berga")], actor: officer)
        clock.set(local("2026-02-17T08:30"))
        _ = try await store.applyEvent(caseID: opened.id, event: "planInkom", payload: ["inkom": .string("2026-02-16")],
                                       reason: nil, actor: officer)
        let history = try await store.history(caseID: opened.id)
        #expect(history.count == 2)
        #expect(history[0].entry.effectiveAt == nil)
        #expect(history[1].entry.at == local("2026-02-17T08:30"))
        #expect(history[1].entry.effectiveAt == local("2026-02-16T17:00"))
        #expect(HistoryHasher.chainIsIntact(history, caseID: opened.id))
        // The effective time is part of what the hash covers: changing it breaks the chain.
        var moved = history[1].entry
        moved.effectiveAt = local("2026-02-15T17:00")
        #expect(!HistoryHasher.chainIsIntact([history[0], history[1].showing(moved)], caseID: opened.id))
        await place.close()
    }
}

enum EffectiveTimeFixture {
    static let yaml = """
        workflow: plan
        version: 1
        title: Plan
        roles: { handlaggare: Handläggare }
        fields:
          enhet: { type: string, required: true }
          inkom: { type: date }
        events:
          planInkom:
            roles: [handlaggare]
            payload: { inkom: required }
            effective: inkom
        states:
          vantar:
            initial: true
            on:
              planInkom: klar
          klar: { final: true }
        """
}
