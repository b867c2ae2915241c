import BevakaCore
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// Events are worked out on a snapshot of the case before the writer's turn and
/// written only if the case is still at that version; otherwise the writer works
/// them out again on the case as it is (on PostgreSQL: under the case row's lock). On both stores.
@Suite struct ConcurrentEventsTests {
    static let yaml = """
        workflow: count
        version: 1
        title: Count
        roles: { handlaggare: Handläggare }
        fields: { count: { type: integer, default: 0 } }
        events:
          touch: { roles: [handlaggare], payload: { count: required } }
          close: { roles: [handlaggare] }
        states:
          open:
            initial: true
            on: { touch: {}, close: closed }
          closed: { final: true }
        """

    /// Sixty events sent at once to one case: most were worked out on a version that
    /// another had moved on by the time of writing. Every one is applied exactly once,
    /// in one unbroken chain, and the case holds the value of the last one written.
    @Test(arguments: StoreKind.allCases) func eventsMadeOnAnOlderVersionAreWorkedOutAgain(_ kind: StoreKind) async throws {
        let place = try StorePlace(kind, folder: try TemporaryFolder())
        let store = try await place.running(Self.yaml, named: "count")
        let officer = Actor(name: "anna", role: "handlaggare")
        let opened = try await store.openCase(workflow: "count", owner: "anna", fields: [:], actor: officer)
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 1...60 {
                group.addTask {
                    try await store.applyEvent(caseID: opened.id, event: "touch", payload: ["count": .int(n)], reason: nil, actor: officer).version
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(versions.sorted() == Array(2...61))
        let history = try await store.history(caseID: opened.id)
        #expect(history.count == 61)
        #expect(Set(history.dropFirst().map { $0.entry.payload }).count == 60)
        #expect(HistoryHasher.chainIsIntact(history, caseID: opened.id))
        let record = try await store.caseRecord(id: opened.id)
        #expect(record.version == 61)
        #expect(.object(["count": record.fields["count"].map(FieldValueCoder.encode) ?? .null]) == history.last?.entry.payload)
        await place.close()
    }
}
