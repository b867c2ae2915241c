import BevakaCore

/// Why the store refused or failed a request.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case caseNotFound(String)
    case unknownWorkflow(String, known: [String])
    /// A case runs on a workflow version that is no longer loaded.
    case workflowVersionMissing(WorkflowKey)
    /// The engine refused the request; nothing was written.
    case engine(EngineError)
    /// Stored data that does not decode: a bug or a hand-edited database.
    case corrupt(String)
    /// A workflow file's text differs from the same version loaded before.
    case workflowChanged(WorkflowKey, path: String)
    /// The write was made before under the same `Idempotency-Key`: here is its answer.
    case replayed(StoredResponse)
    /// The `Idempotency-Key` was used before for a different request.
    case idempotencyKeyReused(String)
    case deliveryNotFound(Int64)
    /// Only a dead delivery can be retried.
    case deliveryNotRetryable(Int64, status: DeliveryStatus)
    /// A link that cannot be made: to itself, or one that exists already.
    case linkRefused(String)
    /// What this store does not do (yet): the PostgreSQL store, for one, says so rather than do it differently.
    case unsupported(String)

    public var description: String {
        switch self {
        case .caseNotFound(let id): "no case with id '\(id)'"
        case .unknownWorkflow(let name, let known): "no workflow named '\(name)'; known: \(known.joined(separator: ", "))"
        case .workflowVersionMissing(let key): "the case runs on workflow \(key), which is not loaded; keep that version's file in the workflow folder"
        case .engine(let error): error.description
        case .corrupt(let message): "stored data is damaged: \(message)"
        case .deliveryNotFound(let id): "no delivery with id \(id)"
        case .deliveryNotRetryable(let id, let status):
            "delivery \(id) is \(status.rawValue); only a dead delivery can be retried"
        case .linkRefused(let why): why
        case .unsupported(let what): what
        case .replayed(let response): "already done under this Idempotency-Key (answered \(response.status))"
        case .idempotencyKeyReused(let key):
            "the Idempotency-Key '\(key)' was used for a different request; use a new key for a new request"
        case .workflowChanged(let key, let path):
            "\(path): workflow \(key) differs in its rules from the \(key) cases were started on (titles and descriptions may change, rules may not); give the changed file a new version (keep the old file or let the database keep it)"
        }
    }
}
