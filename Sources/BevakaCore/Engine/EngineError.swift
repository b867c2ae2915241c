/// Why the engine refused a request. Each case names the problem precisely;
/// a refused request changes nothing.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The workflow has no such event.
    case unknownEvent(event: String, accepted: [String])
    /// The event exists but the current state does not accept it.
    case eventNotAccepted(event: String, state: String, accepted: [String])
    /// The actor's role may not fire the event.
    case roleNotAllowed(event: String, role: String, allowed: [String])
    /// Payload or field problems, one per bad field.
    case invalidInput([FieldProblem])
    /// No transition's condition held.
    case conditionNotMet(event: String, state: String, conditions: [String])
    /// An expression could not be evaluated with the case's values.
    case evaluationFailed(String)
    /// A case cannot move to another workflow version: each reason says why.
    case migrationRefused(to: WorkflowKey, reasons: [String])
    /// The case cannot move into another workflow: each reason says why.
    case handOverRefused(to: String, reasons: [String])
    /// No checklist of that name is open on the case.
    case checklistNotOpen(checklist: String, state: String)
    /// The item cannot be ticked now (its group has not opened, or it is ticked already).
    case checklistItemNotOpen(checklist: String, item: String, why: String)
    /// A registered event cannot be annulled: each reason says why.
    case correctionRefused(reasons: [String])

    /// A stable short name, used in problem types and scenario expectations.
    public var slug: String {
        switch self {
        case .unknownEvent: "unknown-event"
        case .eventNotAccepted: "event-not-accepted"
        case .roleNotAllowed: "role-not-allowed"
        case .invalidInput: "invalid-payload"
        case .conditionNotMet: "condition-not-met"
        case .evaluationFailed: "evaluation-failed"
        case .migrationRefused: "migration-refused"
        case .handOverRefused: "hand-over-refused"
        case .checklistNotOpen: "checklist-not-open"
        case .checklistItemNotOpen: "checklist-item-not-open"
        case .correctionRefused: "correction-refused"
        }
    }

    public var description: String {
        switch self {
        case .unknownEvent(let event, let accepted):
            "workflow has no event '\(event)'; accepted now: \(accepted.joined(separator: ", "))"
        case .eventNotAccepted(let event, let state, let accepted):
            "event '\(event)' is not accepted in state '\(state)'; accepted: \(accepted.isEmpty ? "none (final state)" : accepted.joined(separator: ", "))"
        case .roleNotAllowed(let event, let role, let allowed):
            allowed.isEmpty
                ? "event '\(event)' is raised only by Bevaka when a deadline expires"
                : "role '\(role)' may not fire '\(event)'; allowed: \(allowed.joined(separator: ", "))"
        case .invalidInput(let problems):
            problems.map(\.description).joined(separator: "; ")
        case .conditionNotMet(let event, let state, let conditions):
            "no condition for '\(event)' in state '\(state)' holds: \(conditions.joined(separator: " | "))"
        case .evaluationFailed(let message):
            message
        case .migrationRefused(let key, let reasons):
            "cannot move to \(key): \(reasons.joined(separator: "; "))"
        case .handOverRefused(let workflow, let reasons):
            "cannot hand the case over to \(workflow): \(reasons.joined(separator: "; "))"
        case .checklistNotOpen(let checklist, let state):
            "checklist '\(checklist)' is not open on this case (state '\(state)')"
        case .checklistItemNotOpen(let checklist, let item, let why):
            "item '\(item)' of checklist '\(checklist)' cannot be ticked: \(why)"
        case .correctionRefused(let reasons):
            "the event cannot be annulled: \(reasons.joined(separator: "; "))"
        }
    }
}

/// One bad field in a request: which, and what is wrong with it.
public struct FieldProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field): \(problem)" }
}
