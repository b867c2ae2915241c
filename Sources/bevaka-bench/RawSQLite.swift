import Foundation
import GRDBSQLite

/// The limit each goal is compared with: the same number of commits of the same rows,
/// written by SQLite's C API directly on the same disk (WAL, synchronous=FULL, statements
/// prepared once), with none of Bevaka's work around them.
final class RawSQLite {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw RawError(message: "cannot open \(path)") }
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
        try execute("""
            CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS timers (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, due_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS timers_due ON timers(due_at);
            CREATE TABLE IF NOT EXISTS history (case_id TEXT NOT NULL, seq INTEGER NOT NULL, hash BLOB NOT NULL, payload TEXT NOT NULL,
                PRIMARY KEY (case_id, seq)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, payload TEXT NOT NULL);
            """)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close(db)
    }

    struct RawError: Error, CustomStringConvertible { let message: String; var description: String { message } }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw RawError(message: String(cString: sqlite3_errmsg(db))) }
    }

    /// Runs a prepared statement with text and integer arguments.
    func run(_ sql: String, _ arguments: [Any]) throws {
        let statement: OpaquePointer
        if let cached = statements[sql] { statement = cached } else {
            var prepared: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &prepared, nil) == SQLITE_OK, let prepared else {
                throw RawError(message: String(cString: sqlite3_errmsg(db)))
            }
            statements[sql] = prepared
            statement = prepared
        }
        sqlite3_reset(statement)
        for (index, argument) in arguments.enumerated() {
            let position = Int32(index + 1)
            switch argument {
            case let value as Int: sqlite3_bind_int64(statement, position, Int64(value))
            case let value as String: sqlite3_bind_text(statement, position, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            default: throw RawError(message: "unsupported argument \(argument)")
            }
        }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw RawError(message: String(cString: sqlite3_errmsg(db))) }
    }

    /// `count` cases, each with one timer, in transactions of 10 000.
    func seed(cases count: Int) throws {
        let body = String(repeating: "x", count: 600)
        for start in stride(from: 0, to: count, by: 10_000) {
            try execute("BEGIN")
            for n in start..<min(count, start + 10_000) {
                try run("INSERT INTO cases (id, state, version, body) VALUES (?, 'waiting', 1, ?)", ["case-\(n)", body])
                try run("INSERT INTO timers (id, case_id, due_at) VALUES (?, ?, ?)", [n + 1, "case-\(n)", n])
            }
            try execute("COMMIT")
        }
    }

    /// Fires every timer in `commits` transactions as alike as Bevaka's: each expiry deletes
    /// its timer, rewrites its case row, appends a history row and an outbox row.
    func expire(cases count: Int, commits: Int) throws -> TimeInterval {
        let perCommit = max(1, (count + max(commits, 1) - 1) / max(commits, 1))
        let body = String(repeating: "y", count: 600)
        let hash = String(repeating: "0", count: 64)
        let start = Date()
        for first in stride(from: 0, to: count, by: perCommit) {
            try execute("BEGIN")
            for n in first..<min(count, first + perCommit) {
                try run("DELETE FROM timers WHERE id = ?", [n + 1])
                try run("UPDATE cases SET state = 'expired', version = version + 1, body = ? WHERE id = ?", [body, "case-\(n)"])
                try run("INSERT INTO history (case_id, seq, hash, payload) VALUES (?, 2, ?, '{\"event\":\"expire\"}')", ["case-\(n)", hash])
                try run("INSERT INTO outbox (case_id, payload) VALUES (?, '{\"type\":\"case.deadline.expired\"}')", ["case-\(n)"])
            }
            try execute("COMMIT")
        }
        return Date().timeIntervalSince(start)
    }
}

extension RawSQLite {
    static var version: String { String(cString: sqlite3_libversion()) }

    /// `count` openings (a case row, a timer and a history row each) in `commits` transactions.
    func open(count: Int, commits: Int) throws -> TimeInterval {
        let perCommit = max(1, (count + max(commits, 1) - 1) / max(commits, 1))
        let body = String(repeating: "x", count: 600)
        let hash = String(repeating: "0", count: 64)
        let offset = Int.random(in: 0..<1_000_000_000)
        let start = Date()
        for first in stride(from: 0, to: count, by: perCommit) {
            try execute("BEGIN")
            for n in first..<min(count, first + perCommit) {
                try run("INSERT INTO cases (id, state, version, body) VALUES (?, 'waiting', 1, ?)", ["open-\(offset)-\(n)", body])
                try run("INSERT INTO timers (case_id, due_at) VALUES (?, ?)", ["open-\(offset)-\(n)", n])
                try run("INSERT INTO history (case_id, seq, hash, payload) VALUES (?, 1, ?, '{\"event\":\"case.opened\"}')", ["open-\(offset)-\(n)", hash])
            }
            try execute("COMMIT")
        }
        return Date().timeIntervalSince(start)
    }

    /// How long each of `count` one-row commits takes, in milliseconds, sorted.
    func commitLatencies(count: Int) throws -> [Double] {
        var times: [Double] = []
        for n in 0..<count {
            let start = ContinuousClock.now
            try execute("BEGIN")
            try run("DELETE FROM timers WHERE id = ?", [n + 1])
            try run("INSERT INTO outbox (case_id, payload) VALUES (?, '{}')", ["case-\(n)"])
            try execute("COMMIT")
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        return times.sorted()
    }

    /// Opening the file and reading its earliest 1 024 timers: what a restarted scheduler must do before it is ready.
    static func timeToFirstWindow(path: String) throws -> TimeInterval {
        let start = Date()
        let raw = try RawSQLite(path: path)
        try raw.execute("SELECT id, due_at FROM timers ORDER BY due_at LIMIT 1024")
        return Date().timeIntervalSince(start)
    }
}
