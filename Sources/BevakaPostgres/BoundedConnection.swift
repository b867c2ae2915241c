import BevakaStore
import Foundation
import PostgresNIO
import Synchronization

extension PostgresClient {
    /// How long a request waits for a pooled connection before it is answered 503: postgres-nio's
    /// pool would wait for ever while the server is out of reach, and with it every request and /readyz.
    /// Long enough for a connection to be made on a loaded machine, short enough for a load balancer.
    static let connectionWait: Duration = .seconds(10)

    /// When this process last got a connection: a daemon has one pool, so this tells a pool that is
    /// busy (others got theirs lately) from one that cannot reach its server (nobody did).
    private static let lastLease = Mutex<ContinuousClock.Instant?>(nil)

    /// `withConnection`, never waiting for ever:
    ///
    /// - no connection within ``connectionWait``, and none given to anyone else in that time either (the
    ///   server out of reach): the request for one is withdrawn and ``PostgresUnreachable`` thrown;
    /// - the connection closes under `work` (a network cut, the server gone) and `work` has not failed
    ///   a second later: it is given up with ``PostgresClientFailure`` (`serverClosedConnection`). A
    ///   closed connection cannot commit, so nothing is half done; postgres-nio 1.33 can lose the
    ///   answer to a query on a connection that closes just as it is sent, which would hold the caller,
    ///   and with it a shutdown, for good.
    ///
    /// Otherwise `work` runs to its end however long it takes. postgres-nio's errors are thrown
    /// plainly (``PostgresServerError/plain(_:)``).
    func withBoundedConnection<R: Sendable>(_ work: @escaping @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        let race = ConnectionRace<R>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.begin(continuation)
                let running = Task {
                    do {
                        let result = try await self.withConnection { connection in
                            guard race.lease(connection) else { throw PostgresUnreachable(waited: Self.connectionWait) }
                            Self.lastLease.withLock { $0 = .now }
                            return try await work(connection)
                        }
                        race.finish(.success(result))
                    } catch let error as PSQLError {
                        race.finish(.failure(PostgresServerError.plain(error)))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let watching = Task {
                    try await Task.sleep(for: Self.connectionWait)
                    // Others get connections meanwhile: the server answers and the pool is busy (a burst on a
                    // loaded machine), so this request waits its turn rather than be refused.
                    while race.isWaiting, let last = Self.lastLease.withLock({ $0 }), ContinuousClock.now - last < Self.connectionWait {
                        try await Task.sleep(for: .seconds(1))
                    }
                    // Answered first, so that the withdrawn request's own error is not the answer.
                    if race.giveUp() {
                        race.finish(.failure(PostgresUnreachable(waited: Self.connectionWait)))
                        running.cancel()
                        return
                    }
                    while let connection = race.connectionInUse {
                        if connection.isClosed {
                            try await Task.sleep(for: .seconds(1))
                            race.finish(.failure(PostgresClientFailure(code: "serverClosedConnection")))
                            running.cancel()
                            return
                        }
                        try await Task.sleep(for: .milliseconds(500))
                    }
                }
                race.watch(running: running, watching: watching)
            }
        } onCancel: {
            race.cancel()
        }
    }
}

/// One call of ``PostgresClient/withBoundedConnection(_:)``: whether it got its connection or gave
/// up first (settled once, by whichever comes first), and its answer, given once.
private final class ConnectionRace<R: Sendable>: Sendable {
    private enum Phase {
        case waiting
        case leased(PostgresConnection)
        case gaveUp
        case finished
    }

    private struct State {
        var phase = Phase.waiting
        var continuation: CheckedContinuation<R, any Error>?
        var running: Task<Void, Never>?
        var watching: Task<Void, any Error>?
        var cancelled = false
    }

    private let state = Mutex(State())

    func begin(_ continuation: CheckedContinuation<R, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// The two tasks, told at once if the caller was cancelled or answered meanwhile.
    func watch(running: Task<Void, Never>, watching: Task<Void, any Error>) {
        let (finished, cancelled) = state.withLock { state in
            state.running = running
            if state.continuation != nil { state.watching = watching }
            return (state.continuation == nil, state.cancelled)
        }
        if finished || cancelled { watching.cancel() }
        if cancelled { running.cancel() }
    }

    /// The connection came: whether `work` may run on it (not if the wait was given up already).
    func lease(_ connection: PostgresConnection) -> Bool {
        state.withLock { state in
            guard case .waiting = state.phase else { return false }
            state.phase = .leased(connection)
            return true
        }
    }

    /// Whether the connection has not come yet (nor was it given up).
    var isWaiting: Bool {
        state.withLock { state in
            if case .waiting = state.phase { return true }
            return false
        }
    }

    /// The wait ran out: whether it was given up (not if the connection came first).
    func giveUp() -> Bool {
        state.withLock { state in
            guard case .waiting = state.phase else { return false }
            state.phase = .gaveUp
            return true
        }
    }

    /// The connection `work` runs on, while it runs.
    var connectionInUse: PostgresConnection? {
        state.withLock { state in
            if case .leased(let connection) = state.phase { return connection }
            return nil
        }
    }

    /// Answers the caller, once; the watcher stops.
    func finish(_ result: Result<R, any Error>) {
        let (continuation, watching) = state.withLock { state in
            defer {
                state.continuation = nil
                state.watching = nil
            }
            state.phase = .finished
            return (state.continuation, state.watching)
        }
        guard let continuation else { return }
        watching?.cancel()
        continuation.resume(with: result)
    }

    /// The caller was cancelled: the request for a connection is withdrawn, or `work` told.
    func cancel() {
        let (running, watching) = state.withLock { state in
            state.cancelled = true
            return (state.running, state.watching)
        }
        running?.cancel()
        watching?.cancel()
    }
}
/// No connection to the server could be had in time: it is out of reach (a network cut, the
/// server down or failing over), or every connection of this node is busy. A storage failure:
/// the request changed nothing and may be tried again (503).
public struct PostgresUnreachable: StorageFailing, Sendable, CustomStringConvertible {
    public let waited: Duration
    public var isStorageFailure: Bool { true }
    public var description: String {
        "PostgreSQL: no connection within \(waited.components.seconds) s (the server is out of reach, or every connection is busy)"
    }
}
