import BevakaCore
import BevakaStore
import Foundation
import PostgresNIO

/// The commands, each one transaction that locks the rows of the cases it changes,
/// works the engine out on them as they are, and writes.
extension PostgresStore: CaseCommandStore {
    /// Opens a case on the newest version of `workflow`. A case that names the register's unit
    /// and contract takes the fields its workflow has and the caller left out from them, read
    /// in the transaction that writes it, under the register's lock (shared): see ``registerLock``.
    /// A refusal is reported after a replayed idempotency key, as in SQLite.
    public func openCase(workflow name: String, owner: String, fields: [String: JSONValue], people: [String: JSONValue],
                         unit: String?, contract: String?, actor: Actor, once: IdempotencyClaim<CaseRecord>?) async throws -> CaseRecord {
        guard let definition = catalog.forOpening(named: name) else {
            throw StoreError.unknownWorkflow(name, known: catalog.openableNames)
        }
        let now = self.now().wholeMilliseconds
        return try await perform(once) { connection in
            var fields = fields
            if unit != nil || contract != nil {
                try await connection.run("SELECT pg_advisory_xact_lock_shared(\(Self.registerLock))", logger: self.logger)
                fields = try await self.fillingFromRegister(fields, unit: unit, contract: contract, definition: definition,
                                                            today: definition.calendar.localDate(of: now), on: connection)
            }
            var transition: Transition
            do {
                transition = try Engine(workflow: definition).open(id: CaseIDs.make(at: now), owner: owner, fields: fields, people: people,
                                                                   now: now, actor: actor)
            } catch let error as EngineError {
                throw StoreError.engine(error)
            }
            transition.record.unit = unit
            transition.record.contract = contract
            let completed = try self.completed(transition, from: definition, now: now, actor: actor)
            return try await self.writer.write(completed, previous: nil, on: connection, now: now)
        }
    }

    public func applyEvent(caseID: String, event: String, payload: [String: JSONValue], reason: String?, actor: Actor,
                           seen: CaseRecord?, once: IdempotencyClaim<CaseRecord>?) async throws -> CaseRecord {
        try await perform(once) { connection in
            let (record, definition) = try await self.lockCase(caseID, on: connection)
            let now = self.now().wholeMilliseconds
            let engine = Engine(workflow: definition)
            if event == caseAnnulEvent {
                let annulment = try LateRegistration.annulment(
                    payload: payload, reason: reason, on: record, definition: definition, now: now, actor: actor,
                    recollection: try await self.recollection(of: caseID, definition: definition, on: connection))
                return try await self.writer.write(try self.completed(annulment, from: definition, now: now, actor: actor),
                                                   previous: record, on: connection, now: now)
            }
            // An event that says it took effect earlier may rewind what Bevaka did since.
            if let effective = engine.statedEffectiveTime(of: event, payload: payload, now: now), effective < now,
               let backdated = try LateRegistration.backdated(
                event: event, payload: payload, reason: reason, on: record, definition: definition, now: now, actor: actor,
                recollection: try await self.recollection(of: caseID, definition: definition, on: connection)) {
                return try await self.writer.write(try self.completed(backdated, from: definition, now: now, actor: actor),
                                                   previous: record, keepingSnapshot: true, on: connection, now: now)
            }
            let transition: Transition
            do {
                transition = try engine.apply(event: event, payload: payload, reason: reason, to: record, now: now, actor: actor)
            } catch let error as EngineError {
                throw StoreError.engine(error)
            }
            let completed = try self.completed(transition, from: definition, now: now, actor: actor)
            // The case as it was is kept for a later registration that took effect before this one (not across a hand-over).
            return try await self.writer.write(completed, previous: record, keepingSnapshot: transition.handOver == nil,
                                               on: connection, now: now)
        }
    }

    /// What late registration reads of a case, read in the change's transaction (the case row is locked):
    /// its history, its snapshots and its notices.
    private func recollection(of caseID: String, definition: WorkflowDefinition,
                              on connection: PostgresConnection) async throws -> CaseRecollection {
        let history = try await history(of: caseID, on: connection)
        var snapshots: [Int: CaseRecord] = [:]
        for row in try await connection.rows("SELECT * FROM case_snapshots WHERE id = \(caseID)", logger: logger) {
            if let record = try? StoredFields.record(try row.caseColumns(), definition: definition) {
                snapshots[try row.value("first_seq")] = record
            }
        }
        var notices: [(historyID: Int64, recipients: [String], webhooks: [String], type: String)] = []
        for row in try await connection.rows("""
            SELECT history_id, recipients, webhooks, type FROM outbox WHERE case_id = \(caseID) ORDER BY id
            """, logger: logger) {
            notices.append((try row.value("history_id"), try StoredFields.decodeJSON([String].self, try row.value("recipients")),
                            try StoredFields.decodeJSON([String].self, try row.value("webhooks")), try row.value("type")))
        }
        return CaseRecollection(history: history, snapshot: { snapshots[$0] }, notices: { ids in
            let wanted = Set(ids)
            return notices.filter { wanted.contains($0.historyID) }.map { ($0.recipients, $0.webhooks, $0.type) }
        })
    }

