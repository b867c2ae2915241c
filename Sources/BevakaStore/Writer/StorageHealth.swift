import Foundation
import GRDB
import Synchronization

/// Whether the disk takes writes: a write that fails for lack of space or an
/// I/O error marks the store failing until a later commit succeeds. Readiness
/// reports it, so a load balancer stops sending writes; a metric counts it;
/// the HTTP API answers such a write 503 with `Retry-After` instead of 500.
public final class StorageHealth: Sendable {
    private struct State {
        var failing = false
        var failures = 0
        var lastError: String?
    }

    private let state = Mutex(State())

    public init() {}

    /// True when `error` says the disk refused a write (full, I/O error, read-only, cannot open),
    /// as opposed to a request the store refused.
    public static func isStorageFailure(_ error: any Error) -> Bool {
        if let failure = error as? any StorageFailing { return failure.isStorageFailure }
        guard let error = error as? DatabaseError else { return false }
        switch error.resultCode {
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_NOMEM: return true
        default: return false
        }
    }

    /// Records a failed write if it was a storage failure; returns whether it was.
    @discardableResult
    package func record(_ error: any Error) -> Bool {
        guard Self.isStorageFailure(error) else { return false }
        recordFailure((error as? DatabaseError)?.message ?? "\(error)")
        return true
    }

    /// Records a write the storage refused (a database server out of reach, say), for any store.
    package func recordFailure(_ message: String) {
        state.withLock { state in
            state.failing = true
            state.failures += 1
            state.lastError = message
        }
    }

    package func recordCommit() {
        state.withLock { $0.failing = false }
    }

    /// Whether the last write failed for storage reasons (and none has committed since).
    public var isFailing: Bool { state.withLock { $0.failing } }
    /// Writes that failed for storage reasons since start.
    public var failures: Int { state.withLock { $0.failures } }
    /// SQLite's words for the last such failure.
    public var lastError: String? { state.withLock { $0.lastError } }
}

/// An error of a store's database that can tell whether the storage, not the request, is the
/// trouble (a server out of reach, out of disk, read-only): such a write is answered 503, to try again.
public protocol StorageFailing: Error {
    var isStorageFailure: Bool { get }
}
