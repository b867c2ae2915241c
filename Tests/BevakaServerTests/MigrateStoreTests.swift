import BevakaCore
import BevakaPostgres
import BevakaStore
import BevakaTestSupport
import Foundation
import Testing

/// `bevaka migrate-store` as an operator runs it: a SQLite database with cases, timers,
/// deliveries, the register and a token is copied into an empty PostgreSQL database, where
/// every case, history, ledger and notification reads as it did, and the timers fire on.
@Suite struct MigrateStoreTests {
    @Test func aSQLiteDatabaseMovesToPostgreSQLWhole() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let catalog = try WorkflowLoader.loadDirectory(workflowsFolder)
        let clock = ManualClock(local("2026-01-12T09:00"))
        let path = folder.path("bevaka.sqlite")
        let sqlite = try CaseStore(path: path, catalog: catalog, now: { clock.now })
        let officer = Actor(name: "anna", role: "handlaggare")
        _ = try await sqlite.putRegister([.board(Board(code: "HSN", name: "Hälso- och sjukvårdsnämnden")),
                                          .provider(Provider(id: "P1", name: "Vård AB", group: nil)),
                                          .unit(CareUnit(hsaId: "SE1", name: "VC Berga", provider: "P1"))], actor: "admin")
        var ids: [String] = []
        for number in 0..<12 {
            let opened = try await sqlite.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna",
                                                   fields: ["enhet": .string("VC \(number)"), "listade": .int(1000 + number)], actor: officer)
            _ = try await sqlite.applyEvent(caseID: opened.id, event: "klassificera",
                                            payload: ["allvarlighetsgrad": .int(2), "avsteg": .int(3)], reason: nil, actor: officer)
            _ = try await sqlite.applyEvent(caseID: opened.id, event: "skickaBegaranOmRattelse",
                                            payload: ["begaranSkickad": .string("2026-01-12"), "planSenast": .string("2026-02-\(10 + number)")],
                                            reason: nil, actor: officer)
            ids.append(opened.id)
        }
        // Some deadlines pass (escalations, sanctions accruing); the others stay pending.
        clock.set(local("2026-02-16T08:00"))
        _ = try await sqlite.fireDueTimers(upTo: clock.now)
        let (_, secret) = try await sqlite.createToken(name: "journal", role: "system", expiresAt: nil)
        let pending = try await sqlite.pendingTimerCount()
        #expect(pending > 0)

        let server = try PostgresServer.shared()
        let url = try server.newDatabaseURL()
        let moved = try CommandLineTests.bevaka(["migrate-store", "--from", "sqlite:\(path)", "--to", url,
                                                 "--password-file", server.passwordFile])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("\(ids.count) history chains intact"), "\(moved.stdout)")
        // The operator checks the result as they would any database.
        try "store:\n  postgres:\n    url: \"\(url)\"\n    passwordFile: \(server.passwordFile)\n"
            .write(toFile: folder.path("bevaka.yaml"), atomically: true, encoding: .utf8)
        let checked = try CommandLineTests.bevaka(["check", "--config", folder.path("bevaka.yaml")])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("schema, append-only triggers and \(ids.count) case histories"), "\(checked.stdout)")

        let postgres = try await PostgresStore.open(try PostgresSettings(url: url, passwordFile: server.passwordFile), catalog: catalog,
                                                    now: { clock.now })
        for id in ids {
            #expect(try await postgres.caseRecord(id: id) == (try await sqlite.caseRecord(id: id)))
            #expect(try await postgres.history(caseID: id) == (try await sqlite.history(caseID: id)))
            #expect(try await postgres.verifyHistory(caseID: id))
            #expect(try await postgres.segments(caseID: id) == (try await sqlite.segments(caseID: id)))
            #expect(try await postgres.notifications(caseID: id) == (try await sqlite.notifications(caseID: id)))
        }
        #expect(try await postgres.pendingTimerCount() == pending)
        #expect(try await postgres.units() == (try await sqlite.units()))
        #expect(try await postgres.verifyToken(secret)?.name == "journal")
        #expect(try await postgres.tokens().map(\.name) == ["journal"])
        // Life goes on there: the remaining deadlines fire on PostgreSQL, and new rows get new ids.
        clock.set(local("2026-03-31T08:00"))
        #expect(try await postgres.fireDueTimers(upTo: clock.now) == pending)
        _ = try await postgres.openCase(workflow: "kalmar-sanktionstrappa", owner: "anna",
                                        fields: ["enhet": .string("VC ny"), "listade": .int(10)], actor: officer)

        // A database that holds anything is refused, and nothing changes in it.
        let again = try CommandLineTests.bevaka(["migrate-store", "--from", "sqlite:\(path)", "--to", url,
                                                 "--password-file", server.passwordFile])
        #expect(again.status == 1)
        #expect(again.stderr.contains("is not empty"), "\(again.stderr)")
        #expect(try await postgres.listCases(CaseFilter(), after: nil, limit: 100).count == ids.count + 1)
        let missing = try CommandLineTests.bevaka(["migrate-store", "--from", "sqlite:\(folder.path("nope.sqlite"))", "--to", url])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no SQLite database at"), "\(missing.stderr)")
        await postgres.close()
    }
}
