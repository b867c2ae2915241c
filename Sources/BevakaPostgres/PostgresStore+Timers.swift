import BevakaCore
import BevakaStore
import Foundation
import PostgresNIO

/// Firing due timers across nodes: a batch claims its timer rows with `FOR UPDATE SKIP
/// LOCKED`, so a row another node is firing is passed over (reported ``TimerOutcome/busy``)
/// rather than waited for, locks the cases in id order, and deletes each timer in the
/// transaction that writes its transition. A node killed mid-batch holds its claims only
/// as long as its connection: PostgreSQL rolls the transaction back and the rows stay.
extension PostgresStore: TimerStore {
    public func earliestTimers(dueBefore horizon: Date, limit: Int) async throws -> [ScheduledTimer] {
        try await read { connection in
            try await connection.rows("""
                SELECT id, due_at FROM timers WHERE due_at <= \(horizon.millis) ORDER BY due_at, id LIMIT \(limit)
                """, logger: self.logger).map { ScheduledTimer(id: try $0.value("id"), dueAt: Date(millis: try $0.value("due_at"))) }
        }
    }

    public func pendingTimerCount() async throws -> Int {
        try await read { connection in
            try await connection.firstRow("SELECT count(*) AS n FROM timers", logger: self.logger)?.value("n") ?? 0
        }
    }

    /// The engine runs inside the claiming transaction, on the locked cases: nothing is worked out ahead.
    public func prepareTimers(ids: [Int64]) async -> PreparedTimers {
        PreparedTimers(unprepared: ids)
    }

    public func fireTimer(id: Int64) async throws -> TimerOutcome {
        switch try await fireTogether([id]).first {
        case .success(let outcome)?: return outcome
        case .failure(let error)?: throw error
        case nil: return .missing
        }
    }

    /// Fires the batch as a few transactions at once, on connections of their own: each a round
    /// trip after another to the server, so one alone left the server and this node mostly
    /// waiting for each other. A case's timers stay together, in the order given (a reminder
    /// before the expiry due with it), and every part locks its cases in id order as all do.
    public func fireTimers(_ batch: PreparedTimers) async throws -> [Result<TimerOutcome, StoreError>] {
        let parts = try await partition(batch.ids)
        guard parts.count > 1 else { return try await fireTogether(batch.ids) }
        var outcomes: [Int64: Result<TimerOutcome, StoreError>] = [:]
        try await withThrowingTaskGroup(of: [(Int64, Result<TimerOutcome, StoreError>)].self) { group in
            for part in parts {
                group.addTask { Array(zip(part, try await self.fireTogether(part))) }
            }
            for try await fired in group {
                for (id, outcome) in fired { outcomes[id] = outcome }
            }
        }
        return batch.ids.map { outcomes[$0] ?? .success(.missing) }
    }

    /// The batch in up to ``timerParallelism`` parts, each holding whole cases, in the order given.
    private func partition(_ ids: [Int64]) async throws -> [[Int64]] {
        guard ids.count > 1, timerParallelism > 1 else { return [ids] }
        var caseOf: [Int64: String] = [:]
        try await read { connection in
            try await connection.rows("SELECT id, case_id FROM timers WHERE id = ANY(\(ids))", logger: self.logger)
                .map { (try $0.value("id", as: Int64.self), try $0.value("case_id", as: String.self)) }
        }.forEach { caseOf[$0.0] = $0.1 }
        var partOfCase: [String: Int] = [:]
        var parts = Array(repeating: [Int64](), count: min(timerParallelism, ids.count))
        for id in ids {
            // A timer already gone goes with the first part, where it is reported missing.
            guard let caseID = caseOf[id] else { parts[0].append(id); continue }
            let part = partOfCase[caseID] ?? (partOfCase.count % parts.count)
            partOfCase[caseID] = part
            parts[part].append(id)
        }
        return parts.filter { !$0.isEmpty }
    }

