import BevakaStore
import Logging
import PostgresNIO

/// Transactions on one connection that keep the error the work threw (postgres-nio's
/// own wraps it), and that are tried again when PostgreSQL gives one up to let
/// another go on: a deadlock between two nodes, or a serialisation failure.
enum PostgresTransaction {
    /// Runs `work` between BEGIN and COMMIT; a throw rolls back and is rethrown as it was.
    static func run<R: Sendable>(on connection: PostgresConnection, logger: Logger,
                                 _ work: (PostgresConnection) async throws -> R) async throws -> R {
        try await connection.query("BEGIN", logger: logger)
        let result: R
        do {
            result = try await work(connection)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return result
    }

    /// As ``run(on:logger:_:)`` on a pooled connection, tried again (up to `attempts` times)
    /// when PostgreSQL aborted it for a deadlock or a serialisation failure. Errors are thrown
    /// as ``PostgresClient/withBoundedConnection(_:)`` throws them.
    static func run<R: Sendable>(_ client: PostgresClient, logger: Logger, attempts: Int = 20,
                                 _ work: @escaping @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        var attempt = 1
        while true {
            do {
                return try await client.withBoundedConnection { connection in
                    try await run(on: connection, logger: logger, work)
                }
            } catch let error as PostgresServerError where attempt < attempts && isWorthRetrying(error) {
                attempt += 1
                logger.debug("PostgreSQL transaction tried again: \(error.sqlState)")
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            }
        }
    }

    /// Deadlock detected, serialisation failure: the transaction did nothing and may run again.
    static func isWorthRetrying(_ error: PostgresServerError) -> Bool {
        ["40P01", "40001"].contains(error.sqlState)
    }

    /// Whether the error is a unique violation (another node inserted the same key first).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PostgresServerError)?.sqlState == "23505" || (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}

/// What the PostgreSQL server refused, said plainly: its SQLSTATE and message (not the
/// statement's values, which the server's detail may quote).
public struct PostgresServerError: StorageFailing, Sendable, CustomStringConvertible {
    public let sqlState: String
    public let message: String

    init?(_ error: PSQLError) {
        guard let info = error.serverInfo, let state = info[.sqlState] else { return nil }
        sqlState = state
        message = info[.message] ?? "(no message)"
    }

    public var description: String { "PostgreSQL refused: \(message) (SQLSTATE \(sqlState))" }

    /// Whether the server, not the request, is the trouble: a connection lost, the server shutting
    /// down or out of resources (disk), an I/O error, or a read-only standby.
    public var isStorageFailure: Bool {
        ["08", "53", "57", "58", "XX"].contains(String(sqlState.prefix(2))) || sqlState == "25006"
    }
}

extension PostgresServerError {
    /// postgres-nio's error said plainly (its own description is a placeholder, so that no value
    /// of a statement leaks into a log): what the server refused, or what failed on the way to it.
    static func plain(_ error: PSQLError) -> any Error {
        PostgresServerError(error) ?? PostgresClientFailure(code: "\(error.code)")
    }
}

/// What failed between this node and the server, not a refusal of the server's: a connection
/// refused or lost, TLS, the pool shut (storage failures), or an answer the client could not read.
public struct PostgresClientFailure: StorageFailing, Sendable, CustomStringConvertible {
    public let code: String
    public var isStorageFailure: Bool {
        ["connectionError", "serverClosedConnection", "uncleanShutdown", "sslUnsupported", "failedToAddSSLHandler", "poolClosed",
         "clientClosedConnection"].contains(code)
    }
    public var description: String { "PostgreSQL: \(isStorageFailure ? "no connection to the server" : "the client failed") (\(code))" }
}
