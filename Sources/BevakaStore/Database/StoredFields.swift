import BevakaCore
import Foundation
import GRDB

/// JSON encodings of what a case row holds. Decimals are stored as strings so
/// no kronor are lost to binary floating point.
package enum StoredFields {
    package static func encode(_ fields: [String: Value]) -> String {
        var object: [String: JSONValue] = [:]
        for (name, value) in fields {
            if case .decimal(let d) = value { object[name] = .string("\(d)") } else { object[name] = FieldValueCoder.encode(value) }
        }
        return JSONValue.object(object).canonicalText
    }

    package static func decode(_ text: String, definition: WorkflowDefinition) throws -> [String: Value] {
        guard case .object(let object)? = JSONValue.parse(text) else { throw StoreError.corrupt("fields are not a JSON object") }
        var fields: [String: Value] = [:]
        for (name, json) in object {
            guard let field = definition.field(name) else { throw StoreError.corrupt("field '\(name)' is not in \(definition.key)") }
            // Formats checked, limits not: a value an earlier release accepted must still read back.
            switch FieldValueCoder.decode(json, as: field.type, checkingLimits: false) {
            case .success(let value): fields[name] = value
            case .failure(let problem): throw StoreError.corrupt("field '\(name)': \(problem)")
            }
        }
        return fields
    }

    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    package static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    package static func json<Element: Encodable>(_ value: [Element]) throws -> String {
        value.isEmpty ? "[]" : String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    package static func json<Value: Encodable>(_ value: [String: Value]) throws -> String {
        value.isEmpty ? "{}" : String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    package static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    package static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    /// Most cases have no accruals, checklists or people: their empty lists are read
    /// without JSONDecoder (a decoder and its containers per column were a twentieth of a firing).
    package static func decodeJSON<Element: Decodable>(_ type: [Element].Type, _ text: String) throws -> [Element] {
        text == "[]" ? [] : try decoder.decode(type, from: Data(text.utf8))
    }

    package static func decodeJSON<Value: Decodable>(_ type: [String: Value].Type, _ text: String) throws -> [String: Value] {
        text == "{}" ? [:] : try decoder.decode(type, from: Data(text.utf8))
    }

    /// The deadlines column as JSONEncoder writes it (keys sorted, instants in milliseconds),
    /// written and read without the Codable machinery: a case waiting on a deadline has one
    /// here, and JSONDecoder on it was the largest part of reading a case for a timer.
    /// What the fast path does not recognise goes through JSONDecoder/JSONEncoder as before.
    package static func deadlinesJSON(_ deadlines: [ActiveDeadline]) throws -> String {
        guard !deadlines.isEmpty else { return "[]" }
        var objects: [JSONValue] = []
        objects.reserveCapacity(deadlines.count)
        for deadline in deadlines {
            let millis = deadline.dueAt.timeIntervalSince1970 * 1000
            // JSONEncoder writes a whole number of milliseconds as an integer; anything else it writes its own way.
            guard millis.rounded() == millis, abs(millis) < 9e15 else { return try json(deadlines) }
            objects.append(.object(["dueAt": .int(Int(millis)), "expired": .bool(deadline.expired), "name": .string(deadline.name),
                                    "overdueCount": .int(deadline.overdueCount)]))
        }
        return JSONValue.array(objects).canonicalText
    }

    package static func deadlines(_ text: String) throws -> [ActiveDeadline] {
        if text == "[]" { return [] }
        if case .array(let items)? = JSONValue.parse(text) {
            var deadlines: [ActiveDeadline] = []
            deadlines.reserveCapacity(items.count)
            for item in items {
                guard case .object(let object) = item, object.count == 4, case .string(let name)? = object["name"],
                      case .int(let millis)? = object["dueAt"], case .bool(let expired)? = object["expired"],
                      case .int(let overdue)? = object["overdueCount"] else { break }
                deadlines.append(ActiveDeadline(name: name, dueAt: Date(timeIntervalSince1970: Double(millis) / 1000),
                                                expired: expired, overdueCount: overdue))
            }
            if deadlines.count == items.count { return deadlines }
        }
        return try decodeJSON([ActiveDeadline].self, text)
    }

    /// A list of texts as stored (a session's roles, a feed's identifiers): a JSON array.
    package static func texts(_ items: [String]) -> String {
        JSONValue.array(items.map(JSONValue.string)).canonicalText
    }

    /// The texts of a stored list; a column that is not a list of texts reads as none.
    package static func texts(from text: String) -> [String] {
        guard case .array(let items)? = JSONValue.parse(text) else { return [] }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    static func record(from row: Row, definition: WorkflowDefinition) throws -> CaseRecord {
        try record(CaseColumns(id: row["id"], state: row["state"], stateEnteredAt: row["state_entered_at"], stateEntry: row["state_entry"],
                               owner: row["owner"], fields: row["fields"], deadlines: row["deadlines"], accruals: row["accruals"],
                               checklists: row["checklists"], version: row["version"], createdAt: row["created_at"],
                               updatedAt: row["updated_at"], people: row["people"], unit: row["unit_id"], contract: row["contract_id"]),
                   definition: definition)
    }

    /// A case row's columns as stored, whichever database they came from.
    package struct CaseColumns: Sendable {
        package var id: String
        package var state: String
        package var stateEnteredAt: Int64
        package var stateEntry: Int
        package var owner: String
        package var fields: String
        package var deadlines: String
        package var accruals: String
        package var checklists: String
        package var version: Int
        package var createdAt: Int64
        package var updatedAt: Int64
        package var people: String
        package var unit: String?
        package var contract: String?

        package init(id: String, state: String, stateEnteredAt: Int64, stateEntry: Int, owner: String, fields: String, deadlines: String,
                     accruals: String, checklists: String, version: Int, createdAt: Int64, updatedAt: Int64, people: String,
                     unit: String?, contract: String?) {
            self.id = id
            self.state = state
            self.stateEnteredAt = stateEnteredAt
            self.stateEntry = stateEntry
            self.owner = owner
            self.fields = fields
            self.deadlines = deadlines
            self.accruals = accruals
            self.checklists = checklists
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.people = people
            self.unit = unit
            self.contract = contract
        }
    }

    /// The case a row's columns hold, on its workflow version.
    package static func record(_ row: CaseColumns, definition: WorkflowDefinition) throws -> CaseRecord {
        var record = CaseRecord(
            id: row.id, workflow: definition.key, state: row.state,
            stateEnteredAt: Date(millis: row.stateEnteredAt), stateEntry: row.stateEntry, owner: row.owner,
            fields: try decode(row.fields, definition: definition),
            deadlines: try deadlines(row.deadlines),
            accruals: try decodeJSON([AccrualState].self, row.accruals),
            checklists: try decodeJSON([ChecklistState].self, row.checklists), version: row.version,
            createdAt: Date(millis: row.createdAt), updatedAt: Date(millis: row.updatedAt))
        record.people = try decodeJSON([String: [CasePerson]].self, row.people)
        record.unit = row.unit
        record.contract = row.contract
        return record
    }

    /// What an outbox row carries about the case. Fields marked personal are left out.
    package static func notificationData(_ record: CaseRecord, definition: WorkflowDefinition) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for field in definition.fields where !field.personal {
            if let value = record.fields[field.name] { fields[field.name] = FieldValueCoder.encode(value) }
        }
        return .object([
            "caseId": .string(record.id), "workflow": .string(definition.name), "workflowVersion": .int(definition.version),
            "state": .string(record.state), "owner": .string(record.owner), "fields": .object(fields),
            // The addresses of the people the case names for its roles: they get the role's mail.
            "people": .object(record.people.mapValues { .array($0.map { .string($0.email) }) }),
        ])
    }
}

extension Database {
    /// Executes a statement prepared once per connection: the writer runs the
    /// same few statements for every change, and compiling them each time
    /// (parser and authorizer) was a fifth of its work.
    func run(_ sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    func fetchOneRow(_ sql: String, arguments: StatementArguments) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}