    /// Fires timers in one transaction; if that fails, each timer in a transaction of its own,
    /// so that one that fails is rolled back alone and the others still apply.
    private func fireTogether(_ ids: [Int64]) async throws -> [Result<TimerOutcome, StoreError>] {
        do {
            return try await perform(nil) { connection in
                let (outcomes, timers) = try await self.claimAndApply(ids, on: connection)
                return (outcomes.map { .success($0) }, timers)
            }
        } catch {
            var outcomes: [Result<TimerOutcome, StoreError>] = []
            for id in ids {
                do {
                    outcomes.append(.success(try await perform(nil) { connection in
                        let (outcomes, timers) = try await self.claimAndApply([id], on: connection)
                        return (outcomes[0], timers)
                    }))
                } catch let error as StoreError {
                    outcomes.append(.failure(error))
                } catch {
                    outcomes.append(.failure(.corrupt("timer \(id): \(error)")))
                }
            }
            return outcomes
        }
    }

    /// Claims the timers no other node holds, locks their cases and applies each, in the order given.
    private func claimAndApply(_ ids: [Int64], on connection: PostgresConnection) async throws -> ([TimerOutcome], [ScheduledTimer]) {
        var claimed: [Int64: TimerSpec] = [:]
        for row in try await connection.rows("SELECT * FROM timers WHERE id = ANY(\(ids)) FOR UPDATE SKIP LOCKED", logger: logger) {
            let id: Int64 = try row.value("id")
            guard let kind = TimerKind(try row.value("kind", as: String.self)) else {
                throw StoreError.corrupt("timer \(id) has kind \(try row.value("kind", as: String.self))")
            }
            claimed[id] = TimerSpec(caseID: try row.value("case_id"), dueAt: Date(millis: try row.value("due_at")),
                                    deadline: try row.value("deadline"), kind: kind, stateEntry: try row.value("state_entry"),
                                    deadlineDue: Date(millis: try row.value("deadline_due")))
        }
        // Whether a timer not claimed is gone (fired or cancelled) or held by another node.
        let unclaimed = ids.filter { claimed[$0] == nil }
        var existing = Set<Int64>()
        if !unclaimed.isEmpty {
            for row in try await connection.rows("SELECT id FROM timers WHERE id = ANY(\(unclaimed))", logger: logger) {
                existing.insert(try row.value("id"))
            }
        }
        // The cases, locked in id order (as every transaction here locks several), so two nodes cannot deadlock.
        var cases: [String: (CaseRecord, WorkflowDefinition)] = [:]
        let caseIDs = Array(Set(claimed.values.map(\.caseID))).sorted()
        if !caseIDs.isEmpty {
            for row in try await connection.rows("SELECT * FROM cases WHERE id = ANY(\(caseIDs)) ORDER BY id FOR UPDATE", logger: logger) {
                let (record, definition) = try record(from: row)
                cases[record.id] = (record, definition)
            }
        }
        var outcomes: [TimerOutcome] = []
        var scheduled: [ScheduledTimer] = []
        for id in ids {
            guard let spec = claimed[id] else {
                outcomes.append(existing.contains(id) ? .busy : .missing)
                continue
            }
            // Locked above, so it is there; a delete that finds nothing would mean another node fired it.
            guard try await connection.firstRow("DELETE FROM timers WHERE id = \(id) RETURNING id", logger: logger) != nil else {
                outcomes.append(.missing)
                continue
            }
            guard let (record, definition) = cases[spec.caseID] else { throw StoreError.caseNotFound(spec.caseID) }
            let now = self.now().wholeMilliseconds
            guard let fired = Engine(workflow: definition).fire(spec, on: record, now: now) else {
                outcomes.append(.stale(caseID: spec.caseID))
                continue
            }
            let completed = try completed(fired, from: definition, now: now, actor: .bevaka)
            let (written, timers) = try await writer.write(completed, previous: record, keepingSnapshot: true, on: connection, now: now)
            // A later timer of the same case in this batch fires on the case as this one left it.
            cases[spec.caseID] = (written, completed.definition)
            scheduled += timers
            outcomes.append(.fired(caseID: spec.caseID))
        }
        return (outcomes, scheduled)
    }
}
