import BevakaCore
import Crypto
import Foundation
import GRDB

/// Keeps every workflow version the daemon has loaded, so that a case stays on
/// the version it started with even after its file is replaced, and so that a
/// version cannot change under running cases without a new version number.
enum WorkflowVersions {
    static func fingerprint(_ definition: WorkflowDefinition) -> String {
        SHA256.hash(data: Data(definition.canonicalForm.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Records the folder's versions and returns them plus the stored versions
    /// that cases still run on. Throws if a loaded version's content changed.
    static func reconcile(_ catalog: WorkflowCatalog, db: Database, now: Date) throws -> WorkflowCatalog {
        for definition in catalog.all {
            let digest = fingerprint(definition)
            if let stored = try String.fetchOne(db, sql: "SELECT sha256 FROM workflow_versions WHERE name = ? AND version = ?",
                                                arguments: [definition.name, definition.version]) {
                guard stored == digest else { throw StoreError.workflowChanged(definition.key, path: definition.sourcePath) }
            } else {
                try db.execute(sql: """
                    INSERT INTO workflow_versions (name, version, source, sha256, first_loaded_at) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [definition.name, definition.version, definition.source, digest, now.millis])
            }
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT name, version, source FROM workflow_versions w
            WHERE EXISTS (SELECT 1 FROM cases c WHERE c.workflow = w.name AND c.workflow_version = w.version)
            """)
        var kept: [WorkflowDefinition] = []
        for row in rows {
            let key = WorkflowKey(name: row["name"], version: row["version"])
            guard catalog.definition(key) == nil else { continue }
            do {
                kept.append(try WorkflowLoader.load(yaml: row["source"], path: "database:\(key)"))
            } catch {
                throw StoreError.corrupt("stored workflow \(key) no longer loads: \(error)")
            }
        }
        return catalog.adding(kept)
    }
}
