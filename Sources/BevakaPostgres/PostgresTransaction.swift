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
    /// when PostgreSQL aborted it for a deadlock or a serialisation failure. What the server
    /// refused is thrown as a ``PostgresServerError`` that says what (postgres-nio's own error
    /// prints a placeholder).
    static func run<R: Sendable>(_ client: PostgresClient, logger: Logger, attempts: Int = 20,
                                 _ work: @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        var attempt = 1
        while true {
            do {
                return try await client.withConnection { connection in
                    try await run(on: connection, logger: logger, work)
                }
            } catch let error as PSQLError where attempt < attempts && isWorthRetrying(error) {
                attempt += 1
                logger.debug("PostgreSQL transaction tried again: \(error.serverInfo?[.sqlState] ?? "")")
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            } catch let error as PSQLError {
                throw PostgresServerError(error) ?? error
            }
        }
    }

    /// Deadlock detected, serialisation failure: the transaction did nothing and may run again.
    static func isWorthRetrying(_ error: PSQLError) -> Bool {
        ["40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// Whether the error is a unique violation (another node inserted the same key first).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PostgresServerError)?.sqlState == "23505" || (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}

/// What the PostgreSQL server refused, said plainly: its SQLSTATE and message (not the
/// statement's values, which the server's detail may quote).
public struct PostgresServerError: Error, Sendable, CustomStringConvertible {
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
