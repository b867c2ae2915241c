@testable import BevakaStore
import BevakaCore
import BevakaTestSupport
import Foundation
import GRDB
import Testing

/// Issue 10 item 7: notification ids were outbox row ids, which start again after a
/// restore from backup, so a different notification went out under an id a
/// receiver had already seen (and, deduplicating, dropped).
@Suite struct MessageIDTests {
    let officer = Actor(name: "anna", role: "handlaggare")

    func openAndPlan(_ store: CaseStore, name: String) async throws -> [DeliveryRecord] {
        let opened = try await store.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna",
                                              fields: ["enhet": .string(name), "listade": .int(10)], actor: officer)
        // The request for correction notifies the unit's head.
        let today = SwedishCalendar().localDate(of: Date())
        _ = try await store.applyEvent(caseID: opened.id, event: "klassificera", payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(3)],
                                       reason: nil, actor: officer)
        _ = try await store.applyEvent(caseID: opened.id, event: "skickaBegaranOmRattelse",
                                       payload: ["begaranSkickad": .string(today.description), "planSenast": .string(today.adding(days: 30).description)],
                                       reason: nil, actor: officer)
        _ = try await store.planDeliveries(now: Date()) { _ in
            [PlannedDelivery(channel: .email, target: "a@region.test", notBefore: Date()),
             PlannedDelivery(channel: .email, target: "b@region.test", notBefore: Date())]
        }
        return try await store.deliveries(status: nil, before: nil, limit: 100)
    }

    @Test func aNotificationAfterARestoreNeverReusesAnIdAlreadySent() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
        let live = try CaseStore(path: folder.path("live.sqlite"), catalog: catalog)
        _ = try DatabaseMaintenance.backup(from: folder.path("live.sqlite"), to: folder.path("backup.sqlite"))
        // The live database sends a notification; then the disk dies and the backup comes back.
        let sent = try await openAndPlan(live, name: "VC Åby")
        let restored = try CaseStore(path: folder.path("backup.sqlite"), catalog: catalog)
        let after = try await openAndPlan(restored, name: "VC Berga")
        #expect(sent.map(\.outboxID) == after.map(\.outboxID), "the row ids do repeat")
        #expect(Set(sent.map(\.messageID)).isDisjoint(with: after.map(\.messageID)))
        // One message per recipient, one id per message.
        #expect(Set(sent.map(\.messageID)).count == sent.count && sent.count >= 2)
        #expect(sent.allSatisfy { $0.messageID.count == 26 && $0.messageID.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) } })
    }

    /// The previous release's dead "email is not configured" deliveries become
    /// unconfigured, and every delivery gets a message id of its own.
    @Test func aVersionThreeDatabaseGainsMessageIDsAndUnconfiguredDeliveries() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.path("v3.sqlite")
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v3-checklists-links")
        // A case of the shipped Kalmar workflow, on the version the folder has (old databases keep their versions' texts).
        let kalmarVersion = try #require(try WorkflowLoader.loadDirectory(workflowsFolder).latest(named: "kalmar-sanktionstrappa")).version
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO cases (id, workflow, workflow_version, state, state_entered_at, state_entry, owner, fields,
                    deadlines, accruals, version, is_final, next_due_at, created_at, updated_at)
                VALUES ('c', 'kalmar-sanktionstrappa', \(kalmarVersion), 'registrerad', 0, 1, 'anna',
                    '{"enhet":"VC Berga","listade":8000,"egenrapporterad":false,"ersattningInnehallen":false,"sanktionsniva":"ingen"}',
                    '[]', '[]', 1, 0, NULL, 0, 0);
                INSERT INTO history (case_id, seq, at, actor, role, event, from_state, to_state, payload, notes, prev_hash, hash)
                VALUES ('c', 1, 0, 'anna', 'handlaggare', 'case.opened', NULL, 'registrerad', '{}', '[]', 'g', 'h');
                INSERT INTO outbox (case_id, history_id, created_at, type, recipients, webhooks, urgent, state, data, status)
                VALUES ('c', 1, 0, 'case.opened', '["owner"]', '[]', 0, 'registrerad', '{}', 'dead'),
                       ('c', 1, 0, 'case.opened', '["owner"]', '[]', 0, 'registrerad', '{}', 'delivered');
                INSERT INTO deliveries (kind, outbox_id, case_id, channel, target, type, urgent, status, last_error, created_at, updated_at)
                VALUES ('notification', 1, 'c', 'email', 'anna', 'case.opened', 0, 'dead', 'email is not configured (add ''email'' to the configuration)', 0, 0),
                       ('notification', 2, 'c', 'email', 'b@x.test', 'case.opened', 0, 'delivered', NULL, 0, 0);
                """)
        }
        try queue.close()
        let store = try CaseStore(path: path, catalog: try WorkflowLoader.loadDirectory(workflowsFolder))
        let deliveries = try await store.deliveries(status: nil, before: nil, limit: 10).sorted { $0.id < $1.id }
        #expect(deliveries.map(\.status) == [.unconfigured, .delivered])
        #expect(Set(deliveries.map(\.messageID)).count == 2)
        #expect(try await store.notifications(caseID: "c").map(\.status) == ["unconfigured", "delivered"])
        #expect(try await store.caseRecord(id: "c").fields["listade"] == .integer(8000))
    }
}
