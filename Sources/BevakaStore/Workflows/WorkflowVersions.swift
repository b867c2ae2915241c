import BevakaCore
import Crypto
import Foundation
import GRDB

/// Keeps every workflow version the daemon has loaded, so that a case stays on
/// the version it started with even after its file is replaced, and so that a
/// version cannot change under running cases without a new version number.
package enum WorkflowVersions {
    static func fingerprint(_ definition: WorkflowDefinition) -> String {
        Hex.lowercase(SHA256.hash(data: Data(definition.canonicalForm.utf8)))
    }

    /// What decides how a running case moves: the canonical form without its words.
    /// Titles, descriptions and enum values' titles (text shown to people), a field's `meeting`
    /// (whether calendars show the date as a meeting), `questions` (the file's answered
    /// policy questions, documentation), `atOpening` (who may give a field when a
    /// case is opened; running cases are past that) and which roles may see a personal
    /// field are left out, so fixing a typo in a
    /// title does not count as a new version, while any change to a rule does.
    static func rules(_ definition: WorkflowDefinition) -> String {
        guard let json = JSONValue.parse(definition.canonicalForm) else { return definition.canonicalForm }
        func strip(_ value: JSONValue, parentKey: String?) -> JSONValue {
            switch value {
            case .object(let members):
                var kept: [String: JSONValue] = [:]
                for (key, member) in members {
                    // Under `roles` and `payload` the keys are names whose values are words or modes, not titles.
                    let isWords = parentKey != "roles" && parentKey != "payload"
                        && ["title", "description"].contains(key) && member.kind == "a string"
                    if isWords || key == "atOpening" || key == "valueTitles" || (parentKey == nil && (key == "questions" || key == "reporting")) { continue }
                    // A field's `meeting: true` is how calendars show it; a payload or role named `meeting` is no boolean.
                    if key == "meeting", member.kind == "a boolean", parentKey != "payload", parentKey != "roles" { continue }
                    // Which roles may see a personal field is access, not how a case moves; that it is personal is a rule.
                    if key == "personal", member.kind != "a boolean" { kept[key] = .bool(true); continue }
                    kept[key] = strip(member, parentKey: key)
                }
                return .object(kept)
            case .array(let items):
                return .array(items.map { strip($0, parentKey: parentKey) })
            default:
                return value
            }
        }
        return strip(json, parentKey: nil).canonicalText
    }

    /// A stored version's fingerprint and source.
    package struct Stored: Sendable {
        package let sha256: String
        package let source: String

        package init(sha256: String, source: String) {
            self.sha256 = sha256
            self.source = source
        }
    }

    /// What to write so that the stored versions hold the folder's.
    package enum Change: Sendable {
        /// A version not stored yet.
        case insert(WorkflowDefinition, sha256: String)
        /// A stored version whose words alone changed (a title's typo fixed): stored anew.
        case update(WorkflowDefinition, sha256: String)
    }

    /// The writes that record the folder's versions, given what is stored; throws,
    /// before anything is written, if a stored version's rules changed. Any store runs it.
    package static func changes(recording catalog: WorkflowCatalog,
                                stored: (WorkflowKey) throws -> Stored?) throws -> [Change] {
        var changes: [Change] = []
        for definition in catalog.all {
            let digest = fingerprint(definition)
            if let stored = try stored(definition.key) {
                guard stored.sha256 != digest else { continue }
                let before = try? WorkflowLoader.load(yaml: stored.source, path: "database:\(definition.key)")
                guard let before, rules(before) == rules(definition) else {
                    throw StoreError.workflowChanged(definition.key, path: definition.sourcePath)
                }
                changes.append(.update(definition, sha256: digest))
            } else {
                changes.append(.insert(definition, sha256: digest))
            }
        }
        return changes
    }

    /// The folder's versions plus the stored versions cases still run on (`inUse`: key and source).
    package static func catalog(_ catalog: WorkflowCatalog, keeping inUse: [(WorkflowKey, String)]) throws -> WorkflowCatalog {
        var kept: [WorkflowDefinition] = []
        for (key, source) in inUse where catalog.definition(key) == nil {
            do {
                kept.append(try WorkflowLoader.load(yaml: source, path: "database:\(key)"))
            } catch {
                throw StoreError.corrupt("stored workflow \(key) no longer loads: \(error)")
            }
        }
        return catalog.adding(kept)
    }

    /// Records the folder's versions and returns them plus the stored versions
    /// that cases still run on. Throws if a loaded version's rules changed; a
    /// version whose words alone changed (a title's typo fixed) is stored anew.
    static func reconcile(_ catalog: WorkflowCatalog, db: Database, now: Date) throws -> WorkflowCatalog {
        let changes = try changes(recording: catalog) { key in
            try Row.fetchOne(db, sql: "SELECT sha256, source FROM workflow_versions WHERE name = ? AND version = ?",
                             arguments: [key.name, key.version]).map { Stored(sha256: $0["sha256"], source: $0["source"]) }
        }
        for change in changes {
            switch change {
            case .update(let definition, let digest):
                try db.execute(sql: "UPDATE workflow_versions SET source = ?, sha256 = ? WHERE name = ? AND version = ?",
                               arguments: [definition.source, digest, definition.name, definition.version])
            case .insert(let definition, let digest):
                try db.execute(sql: """
                    INSERT INTO workflow_versions (name, version, source, sha256, first_loaded_at) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [definition.name, definition.version, definition.source, digest, now.millis])
            }
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT name, version, source FROM workflow_versions w
            WHERE EXISTS (SELECT 1 FROM cases c WHERE c.workflow = w.name AND c.workflow_version = w.version)
            """)
        return try Self.catalog(catalog, keeping: rows.map { (WorkflowKey(name: $0["name"], version: $0["version"]), $0["source"]) })
    }
}
