import BevakaCore
import Foundation
import GRDB

/// One read of a case that holds personal data: who, in which role, when, which
/// case, what they read and from where, and whether the personal fields were shown.
public struct AccessLogEntry: Sendable, Equatable {
    public var id: Int64 = 0
    public var at: Date
    public var subject: String
    public var name: String
    public var role: String
    public var caseID: String
    /// What was read: `case`, `list`, `history`, `ledger`, `notifications`, `checklists`, `links`, or a write's answer.
    public var action: String
    /// The client's address (the one a trusted proxy forwarded for).
    public var client: String
    public var personalShown: Bool

    public init(at: Date, subject: String, name: String, role: String, caseID: String, action: String, client: String, personalShown: Bool) {
        self.at = at
        self.subject = subject
        self.name = name
        self.role = role
        self.caseID = caseID
        self.action = action
        self.client = client
        self.personalShown = personalShown
    }
}

/// What an auditor asks of the access log.
public struct AccessLogQuery: Sendable {
    public var caseID: String?
    public var subject: String?
    public var from: Date?
    public var until: Date?
    /// Entries with a smaller id than this (the previous page's last), newest first.
    public var before: Int64?
    public var limit = 100

    public init(caseID: String? = nil, subject: String? = nil, from: Date? = nil, until: Date? = nil, before: Int64? = nil, limit: Int = 100) {
        self.caseID = caseID
        self.subject = subject
        self.from = from
        self.until = until
        self.before = before
        self.limit = limit
    }
}

/// The access log: appended to before what was read is answered, never changed
/// (the table's triggers refuse updates and deletes).
extension CaseStore {
    public func appendAccess(_ entries: [AccessLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await writer.perform { db in
            for entry in entries {
                try db.execute(sql: """
                    INSERT INTO access_log (at, subject, name, role, case_id, action, client, personal_shown) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [entry.at.millis, entry.subject, entry.name, entry.role, entry.caseID, entry.action, entry.client,
                                     entry.personalShown])
            }
            return ((), [])
        }
    }

    /// Entries matching `query`, newest first.
    public func accessLog(_ query: AccessLogQuery) async throws -> [AccessLogEntry] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let caseID = query.caseID { conditions.append("case_id = ?"); _ = arguments.append(contentsOf: [caseID]) }
        if let subject = query.subject { conditions.append("subject = ?"); _ = arguments.append(contentsOf: [subject]) }
        if let from = query.from { conditions.append("at >= ?"); _ = arguments.append(contentsOf: [from.millis]) }
        if let until = query.until { conditions.append("at < ?"); _ = arguments.append(contentsOf: [until.millis]) }
        if let before = query.before { conditions.append("id < ?"); _ = arguments.append(contentsOf: [before]) }
        _ = arguments.append(contentsOf: [query.limit])
        let sql = "SELECT * FROM access_log" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY id DESC LIMIT ?"
        let bound = arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map { row in
                var entry = AccessLogEntry(at: Date(millis: row["at"]), subject: row["subject"], name: row["name"], role: row["role"],
                                           caseID: row["case_id"], action: row["action"], client: row["client"],
                                           personalShown: row["personal_shown"])
                entry.id = row["id"]
                return entry
            }
        }
    }
}
