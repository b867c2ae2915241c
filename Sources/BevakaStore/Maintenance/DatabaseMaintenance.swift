import BevakaCore
import Foundation
import GRDB

/// Backups and checks of a database file, safe while the daemon runs.
public enum DatabaseMaintenance {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case sourceMissing(String)
        case targetExists(String)
        case failed(String)

        public var description: String {
            switch self {
            case .sourceMissing(let path): "no database at \(path)"
            case .targetExists(let path): "\(path) exists already; choose a new file (a backup never overwrites)"
            case .failed(let message): message
            }
        }
    }

    /// Copies the database at `source` to the new file `target` with SQLite's
    /// online backup, in one step inside one read transaction: a consistent
    /// snapshot even while the daemon writes (WAL lets it go on meanwhile). The
    /// copy is written beside `target` and renamed into place when complete.
    /// Returns the number of pages copied.
    @discardableResult
    public static func backup(from source: String, to target: String) throws(Failure) -> Int {
        guard FileManager.default.fileExists(atPath: source) else { throw .sourceMissing(source) }
        guard !FileManager.default.fileExists(atPath: target) else { throw .targetExists(target) }
        let partial = target + ".partial-\(getpid())"
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let reader = try DatabasePool(path: source, configuration: configuration)
            let writer = try DatabaseQueue(path: partial)
            var pages = 0
            try reader.backup(to: writer) { progress in pages = progress.totalPageCount }
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try writer.close()
            try reader.close()
            guard rename(partial, target) == 0 else { throw Failure.failed("cannot rename the copy to \(target): errno \(errno)") }
            return pages
        } catch let failure as Failure {
            unlink(partial)
            throw failure
        } catch {
            unlink(partial)
            throw .failed("backup of \(source) failed: \(error)")
        }
    }

    /// Everything `bevaka check` verifies, as a list of problems (empty: all is well).
    ///
    /// SQLite's integrity check and foreign keys; every migration this build
    /// knows applied and none it does not; every case on a workflow version the
    /// database holds; every case's history chain intact.
    public static func check(path: String) throws(Failure) -> (problems: [String], cases: Int) {
        guard FileManager.default.fileExists(atPath: path) else { throw .sourceMissing(path) }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let reader = try DatabasePool(path: path, configuration: configuration)
            defer { try? reader.close() }
            return try reader.read { db in
                var problems: [String] = []
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                if integrity != ["ok"] { problems += integrity.map { "integrity: \($0)" } }
                for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                    problems.append("foreign key: table \(row[0] as String? ?? "?") row \(row[1] as Int64? ?? 0) points to a missing \(row[2] as String? ?? "?")")
                }
                let applied = try Schema.migrator.appliedIdentifiers(db)
                let known = Set(Schema.migrator.migrations)
                for missing in known.subtracting(applied).sorted() { problems.append("schema: migration \(missing) is not applied (start the daemon once to apply it)") }
                for unknown in applied.subtracting(known).sorted() { problems.append("schema: migration \(unknown) is unknown to this version of bevaka (a newer version wrote this file)") }
                guard applied.isSuperset(of: known) else { return (problems, 0) }

                let versions = Set(try Row.fetchAll(db, sql: "SELECT name, version FROM workflow_versions").map {
                    "\($0["name"] as String)@\($0["version"] as Int)"
                })
                var cases = 0
                for row in try Row.fetchAll(db, sql: "SELECT id, workflow, workflow_version FROM cases ORDER BY created_at, id") {
                    cases += 1
                    let id: String = row["id"]
                    let key = "\(row["workflow"] as String)@\(row["workflow_version"] as Int)"
                    if !versions.contains(key) { problems.append("case \(id): its workflow \(key) is not stored in workflow_versions") }
                    if !HistoryHasher.chainIsIntact(try CaseStore.historyRecords(caseID: id, db: db), caseID: id) {
                        problems.append("case \(id): its history does not match its hash chain (rows changed or missing)")
                    }
                }
                return (problems, cases)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .failed("cannot check \(path): \(error)")
        }
    }
}
