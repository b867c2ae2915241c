import BevakaCore
import Foundation
import GRDB
import Synchronization

/// The workflows cases run on: the folder's versions, recorded in the database
/// (``WorkflowVersions``), and every stored version that cases still run on. A
/// command looks a case's workflow up here; a reload (SIGHUP) replaces the set,
/// refusing a version whose content differs from what cases started on.
public final class WorkflowRegistry: Sendable {
    private let state: Mutex<WorkflowCatalog>

    /// The workflows now: the folder's and the stored versions cases still run on.
    public var catalog: WorkflowCatalog { state.withLock { $0 } }

    /// A registry over versions already recorded (by a store that records them itself).
    package init(reconciled catalog: WorkflowCatalog) {
        state = Mutex(catalog)
    }

    /// Replaces the workflows with versions already recorded.
    package func replace(with catalog: WorkflowCatalog) {
        state.withLock { $0 = catalog }
    }

    /// Records the folder's versions in `db` and keeps them with the stored versions cases still run on.
    init(recording catalog: WorkflowCatalog, db: Database, now: Date) throws {
        state = Mutex(try WorkflowVersions.reconcile(catalog, db: db, now: now))
    }

    /// Replaces the workflows: records new versions and refuses, changing nothing, a
    /// version whose content differs from what cases started on. Running cases keep
    /// their versions; new cases get the newest.
    func reload(_ catalog: WorkflowCatalog, database: any DatabaseWriter, now: Date) async throws {
        let reconciled = try await database.write { db in try WorkflowVersions.reconcile(catalog, db: db, now: now) }
        state.withLock { $0 = reconciled }
    }

    /// The workflow version a case runs on, or `workflowVersionMissing`.
    public func definition(_ key: WorkflowKey) throws(StoreError) -> WorkflowDefinition {
        guard let definition = catalog.definition(key) else { throw .workflowVersionMissing(key) }
        return definition
    }
}
