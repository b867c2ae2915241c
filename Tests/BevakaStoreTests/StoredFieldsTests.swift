import BevakaCore
@testable import BevakaStore
import BevakaTestSupport
import Foundation
import GRDB
import Testing

/// The case row's columns as the writer stores them, and the snapshots it keeps for late registrations.
@Suite struct StoredFieldsTests {
    /// The deadlines column is written and read without Codable; rows written before (by
    /// JSONEncoder) and after must be the same bytes and read back the same.
    @Test func deadlinesAreTheBytesJSONEncoderWrote() throws {
        let samples: [[ActiveDeadline]] = [
            [],
            [ActiveDeadline(name: "svarSenast", dueAt: Date(millis: 1_893_456_000_000))],
            [ActiveDeadline(name: "åtgärdsplan \"1\"\n", dueAt: Date(millis: 1_700_000_000_123), expired: true, overdueCount: 3),
             ActiveDeadline(name: "b", dueAt: Date(millis: -86_400_000), overdueCount: 12)],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        for deadlines in samples {
            let text = try StoredFields.deadlinesJSON(deadlines)
            #expect(text == String(decoding: try encoder.encode(deadlines), as: UTF8.self))
            #expect(try StoredFields.deadlines(text) == deadlines)
        }
    }

    /// What the fast path does not recognise still goes through JSONDecoder and JSONEncoder.
    @Test func deadlinesOutsideTheFastPathStillReadBack() throws {
        let fractional = [ActiveDeadline(name: "x", dueAt: Date(timeIntervalSince1970: 1_700_000_000.000_25))]
        #expect(try StoredFields.deadlines(try StoredFields.deadlinesJSON(fractional)) == fractional)
        // A row whose numbers were written as floating point.
        let floating = #"[{"dueAt":1893456000000.0,"expired":false,"name":"d","overdueCount":0}]"#
        #expect(try StoredFields.deadlines(floating) == [ActiveDeadline(name: "d", dueAt: Date(millis: 1_893_456_000_000))])
        #expect(throws: (any Error).self) { try StoredFields.deadlines(#"[{"name":"d"}]"#) }
    }

    @Test func snapshotsArePrunedAtMostOnceAMinute() {
        let pruning = SnapshotPruning()
        let start = Date(millis: 1_800_000_000_000)
        #expect(pruning.isDue(at: start))
        #expect(!pruning.isDue(at: start.addingTimeInterval(59)))
        #expect(pruning.isDue(at: start.addingTimeInterval(60)))
        // A clock set back prunes at once rather than waiting for the old instant.
        #expect(pruning.isDue(at: start.addingTimeInterval(-3600)))
    }

    /// Snapshots older than the retention are dropped when a later one is kept; younger ones stay.
    @Test func snapshotsPastTheirRetentionAreDropped() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let store = try storeRunning(EffectiveTimeFixture.yaml, named: "plan", in: folder)
        let officer = Actor(name: "anna", role: "handlaggare")
        var opened: [String] = []
        for _ in 0..<3 {
            opened.append(try await store.openCase(workflow: "plan", owner: "anna", fields: ["enhet": .string("VC Berga")], actor: officer).id)
        }
        let ids = opened
        let first = Date(millis: 1_800_000_000_000)
        let kept = { try await store.database.read { db in try String.fetchAll(db, sql: "SELECT id FROM case_snapshots ORDER BY taken_at") } }
        try await store.database.write { db in try store.transitions.keepSnapshot(of: ids[0], firstSeq: 2, db: db, now: first) }
        try await store.database.write { db in try store.transitions.keepSnapshot(of: ids[1], firstSeq: 2, db: db, now: first.addingTimeInterval(86_400)) }
        #expect(try await kept() == [ids[0], ids[1]])
        // 400 days and a minute after the first: it goes, the second (a day younger) stays.
        try await store.database.write { db in
            try store.transitions.keepSnapshot(of: ids[2], firstSeq: 2, db: db, now: first.addingTimeInterval(SnapshotPruning.retention + 60))
        }
        #expect(try await kept() == [ids[1], ids[2]])
    }

    /// The history's hashes are SHA-256 of the previous hash, a newline and the row's
    /// canonical JSON: pinned to values computed outside Bevaka (Python's hashlib and
    /// json.dumps with sorted keys), so a faster way of feeding the hash cannot change them.
    @Test func historyHashesAreTheChainsKnownValues() {
        let opened = HistoryEntry(at: Date(millis: 1_800_000_000_000), actor: "anna", role: "handlaggare", event: "case.opened",
                                  fromState: nil, toState: "vantar", payload: .object([:]), reason: nil, notes: [])
        let first = HistoryHasher.hash(previous: HistoryHasher.genesis, caseID: "c1", seq: 1, at: 1_800_000_000_000, entry: opened,
                                       payload: "{}", notes: "[]")
        #expect(first == "35149bb09b54cc2896fe01eac95abb7a8eecb395cf361a29c80bc84be49cd74b")
        var late = HistoryEntry(at: Date(millis: 1_800_000_060_000), actor: "anna", role: "handlaggare", event: "planInkom",
                                fromState: "vantar", toState: "klar", payload: .object(["inkom": .string("2027-01-15")]),
                                reason: "sent by post — late", notes: ["a note"])
        late.effectiveAt = Date(millis: 1_799_990_000_000)
        let second = HistoryHasher.hash(previous: first, caseID: "c1", seq: 2, at: 1_800_000_060_000, entry: late,
                                        payload: #"{"inkom":"2027-01-15"}"#, notes: #"["a note"]"#)
        #expect(second == "a529f4549ec34ecc8c9fe5da5d52f7155da0d3e5cca497c8207df6619115996f")
    }
}