    public func migrateCase(_ caseID: String, to version: Int, actor: Actor, reason: String?) async throws -> CaseRecord {
        try await perform(nil) { connection in
            let (record, _) = try await self.lockCase(caseID, on: connection)
            let target = try self.definition(WorkflowKey(name: record.workflow.name, version: version))
            let now = self.now().wholeMilliseconds
            let transition: Transition
            do { transition = try Engine(workflow: target).migrate(record, now: now, actor: actor, reason: reason) } catch let error as EngineError {
                throw StoreError.engine(error)
            }
            return try await self.writer.write(try self.completed(transition, from: target, now: now, actor: actor), previous: record,
                                               on: connection, now: now)
        }
    }

    public func link(_ caseID: String, to otherID: String, relation: String, actor: Actor, reason: String?,
                     once: IdempotencyClaim<CaseLink>?) async throws -> CaseLink {
        try await perform(once) { connection in
            guard caseID != otherID else { throw StoreError.linkRefused("a case cannot be linked to itself") }
            // Both rows locked in id order, so two links made at once from either side cannot deadlock.
            var locked: [String: (CaseRecord, WorkflowDefinition)] = [:]
            for id in [caseID, otherID].sorted() { locked[id] = try await self.lockCase(id, on: connection) }
            let (record, definition) = locked[caseID]!
            let (other, otherDefinition) = locked[otherID]!
            if try await connection.firstRow("""
                SELECT 1 FROM case_links WHERE case_id = \(caseID) AND linked_case_id = \(otherID) AND relation = \(relation)
                """, logger: self.logger) != nil {
                throw StoreError.linkRefused("case \(caseID) is already linked to \(otherID) as \(relation)")
            }
            let now = self.now().wholeMilliseconds
            var timers: [ScheduledTimer] = []
            var made: CaseLink?
            for (this, thisDefinition, that) in [(record, definition, other), (other, otherDefinition, record)] {
                let linking = CaseLink.linking(this, definition: thisDefinition, to: that, relation: relation, reason: reason,
                                               actor: actor, now: now)
                timers += try await self.writer.write(linking, previous: this, on: connection, now: now).1
                let historyID = try await self.writer.lastHistoryID(of: this.id, on: connection)
                try await self.writer.insertLink(this.id, that.id, relation: relation, historyID: historyID, on: connection, now: now)
                if made == nil {
                    made = CaseLink(caseID: this.id, linkedCaseID: that.id, relation: relation, createdAt: now, historyID: historyID)
                }
            }
            return (made!, timers)
        }
    }

    /// Brings cases in mid-ladder: every row is checked first (a row that names the register's
    /// unit and contract takes its fields from them), and if any is wrong nothing is written;
    /// otherwise all are written in one transaction.
    public func importCases(_ rows: [(line: Int, workflow: String, row: ImportedCase)], actor: Actor,
                            dryRun: Bool) async throws -> [CaseRecord] {
        let now = self.now().wholeMilliseconds
        let (planned, problems) = try await client.withBoundedConnection { connection in
            var problems: [String] = []
            var planned: [CompletedTransition] = []
            for (line, name, given) in rows {
                guard let definition = self.catalog.forOpening(named: name) else {
                    problems.append(ImportProblems.unknownWorkflow(name, line: line, catalog: self.catalog))
                    continue
                }
                var row = given
                if row.unit != nil || row.contract != nil {
                    do {
                        row.fields = try await self.fillingFromRegister(row.fields, unit: row.unit, contract: row.contract,
                                                                        definition: definition,
                                                                        today: definition.calendar.localDate(of: row.enteredAt), on: connection)
                    } catch let refused as RegisterProblems {
                        problems += refused.problems.map { "line \(line): \($0)" }
                        continue
                    }
                }
                switch row.importing(line: line, definition: definition, now: now, actor: actor) {
                case .success(let transition): planned.append(try self.completed(transition, from: definition, now: now, actor: actor))
                case .failure(let refused): problems += refused.problems
                }
            }
            return (planned, problems)
        }
        guard problems.isEmpty else { throw ImportProblems(problems: problems) }
        if dryRun { return planned.map(\.transition.record) }
        let transitions = planned
        return try await perform(nil) { connection in
            var records: [CaseRecord] = []
            var timers: [ScheduledTimer] = []
            for completed in transitions {
                let (record, scheduled) = try await self.writer.write(completed, previous: nil, on: connection, now: now)
                records.append(record)
                timers += scheduled
            }
            return (records, timers)
        }
    }
}
