import BevakaCore
import Foundation
import GRDB

/// A link from one case to another (hand-over keeps one case; links join
/// separate ones, such as the indication a yearly dialogue opened).
public struct CaseLink: Sendable, Equatable {
    public let caseID: String
    public let linkedCaseID: String
    public let relation: String
    public let createdAt: Date
    /// The history row (of `caseID`) that made the link.
    public let historyID: Int64

    /// The transition that records `case.linked` in `record`'s history (its state unchanged), for any store.
    package static func linking(_ record: CaseRecord, definition: WorkflowDefinition, to other: CaseRecord, relation: String,
                                reason: String?, actor: Actor, now: Date) -> CompletedTransition {
        var touched = record
        touched.updatedAt = now
        let entry = HistoryEntry(
            at: now, actor: actor.name, role: actor.role, event: "case.linked", fromState: record.state, toState: record.state,
            payload: .object(["case": .string(other.id), "workflow": .string(other.workflow.name), "relation": .string(relation)]),
            reason: reason, notes: [])
        return CompletedTransition(transition: Transition(record: touched, effects: [], history: [entry]), definition: definition)
    }

    package init(caseID: String, linkedCaseID: String, relation: String, createdAt: Date, historyID: Int64) {
        self.caseID = caseID
        self.linkedCaseID = linkedCaseID
        self.relation = relation
        self.createdAt = createdAt
        self.historyID = historyID
    }
}

extension CaseStore {
    /// Links two cases, recording `case.linked` in both histories in one transaction.
    /// Refused when a case is missing, when both are the same case, or when the link exists.
    public func link(_ caseID: String, to otherID: String, relation: String, actor: Actor, reason: String?,
                     once: IdempotencyClaim<CaseLink>? = nil) async throws -> CaseLink {
        try await performOnce(once) { db in
            guard caseID != otherID else { throw StoreError.linkRefused("a case cannot be linked to itself") }
            let (record, definition) = try self.loadCase(caseID, db: db)
            let (other, otherDefinition) = try self.loadCase(otherID, db: db)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM case_links WHERE case_id = ? AND linked_case_id = ? AND relation = ?",
                                 arguments: [caseID, otherID, relation]) == true {
                throw StoreError.linkRefused("case \(caseID) is already linked to \(otherID) as \(relation)")
            }
            let now = self.now().wholeMilliseconds
            var timers: [ScheduledTimer] = []
            for (this, thisDefinition, that) in [(record, definition, other), (other, otherDefinition, record)] {
                let linking = CaseLink.linking(this, definition: thisDefinition, to: that, relation: relation, reason: reason,
                                               actor: actor, now: now)
                timers += try self.transitions.write(linking, previous: this, db: db, now: now).1
                try self.transitions.insertLink(this.id, that.id, relation: relation, historyID: try self.transitions.lastHistoryID(of: this.id, db: db),
                                    db: db, now: now)
            }
            let link = try Self.links(caseID: caseID, db: db).first { $0.linkedCaseID == otherID && $0.relation == relation }!
            return (link, timers)
        }
    }

    /// The case's links, oldest first.
    public func links(caseID: String) async throws -> [CaseLink] {
        try await database.read { db in
            _ = try self.loadCase(caseID, db: db)
            return try Self.links(caseID: caseID, db: db)
        }
    }

    static func links(caseID: String, db: Database) throws -> [CaseLink] {
        try Row.fetchAll(db, sql: "SELECT * FROM case_links WHERE case_id = ? ORDER BY created_at, history_id, linked_case_id",
                         arguments: [caseID]).map { row in
            CaseLink(caseID: row["case_id"], linkedCaseID: row["linked_case_id"], relation: row["relation"],
                     createdAt: Date(millis: row["created_at"]), historyID: row["history_id"])
        }
    }
}
